"""`POST /align` (a vendor's term list against the vocabulary) and `GET /translate`."""

from __future__ import annotations

import hashlib
from typing import Annotated

import anyio.to_thread
import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import BaseDep, Community, ServingDep, VocabularyDep
from api.negotiation import content_type
from api.respond import choose_format
from loaders.alignment_out import ALIGNMENT_FORMATS
from loaders.term_list import MAX_BYTES, kind_of_media_type, read_term_list
from loaders.terminal import translation_text
from loaders.views import translation_json
from vocab.errors import TooLarge
from vocab.normalize import MAX_QUERY_LENGTH

router = APIRouter(tags=["alignment"])

ALIGN_OFFERS = tuple((f.name, f.media_type) for f in ALIGNMENT_FORMATS.values())
ALIGN_MEDIA = dict(ALIGN_OFFERS)
AlignFormat = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join(ALIGNMENT_FORMATS) + ")$",
        description=", ".join(ALIGNMENT_FORMATS) + "; overrides Accept.",
    ),
]
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
    serving: ServingDep,
    base: BaseDep,
    format: AlignFormat = None,
    community: Annotated[
        Community | None, Query(description="Whose words the terms are; resolves false friends.")
    ] = "industry",
    limit: Annotated[int, Query(ge=1, le=10, description="Candidates per term.")] = 3,
) -> Response:
    """For each term: candidate concepts with a SKOS predicate, a confidence, the matched label
    and its communities, and the reason; unmapped and ambiguous terms are reported as such."""
    kind = kind_of_media_type(request.headers.get("content-type"))
    body = await read_body(request)
    terms = await anyio.to_thread.run_sync(read_term_list, body, kind)  # 10,000 lines: off the loop
    fmt = choose_format(request, ALIGN_OFFERS, "json", format)
    digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()[:12]
    body = await serving.workers.align(
        vocabulary,
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


TRANSLATE_OFFERS = (("json", "application/json"), ("txt", "text/plain"))


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
    fmt = choose_format(request, TRANSLATE_OFFERS, "json", format)
    if fmt == "txt":
        return Response(translation_text(translation), media_type="text/plain; charset=utf-8")
    return Response(
        orjson.dumps(translation_json(translation, source)),
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=300"},
    )
