"""The baseline for HTTP throughput: a bare ASGI app answering a constant.

    python -m uvicorn bench.bare_app:app --loop uvloop --http httptools

It sends the same headers as a lookup answer would, so the comparison measures our
routing and rendering, not header bytes. With `BENCH_BARE_ANSWER` set to a JSON file
(`{"status": 200, "headers": [[name, value], ...], "body": "..."}`, latin-1 strings, as
`bench.editorial` records from the route it measures) it answers those exact bytes
instead, so the floor also pays for the answer's size.
"""

from __future__ import annotations

import json
import os
from typing import Any

BODY = b"MHRA \xe2\x80\x94 Medicines and Healthcare products Regulatory Agency\n"
HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"vary", b"Accept"),
    (b"cache-control", b"public, max-age=300"),
    (b"etag", b'"0123456789ab-00000000-txt"'),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"ETag, Link, Content-Location, Content-Disposition"),
]
STATUS = 200


def _recorded(path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    with open(path, encoding="utf-8") as file:
        answer = json.load(file)
    headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in answer["headers"]]
    return int(answer["status"]), headers, answer["body"].encode("latin-1")


if os.environ.get("BENCH_BARE_ANSWER"):
    STATUS, HEADERS, BODY = _recorded(os.environ["BENCH_BARE_ANSWER"])
START = {"type": "http.response.start", "status": STATUS, "headers": HEADERS}
MESSAGE = {"type": "http.response.body", "body": BODY}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            event = (await receive())["type"]
            await send({"type": event + ".complete"})
            if event == "lifespan.shutdown":
                return
    await send(START)
    await send(MESSAGE)
