"""`GET /lookup/{text}` as a bare ASGI handler: the hottest route, kept lean.

An answer is rendered once per (text, representation) and kept as ready bytes with its
headers; later requests only negotiate, check `If-None-Match` and send. No framework
routing, validation or middleware runs on this path, so it serves at nearly the speed of
an ASGI app answering a constant (see `bench/`). Rendering on a cache miss runs in a
worker thread so a slow first answer never blocks the event loop.

Representations: text/plain (the default, for curl), application/json, and text/html,
which redirects a browser to the concept page (one sense) or the search page.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qs, quote

import anyio.to_thread
import orjson

from api.headers import COMMON, CORS, ASGIApp, Receive, Scope, Send
from api.negotiation import LOOKUP_OFFERS, LOOKUP_REPRESENTATIONS, choose, content_type
from vocab import text as text_out
from vocab import views
from vocab.errors import VocabError
from vocab.vocabulary import Vocabulary

PREFIX = "/lookup/"
CACHE_SIZE = 20_000
LOOKUP_CACHE = b"public, max-age=300"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class LookupEndpoint:
    """Serve lookups from a bounded cache of rendered answers."""

    def __init__(self, vocabulary: Vocabulary, base: str) -> None:
        self.vocabulary = vocabulary
        self.base = base.rstrip("/")
        self.cache: OrderedDict[tuple[str, bytes, str], Answer] = OrderedDict()
        self.tag = vocabulary.digest[:12]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        text = scope["path"][len(PREFIX) :]
        query = scope["query_string"]
        accept = b""
        if_none_match = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"if-none-match":
                if_none_match = value
        variant = _format_override(query) or choose(accept, LOOKUP_OFFERS, "txt")
        key = (text, query, variant)
        answer = self.cache.get(key)
        if answer is None:
            answer = await anyio.to_thread.run_sync(self.render, text, variant)
            self.cache[key] = answer
            if len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        if if_none_match and answer.status == 200 and answer.etag in if_none_match:
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [h for h in answer.headers if h[0] != b"content-type"],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": answer.status, "headers": answer.headers}
        )
        await send(
            {
                "type": "http.response.body",
                "body": b"" if scope["method"] == "HEAD" else answer.body,
            }
        )

    def render(self, text: str, variant: str) -> Answer:
        """Return the complete answer for one lookup in one representation."""
        try:
            result = self.vocabulary.lookup(text)
        except VocabError as exc:
            return self._answer(
                422, "json", orjson.dumps({"error": {"code": exc.code, "message": exc.message}})
            )
        if variant == "html":
            if len(result.hits) == 1:
                location = f"/terms/{quote(result.hits[0].row.id)}"
            else:
                location = f"/search?q={quote(result.query)}"
            return self._answer(303, "txt", b"", [(b"location", location.encode())])
        if not result.hits:
            suggestions = self.vocabulary.suggestions(text)
            if variant == "json":
                body = orjson.dumps(
                    {
                        "error": {
                            "code": "not_found",
                            "message": f"No term matches '{result.query}'.",
                        },
                        "query": result.query,
                        "suggestions": [views.hit_json(h) for h in suggestions],
                    }
                )
            else:
                body = text_out.not_found_text(
                    result.query, suggestions, f"{self.base}/search"
                ).encode()
            return self._answer(404, variant, body)
        if variant == "json":
            return self._answer(
                200, "json", orjson.dumps(views.lookup_json(self.vocabulary, result))
            )
        return self._answer(200, "txt", text_out.lookup_text(self.vocabulary, result).encode())

    def _answer(
        self, status: int, variant: str, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
    ) -> Answer:
        etag = f'"{self.tag}-{zlib.crc32(body):08x}-{variant}"'.encode()
        headers = [
            (b"content-type", content_type(LOOKUP_REPRESENTATIONS[variant]).encode()),
            (b"vary", b"Accept"),
            (b"cache-control", LOOKUP_CACHE),
            (b"etag", etag),
            *COMMON,
            *CORS,
            *(extra or []),
        ]
        return Answer(status, headers, body, etag)


def _format_override(query: bytes) -> str | None:
    if not query:
        return None
    requested = parse_qs(query.decode("latin-1")).get("format", [None])[0]
    return requested if requested in LOOKUP_REPRESENTATIONS else None


class FastPaths:
    """Send `/lookup/...` to the lean handler and everything else to the full app."""

    def __init__(self, app: ASGIApp, lookup: LookupEndpoint) -> None:
        self.app = app
        self.lookup = lookup

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"].startswith(PREFIX)
            and len(scope["path"]) > len(PREFIX)
        ):
            await self.lookup(scope, receive, send)
        else:
            await self.app(scope, receive, send)
