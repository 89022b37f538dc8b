"""Build time and peak memory of `vocab build`, beside Oxigraph's bulk load of the same files.

    python -m bench.build                          # shipped, 10k, 100k; 3 rounds each
    python -m bench.build --sizes 1M --rounds 1    # a million concepts (~1 GB of Turtle)

Each round runs our build and Oxigraph's bulk load (`bench.oxigraph load`) of the same
Turtle files with the same base IRI, one after the other, each in a fresh process (CLI and
interpreter start-up included for both); the figures are medians over the rounds, with
CPU seconds and peak RSS of each process. The ratio is our wall time over Oxigraph's: how
many bulk loads of the same file one build costs (and the same for CPU seconds, which a
busy machine inflates less than wall time). Oxigraph only indexes the triples; the
build also reads SKOS, checks it, normalises and indexes every label, builds the typo and
full-text indexes and embeds every concept.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.generate import OUT, ensure, parse_size, size_name
from bench.oxigraph import BASE_URI
from bench.run import SHIPPED, VOCAB, rel, run_timed

ROOT = Path(__file__).resolve().parent.parent


def commands(name: str, source: Path) -> tuple[list[str], list[str]]:
    """Return our build command and Oxigraph's load command for one vocabulary."""
    db = OUT / "db" / f"{name}.db"
    ours = [VOCAB, "build", "--source", rel(source), "--db", rel(db), "--base-uri", BASE_URI]
    store = OUT / "oxigraph" / name
    peer = [sys.executable, "-m", "bench.oxigraph", "load", "--source", rel(source)]
    return ours, [*peer, "--store", rel(store), "--base-uri", BASE_URI]


def measure(name: str, source: Path, rounds: int) -> dict[str, Any]:
    """Run both commands `rounds` times, interleaved; return the medians and every run."""
    ours, peer = commands(name, source)
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "oxigraph": []}
    for _ in range(rounds):
        runs["ours"].append(run_timed(ours))
        runs["oxigraph"].append(run_timed(peer))
    result: dict[str, Any] = {"name": name}
    for who, timed in runs.items():
        result[who] = {
            key: statistics.median(r[key] for r in timed) for key in ("wall", "cpu", "rss_mb")
        }
        result[who]["runs"] = [round(r["wall"], 2) for r in timed]
    result["ratio"] = result["ours"]["wall"] / result["oxigraph"]["wall"]
    result["cpu_ratio"] = result["ours"]["cpu"] / result["oxigraph"]["cpu"]
    show = ["vocab", *ours[1:]], ["python", *peer[1:]]
    result["commands"] = [" ".join(c) for c in show]
    return result


def print_result(r: dict[str, Any]) -> None:
    for who, command in zip(("ours", "oxigraph"), r["commands"], strict=True):
        f = r[who]
        print(
            f"{r['name']:>8} {who:<9} {f['wall']:7.2f} s wall (runs {f['runs']}), "
            f"{f['cpu']:7.2f} s CPU, {f['rss_mb']:6.0f} MB peak  [{command}]"
        )
    print(
        f"{r['name']:>8} build / Oxigraph bulk load: {r['ratio']:.1f}x wall, "
        f"{r['cpu_ratio']:.1f}x CPU",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,10k,100k", help="shipped and/or 10k,100k,1M")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    os.chdir(ROOT)
    (OUT / "db").mkdir(parents=True, exist_ok=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = []
    for text in args.sizes.split(","):
        if text == "shipped":
            name, source = "shipped", SHIPPED
        else:
            name = size_name(parse_size(text))
            source = ensure(parse_size(text))
        results.append(measure(name, source, args.rounds))
        print_result(results[-1])
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"reproduce: python -m bench.build {' '.join(sys.argv[1:])}".rstrip())
    if args.json:
        stamp = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "results": results}
        args.json.write_text(json.dumps(stamp, indent=1))


if __name__ == "__main__":
    main()
