"""`GET /search` (ranked results) and `GET /suggest` (completion for search-as-you-type)."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import Community, Limit, QueryText, VocabularyDep
from api.headers import SEARCH_CACHE
from api.limits import search_hook
from api.negotiation import SEARCH_OFFERS, SEARCH_REPRESENTATIONS
from api.representations import render_search
from api.respond import choose_format, represent, serving
from loaders.views import suggest_json

router = APIRouter(tags=["search"])

SearchFormat = Annotated[
    str | None,
    Query(pattern="^(json|html|txt)$", description="Override Accept: json, html or txt."),
]
Collection = Annotated[
    str | None, Query(max_length=100, description="Only concepts in this collection (id).")
]
Lang = Annotated[str | None, Query(max_length=20, pattern=r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")]
UsedBy = Annotated[Community | None, Query(description="Only labels this community uses.")]


@router.get("/search", summary="Ranked search over labels, definitions and meaning")
async def search(
    request: Request,
    vocabulary: VocabularyDep,
    q: QueryText,
    limit: Limit = 10,
    community: UsedBy = None,
    collection: Collection = None,
    lang: Lang = None,
    include_deprecated: bool = False,
    format: SearchFormat = None,
) -> Response:
    """Results best first, each saying how it matched (`match_type`): `exact` (the preferred
    label), `acronym`, `synonym` (an alternative label or a recorded misspelling), `prefix`
    (a label starting with the text), `fuzzy` (a close spelling or word form), `definition`
    (found through its definitions, scope notes or examples) or `semantic` (close in meaning,
    by concept vectors). Exact and acronym matches come first; when no label answers
    confidently, definition and semantic matches are fused with the label ones by rank."""
    filters = {"community": community, "collection": collection, "lang": lang}
    on_stage = search_hook(request.scope)
    fmt = choose_format(request, SEARCH_OFFERS, "json", format)
    templates = serving(request).templates

    def answer() -> Response:  # search and rendering: off the event loop
        hits = vocabulary.search(
            q, limit=limit, include_deprecated=include_deprecated, on_stage=on_stage, **filters
        )
        return represent(
            request,
            vocabulary,
            key=("search", q, str(limit), *map(str, filters.values()), str(include_deprecated)),
            variant=fmt,
            media_type=SEARCH_REPRESENTATIONS[fmt],
            render=lambda: render_search(
                fmt,
                vocabulary,
                q,
                hits,
                templates=templates,
                community=community,
                collection=collection,
                limit=limit,
            ),
            cache_control=SEARCH_CACHE,
        )

    return await serving(request).offload.run(answer)


@router.get("/suggest", summary="Completions for search-as-you-type")
async def suggest(
    request: Request,
    vocabulary: VocabularyDep,
    q: QueryText,
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> Response:
    """The best few concepts for a partial or misspelt query, with the label that matched."""

    on_stage = search_hook(request.scope)

    def answer() -> Response:  # off the event loop
        hits = vocabulary.search(q, limit=limit, on_stage=on_stage)
        return represent(
            request,
            vocabulary,
            key=("suggest", q, str(limit)),
            variant="json",
            media_type="application/json",
            render=lambda: orjson.dumps(suggest_json(q, hits)),
            cache_control=SEARCH_CACHE,
        )

    return await serving(request).offload.run(answer)
