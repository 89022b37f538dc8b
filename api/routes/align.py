"""`POST /align` (a vendor's term list against the vocabulary) and `GET /translate`."""

from __future__ import annotations

import hashlib
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import BaseDep, Community, VocabularyDep
from api.negotiation import choose, content_type
from loaders.term_list import MAX_BYTES, kind_of_media_type, read_term_list
from vocab.errors import TooLarge
from vocab.normalize import MAX_QUERY_LENGTH
from vocab.text import translation_text
from vocab.views import translation_json

router = APIRouter(tags=["alignment"])

ALIGN_OFFERS = (
    ("json", "application/json"),
    ("sssom", "text/tab-separated-values"),
    ("csv", "text/csv"),
)
ALIGN_MEDIA = dict(ALIGN_OFFERS)
ALIGN_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "terms": {"type": "array", "items": {"type": "string"}, "maxItems": 10000}
                },
            }
        },
        "text/plain": {"schema": {"type": "string", "description": "One term a line."}},
        "text/csv": {
            "schema": {"type": "string", "description": "A 'term' column, or the first column."}
        },
    },
}


async def read_body(request: Request, limit: int = MAX_BYTES) -> bytes:
    """Return the request body, refusing it as soon as it passes `limit` bytes (chunked too)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(
            f"The body is {int(declared):,} bytes; the limit is {limit:,}. Split the term list."
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"The body passes the limit of {limit:,} bytes. Split the term list.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/align",
    summary="Align a term list with the vocabulary",
    openapi_extra={"requestBody": ALIGN_BODY},
    responses={200: {"content": {m: {} for m in ALIGN_MEDIA.values()}}, 413: {}, 415: {}, 422: {}},
)
async def align(
    request: Request,
    vocabulary: VocabularyDep,
    base: BaseDep,
    format: Annotated[
        str | None,
        Query(pattern="^(json|sssom|csv)$", description="json, sssom or csv; overrides Accept."),
    ] = None,
    community: Annotated[
        Community | None, Query(description="Whose words the terms are; resolves false friends.")
    ] = "industry",
    limit: Annotated[int, Query(ge=1, le=10, description="Candidates per term.")] = 3,
) -> Response:
    """For each term: candidate concepts with a SKOS predicate, a confidence, the matched label
    and its communities, and the reason; unmapped and ambiguous terms are reported as such."""
    kind = kind_of_media_type(request.headers.get("content-type"))
    terms = read_term_list(await read_body(request), kind)
    fmt = format or choose(
        request.headers.get("accept", "").encode("latin-1"), ALIGN_OFFERS, "json"
    )
    digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()[:12]
    body = await request.app.state.align_workers.align(
        terms,
        community=community,
        limit=limit,
        fmt=fmt,
        base=base,
        set_id=f"{base}/align#{vocabulary.digest[:8]}-{digest}",
    )
    return Response(
        body, media_type=content_type(ALIGN_MEDIA[fmt]), headers={"Cache-Control": "no-store"}
    )


@router.get("/translate", summary="What another community calls a term")
def translate(
    request: Request,
    vocabulary: VocabularyDep,
    term: Annotated[
        str, Query(min_length=1, max_length=MAX_QUERY_LENGTH, description="The term to translate.")
    ],
    to: Annotated[Community, Query(description="The community whose words you want.")],
    source: Annotated[
        Community | None,
        Query(alias="from", description="The community the term comes from, if known."),
    ] = None,
    format: Annotated[str | None, Query(pattern="^(json|txt)$")] = None,
) -> Response:
    """The label(s) community `to` uses for the concept `term` names, with FHIR $translate
    relationships and a warning when `term` means different things in different communities."""
    translation = vocabulary.translate(term, to, source_community=source)
    fmt = format or choose(
        request.headers.get("accept", "").encode("latin-1"),
        (("json", "application/json"), ("txt", "text/plain")),
        "json",
    )
    if fmt == "txt":
        return Response(translation_text(translation), media_type="text/plain; charset=utf-8")
    return Response(
        orjson.dumps(translation_json(translation, source)),
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=300"},
    )
