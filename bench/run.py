"""Every benchmark in one run: build, cold start, in-process latency, HTTP throughput.

    python -m bench.run                      # shipped vocabulary + generated 10k and 100k
    python -m bench.run --sizes 10k,100k,1M  # add a million concepts (~3 min build, 12 GB RAM)

Generated vocabularies are cached in bench/out/ (not in git); stores are rebuilt every
run, since build time is one of the figures. Prints each figure with the command that
reproduces it, and writes the tables to bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import serving
from bench.generate import OUT, SEED, ensure, make_queries, parse_size, size_name
from bench.run_report import report, targets

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "ontology" / "vocabulary"
RESULTS = Path(__file__).resolve().parent / "results.md"
VOCAB = str(Path(sys.executable).with_name("vocab"))
BASE_URI = serving.BASE_URI
SERVED = ("shipped", "100k")  # the stores measured over HTTP and for cold start


@dataclass
class Vocab:
    name: str  # "shipped", "10k", ...
    source: Path
    queries: Path
    db: Path


def rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def run_timed(command: list[str]) -> dict[str, float]:
    """Run a command; return its wall seconds, CPU seconds and peak memory (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    assert process.stderr is not None
    errors = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{' '.join(command)} failed:\n{errors[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def build_command(v: Vocab) -> list[str]:
    return [VOCAB, "build", "--source", rel(v.source), "--db", rel(v.db), "--base-uri", BASE_URI]


def shipped_queries(db: Path, path: Path) -> Path:
    """Write the query set of the shipped vocabulary, drawn from its store."""
    from vocab.vocabulary import Vocabulary

    snapshot = Vocabulary.open(db).snapshot()
    terms = [(c.pref_label(), next(iter(c.acronyms), "")) for c in snapshot.concepts]
    path.write_text(json.dumps(make_queries(terms, random.Random(SEED))))
    return path


def bench_build(v: Vocab, repeat: int) -> dict[str, Any]:
    runs = [run_timed(build_command(v)) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall"])
    command = "vocab " + " ".join(build_command(v)[1:])
    return {**best, "runs": [round(r["wall"], 2) for r in runs], "command": command}


def bench_latency(v: Vocab) -> dict[str, Any]:
    args = ["-m", "bench.latency", "--db", rel(v.db), "--queries", rel(v.queries)]
    out = subprocess.run(
        [sys.executable, *args, "--json"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return {**json.loads(out), "command": " ".join(["python", *args])}


def bench_cold_start(v: Vocab, acronym: str, runs: int = 5) -> dict[str, Any]:
    port = serving.free_port()
    probe = f"/lookup/{quote(acronym)}"
    env = serving._env(v.db)
    uvicorn = serving.cold_start(serving.app_command(port), env, port, probe, runs)
    serve = serving.cold_start(serving.serve_command(v.db, v.source, port), env, port, probe, runs)
    serve_command = serving.serve_command(Path(rel(v.db)), Path(rel(v.source)), 8000)
    return {
        "uvicorn": sorted(uvicorn),
        "serve": sorted(serve),
        "probe": probe,
        "uvicorn_command": f"VOCAB_DB={rel(v.db)} VOCAB_BASE_URI={BASE_URI} "
        + " ".join(["python", *serving.app_command(8000)[1:]]),
        "serve_command": " ".join(["vocab", *serve_command[1:]]),
    }


def known_acronym(v: Vocab) -> str:
    """Return the acronym to look up: MHRA in the shipped vocabulary, else one with one sense."""
    if v.name == "shipped":
        return "MHRA"
    return serving.pick_acronym(v.db, json.loads(v.queries.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="generated sizes, e.g. 10k,100k,1M")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--skip", default="", help="comma-separated: build,latency,cold,http")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    command = "python -m bench.run " + " ".join(sys.argv[1:])
    os.chdir(ROOT)
    (OUT / "db").mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    vocabs = [Vocab("shipped", SHIPPED, OUT / "queries-shipped.json", OUT / "db" / "shipped.db")]
    for text in args.sizes.split(","):
        n = parse_size(text)
        start = time.perf_counter()
        folder = ensure(n)
        print(
            f"data {size_name(n)}: {rel(folder)} in {time.perf_counter() - start:.1f} s "
            f"[python -m bench.generate --sizes {size_name(n)}]",
            flush=True,
        )
        vocabs.append(
            Vocab(size_name(n), folder, folder / "queries.json", OUT / "db" / f"{size_name(n)}.db")
        )

    results["build"] = {}
    for v in vocabs:
        if "build" in skip and v.db.exists():
            continue
        n = 1 if v.name == "shipped" else parse_size(v.name)
        b = bench_build(v, repeat=3 if n <= 10_000 else (2 if n <= 100_000 else 1))
        if v.name != "shipped":
            manifest = json.loads((v.source / "manifest.json").read_text())
            b.update(concepts=f"{manifest['concepts']:,}", triples=f"{manifest['triples']:,}")
        results["build"][v.name] = b
        print(
            f"build {v.name}: {b['wall']:.2f} s wall (runs {b['runs']}), {b['cpu']:.2f} s CPU, "
            f"{b['rss_mb']:.0f} MB  [{b['command']}]",
            flush=True,
        )
    shipped_queries(vocabs[0].db, vocabs[0].queries)

    if "latency" not in skip:
        results["latency"] = {}
        for v in vocabs:
            r = results["latency"][v.name] = bench_latency(v)
            for method in ("lookup", "search"):
                s = r[method]["all"]
                print(
                    f"{method} {v.name}: p50 {s['p50']:.3f} ms, p99 {s['p99']:.3f} ms, "
                    f"max {s['max']:.2f} ms  [{r['command']}]",
                    flush=True,
                )

    served = [v for v in vocabs if v.name in SERVED]
    if "cold" not in skip:
        results["cold_start"] = {}
        for v in served:
            c = results["cold_start"][v.name] = bench_cold_start(v, known_acronym(v))
            print(
                f"cold start {v.name}: uvicorn {c['uvicorn']} s  [{c['uvicorn_command']}]\n"
                f"cold start {v.name}: vocab serve {c['serve']} s  [{c['serve_command']}]",
                flush=True,
            )

    if "http" not in skip and not shutil.which("wrk"):
        print("HTTP throughput skipped: wrk is not installed (apt-get install -y wrk)", flush=True)
        skip.add("http")
    if "http" not in skip:
        results["http"] = {}
        for v in served:
            queries = json.loads(v.queries.read_text())
            h = serving.throughput(v.db, queries, known_acronym(v), seconds=args.seconds)
            results["http"][v.name] = h
            serving.print_throughput(v.name, h)

    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results["targets"] = targets(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    text = report(results, command.strip(), args.seconds)
    args.results.write_text(text)
    print("\n" + text)
    print(
        f"Wrote {rel(args.results)} and {rel(OUT / 'results.json')}; reproduce: {command.strip()}"
    )


if __name__ == "__main__":
    main()
