"""HTML pages that are not a concept: home and about; plus health and the JSON-LD context."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from api.deps import BaseDep, VocabularyDep
from api.templating import render
from loaders.skos import ONTOLOGY_DIR
from vocab.errors import NotFound

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, vocabulary: VocabularyDep) -> HTMLResponse:
    refs = vocabulary.store.concept_refs_sorted()
    letters = [
        (letter, list(group))
        for letter, group in groupby(refs, key=lambda r: (r.pref_label[:1].upper() or "#") if r.pref_label[:1].isalpha() else "#")
    ]
    page = render(request.app.state.templates, "home.html", scheme=vocabulary.scheme,
                  collections=vocabulary.collections(), letters=letters, count=len(refs), title=None)
    return HTMLResponse(page)


@router.get("/about", response_class=HTMLResponse, include_in_schema=False)
def about(request: Request, vocabulary: VocabularyDep, base: BaseDep) -> HTMLResponse:
    page = render(request.app.state.templates, "about.html", scheme=vocabulary.scheme,
                  count=vocabulary.store.count(), base=base, digest=vocabulary.digest, title="About")
    return HTMLResponse(page)


@router.get("/collections/{collection_id}", response_class=HTMLResponse, include_in_schema=False)
def collection(collection_id: str, request: Request, vocabulary: VocabularyDep) -> HTMLResponse:
    found = vocabulary.store.collection(collection_id)
    if found is None:
        raise NotFound(f"No collection has the id '{collection_id[:80]}'; see the home page for the list.")
    refs = sorted(vocabulary.refs(found.members).values(), key=lambda r: r.pref_label.casefold())
    page = render(request.app.state.templates, "collection.html", scheme=vocabulary.scheme,
                  collection=found, refs=refs, title=found.label())
    return HTMLResponse(page)


@router.get("/health", tags=["service"], summary="Liveness and the release being served")
def health(vocabulary: VocabularyDep) -> dict[str, object]:
    return {"status": "ok", "concepts": vocabulary.store.count(), "release": vocabulary.digest,
            "version": vocabulary.scheme.version}


@router.get("/context.jsonld", tags=["service"], summary="The JSON-LD context of our exports")
def context() -> Response:
    body = (ONTOLOGY_DIR / "context.jsonld").read_bytes()
    return Response(body, media_type="application/ld+json", headers={"Cache-Control": "public, max-age=86400"})
