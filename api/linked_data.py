"""Representations of the URIs other than concepts': the scheme, collections, the profile,
the JSON-LD context, the VoID description, and the sitemap of the pages.

Each negotiates like a concept URI (HTML, JSON, Turtle, JSON-LD, RDF/XML, N-Triples, and
plain text where it reads well) through `api.respond`; bodies are rendered once per release.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

import orjson
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from api.negotiation import TERM_REPRESENTATIONS
from api.releases import PerRelease
from api.templating import render
from loaders import RDF_FORMATS
from loaders.dataset_graphs import (
    PROFILE_IRI,
    DatasetFacts,
    collection_graph,
    profile_graph,
    scheme_graph,
    void_graph,
)
from loaders.skos import ONTOLOGY_DIR, serialise, snapshot_graph
from vocab.model import Collection, Status, pick_text
from vocab.vocabulary import Vocabulary

RDF_OFFERS = {name: TERM_REPRESENTATIONS[name] for name in RDF_FORMATS}
SCHEME_OFFERS = TERM_REPRESENTATIONS
"""The scheme and collections: exactly the representations of a concept."""
PROFILE_OFFERS = {"html": "text/html", **RDF_OFFERS}
CONTEXT_OFFERS = {"jsonld": "application/ld+json", "json": "application/json", "html": "text/html"}


triple_counts: PerRelease[int] = PerRelease(lambda v: len(snapshot_graph(v.snapshot())))


def scheme_json(vocabulary: Vocabulary, base: str) -> dict[str, Any]:
    """Return the public JSON of the concept scheme."""
    scheme = vocabulary.scheme
    tops = vocabulary.store.top_concepts().get(scheme.uri, ())
    return {
        "uri": scheme.uri,
        "title": {t.lang: t.text for t in scheme.titles},
        "description": {t.lang: t.text for t in scheme.descriptions},
        "version": scheme.version,
        "license": scheme.license,
        "publisher": scheme.publisher,
        "created": scheme.created,
        "modified": scheme.modified,
        "language": list(scheme.languages),
        "concepts": vocabulary.store.count(active_only=True),
        "release": vocabulary.digest,
        "topConcepts": [
            {"uri": r.uri, "id": r.id, "prefLabel": r.pref_label}
            for r in vocabulary.refs(tops).values()
        ],
        "collections": [collection_summary(c) for c in vocabulary.collections()],
        "void": f"{base}/void",
        "sparql": f"{base}/sparql",
        "fhir": f"{base}/fhir/metadata",
    }


def collection_summary(collection: Collection) -> dict[str, Any]:
    return {
        "uri": collection.uri,
        "id": collection.id,
        "prefLabel": collection.label(),
        "members": len(collection.members),
    }


def collection_json(vocabulary: Vocabulary, collection: Collection) -> dict[str, Any]:
    """Return the public JSON of one collection, members with their labels."""
    refs = vocabulary.refs(collection.members)
    members = sorted(refs.values(), key=lambda r: r.pref_label.casefold())
    return {
        "uri": collection.uri,
        "id": collection.id,
        "prefLabel": {t.lang: t.text for t in collection.labels},
        "definition": {t.lang: t.text for t in collection.definitions},
        "ordered": collection.ordered,
        "inScheme": vocabulary.scheme.uri,
        "members": [
            {"uri": r.uri, "id": r.id, "prefLabel": r.pref_label, "status": r.status.value}
            for r in members
        ],
    }


def scheme_body(vocabulary: Vocabulary, base: str, fmt: str, html: Any) -> bytes:
    """Return the scheme in representation `fmt`; `html()` renders the page."""
    scheme = vocabulary.scheme
    if fmt == "json":
        return orjson.dumps(scheme_json(vocabulary, base))
    if fmt in RDF_FORMATS:
        tops = vocabulary.store.top_concepts().get(scheme.uri, ())
        return serialise(scheme_graph(scheme, tops, vocabulary.collections()), fmt)
    if fmt == "html":
        return bytes(html())
    lines = [scheme.title(), pick_text(scheme.descriptions), ""]
    lines += [
        f"Version: {scheme.version or vocabulary.digest[:8]}",
        f"Concepts: {vocabulary.store.count(active_only=True)}",
    ]
    lines += ["Collections:"] + [f"  {c.label()}  <{c.uri}>" for c in vocabulary.collections()]
    lines += [f"URI: {scheme.uri}", f"SPARQL: {base}/sparql", f"FHIR: {base}/fhir/metadata", ""]
    return "\n".join(lines).encode()


def collection_body(vocabulary: Vocabulary, collection: Collection, fmt: str, html: Any) -> bytes:
    """Return a collection in representation `fmt`; `html()` renders the page."""
    if fmt == "json":
        return orjson.dumps(collection_json(vocabulary, collection))
    if fmt in RDF_FORMATS:
        return serialise(collection_graph(collection, vocabulary.scheme.uri), fmt)
    if fmt == "html":
        return bytes(html())
    data = collection_json(vocabulary, collection)
    lines = [collection.label(), pick_text(collection.definitions), ""]
    lines += [
        f"  {m['id']:<8} {m['prefLabel']}"
        + ("" if m["status"] == Status.ACTIVE.value else f"  ({m['status']})")
        for m in data["members"]
    ]
    return "\n".join([*lines, "", f"URI: {collection.uri}", ""]).encode()


def void_body(vocabulary: Vocabulary, base: str, fmt: str) -> bytes:
    refs = vocabulary.store.concept_refs_sorted(active_only=True)
    facts = DatasetFacts(
        base,
        vocabulary.scheme,
        vocabulary.store.count(),
        len(vocabulary.collections()),
        triple_counts(vocabulary),
        refs[0].uri if refs else None,
    )
    return serialise(void_graph(facts), fmt)


def profile_terms(graph: Graph) -> list[dict[str, str]]:
    """Return each property and class of the profile with its label, definition and parent."""
    out = []
    subjects = {s for s in graph.subjects() if str(s).startswith(PROFILE_IRI + "#")}
    for subject in sorted(subjects, key=str):
        out.append(
            {
                "iri": str(subject),
                "name": str(subject).split("#")[-1],
                "label": str(graph.value(subject, RDFS.label) or ""),
                "definition": str(
                    graph.value(subject, SKOS.definition)
                    or graph.value(subject, RDFS.comment)
                    or ""
                ),
                "parent": str(
                    graph.value(subject, RDFS.subPropertyOf)
                    or graph.value(subject, RDFS.subClassOf)
                    or ""
                ),
            }
        )
    return out


def profile_body(fmt: str, templates: Any, scheme: Any) -> bytes:
    graph = profile_graph()
    if fmt in RDF_FORMATS:
        return serialise(graph, fmt)
    return render(
        templates,
        "linked-data.html",
        scheme=scheme,
        title="Our SKOS profile",
        heading="The SKOS profile of this vocabulary",
        lead="The few properties this vocabulary adds to SKOS. Each is a sub-property of a SKOS (or DCMI) one, and every export also states the SKOS property, so a reader that knows only SKOS loses nothing.",
        iri=PROFILE_IRI,
        terms=profile_terms(graph),
        formats=RDF_OFFERS,
        path="/ns",
    ).encode()


def context_body(fmt: str, templates: Any, scheme: Any) -> bytes:
    body = (ONTOLOGY_DIR / "context.jsonld").read_bytes()
    if fmt != "html":
        return body
    return render(
        templates,
        "linked-data.html",
        scheme=scheme,
        title="JSON-LD context",
        heading="The JSON-LD context of our exports",
        lead="Maps the short keys of our JSON-LD to SKOS, DCMI and our profile's IRIs.",
        iri=None,
        code=body.decode(),
        formats={"jsonld": CONTEXT_OFFERS["jsonld"]},
        path="/context.jsonld",
    ).encode()


def sitemap(vocabulary: Vocabulary, base: str) -> bytes:
    """Return sitemap.xml: every page a search engine should index, with its last change."""
    pages = [(f"{base}/", vocabulary.scheme.modified)]
    pages += [(f"{base}/{p}", None) for p in ("a-z", "about", "embedding")]
    pages += [
        (c.uri if c.uri.startswith(base) else f"{base}/collections/{c.id}", None)
        for c in vocabulary.collections()
    ]
    for concept in vocabulary.store.concepts():
        if concept.status in (Status.ACTIVE, Status.DEPRECATED):
            pages.append((f"{base}/terms/{concept.id}", concept.modified or concept.created))
    urls = "".join(
        f"<url><loc>{escape(loc)}</loc>{f'<lastmod>{escape(when[:10])}</lastmod>' if when else ''}</url>\n"
        for loc, when in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    ).encode()
