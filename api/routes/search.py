"""`GET /search` (ranked results) and `GET /suggest` (completion for search-as-you-type)."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import Community, Limit, QueryText, VocabularyDep
from api.headers import SEARCH_CACHE
from api.negotiation import SEARCH_OFFERS, SEARCH_REPRESENTATIONS, choose, content_type
from api.representations import search_results_view
from api.templating import render
from vocab import text as text_out
from vocab.model import COMMUNITIES
from vocab.views import search_json

router = APIRouter(tags=["search"])

SearchFormat = Annotated[
    str | None,
    Query(pattern="^(json|html|txt)$", description="Override Accept: json, html or txt."),
]


@router.get("/search", summary="Ranked search over every label")
async def search(
    request: Request,
    vocabulary: VocabularyDep,
    q: QueryText,
    limit: Limit = 10,
    community: Annotated[
        Community | None, Query(description="Only labels this community uses.")
    ] = None,
    collection: Annotated[
        str | None, Query(max_length=100, description="Only concepts in this collection (id).")
    ] = None,
    lang: Annotated[
        str | None, Query(max_length=20, pattern=r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
    ] = None,
    include_deprecated: bool = False,
    format: SearchFormat = None,
) -> Response:
    """Results best first: exact > acronym > synonym > prefix > fuzzy; each says how it matched."""
    hits = vocabulary.search(
        q,
        limit=limit,
        community=community,
        collection=collection,
        lang=lang,
        include_deprecated=include_deprecated,
    )
    fmt = format or choose(
        request.headers.get("accept", "").encode("latin-1"), SEARCH_OFFERS, "json"
    )
    if fmt == "html":
        body = render(
            request.app.state.templates,
            "search.html",
            query=q,
            hits=hits,
            results=search_results_view(vocabulary, hits),
            community=community,
            collection=collection,
            communities=COMMUNITIES,
            limit=limit,
            scheme=vocabulary.scheme,
            title=f"Search: {q}",
        ).encode()
    elif fmt == "txt":
        body = text_out.search_text(q, hits).encode()
    else:
        body = orjson.dumps(search_json(q, hits))
    return Response(
        body,
        media_type=content_type(SEARCH_REPRESENTATIONS[fmt]),
        headers={"Cache-Control": SEARCH_CACHE, "Vary": "Accept"},
    )


@router.get("/suggest", summary="Completions for search-as-you-type")
async def suggest(
    vocabulary: VocabularyDep, q: QueryText, limit: Annotated[int, Query(ge=1, le=20)] = 8
) -> Response:
    """The best few concepts for a partial or misspelt query, with the label that matched."""
    hits = vocabulary.search(q, limit=limit)
    body = orjson.dumps(
        {
            "query": q,
            "suggestions": [
                {
                    "label": h.matched,
                    "prefLabel": h.row.pref_label,
                    "id": h.row.id,
                    "uri": h.row.uri,
                    "match_type": h.match_type,
                    "kind": h.row.kind.value,
                    "usage": []
                    if h.row.kind.value == "hidden"
                    else [u for u in h.row.usage.split(",") if u],
                }
                for h in hits
            ],
        }
    )
    return Response(body, media_type="application/json", headers={"Cache-Control": SEARCH_CACHE})
