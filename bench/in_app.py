"""CPU per answer inside the ASGI app, without a server or network (`bench.routes` prints it).

    python -m bench.in_app [--only lookup,terms json] [--before DIR] [--rounds 3]

Steadier than req/s on a shared machine: the service, and FastAPI alone (`Service.app`)
for the same request, against the bare app of `bench.bare_app`; each figure is the best of
five batches. With `--before DIR`, the same figures for another checkout (run in a process
of its own with DIR first on the path), the two alternating for `--rounds` rounds, best of
all rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from api.app import create_app
from bench import bare_app
from bench.serving import BASE_URI
from vocab.vocabulary import Vocabulary


def in_app(
    db: Path, routes: list[tuple[str, str, str]], count: int = 5000
) -> dict[str, tuple[float, float]]:
    """Microseconds of CPU per answer inside the ASGI app (no server, no network): the
    service, and FastAPI alone (`Service.app`) for the same request; the bare app first."""
    service = create_app(Vocabulary.open(db), base=BASE_URI)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        pass

    def scope(path: str, accept: str) -> dict[str, Any]:
        path, _, query = path.partition("?")
        headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk")]
        if accept:
            headers.append((b"accept", accept.encode()))
        return {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 8000),
        }

    async def per_answer(app: Any, request: dict[str, Any], n: int) -> float:
        await app(dict(request), receive, send)
        best = float("inf")
        for _ in range(5):  # the best batch: other jobs on the machine only ever add time
            start = time.process_time()
            for _ in range(n // 5):
                await app(dict(request), receive, send)
            best = min(best, 1e6 * (time.process_time() - start) / (n // 5))
        return best

    async def run() -> dict[str, tuple[float, float]]:
        out = {"bare": (await per_answer(bare_app.app, scope("/", ""), count), 0.0)}
        for name, path, accept in routes:
            request = scope(path, accept)
            lean = await per_answer(service, request, count)
            full = (
                0.0
                if path.startswith("/lookup/")
                else await per_answer(service.app, request, count // 10)
            )
            out[name] = (lean, full)
        return out

    return asyncio.run(run())


def main() -> None:
    from bench.routes import ROUTES, SHIPPED_DB, ensure_shipped

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=SHIPPED_DB)
    parser.add_argument("--only", default="", help="comma-separated route names of bench.routes")
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--before", type=Path, help="also measure this checkout")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    routes = [r for r in ROUTES if not args.only or r[0] in args.only.split(",")]
    db = ensure_shipped(args.db) if args.db == SHIPPED_DB else args.db
    if args.json:  # one measurement, for a --before run in another process
        print(json.dumps(in_app(db, routes, args.count)))
        return
    codes = {"this": Path(__file__).resolve().parent.parent, "before": args.before}
    best: dict[str, dict[str, tuple[float, float]]] = {}
    for _ in range(args.rounds if args.before else 1):
        for name, code in codes.items():
            if code is None:
                continue
            # this file, run with `code` first on the path: its api, our way of measuring
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--json",
                "--db",
                str(db.resolve()),
                "--count",
                str(args.count),
            ]
            command += ["--only", ",".join(r[0] for r in routes)]  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(code.resolve())}
            out = subprocess.run(
                command, cwd=code, env=env, capture_output=True, text=True, check=True
            ).stdout
            found = json.loads(out.strip().splitlines()[-1])
            kept = best.setdefault(name, {})
            for route, (lean, full) in found.items():
                old = kept.get(route, (float("inf"), float("inf")))
                kept[route] = (min(old[0], lean), min(old[1], full or float("inf")))
    print(f"{'CPU per answer, in the app':28} {'service':>9} {'FastAPI alone':>14}"
          + (f" {'before':>9} {'FastAPI alone':>14}" if args.before else ""))  # fmt: skip
    for route, (lean, full) in best["this"].items():
        row = f"{route:28} {lean:6.2f} us {_us(full):>14}"
        if args.before:
            then, then_full = best["before"].get(route, (float("nan"), float("inf")))
            row += f" {then:6.2f} us {_us(then_full):>14}"
        print(row)
    print(
        f"reproduce: python -m bench.in_app --db {args.db} --count {args.count}"
        + (f" --only {args.only}" if args.only else "")
        + (f" --before {args.before} --rounds {args.rounds}" if args.before else "")
    )


def _us(value: float) -> str:
    return "" if value in (0.0, float("inf")) else f"{value:.1f} us"


if __name__ == "__main__":
    main()
