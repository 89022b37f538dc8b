"""Definitions in other people's pages: the embed snippet, oEmbed, and tooltip data.

- `GET /embed/{id}`: a self-contained, script-free HTML document of one definition, the
  only route that may be framed (see `api.headers.FRAMEABLE`);
- `GET /oembed?url=...`: the oEmbed 1.0 answer (type `rich`) for a concept URI, whose `html`
  is the same snippet without the document around it;
- `GET /define?term=...`: the JSON that `static/tooltips.js` turns into tooltips;
- `GET /embedding`: how to use all three, with a live tooltip demo.
"""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any
from urllib.parse import unquote, urlsplit

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, Response

from api.caching import etag
from api.deps import BaseDep, ServingDep, VocabularyDep
from api.errors import error_response
from api.headers import TERM_CACHE
from api.respond import represent
from api.templating import render, safe_href
from vocab.errors import NotFound
from vocab.model import Concept, LangText, NoteKind, Status, pick_text
from vocab.vocabulary import Vocabulary

router = APIRouter(tags=["embedding"])

DEFAULT_WIDTH = 480
"""oEmbed width when the consumer sets no maxwidth (px)."""
CHARS_PER_PX = 1 / 8.0
LINE_HEIGHT = 22
PADDING = 24
OEMBED_CACHE_AGE = 86400
MAX_URL = 500
EXAMPLE_TERM = "machine learning"

Plain = Annotated[bool, Query(description="Also show the plain-language definition.")]


def warning(concept: Concept) -> str:
    """Return the concept's usage warning (a false friend's "Take care"), or ''."""
    return pick_text(
        tuple(LangText(n.text, n.lang) for n in concept.notes if n.kind is NoteKind.WARNING)
    )


def snippet_context(
    vocabulary: Vocabulary, concept: Concept, *, plain: bool, standalone: bool
) -> dict[str, Any]:
    """Return what `_embed_fragment.html` shows for one concept."""
    replacements = vocabulary.refs(concept.replaced_by)
    return {
        "concept": concept,
        "label": concept.pref_label(),
        "acronym": next(iter(concept.acronyms), ""),
        "definition": concept.definition(),
        "plain": pick_text(concept.plain_definitions) if plain else "",
        "warning": warning(concept),
        "sources": list(concept.sources) + list(concept.pages),
        "links": [
            s for s in vocabulary.cited([*concept.sources, *concept.pages]) if safe_href(s.iri)
        ],
        "citations": [c.text for c in concept.citations],
        "licence": vocabulary.scheme.license or "",
        "replaced_by": [{"uri": r.uri, "label": r.pref_label} for r in replacements.values()],
        "scheme": vocabulary.scheme,
        "standalone": standalone,
    }


@router.get(
    "/embed/{concept_id}",
    response_class=HTMLResponse,
    summary="A self-contained HTML snippet of a definition, for an iframe",
)
def embed(
    concept_id: str,
    request: Request,
    vocabulary: VocabularyDep,
    serving: ServingDep,
    plain: Plain = False,
) -> Response:
    """Script-free, framable HTML: the term, its definition, its canonical link and source."""
    concept = vocabulary.current(concept_id).concept
    context = snippet_context(vocabulary, concept, plain=plain, standalone=True)
    return represent(
        request,
        vocabulary,
        key=("embed", concept.id),
        variant=f"plain{int(plain)}",
        media_type="text/html",
        render=lambda: render(serving.templates, "embed.html", **context).encode(),
        cache_control=TERM_CACHE,
        status=410 if concept.status is Status.WITHDRAWN else 200,
        headers={"Link": f'<{concept.uri}>; rel="canonical"'},
    )


