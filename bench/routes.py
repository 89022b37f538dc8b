"""Every public read route against the floor, the event loop under a slow client, workers.

    python -m bench.routes                              # shipped vocabulary (+ 100k stall)
    python -m bench.routes --seconds 3 --rounds 3 --stall-db bench/out/db/100k.db

Three figures, each measured in one run on this machine, with wrk on loopback:

1. Throughput of each read route ÷ a bare ASGI app answering a constant (`bench.bare_app`),
   both under one uvicorn worker with the settings `vocab serve` uses (uvloop, httptools),
   in `--rounds` interleaved rounds (bare, then every route, per round); the medians and
   their ratio. A repeated request for each route, and `/search` with a typo that is in no
   cache (every request a new random two-letter misspelling of a label).
2. The event loop under a slow client: `/lookup` p99 with wrk alone, then while one client
   sends uncached miss searches (made-up words) back to back, on `--stall-db`.
3. Workers: `/lookup` and `/terms` with `--workers 1` and `--workers 2`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

from api.limits import DEFAULT_LIMITS
from bench.generate import OUT
from bench.in_app import in_app
from bench.routes_report import report
from bench.serving import BASE_URI, UVICORN, bare_command, free_port, started, wrk
from bench.serving import _env as serving_env
from vocab.source import stale_reason

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DB = OUT / "db" / "shipped.db"
VOCAB = str(Path(sys.executable).with_name("vocab"))
ROUTES: list[tuple[str, str, str]] = [
    # (name, path, Accept)
    ("lookup", "/lookup/MHRA", ""),
    ("lookup json", "/lookup/MHRA", "application/json"),
    ("search", "/search?q=auto%20segmentaton", ""),
    ("search html", "/search?q=auto%20segmentaton", "text/html"),
    ("suggest", "/suggest?q=rad", ""),
    ("terms json", "/terms/t0133?format=json", ""),
    ("terms html", "/terms/t0133", "text/html"),
    ("terms turtle", "/terms/t0133", "text/turtle"),
    ("terms json-ld", "/terms/t0133?format=jsonld", ""),
    ("terms rdf/xml", "/terms/t0133?format=rdf", ""),
    ("terms n-triples", "/terms/t0133.nt", ""),
    ("terms text", "/terms/t0133", ""),
    ("embed", "/embed/t0133", ""),
    ("define", "/define?term=CT", ""),
    ("oembed", f"/oembed?url={quote(BASE_URI)}/terms/t0133", ""),
    ("translate", "/translate?term=recall&to=clinical", ""),
]
BARE_EVERY = 4
BENCH_LIMITS = ",".join(  # the default limits, but one client may search without end
    "search=1000000/s" if item.startswith("search=") else item for item in DEFAULT_LIMITS.split(",")
)
"""With the default `search=120/min`, wrk's one address was refused (429) after its first
120 searches that reached the typo stage: the typo row measured refusals, and the stall
client stopped at its first refusal."""

TYPO_SCRIPT = """
local labels = {LABELS}
local letters = "abcdefghijklmnopqrstuvwxyz"
-- one seed per wrk thread and per run: each thread runs this script in a state of its
-- own, and the script serves every round; with one seed the second thread, and every
-- round after the first, would send misspellings already answered (cached)
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(SEED + os.time() * 64 + id)
end
local function typo(s)
  for _ = 1, 2 do
    local i = math.random(1, #s)
    local j = math.random(1, #letters)
    s = s:sub(1, i - 1) .. letters:sub(j, j) .. s:sub(i + 1)
  end
  return s
end
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
request = function()
  local label = labels[math.random(1, #labels)]
  return wrk.format("GET", "/search?q=" .. encode(typo(label)), {["Accept"] = "application/json"})
end
"""
ACCEPT_SCRIPT = 'wrk.headers["Accept"] = "%s"\n'


CODE: Path | None = None
"""Serve the service from this checkout instead (`--code`: before/after figures in one run)."""
BEFORE: Path | None = None
"""Also serve this checkout, measured beside ours route by route (`--before`)."""


def _env(db: Path, code: Path | None = None) -> dict[str, str]:
    env = serving_env(db)
    env["VOCAB_RATE_LIMITS"] = BENCH_LIMITS
    code = code or CODE
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ensure_shipped(db: Path) -> Path:
    """Return `db`, built from the shipped source if it is missing, behind the source or
    written by another version of the store (`vocab.source.stale_reason`)."""
    source = ROOT / "ontology" / "vocabulary"
    if not db.exists() or stale_reason(db, source) is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                VOCAB,
                "build",
                "--source",
                str(source),
                "--db",
                str(db),
                "--base-uri",
                BASE_URI,
                "--force",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return db


def labels_of(db: Path, count: int = 400) -> list[str]:
    from vocab.vocabulary import Vocabulary

    vocabulary = Vocabulary.open(db)
    labels = [r.pref_label for r in vocabulary.store.concept_refs_sorted()]
    return [label for label in labels if label.isascii() and len(label) >= 6][:count]


def scripts(db: Path, work: Path) -> dict[str, Path]:
    """wrk Lua scripts: an Accept header per route, and the uncached typo search."""
    work.mkdir(parents=True, exist_ok=True)
    out = {}
    for accept in {a for _, _, a in ROUTES if a}:
        path = work / f"accept-{accept.replace('/', '_')}.lua"
        path.write_text(ACCEPT_SCRIPT % accept)
        out[accept] = path
    labels = ", ".join(json.dumps(label) for label in labels_of(db))
    typo = work / "typo.lua"
    typo.write_text(
        TYPO_SCRIPT.replace("LABELS", labels).replace("SEED", str(random.randrange(1 << 30)))
    )
    out["typo"] = typo
    return out


def typo_search_ms(db: Path, count: int = 300) -> float:
    """Median milliseconds of `Vocabulary.search` in this process for new two-letter typos."""
    from vocab.vocabulary import Vocabulary

    vocabulary = Vocabulary.open(db)
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    labels = labels_of(db)
    vocabulary.search("warm up")
    times = []
    for _ in range(count):
        text = rng.choice(labels)
        for _ in range(2):
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice(letters) + text[i + 1 :]
        start = time.perf_counter()
        vocabulary.search(text)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def app_command(port: int, workers: int = 1, code: Path | None = None) -> list[str]:
    command = [*UVICORN, "--port", str(port), "--factory", "api.main:app_from_env"]
    code = code or CODE
    if code is not None:  # uvicorn puts --app-dir first on sys.path
        command += ["--app-dir", str(code)]
    command[command.index("--workers") + 1] = str(workers)
    return command


def warm(url: str, accept: str = "") -> None:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def measure(url: str, pid: int, seconds: int, script: Path | None = None) -> dict[str, Any]:
    """wrk against `url`, with the server's CPU seconds per answer over the run."""
    before = cpu_seconds(pid)
    result = wrk(url, seconds=seconds, script=script)
    used = cpu_seconds(pid) - before
    answered = result["rps"] * seconds
    result["per_cpu_second"] = answered / used if used > 0 else 0.0
    return result


def throughput(db: Path, seconds: int, rounds: int, only: str = "") -> dict[str, Any]:
    """Bare app and our app side by side, interleaved: the floor every few routes."""
    lua = scripts(db, OUT / "routes")
    bare_port, app_port, before_port = free_port(), free_port(), free_port()
    runs: dict[str, list[dict[str, Any]]] = {}
    routes = [*ROUTES, ("search typo (uncached)", "/search", "typo")]
    routes = [r for r in routes if not only or r[0] in only.split(",")]
    with ExitStack() as servers:
        bare_server, _ = servers.enter_context(
            started(bare_command(bare_port), _env(db), bare_port, "/")
        )
        app_server, _ = servers.enter_context(
            started(app_command(app_port), _env(db), app_port, "/lookup/MHRA")
        )
        apps = [("", f"http://127.0.0.1:{app_port}", app_server.pid)]
        if BEFORE is not None:  # the other checkout, measured right after ours, route by route
            command = app_command(before_port, code=BEFORE)
            before_server, _ = servers.enter_context(
                started(command, _env(db, BEFORE), before_port, "/lookup/MHRA")
            )
            apps.append((" (before)", f"http://127.0.0.1:{before_port}", before_server.pid))
        for _, app, _ in apps:
            for _, path, accept in ROUTES:
                warm(app + path, accept)
        for _ in range(rounds):
            for i, (name, path, accept) in enumerate(routes):
                if i % BARE_EVERY == 0:  # the floor, often, so load drift hits both alike
                    runs.setdefault("bare", []).append(
                        measure(f"http://127.0.0.1:{bare_port}/", bare_server.pid, seconds)
                    )
                for suffix, app, pid in apps:
                    runs.setdefault(name + suffix, []).append(
                        measure(app + path, pid, seconds, lua.get(accept))
                    )
    bare = statistics.median(r["rps"] for r in runs["bare"])
    bare_cpu = statistics.median(r["per_cpu_second"] for r in runs["bare"])
    table: dict[str, Any] = {"typo_search_ms": typo_search_ms(db)}
    for name, results in runs.items():
        rps = statistics.median(r["rps"] for r in results)
        per_cpu = statistics.median(r["per_cpu_second"] for r in results)
        table[name] = {
            "rps": rps,
            "ratio": rps / bare,
            "per_cpu_second": per_cpu,
            "cpu_ratio": per_cpu / bare_cpu,
            "p99": statistics.median(r.get("p99", 0.0) for r in results),
            "non2xx": sum(r["non2xx"] for r in results),
            "command": results[0]["command"],
        }
    return table


def miss_client(port: int, stop: threading.Event, done: list[float]) -> None:
    """Send uncached miss searches (made-up words) back to back until `stop`."""
    rng = random.Random(7)
    while not stop.is_set():
        word = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(5))
        start = time.perf_counter()
        warm(f"http://127.0.0.1:{port}/search?q={word}%20{word[::-1]}")
        done.append(time.perf_counter() - start)


def stall(db: Path, seconds: int, rounds: int) -> dict[str, Any]:
    """`/lookup` p99 alone and while one client sends uncached miss searches."""
    port = free_port()
    from bench.serving import pick_acronym

    queries = json.loads((db.parent.parent / f"vocab-{db.stem}" / "queries.json").read_text())
    path = f"/lookup/{quote(pick_acronym(db, queries))}"
    idle: list[dict[str, Any]] = []
    busy: list[dict[str, Any]] = []
    searches: list[float] = []
    with started(app_command(port), _env(db), port, path):
        warm(f"http://127.0.0.1:{port}/search?q=warmup%20wordlist")
        for _ in range(rounds):
            idle.append(wrk(f"http://127.0.0.1:{port}{path}", seconds=seconds))
            stop = threading.Event()
            client = threading.Thread(target=miss_client, args=(port, stop, searches))
            client.start()
            try:
                busy.append(wrk(f"http://127.0.0.1:{port}{path}", seconds=seconds))
            finally:
                stop.set()
                client.join()
    result = {
        "path": path,
        "idle_rps": statistics.median(r["rps"] for r in idle),
        "idle_p99": statistics.median(r["p99"] for r in idle),
        "busy_rps": statistics.median(r["rps"] for r in busy),
        "busy_p99": statistics.median(r["p99"] for r in busy),
        "miss_searches": len(searches),
        "miss_p50_ms": 1000 * statistics.median(searches) if searches else 0.0,
        "command": idle[0]["command"],
    }
    result["p99_ratio"] = result["busy_p99"] / result["idle_p99"]
    return result


def workers(db: Path, seconds: int, rounds: int) -> dict[str, Any]:
    """Requests/s and p99 of two routes with one and two uvicorn workers, interleaved."""
    out: dict[str, list[dict[str, Any]]] = {}
    for _ in range(rounds):
        for count in (1, 2):
            port = free_port()
            with started(app_command(port, count), _env(db), port, "/lookup/MHRA"):
                for name, path in (
                    ("lookup", "/lookup/MHRA"),
                    ("terms json", "/terms/t0133?format=json"),
                ):
                    url = f"http://127.0.0.1:{port}{path}"
                    for _ in range(4):  # each worker warms its own caches
                        warm(url)
                    out.setdefault(f"{name} x{count}", []).append(wrk(url, seconds=seconds))
    return {
        key: {
            "rps": statistics.median(r["rps"] for r in runs),
            "p99": statistics.median(r.get("p99", 0.0) for r in runs),
        }
        for key, runs in out.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=SHIPPED_DB, help="store for the route table")
    parser.add_argument("--stall-db", type=Path, default=OUT / "db" / "100k.db")
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip", default="", help="comma-separated: routes,stall,workers,app")
    parser.add_argument("--only", default="", help="comma-separated route names, e.g. lookup")
    parser.add_argument("--code", type=Path, help="serve another checkout (e.g. `git archive`)")
    parser.add_argument(
        "--before", type=Path, help="also serve this checkout, route by route beside ours"
    )
    args = parser.parse_args()
    global CODE, BEFORE
    CODE, BEFORE = args.code, args.before
    skip = set(args.skip.split(","))
    db = ensure_shipped(args.db) if args.db == SHIPPED_DB else args.db
    table = throughput(db, args.seconds, args.rounds, args.only) if "routes" not in skip else {}
    stalled = None
    if "stall" not in skip and args.stall_db.exists():
        stalled = stall(args.stall_db, args.seconds, args.rounds)
    scaled = workers(db, args.seconds, args.rounds) if "workers" not in skip else None
    inside = in_app(db, ROUTES) if "app" not in skip and CODE is None else None
    report(table, stalled, scaled, inside)
    print(
        f"reproduce: python -m bench.routes --db {args.db} --stall-db {args.stall_db} "
        f"--seconds {args.seconds} --rounds {args.rounds}"
        + (f" --skip {args.skip}" if args.skip else "")
        + (f" --only {args.only}" if args.only else "")
        + (f" --code {args.code}" if args.code else "")
        + (f" --before {args.before}" if args.before else "")
    )


if __name__ == "__main__":
    main()
