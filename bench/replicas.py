"""Replicas behind nginx: lookup throughput and p99 through the cache and load balancer
(two `vocab serve` replicas) against one replica direct, the cache hit ratio, and the
errors clients see while a replica is killed. Loopback only; every run is bounded (wrk -d).

    python -m bench.replicas                 # the shipped vocabulary, 8 s per run (~2 min)
    python -m bench.replicas --seconds 15 --replicas 3

Five wrk runs (2 threads, 32 connections, as reliability case F4): `/lookup/CT` on one
replica direct (its own answer cache serves the repeats); the same through nginx (answers
come from nginx's cache after the first); then with a new query string per request, so
every request misses both caches and is computed: on one replica direct, and through nginx
with the replicas (the load balancer alone); and that last run again while one replica is
killed (SIGKILL) halfway through. The hit ratio is counted from nginx's access log
(`cache=$upstream_cache_status`) over the cached run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from bench.generate import OUT
from bench.serving import wrk
from deploy.topology import ROOT, Topology, running

BASE_URI = "http://127.0.0.1:8080"
PATH = "/lookup/CT?format=json"
UNIQUE = 'counter = 0\nrequest = function()\n  counter = counter + 1\n  return wrk.format("GET", "{path}&n=" .. counter .. "-" .. math.random(1e9))\nend\n'


def build(db: Path) -> None:
    """Compile the shipped vocabulary into `db` (once)."""
    if db.exists():
        return
    subprocess.run(
        [sys.executable, "-m", "cli", "build", "--db", str(db), "--base-uri", BASE_URI],
        check=True, cwd=ROOT,
    )  # fmt: skip


def cache_counts(topology: Topology, since: int) -> Counter[str]:
    lines = (topology.prefix / "access.log").read_text().splitlines()[since:]
    return Counter(
        part[6:] or "-" for line in lines for part in line.split() if part.startswith("cache=")
    )


def log_length(topology: Topology) -> int:
    return len((topology.prefix / "access.log").read_text().splitlines())


def row(name: str, result: dict[str, object]) -> str:
    errors = int(result["non2xx"]) + int(result["socket_errors"])  # type: ignore[call-overload]
    return (
        f"| {name} | {float(result['rps']):,.0f} | {float(result.get('p50', 0)):.1f} | "  # type: ignore[arg-type]
        f"{float(result.get('p99', 0)):.1f} | {errors} |"  # type: ignore[arg-type]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "replicas" / "vocab.db")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    build(args.db)
    script = args.db.parent / "unique.lua"
    script.write_text(UNIQUE.replace("{path}", PATH))
    with running(args.db, replicas=args.replicas, base_uri=BASE_URI, workdir=args.db.parent / "run") as topology:  # fmt: skip
        direct = wrk(topology.replicas[0].url + PATH, seconds=args.seconds)
        start = log_length(topology)
        cached = wrk(topology.url + PATH, seconds=args.seconds)
        counts = cache_counts(topology, start)
        direct_unique = wrk(topology.replicas[0].url + PATH, seconds=args.seconds, script=script)
        balanced = wrk(topology.url + PATH, seconds=args.seconds, script=script)
        killer = threading.Timer(args.seconds / 2, topology.replicas[0].kill)
        killer.start()
        killed = wrk(topology.url + PATH, seconds=args.seconds, script=script)
        killer.join()
    hits = counts["HIT"] / max(1, sum(counts.values()))
    print(f"lookup {PATH}, wrk -t2 -c32 -d{args.seconds}s on loopback, {args.replicas} replicas\n")
    print("| run | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    print(row("one replica, direct", direct))
    print(row(f"nginx cache + {args.replicas} replicas", cached))
    print(row("one replica direct, a new query string each time", direct_unique))
    print(row(f"nginx (cache missed) + {args.replicas} replicas, the same", balanced))
    print(row("same, one replica SIGKILLed halfway", killed))
    print(
        f"\ncache hit ratio (cached run): {hits:.1%} of {sum(counts.values()):,} requests {dict(counts)}"
    )
    print(f"wrk: {cached['command']}  (cache-missing runs add -s {script})")
    print(
        f"reproduce: python -m bench.replicas --seconds {args.seconds} --replicas {args.replicas}"
    )


if __name__ == "__main__":
    main()