def concept_id_from_url(url: str, bases: tuple[str, ...]) -> str | None:
    """Return the concept id a term or embed URL names under one of `bases`, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return None
    where = f"{parts.netloc}{parts.path}"
    for base in bases:
        root = base.split("://", 1)[-1].rstrip("/")
        for prefix in (f"{root}/terms/", f"{root}/embed/"):
            if where.startswith(prefix):
                concept_id = unquote(where[len(prefix) :])
                stem, dot, ext = concept_id.rpartition(".")
                return stem if dot and ext == "html" else concept_id
    return None


def snippet_size(
    context: dict[str, Any], maxwidth: int | None, maxheight: int | None
) -> tuple[int, int]:
    """Return (width, height) in px for the snippet, within maxwidth and maxheight (EMB-02)."""
    width = min(DEFAULT_WIDTH, maxwidth) if maxwidth else DEFAULT_WIDTH
    chars_per_line = max(1, int(width * CHARS_PER_PX))
    texts = [
        context["label"],
        context["definition"],
        context["plain"],
        context["warning"] and "Take care: " + context["warning"],
        *("Source: " + (s.title or s.iri) for s in context["links"]),
        context["licence"] and "Licence: " + context["licence"],
    ]
    lines = sum(ceil(len(t) / chars_per_line) for t in texts if t)
    height = PADDING + LINE_HEIGHT * max(lines, 2)
    return width, min(height, maxheight) if maxheight else height


@router.get("/oembed", summary="oEmbed 1.0 for a concept URI (type rich)")
def oembed(
    request: Request,
    vocabulary: VocabularyDep,
    serving: ServingDep,
    base: BaseDep,
    url: Annotated[
        str,
        Query(min_length=1, max_length=MAX_URL, description="A concept URI, {base}/terms/{id}."),
    ],
    maxwidth: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    maxheight: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    format: Annotated[str, Query(max_length=10, description="Only json is supported.")] = "json",
    plain: Plain = False,
) -> Response:
    """The oEmbed answer: 404 for a URL that names no concept, 501 for a format other than json."""
    if format != "json":
        return error_response(
            501,
            "not_implemented",
            f"oEmbed format '{format[:10]}' is not supported; use format=json.",
        )
    concept_id = concept_id_from_url(url, (base, str(request.base_url)))
    if concept_id is None:
        raise NotFound(
            f"'{url[:100]}' is not a concept URI of this vocabulary; use {base}/terms/{{id}}."
        )
    record = vocabulary.current(concept_id)
    context = snippet_context(vocabulary, record.concept, plain=plain, standalone=False)
    width, height = snippet_size(context, maxwidth, maxheight)
    scheme = vocabulary.scheme
    answer: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": context["label"],
        "provider_name": scheme.title(),
        "provider_url": f"{base}/",
        "cache_age": OEMBED_CACHE_AGE,
        "html": render(serving.templates, "_embed_fragment.html", **context).strip(),
        "width": width,
        "height": height,
    }
    if scheme.publisher:
        answer["author_name"] = scheme.publisher
    return Response(
        orjson.dumps(answer),
        media_type="application/json",
        headers={
            "Cache-Control": TERM_CACHE,
            "ETag": etag(vocabulary.digest[:12], "oembed", record.concept.id, f"{width}x{height}"),
        },
    )


def sense_json(vocabulary: Vocabulary, concept: Concept) -> dict[str, Any]:
    """Return the short description of a concept that a tooltip shows."""
    replacements = vocabulary.refs(concept.replaced_by)
    return {
        "id": concept.id,
        "uri": concept.uri,
        "prefLabel": concept.pref_label(),
        "acronym": list(concept.acronyms),
        "definition": concept.definition(),
        "plainDefinition": pick_text(concept.plain_definitions),
        "usageWarning": warning(concept),
        "sources": [
            {"iri": b.iri, "title": b.title}
            for b in vocabulary.cited([*concept.sources, *concept.pages])
        ],
        "field": list(vocabulary.fields(concept)),
        "status": concept.status.value,
        "replacedBy": [
            {"uri": r.uri, "id": r.id, "prefLabel": r.pref_label} for r in replacements.values()
        ],
    }


def senses(vocabulary: Vocabulary, base: str, term: str) -> list[Concept]:
    """Return the concepts `term` names: as an id or concept URI first, else by exact lookup."""
    concept_id = concept_id_from_url(term, (base,)) or term.strip()
    try:
        return [vocabulary.current(concept_id).concept]
    except NotFound:
        pass
    return [vocabulary.record(hit.row.id).concept for hit in vocabulary.lookup(term).hits]


@router.get("/define", summary="Short definitions for tooltips: by term, acronym, id or URI")
def define(
    request: Request,
    vocabulary: VocabularyDep,
    base: BaseDep,
    term: Annotated[
        str,
        Query(
            min_length=1, max_length=200, description="A label, an acronym, an id or a concept URI."
        ),
    ],
) -> Response:
    """Every sense the term names (an ambiguous acronym has several), or 404."""
    found = senses(vocabulary, base, term)
    if not found:
        raise NotFound(f"No term is named '{term[:80]}'; try /search?q= for the nearest ones.")
    return represent(
        request,
        vocabulary,
        key=("define", term),
        variant="json",
        media_type="application/json",
        render=lambda: orjson.dumps(define_json(vocabulary, term, found)),
        cache_control=TERM_CACHE,
    )


def define_json(vocabulary: Vocabulary, term: str, found: list[Concept]) -> dict[str, Any]:
    """Return the tooltip data for `term`: every sense it names."""
    return {
        "query": term,
        "ambiguous": len(found) > 1,
        "provider": vocabulary.scheme.title(),
        "licence": vocabulary.scheme.license or "",
        "senses": [sense_json(vocabulary, c) for c in found],
    }


@router.get("/embedding", response_class=HTMLResponse, include_in_schema=False)
def embedding(serving: ServingDep, vocabulary: VocabularyDep, base: BaseDep) -> HTMLResponse:
    """How to embed definitions, with a live tooltip demo."""
    hits = vocabulary.lookup(EXAMPLE_TERM).hits
    example = hits[0].row if hits else next(iter(vocabulary.store.concept_refs_sorted()), None)
    page = render(
        serving.templates,
        "embedding.html",
        scheme=vocabulary.scheme,
        base=base,
        example_id=example.id if example else "t0001",
        example_label=example.pref_label if example else EXAMPLE_TERM,
        title="Embed definitions",
        nav="embedding",
    )
    return HTMLResponse(page, headers={"Cache-Control": "public, max-age=300"})
