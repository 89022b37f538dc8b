"""Concept URIs: `GET /terms/{id}` with content negotiation, caching and deprecation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from api.deps import BaseDep, VocabularyDep
from api.headers import TERM_CACHE
from api.negotiation import TERM_OFFERS, TERM_REPRESENTATIONS
from api.release_views import term_release_context
from api.representations import concept_headers, moved_location, render_concept, split_extension
from api.respond import choose_format, represent, serving
from vocab.vocabulary import Vocabulary

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
) -> Response:
    """Return the concept as HTML, JSON, JSON-LD, Turtle, RDF/XML, N-Triples or plain text."""
    return await serving(request).offload.run(
        lambda: answer_term(concept_id, request, vocabulary, base, format)
    )


def answer_term(
    concept_id: str, request: Request, vocabulary: Vocabulary, base: str, format: str | None
) -> Response:
    """The answer of `term` (store reads and rendering: run off the event loop)."""
    concept_id, extension = split_extension(vocabulary, concept_id)
    resolution = vocabulary.resolve(concept_id)
    fmt = choose_format(request, TERM_OFFERS, "txt", format or extension)
    if resolution.moved_to_uri:
        location = moved_location(resolution, format)
        return RedirectResponse(location, status_code=301, headers={"Cache-Control": TERM_CACHE})
    record = resolution.record
    releases = term_release_context(request, record.concept.id, vocabulary.scheme.version_iri)
    return represent(
        request,
        vocabulary,
        key=("term", record.concept.id, releases["latest"]),
        variant=fmt,
        media_type=TERM_REPRESENTATIONS[fmt],
        render=lambda: render_concept(
            vocabulary, record, fmt, serving(request).templates, base, extra=releases
        ),
        cache_control=TERM_CACHE,
        status=410 if resolution.gone else 200,
        headers=concept_headers(vocabulary, record, fmt, base),
    )
