"""The URIs we mint besides concepts', resolvable and negotiated like them: the scheme, each
collection, our profile (`/ns`), the JSON-LD context; the VoID description and the sitemap.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from api import linked_data
from api.deps import BaseDep, VocabularyDep
from api.openapi import negotiated
from api.respond import choose_format, represent, serving
from api.rootpath import rooted
from api.routes.pages import PAGE_CACHE, PAGES
from api.templating import render
from vocab.vocabulary import Vocabulary

router = APIRouter(tags=["linked data"])
ONTOLOGY_CACHE = "public, max-age=86400"


def _help(offers: dict[str, str]) -> str:
    return "Override Accept: " + ", ".join(offers)


SchemeFormat = Annotated[
    str | None,
    Query(
        max_length=10,
        description=_help(linked_data.SCHEME_OFFERS),
        json_schema_extra={"enum": list(linked_data.SCHEME_OFFERS)},
    ),
]
ProfileFormat = Annotated[
    str | None,
    Query(
        max_length=10,
        description=_help(linked_data.PROFILE_OFFERS),
        json_schema_extra={"enum": list(linked_data.PROFILE_OFFERS)},
    ),
]
ContextFormat = Annotated[
    str | None,
    Query(
        max_length=10,
        description=_help(linked_data.CONTEXT_OFFERS),
        json_schema_extra={"enum": list(linked_data.CONTEXT_OFFERS)},
    ),
]
VoidFormat = Annotated[
    str | None,
    Query(
        max_length=10,
        description=_help(linked_data.RDF_OFFERS),
        json_schema_extra={"enum": list(linked_data.RDF_OFFERS)},
    ),
]


def page(request: Request, vocabulary: Vocabulary, name: str, key: str = "") -> bytes:
    """Return one of the HTML pages (`api.routes.pages.PAGES`) rendered."""
    state = serving(request)
    return render(state.templates, name, **PAGES[name](vocabulary, state.base, key)).encode()


@router.get(
    "/scheme",
    summary="The concept scheme: HTML, JSON, RDF or text",
    responses=negotiated(linked_data.SCHEME_OFFERS, schema="Scheme"),
)
def scheme(
    request: Request, vocabulary: VocabularyDep, base: BaseDep, format: SchemeFormat = None
) -> Response:
    """The scheme every concept names in skos:inScheme, with its collections and top concepts."""
    fmt = choose_format(request, tuple(linked_data.SCHEME_OFFERS.items()), "txt", format)
    html = lambda: page(request, vocabulary, "about.html")  # noqa: E731
    return represent(
        request,
        vocabulary,
        key=("scheme",),
        variant=fmt,
        media_type=linked_data.SCHEME_OFFERS[fmt],
        render=lambda: linked_data.scheme_body(vocabulary, base, fmt, html),
        cache_control=PAGE_CACHE,
    )


@router.get(
    "/collections/{collection_id}",
    summary="A collection: HTML, JSON, RDF or text",
    responses=negotiated(linked_data.SCHEME_OFFERS, 404, schema="Collection"),
)
def collection(
    collection_id: str, request: Request, vocabulary: VocabularyDep, format: SchemeFormat = None
) -> Response:
    """A group of concepts a reader can browse (browsers get the page, programs the data)."""
    found = vocabulary.collection(collection_id)  # 404 before any cache or ETag
    fmt = choose_format(request, tuple(linked_data.SCHEME_OFFERS.items()), "txt", format)
    html = lambda: page(request, vocabulary, "collection.html", collection_id)  # noqa: E731
    return represent(
        request,
        vocabulary,
        key=("collection", collection_id),
        variant=fmt,
        media_type=linked_data.SCHEME_OFFERS[fmt],
        render=lambda: linked_data.collection_body(vocabulary, found, fmt, html),
        cache_control=PAGE_CACHE,
    )


@router.get(
    "/ns",
    summary="Our SKOS profile (https://w3id.org/airt/ns)",
    responses=negotiated(linked_data.PROFILE_OFFERS),
)
def profile(request: Request, vocabulary: VocabularyDep, format: ProfileFormat = None) -> Response:
    """The properties the vocabulary adds to SKOS, each a sub-property of a SKOS one."""
    fmt = choose_format(request, tuple(linked_data.PROFILE_OFFERS.items()), "ttl", format)
    templates = serving(request).templates
    return represent(
        request,
        vocabulary,
        key=("profile",),
        variant=fmt,
        media_type=linked_data.PROFILE_OFFERS[fmt],
        render=lambda: linked_data.profile_body(fmt, templates, vocabulary.scheme),
        cache_control=ONTOLOGY_CACHE,
    )


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context of our exports",
    responses=negotiated(linked_data.CONTEXT_OFFERS),
)
def context(request: Request, vocabulary: VocabularyDep, format: ContextFormat = None) -> Response:
    fmt = choose_format(request, tuple(linked_data.CONTEXT_OFFERS.items()), "jsonld", format)
    templates = serving(request).templates
    return represent(
        request,
        vocabulary,
        key=("context",),
        variant=fmt,
        media_type=linked_data.CONTEXT_OFFERS[fmt],
        render=lambda: linked_data.context_body(fmt, templates, vocabulary.scheme),
        cache_control=ONTOLOGY_CACHE,
    )


@router.get(
    "/void",
    summary="VoID description of the dataset: dumps, SPARQL endpoint, counts",
    responses=negotiated(linked_data.RDF_OFFERS),
)
def void(
    request: Request, vocabulary: VocabularyDep, base: BaseDep, format: VoidFormat = None
) -> Response:
    fmt = choose_format(request, tuple(linked_data.RDF_OFFERS.items()), "ttl", format)
    return represent(
        request,
        vocabulary,
        key=("void",),
        variant=fmt,
        media_type=linked_data.RDF_OFFERS[fmt],
        render=lambda: linked_data.void_body(vocabulary, base, fmt),
        cache_control=PAGE_CACHE,
    )


@router.get(
    "/.well-known/void",
    summary="Where the VoID description is (RFC 8615)",
    status_code=303,
    responses={303: {"description": "See /void (Location)"}},
)
def well_known_void() -> Response:
    return RedirectResponse(
        rooted("/void"), status_code=303, headers={"Cache-Control": ONTOLOGY_CACHE}
    )


@router.get(
    "/sitemap.xml",
    summary="Every page, for search engines",
    responses=negotiated({"xml": "application/xml"}),
)
def sitemap(request: Request, vocabulary: VocabularyDep, base: BaseDep) -> Response:
    return represent(
        request,
        vocabulary,
        key=("sitemap",),
        variant="xml",
        media_type="application/xml",
        render=lambda: linked_data.sitemap(vocabulary, base),
        cache_control=PAGE_CACHE,
    )
