"""`GET /search` and `GET /suggest` without FastAPI, for the plain requests.

A search as you type or with a typo is rarely asked twice, so `api.replay` cannot help it:
this handler answers it first time, with the answer FastAPI's route gives (same ETag,
headers, body; `tests/api/test_lean.py` compares them). It takes only the plain request:
`q`, `limit` and (search) `format`, each valid; anything else (another filter, a value to
reject with a 422, a repeated parameter) returns None and FastAPI answers. The search and
the rendering run in a worker thread (`api.offload`), so the event loop never waits on
them.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import orjson

from api.caching import etag, etag_matches
from api.headers import COMMON, CORS, CSP, SEARCH_CACHE, Scope
from api.limits import Refused, envelope, refusal_headers, search_hook
from api.negotiation import SEARCH_OFFERS, SEARCH_REPRESENTATIONS, choose, content_type
from api.offload import Offload
from api.replay import Recorded
from api.representations import render_search
from api.state import Serving
from loaders.views import suggest_json
from vocab.normalize import MAX_QUERY_LENGTH
from vocab.vocabulary import Vocabulary

SEARCH_PARAMETERS = frozenset(
    {"q", "limit", "community", "collection", "lang", "include_deprecated", "format"}
)
SUGGEST_PARAMETERS = frozenset({"q", "limit"})
PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,2}")
NOT_IN_304 = frozenset(
    {b"content-type", b"content-length", b"content-security-policy", b"x-frame-options"}
)


def plain_query(query: bytes, known: frozenset[str], lean: frozenset[str]) -> dict[str, str] | None:
    """Return the parameters FastAPI would read, or None unless only `lean` ones, once each.

    Parsed as Starlette parses them; names the route does not know are ignored, as FastAPI does.
    """
    found: dict[str, str] = {}
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if name not in known:
            continue
        if name not in lean or name in found:
            return None
        found[name] = value
    return found


def plain_limit(value: str | None, default: int, most: int) -> int | None:
    """Return the limit for a plain decimal within 1..`most`, else None (FastAPI decides)."""
    if value is None:
        return default
    if not PLAIN_NUMBER.fullmatch(value) or int(value) > most:
        return None
    return int(value)


def answer(
    vocabulary: Vocabulary,
    key: tuple[str, ...],
    variant: str,
    media_type: str,
    body: bytes,
    if_none_match: bytes | None,
) -> Recorded:
    """Return what `api.respond.represent` and SecurityHeaders give for a 200 (or its 304)."""
    tag = etag(vocabulary.digest[:12], *key, variant).encode()
    mime = content_type(media_type)
    headers = [
        (b"etag", tag),
        (b"vary", b"Accept"),
        (b"cache-control", SEARCH_CACHE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"content-type", mime.encode()),
        *COMMON,
        *CORS,
    ]
    if mime.startswith("text/html"):
        headers += [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY")]
    if etag_matches(if_none_match, tag):
        return Recorded(304, [h for h in headers if h[0] not in NOT_IN_304], b"")
    return Recorded(200, headers, body)


class LeanSearch:
    """The lean handlers of /search and /suggest (see `api.replay.LeanHandler`)."""

    def __init__(self, serving: Serving, offload: Offload) -> None:
        self.serving = serving
        self.offload = offload

    async def search(self, scope: Scope, if_none_match: bytes | None) -> Recorded | None:
        params = plain_query(
            scope["query_string"], SEARCH_PARAMETERS, frozenset({"q", "limit", "format"})
        )
        if params is None:
            return None
        q = params.get("q", "")
        limit = plain_limit(params.get("limit"), 10, 100)
        fmt = params.get("format")
        if (
            not 1 <= len(q) <= MAX_QUERY_LENGTH
            or limit is None
            or fmt not in (None, *SEARCH_REPRESENTATIONS)
        ):
            return None
        if fmt is None:
            accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
            fmt = choose(accept, SEARCH_OFFERS, "json")
        vocabulary = self.serving.vocabulary
        templates = self.serving.templates
        on_stage = search_hook(scope)  # rate limits and metrics, as the FastAPI route

        def run() -> Recorded | None:
            try:
                hits = vocabulary.search(q, limit=limit, on_stage=on_stage)
            except Refused as refusal:  # the search bucket is empty: 429, as the route does
                return refused(scope, refusal)
            except Exception:  # bad input, a damaged store: FastAPI's route answers it
                return None
            key = ("search", q, str(limit), "None", "None", "None", "False")
            body = self.serving.answers.get_or_make(
                (vocabulary.digest, *key, fmt),
                lambda: render_search(
                    fmt,
                    vocabulary,
                    q,
                    hits,
                    templates=templates,
                    community=None,
                    collection=None,
                    limit=limit,
                ),
            )
            return answer(vocabulary, key, fmt, SEARCH_REPRESENTATIONS[fmt], body, if_none_match)

        return await self.offload.run(run)

    async def suggest(self, scope: Scope, if_none_match: bytes | None) -> Recorded | None:
        params = plain_query(scope["query_string"], SUGGEST_PARAMETERS, SUGGEST_PARAMETERS)
        if params is None:
            return None
        q = params.get("q", "")
        limit = plain_limit(params.get("limit"), 8, 20)
        if not 1 <= len(q) <= MAX_QUERY_LENGTH or limit is None:
            return None
        vocabulary = self.serving.vocabulary
        on_stage = search_hook(scope)

        def run() -> Recorded | None:
            try:
                hits = vocabulary.search(q, limit=limit, on_stage=on_stage)
            except Refused as refusal:  # the search bucket is empty: 429, as the route does
                return refused(scope, refusal)
            except Exception:  # bad input, a damaged store: FastAPI's route answers it
                return None
            key = ("suggest", q, str(limit))
            body = self.serving.answers.get_or_make(
                (vocabulary.digest, *key, "json"), lambda: orjson.dumps(suggest_json(q, hits))
            )
            return answer(vocabulary, key, "json", "application/json", body, if_none_match)

        return await self.offload.run(run)


def refused(scope: Scope, refusal: Refused) -> Recorded:
    """The 429 of a search refused for load: what `api.limits.refuse` sends at the edge."""
    body = envelope(refusal)
    return Recorded(429, refusal_headers(scope, body, refusal), body)
