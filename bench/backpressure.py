"""Lookups while other clients hammer the expensive routes: p50/p99 idle and under load.

    python -m bench.backpressure [--seconds 8]

A real uvicorn (one worker, uvloop, httptools, as `vocab serve`) on loopback serves the
shipped vocabulary. One client looks up a term every 10 ms (a new query string each time,
so every answer is rendered, not cached) and records each latency, first with nothing
else running, then while six clients each post 10,000-term alignments in a loop and four
send typo searches (each a new misspelling, so each reaches the fuzzy stage), twice:
with the rate limits off (only the bounded alignment queue pushes back), then with the
documented default limits. Every phase is bounded by `--seconds`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["segmentaton", "sensitivty", "radiograpy", "calibraton", "anotation", "validaton"]


def start(db: Path, port: int, limits: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "VOCAB_DB": str(db),
        "VOCAB_EDITORIAL_DB": "off",
        "VOCAB_RATE_LIMITS": limits,
        "VOCAB_BASE_URI": "http://127.0.0.1:8000",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.main:app_from_env"]
    command += ["--port", str(port), "--loop", "uvloop", "--http", "httptools"]
    command += ["--timeout-graceful-shutdown", "2", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def probe(base: str, seconds: float) -> list[float]:
    """Lookup latencies in ms, one request every 10 ms for `seconds`."""
    out: list[float] = []
    with httpx.Client(timeout=30) as client:
        end, i = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            i += 1
            t = time.perf_counter()
            client.get(f"{base}/lookup/MHRA?i={i}-{time.monotonic_ns()}")
            out.append((time.perf_counter() - t) * 1000)
            time.sleep(0.01)
    return out


def hammer(base: str, seconds: float, statuses: Counter[str]) -> list[threading.Thread]:
    """Start six alignment clients and four fuzzy-search clients until `seconds` pass
    (run in a process of their own, so they never hold the measuring client's GIL)."""
    end = time.monotonic() + seconds
    terms = "\n".join(f"{WORDS[i % len(WORDS)]} tool {i}" for i in range(10_000)).encode()

    def aligner() -> None:
        with httpx.Client(timeout=120) as client:
            while time.monotonic() < end:
                try:
                    answer = client.post(f"{base}/align", content=terms)
                except httpx.HTTPError:
                    statuses["align unfinished at the end"] += 1
                    return
                late = " (cut at the end of the phase)" if time.monotonic() > end else ""
                statuses[f"align {answer.status_code}{late}"] += 1
                if answer.status_code == 429:
                    time.sleep(min(1.0, float(answer.headers.get("retry-after", "1"))))

    def searcher(n: int) -> None:
        with httpx.Client(timeout=30) as client:
            i = 0
            while time.monotonic() < end:
                i += 1
                word = WORDS[(n + i) % len(WORDS)]
                typo = word[: 2 + i % 5] + "q" + word[2 + i % 5 :] + str(i)
                try:
                    answer = client.get(f"{base}/search", params={"q": typo})
                except httpx.HTTPError:
                    return
                statuses[f"search {answer.status_code}"] += 1

    threads = [threading.Thread(target=aligner) for _ in range(6)]
    threads += [threading.Thread(target=searcher, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    return threads


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else values[0]


def phase(db: Path, limits: str, seconds: float, loaded: bool) -> tuple[list[float], Counter[str]]:
    from tests.conftest import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(db, port, limits)
    try:
        clients = None
        if loaded:
            command = [sys.executable, "-m", "bench.backpressure", "--hammer", base]
            command += ["--seconds", str(seconds)]
            clients = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            time.sleep(1.0)  # let the load build up (the alignment worker starts)
        latencies = probe(base, seconds - (1.0 if loaded else 0.0))
        server.terminate()  # alignments still running are cut short: the phase is over
        statuses: Counter[str] = Counter()
        if clients is not None:
            out, _ = clients.communicate(timeout=120)
            statuses.update(json.loads(out.strip().splitlines()[-1]))
        return latencies, statuses
    finally:
        server.kill()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--hammer", metavar="BASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hammer:  # the loading clients, in their own process; prints their statuses
        statuses: Counter[str] = Counter()
        for thread in hammer(args.hammer, args.seconds, statuses):
            thread.join(timeout=120)
        print(json.dumps(dict(statuses)))
        return
    sys.path.insert(0, str(ROOT))
    from tests.conftest import BASE, SOURCE, build_vocabulary

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "vocab.db"
        build_vocabulary(SOURCE, db, base=BASE)
        rows = []
        for name, limits, loaded in [
            ("idle", "off", False),
            ("6 x 10k /align + 4 fuzzy /search clients, rate limits off", "off", True),
            ("the same, default rate limits", "", True),
        ]:
            latencies, statuses = phase(db, limits, args.seconds, loaded)
            rows.append((name, latencies, statuses))
            print(f"{name}: p99 {percentile(latencies, 99):.2f} ms", file=sys.stderr, flush=True)
        print(f"GET /lookup over HTTP, one uvicorn worker, {args.seconds:.0f} s a phase")
        print("| phase | lookups | p50 ms | p99 ms | max ms | other clients' answers |")
        print("|---|---:|---:|---:|---:|---|")
        for name, latencies, statuses in rows:
            others = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) or "-"
            print(
                f"| {name} | {len(latencies)} | {percentile(latencies, 50):.2f} | "
                f"{percentile(latencies, 99):.2f} | {max(latencies):.1f} | {others} |"
            )
        print(f"reproduce: python -m bench.backpressure --seconds {args.seconds:g}")


if __name__ == "__main__":
    main()
