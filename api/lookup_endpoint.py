"""`GET /lookup/{text}` as a bare ASGI handler: the hottest route, kept lean.

An answer is rendered once per (release, text, representation) and kept as ready bytes
with its headers; later requests only negotiate, check `If-None-Match` and send. No framework
routing, validation or middleware runs on this path, so it serves at nearly the speed of
an ASGI app answering a constant (see `bench/`). Rendering on a cache miss runs in a
worker thread so a slow first answer never blocks the event loop.

Representations: text/plain (the default, for curl), application/json, and text/html,
which redirects a browser to the concept page (one sense) or the search page.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, quote

import anyio.to_thread
import orjson

from api.caching import AnswerCache, etag, etag_matches
from api.errors import STORE_DAMAGED
from api.headers import COMMON, CORS, Receive, Scope, Send
from api.negotiation import LOOKUP_OFFERS, LOOKUP_REPRESENTATIONS, choose, content_type
from api.rootpath import rooted, route_path
from api.state import Serving
from loaders import terminal, views
from vocab.errors import VocabError
from vocab.vocabulary import Vocabulary

log = logging.getLogger("vocab.api")

PREFIX = "/lookup/"
NOT_IN_304 = (b"content-type", b"content-length")
LOOKUP_CACHE = b"public, max-age=300"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    not_modified: list[tuple[bytes, bytes]] = field(default_factory=list)
    """The headers of its 304 (no content type or length), made once with the answer."""


def variant_of(query: bytes, accept: bytes) -> str:
    """The representation a lookup answers: `?format=`, else negotiated from Accept."""
    return _format_override(query) or _negotiated(accept)


@lru_cache(maxsize=256)
def _negotiated(accept: bytes) -> str:
    """Accept -> representation; clients send few distinct Accept headers, so it is kept."""
    return choose(accept, LOOKUP_OFFERS, "txt")


class LookupEndpoint:
    """Serve lookups from a bounded cache of rendered answers, keyed on the release."""

    def __init__(self, serving: Serving) -> None:
        self.serving = serving
        self.cache: AnswerCache[Answer] = AnswerCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        vocabulary = self.serving.vocabulary  # one release for the whole request
        text = route_path(scope)[len(PREFIX) :]
        query = scope["query_string"]
        accept = b""
        if_none_match = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"if-none-match":
                if_none_match = value
        key = (vocabulary.digest, text, query, variant_of(query, accept))
        answer = self.cache.get(key)
        if answer is None:
            try:
                answer = await anyio.to_thread.run_sync(self.render, vocabulary, text, key[3])
            except Exception as exc:  # never a bare 500: the envelope, with the usual headers
                answer = await self.failure(vocabulary, exc)
            else:
                self.cache.put(key, answer)
        if answer.status == 200 and etag_matches(if_none_match, answer.etag):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": list(answer.not_modified),
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": list(answer.headers),
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": b"" if scope["method"] == "HEAD" else answer.body,
            }
        )

    async def failure(self, vocabulary: Vocabulary, exc: Exception) -> Answer:
        """The answer to a lookup that failed unexpectedly (never cached): 503 when the store
        could not be read (readiness is re-checked), else 500; always the JSON envelope."""
        if isinstance(exc, sqlite3.DatabaseError):
            log.error("the store could not be read on a lookup: %s", exc)
            await anyio.to_thread.run_sync(self.serving.readiness.suspect, vocabulary)
            status, code, message = 503, "store_damaged", STORE_DAMAGED
        else:
            log.error("unexpected error on a lookup", exc_info=exc)
            status, code = 500, "internal_error"
            message = "Something went wrong on our side; it has been logged."
        body = orjson.dumps({"error": {"code": code, "message": message}})
        answer = _answer(vocabulary.digest[:12], status, "json", body)
        headers = [h for h in answer.headers if h[0] != b"cache-control"]
        headers.append((b"cache-control", b"no-store"))
        return Answer(status, headers, body, answer.etag)  # never 304: not a 200

    def render(self, vocabulary: Vocabulary, text: str, variant: str) -> Answer:
        """Return the complete answer for one lookup in one representation."""
        tag = vocabulary.digest[:12]
        try:
            result = vocabulary.lookup(text)
        except VocabError as exc:
            body = orjson.dumps({"error": {"code": exc.code, "message": exc.message}})
            return _answer(tag, 422, "json", body)
        if variant == "html":
            if len(result.hits) == 1:
                location = rooted(f"/terms/{quote(result.hits[0].row.id)}")
            else:
                location = rooted(f"/search?q={quote(result.query)}")
            return _answer(tag, 303, "txt", b"", [(b"location", location.encode())])
        if not result.hits:
            suggestions = vocabulary.suggestions(text)
            if variant == "json":
                body = orjson.dumps(
                    {
                        "error": {
                            "code": "not_found",
                            "message": f"No term matches '{result.query}'."
                            + ("" if suggestions else " " + terminal.NO_CLOSE_TERM),
                        },
                        "query": result.query,
                        "suggestions": [views.hit_json(h) for h in suggestions],
                    }
                )
            else:
                body = terminal.not_found_text(
                    result.query, suggestions, f"{self.serving.base}/search"
                ).encode()
            return _answer(tag, 404, variant, body)
        if variant == "json":
            return _answer(tag, 200, "json", orjson.dumps(views.lookup_json(vocabulary, result)))
        return _answer(tag, 200, "txt", terminal.lookup_text(vocabulary, result).encode())


def _answer(
    release: str,
    status: int,
    variant: str,
    body: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> Answer:
    tag = etag(release, f"{zlib.crc32(body):08x}", variant).encode()
    headers = [
        (b"content-type", content_type(LOOKUP_REPRESENTATIONS[variant]).encode()),
        (b"content-length", str(len(body)).encode()),  # one write, not chunks
        (b"vary", b"Accept"),
        (b"cache-control", LOOKUP_CACHE),
        (b"etag", tag),
        *COMMON,
        *CORS,
        *(extra or []),
    ]
    return Answer(status, headers, body, tag, [h for h in headers if h[0] not in NOT_IN_304])


def _format_override(query: bytes) -> str | None:
    if not query:
        return None
    requested = parse_qs(query.decode("latin-1")).get("format", [None])[0]
    return requested if requested in LOOKUP_REPRESENTATIONS else None
