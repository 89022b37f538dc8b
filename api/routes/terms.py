"""Concept URIs: `GET /terms/{id}` with content negotiation, caching and deprecation."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import RedirectResponse, Response

from api.deps import BaseDep, VocabularyDep
from api.headers import TERM_CACHE
from api.negotiation import TERM_OFFERS, TERM_REPRESENTATIONS, choose, content_type
from api.representations import render_concept
from vocab.errors import NotFound, UnsupportedFormat
from vocab.model import Status

router = APIRouter(tags=["concepts"])

FORMAT_HELP = "Override Accept: " + ", ".join(TERM_REPRESENTATIONS)


@router.get(
    "/terms/{concept_id}",
    summary="A concept, in the representation the client asks for",
    responses={
        200: {
            "description": "The concept",
            "content": {m: {} for m in TERM_REPRESENTATIONS.values()},
        },
        301: {"description": "The concept moved to a new id (merged)"},
        304: {"description": "Not modified (If-None-Match)"},
        404: {"description": "No concept has this id"},
        410: {"description": "The concept was withdrawn with no successor"},
    },
)
async def term(
    concept_id: str,
    request: Request,
    vocabulary: VocabularyDep,
    base: BaseDep,
    format: Annotated[str | None, Query(description=FORMAT_HELP)] = None,
    if_none_match: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Return the concept as HTML, JSON, JSON-LD, Turtle, RDF/XML, N-Triples or plain text."""
    concept_id, from_extension = _split_extension(concept_id, vocabulary)
    record = vocabulary.record(concept_id)
    fmt = (
        format
        or from_extension
        or choose(request.headers.get("accept", "").encode("latin-1"), TERM_OFFERS, "txt")
    )
    if fmt not in TERM_REPRESENTATIONS:
        raise UnsupportedFormat(
            f"Unknown format '{fmt[:20]}'; use one of: {', '.join(TERM_REPRESENTATIONS)}."
        )
    concept = record.concept
    if concept.status is Status.MERGED and concept.replaced_by:
        target = vocabulary.refs(concept.replaced_by).get(concept.replaced_by[0])
        location = f"/terms/{target.id}" if target else concept.replaced_by[0]
        if format:
            location += f"?format={format}"
        return RedirectResponse(location, status_code=301, headers={"Cache-Control": TERM_CACHE})
    etag = f'"{vocabulary.digest[:8]}{record.etag}-{fmt}"'
    headers = {
        "ETag": etag,
        "Vary": "Accept",
        "Cache-Control": TERM_CACHE,
        "Content-Location": f"{base}/terms/{concept.id}.{fmt}",
        "Link": f'<{concept.uri}>; rel="canonical"',
    }
    modified = _http_date(concept.modified or vocabulary.scheme.modified)
    if modified:
        headers["Last-Modified"] = modified
    if if_none_match and _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    body, media = render_concept(
        vocabulary, record, fmt, templates=request.app.state.templates, base=base
    )
    status = 410 if concept.status is Status.WITHDRAWN else 200
    return Response(body, status_code=status, media_type=content_type(media), headers=headers)


def _split_extension(concept_id: str, vocabulary: VocabularyDep) -> tuple[str, str | None]:
    """Read `/terms/t0001.ttl` as id t0001 in Turtle, unless an id really ends that way."""
    stem, dot, ext = concept_id.rpartition(".")
    if dot and ext in TERM_REPRESENTATIONS:
        try:
            vocabulary.record(concept_id)
        except NotFound:
            return stem, ext
    return concept_id, None


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored; `*` matches anything."""
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return "*" in candidates or etag in candidates


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment.astimezone(UTC), usegmt=True)
