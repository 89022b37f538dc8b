"""The baseline for HTTP throughput: a bare ASGI app answering a constant.

    python -m uvicorn bench.bare_app:app --loop uvloop --http httptools

It sends the same headers as a lookup answer would, so the comparison measures our
routing and rendering, not header bytes.
"""

from __future__ import annotations

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
START = {"type": "http.response.start", "status": 200, "headers": HEADERS}
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
