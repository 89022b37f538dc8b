"""CPU per answer inside the ASGI app, without a server or network (`bench.routes` prints it).

Deterministic where req/s are not (a shared machine): the service, and FastAPI alone
(`Service.app`) for the same request, against the bare app of `bench.bare_app`.
"""

from __future__ import annotations

import asyncio
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
        start = time.process_time()
        for _ in range(n):
            await app(dict(request), receive, send)
        return 1e6 * (time.process_time() - start) / n

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
