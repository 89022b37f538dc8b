"""Response headers in one place: security, CORS for public reads, caching.

`SecurityHeaders` is a pure ASGI middleware (no per-request object allocation beyond a
header list) that adds to every response:

- `X-Content-Type-Options: nosniff` and a referrer policy;
- on HTML: a strict Content-Security-Policy (scripts and styles only from this origin)
  and `frame-ancestors 'none'`, except on routes listed in `FRAMEABLE` (the embed snippet)
  and on a page that sets its own policy (`/docs`, `/redoc`);
- on GET/HEAD/OPTIONS: `Access-Control-Allow-Origin: *` without credentials, and the
  exposed headers a widget needs (ETag, Link, Content-Location). Preflight requests for
  public reads are answered here.

It also answers HEAD for every GET route (FastAPI routes do not): the request runs as a
GET and the body is dropped, so the headers are exactly those of the GET.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.rootpath import route_path

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
FRAMEABLE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *; "
    "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)
"""The embed snippet: no script can run (no script-src, and a sandbox), but anyone may frame it."""
FRAMEABLE: tuple[str, ...] = ("/embed/",)

COMMON: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
CORS: list[tuple[bytes, bytes]] = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"ETag, Link, Content-Location, Content-Disposition"),
]
PUBLIC_METHODS = {"GET", "HEAD", "OPTIONS"}
CORS_POST_PATHS: tuple[str, ...] = ("/align", "/annotate")
PRIVATE_PATHS: tuple[str, ...] = ("/editorial",)
"""Answers that depend on who asks: never shared across origins (no CORS at all, E14)."""

TERM_CACHE = "public, max-age=3600"
SEARCH_CACHE = "public, max-age=60"
EXPORT_CACHE = "public, max-age=3600"


def cors_applies(method: str, path: str) -> bool:
    if path.startswith(PRIVATE_PATHS):
        return False
    return method in PUBLIC_METHODS or (method == "POST" and path.startswith(CORS_POST_PATHS))


class SecurityHeaders:
    """Add the security and CORS headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], route_path(scope)
        headers = dict(scope["headers"])
        if method == "OPTIONS" and b"access-control-request-method" in headers:
            await preflight(send, headers[b"access-control-request-method"].decode("latin-1"), path)
            return
        extra = COMMON + (CORS if cors_applies(method, path) else [])
        frameable = path.startswith(FRAMEABLE)
        head = method == "HEAD"
        original = scope
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", [])) + extra
                content_type = next((v for k, v in out if k == b"content-type"), b"")
                own_policy = any(k == b"content-security-policy" for k, _ in out)
                if content_type.startswith(b"text/html") and not own_policy:
                    out.append(
                        (b"content-security-policy", (FRAMEABLE_CSP if frameable else CSP).encode())
                    )
                    if not frameable:
                        out.append((b"x-frame-options", b"DENY"))
                message["headers"] = out
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if head and "route" in scope:  # the route that answered, for the metrics (api.observe)
            original["route"] = scope["route"]


async def preflight(send: Send, requested: str, path: str) -> None:
    """Answer a CORS preflight: allowed for public reads (and POST /align, /annotate), refused otherwise."""
    allowed = cors_applies(requested.upper(), path)
    headers = list(COMMON)
    if allowed:
        headers += [
            *CORS,
            (
                b"access-control-allow-methods",
                b"GET, HEAD, OPTIONS, POST"
                if requested.upper() == "POST"
                else b"GET, HEAD, OPTIONS",
            ),
            (b"access-control-allow-headers", b"Accept, Content-Type, If-None-Match"),
            (b"access-control-max-age", b"86400"),
        ]
    await send(
        {"type": "http.response.start", "status": 204 if allowed else 403, "headers": headers}
    )
    await send({"type": "http.response.body", "body": b""})
