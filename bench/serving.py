"""HTTP figures: cold start to first answer, and throughput with wrk on loopback.

    python -m bench.serving --db bench/out/db/100k.db --queries bench/out/vocab-100k/queries.json

Servers run as one uvicorn worker with loop=uvloop and http=httptools (what `vocab serve`
uses). The baseline is `bench.bare_app`, a bare ASGI app answering a constant, under the
same server and the same wrk load, measured in the same run, before and after ours.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.generate import OUT

BASE_URI = "http://127.0.0.1:8000"
PYTHON = sys.executable
UVICORN = [
    PYTHON,
    "-m",
    "uvicorn",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--workers",
    "1",
    "--log-level",
    "warning",
    "--no-access-log",
    "--no-proxy-headers",  # as `vocab serve` runs it (the app reads X-Forwarded-For itself)
    "--host",
    "127.0.0.1",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, timeout: float = 2.0) -> int | None:
    """Return the status of GET `path`, or None if nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    except OSError:
        return None
    match = re.match(rb"HTTP/1\.1 (\d{3})", data)
    return int(match.group(1)) if match else None


def _env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "VOCAB_DB": str(db),
        "VOCAB_BASE_URI": BASE_URI,
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@contextmanager
def server(command: list[str], env: dict[str, str], port: int, probe: str) -> Iterator[float]:
    """Start a server, yield the seconds it took to answer `probe` with 200, then stop it."""
    with started(command, env, port, probe) as (_, seconds):
        yield seconds


@contextmanager
def started(
    command: list[str], env: dict[str, str], port: int, probe: str
) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    """Start a server, yield it and the seconds it took to answer `probe` with 200; stop it."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            status = get(port, probe)
            if status == 200:
                break
            if process.poll() is not None:
                assert process.stderr is not None
                errors = process.stderr.read().decode()[-2000:]
                raise RuntimeError(f"{' '.join(command)} exited: {errors}")
            if time.perf_counter() - start > 60:
                raise RuntimeError(f"{' '.join(command)} did not answer {probe} within 60 s")
            time.sleep(0.002)
        yield process, time.perf_counter() - start
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def app_command(port: int) -> list[str]:
    return [*UVICORN, "--port", str(port), "--factory", "api.main:app_from_env"]


def bare_command(port: int) -> list[str]:
    return [*UVICORN, "--port", str(port), "bench.bare_app:app"]


def serve_command(db: Path, source: Path, port: int) -> list[str]:
    vocab = str(Path(PYTHON).with_name("vocab"))
    return [
        vocab,
        "serve",
        "--db",
        str(db),
        "--source",
        str(source),
        "--base-uri",
        BASE_URI,
        "--port",
        str(port),
    ]


def cold_start(
    command: list[str], env: dict[str, str], port: int, probe: str, runs: int = 3
) -> list[float]:
    """Return the seconds from process start to the first 200 answer to `probe`, per run."""
    times = []
    for _ in range(runs):
        with server(command, env, port, probe) as seconds:
            times.append(seconds)
        time.sleep(0.3)  # let the port go
    return times


_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_PCT = re.compile(r"^\s+(50|90|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def wrk(
    url: str, *, seconds: int, threads: int = 2, connections: int = 32, script: Path | None = None
) -> dict[str, Any]:
    """Run wrk and return requests/s, latency percentiles (ms), non-2xx and socket errors."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    percentiles = {f"p{p}": float(v) * scale[u] for p, v, u in _WRK_PCT.findall(out)}
    rps = _WRK_RPS.search(out)
    non2xx = _WRK_NON2XX.search(out)
    errors = _WRK_ERRORS.search(out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        **percentiles,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "command": " ".join([*command, url]),
    }


def search_script(queries: dict[str, list[list[str | None]]], path: Path) -> Path:
    """Write a wrk Lua script that cycles through every query as /search?q=..."""
    urls = [f"/search?q={quote(q)}" for items in queries.values() for q, _ in items if q]
    lines = ",\n".join(f'  "{u}"' for u in urls)
    path.write_text(
        f"local paths = {{\n{lines}\n}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n'
    )
    return path


def pick_acronym(db: Path, queries: dict[str, list[list[str | None]]]) -> str:
    """Return the first acronym of the query set that names exactly one concept."""
    from vocab.vocabulary import Vocabulary

    vocabulary = Vocabulary.open(db)
    acronyms = [str(q) for q, _ in queries["acronym"]]
    for acronym in acronyms:
        if len(vocabulary.lookup(acronym).hits) == 1:
            return acronym
    return acronyms[0]


def body_size(port: int, path: str) -> int:
    """Return the length of the body answering GET `path`."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return len(data.partition(b"\r\n\r\n")[2])


RUNS = ("bare", "lookup", "bare_2", "lookup_2", "search")


def throughput(
    db: Path, queries: dict[str, list[list[str | None]]], acronym: str, *, seconds: int
) -> dict[str, Any]:
    """wrk against the bare app and our lookup, twice in turn, then our search.

    Each run starts its own server (one uvicorn worker), so runs do not share warm-up;
    alternating the two servers spreads any drift in machine load over both.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    lookup_path = f"/lookup/{quote(acronym)}"
    script = search_script(queries, OUT / f"search-{db.stem}.lua")
    result: dict[str, Any] = {"lookup_path": lookup_path}
    for run in RUNS:
        if run.startswith("bare"):
            command, path, lua = bare_command(port), "/", None
        else:
            command = app_command(port)
            path, lua = (lookup_path, None) if run.startswith("lookup") else ("/search", script)
        with server(command, _env(db), port, lookup_path if lua else path):
            result[run] = wrk(url + path, seconds=seconds, script=lua)
            result[run]["bytes"] = body_size(port, path) if not lua else None
    bare = result["bare"]["rps"] + result["bare_2"]["rps"]
    result["lookup_ratio"] = (result["lookup"]["rps"] + result["lookup_2"]["rps"]) / bare
    result["search_ratio"] = 2 * result["search"]["rps"] / bare
    return result


def print_throughput(name: str, result: dict[str, Any]) -> None:
    for run in RUNS:
        r = result[run]
        print(
            f"http {name} {run:8} {r['rps']:8.0f} req/s  p50 {r.get('p50', 0):6.2f} ms  "
            f"p99 {r.get('p99', 0):7.2f} ms  non-2xx {r['non2xx']}  errors {r['socket_errors']}"
        )
    print(
        f"http {name}: lookup / bare = {result['lookup_ratio']:.2f}, "
        f"search / bare = {result['search_ratio']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument(
        "--source",
        type=Path,
        help="the source the store was built from (for the vocab serve cold start)",
    )
    parser.add_argument(
        "--acronym", help="the acronym to look up (default: the first with one sense)"
    )
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text())
    acronym = args.acronym or pick_acronym(args.db, queries)
    port = free_port()
    probe = f"/lookup/{quote(acronym)}"
    uvicorn_cold = cold_start(app_command(port), _env(args.db), port, probe)
    print(f"cold start, uvicorn factory: {', '.join(f'{t:.2f}' for t in uvicorn_cold)} s")
    if args.source:
        serve_cold = cold_start(
            serve_command(args.db, args.source, port), _env(args.db), port, probe
        )
        print(f"cold start, vocab serve:     {', '.join(f'{t:.2f}' for t in serve_cold)} s")
    print_throughput(args.db.stem, throughput(args.db, queries, acronym, seconds=args.seconds))
    print(
        f"reproduce: python -m bench.serving --db {args.db} --queries {args.queries}"
        + (f" --source {args.source}" if args.source else "")
    )


if __name__ == "__main__":
    main()
