"""`EditorialGuard`: every answer under /editorial is private and every body small.

A pure ASGI middleware: it refuses a body over `MAX_BODY_BYTES` (a declared length at
once, a chunked one as soon as it passes the limit) with 413, and marks answers
`Cache-Control: no-store` (they depend on who asks), unless a route set its own.
"""

from __future__ import annotations

import orjson
from starlette.exceptions import HTTPException

from api.headers import ASGIApp, Message, Receive, Scope, Send
from api.rootpath import route_path

PREFIX = "/editorial"
MAX_BODY_BYTES = 256 * 1024


class EditorialGuard:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not route_path(scope).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"The body passes the limit of {self.limit:,} bytes.")
            return message

        async def private(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, limited, private)


async def _too_large(send: Send, limit: int) -> None:
    body = orjson.dumps(
        {"error": {"code": "too_large", "message": f"The body is over {limit:,} bytes."}}
    )
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
