"""The seven representations of a concept URI: html, json, jsonld, ttl, rdf, nt, txt."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

import orjson
from starlette.templating import Jinja2Templates

from api.negotiation import TERM_REPRESENTATIONS
from api.rootpath import rooted
from api.templating import render
from loaders import RDF_FORMATS, terminal
from loaders.skos import concept_graph, serialise
from loaders.views import concept_json, search_json
from vocab.errors import NotFound
from vocab.model import COMMUNITIES, Concept, LabelKind, NoteKind, Scheme
from vocab.search_hits import SearchHit
from vocab.vocabulary import ConceptRecord, Resolution, Vocabulary

FORMAT_NAMES = {
    "json": "JSON",
    "jsonld": "JSON-LD",
    "ttl": "Turtle",
    "rdf": "RDF/XML",
    "nt": "N-Triples",
    "txt": "Plain text",
}
MAPPING_NAMES = (
    ("exactMatch", "Same as"),
    ("closeMatch", "Close to"),
    ("broadMatch", "Broader match"),
    ("narrowMatch", "Narrower match"),
    ("relatedMatch", "Related match"),
)
VOCABULARIES = (
    ("radlex.org", "RadLex"),
    ("wikidata.org", "Wikidata"),
    ("ncicb.nci.nih.gov", "NCIt"),
    ("ncithesaurus", "NCIt"),
    ("evs.nci.nih.gov", "NCIt"),
    ("id.nlm.nih.gov/mesh", "MeSH"),
    ("snomed.info", "SNOMED CT"),
    ("purl.obolibrary.org/obo/NCIT", "NCIt"),
    ("loinc.org", "LOINC"),
    ("dbpedia.org", "DBpedia"),
)
BREADCRUMB_DEPTH = 8
ALSO_CALLED = 4


def render_concept(
    vocabulary: Vocabulary,
    record: ConceptRecord,
    fmt: str,
    templates: Jinja2Templates,
    base: str,
    extra: dict[str, Any] | None = None,
) -> bytes:
    """Return the body of a concept in representation `fmt` (html, json, an RDF syntax, txt).

    `extra` adds to the term page's context: its release history, the versioned URI, and
    for a concept shown as it was in a release, that release (`pinned`)."""
    concept = record.concept
    if fmt == "json":
        return orjson.dumps(concept_json(vocabulary, concept, record.top_of))
    if fmt in RDF_FORMATS:
        return serialise(concept_graph(concept, top_of=record.top_of), fmt)
    if fmt == "html":
        return render(
            templates, "term.html", **term_page_context(vocabulary, record, base), **(extra or {})
        ).encode()
    return terminal.concept_text(vocabulary, concept).encode()


def split_extension(vocabulary: Vocabulary, concept_id: str) -> tuple[str, str | None]:
    """Read `/terms/t0001.ttl` as id t0001 in Turtle, unless an id really ends that way."""
    stem, dot, ext = concept_id.rpartition(".")
    if dot and ext in TERM_REPRESENTATIONS:
        try:
            vocabulary.record(concept_id)
        except NotFound:
            return stem, ext
    return concept_id, None


def moved_location(resolution: Resolution, format: str | None) -> str:
    """Return where a merged concept's URI redirects: its new id here, else the URI it names."""
    target = resolution.moved_to
    location = rooted(f"/terms/{target.id}") if target else str(resolution.moved_to_uri)
    return location + (f"?format={format}" if format else "")


def concept_headers(
    vocabulary: Vocabulary, record: ConceptRecord, fmt: str, base: str
) -> dict[str, str]:
    """Return the headers of a concept representation besides caching: location, link, date."""
    concept = record.concept
    headers = {
        "Content-Location": f"{base}/terms/{concept.id}.{fmt}",
        "Link": f'<{concept.uri}>; rel="canonical"',
    }
    # the scheme is read once per release (`Vocabulary.scheme` is cached), never per request
    modified = http_date(concept.modified or vocabulary.scheme.modified)
    if modified:
        headers["Last-Modified"] = modified
    return headers


@lru_cache(maxsize=4096)
def http_date(value: str | None) -> str | None:
    """Return an ISO date or date-time as an HTTP date, or None if there is none.

    Memoised: the same few dates (the scheme's, each concept's) head every answer.
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def term_page_context(vocabulary: Vocabulary, record: ConceptRecord, base: str) -> dict[str, Any]:
    """Return what term.html shows: the concept JSON plus the page's own views of it."""
    concept: Concept = record.concept
    data = concept_json(vocabulary, concept, record.top_of)
    scheme = vocabulary.scheme
    return {
        "c": data,
        "concept": concept,
        "scheme": scheme,
        "fields": vocabulary.fields(concept),
        "base": base,
        "formats": [
            (name, media) for name, media in TERM_REPRESENTATIONS.items() if name != "html"
        ],
        "format_names": FORMAT_NAMES,
        "title": concept.pref_label(),
        "description": concept.definition(),
        "breadcrumb": broader_path(vocabulary, concept),
        "by_community": labels_by_community(concept),
        "mappings": [
            (name, [mapping_view(u) for u in data[key]]) for key, name in MAPPING_NAMES if data[key]
        ],
        "citation": citation_text(concept, scheme),
        "bibtex": citation_bibtex(concept, scheme),
        "oembed_url": f"{base}/oembed?url={quote(concept.uri, safe='')}&format=json",
        "embed_url": f"{base}/embed/{quote(concept.id, safe='')}",
        "defined_term": defined_term(concept, scheme, base),
        "embed_code": embed_code(concept, base),
        "tooltip_code": tooltip_code(concept, base),
    }


def embed_code(concept: Concept, base: str) -> str:
    """Return the iframe markup an author pastes to embed the definition."""
    title = html.escape(f"Definition of {concept.pref_label()}")
    src = f"{base}/embed/{quote(concept.id, safe='')}"
    return (
        f'<iframe src="{src}" title="{title}" width="480" height="220" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>'
    )


def tooltip_code(concept: Concept, base: str) -> str:
    """Return the markup that turns a word on any page into a definition tooltip."""
    term = html.escape(concept.id)
    return (
        f'<script src="{base}/static/tooltips.js" defer></script>\n'
        f'<dfn data-term="{term}">{html.escape(concept.pref_label())}</dfn>'
    )


def broader_path(vocabulary: Vocabulary, concept: Concept) -> list[dict[str, str]]:
    """Return the first broader chain from the top down to (not including) the concept."""
    path: list[dict[str, str]] = []
    seen = {concept.uri}
    current = concept
    while current.broader and len(path) < BREADCRUMB_DEPTH:
        ref = vocabulary.refs(current.broader[:1]).get(current.broader[0])
        if ref is None or ref.uri in seen:
            break
        seen.add(ref.uri)
        path.append({"id": ref.id, "label": ref.pref_label})
        current = vocabulary.record(ref.id).concept
    return path[::-1]


def labels_by_community(concept: Concept) -> list[tuple[str, list[str]]]:
    """Return, for each community that uses any label, the visible labels it uses."""
    out = []
    for community in COMMUNITIES:
        used = [
            lb.text
            for lb in concept.labels
            if community in lb.usage and lb.kind is not LabelKind.HIDDEN
        ]
        if used:
            out.append((community, list(dict.fromkeys(used))))
    return out


def mapping_view(uri: str) -> dict[str, str]:
    """Return a mapping target with the name of the vocabulary it belongs to, when known."""
    host_path = uri.split("://", 1)[-1]
    name = next((n for pattern, n in VOCABULARIES if pattern in host_path), "")
    local = uri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return {"uri": uri, "vocabulary": name or (urlsplit(uri).hostname or ""), "code": local}


def citation_text(concept: Concept, scheme: Scheme) -> str:
    """Return a plain-text citation of the concept."""
    version = f", version {scheme.version}" if scheme.version else ""
    date = f" ({scheme.modified})" if scheme.modified else ""
    publisher = f" {scheme.publisher}." if scheme.publisher else ""
    return (
        f"“{concept.pref_label()}”. In: {scheme.title()}{version}{date}.{publisher} {concept.uri}"
    )


def _bib(text: str) -> str:
    return text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")


def citation_bibtex(concept: Concept, scheme: Scheme) -> str:
    """Return a BibTeX @misc entry for the concept: where it is published (`howpublished`:
    the vocabulary, its version and publisher), its `year`, canonical `url` and a `note`."""
    year = (scheme.modified or scheme.created or "")[:4]
    version = f", version {scheme.version}" if scheme.version else ""
    publisher = f". {scheme.publisher}" if scheme.publisher else ""
    fields = [
        ("title", concept.pref_label()),
        ("howpublished", f"{scheme.title()}{version}{publisher}"),
        ("year", year),
        ("url", concept.uri),
        ("note", "Definition in a SKOS vocabulary"),
    ]
    key = "".join(ch for ch in f"airt-{concept.id}" if ch.isalnum() or ch in "-_:")
    body = ",\n".join(f"  {name} = {{{_bib(value)}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def defined_term(concept: Concept, scheme: Scheme, base: str) -> dict[str, Any]:
    """Return schema.org DefinedTerm JSON-LD for the term page (EMB-08)."""
    term: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": concept.uri,
        "url": concept.uri,
        "name": concept.pref_label(),
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "@id": scheme.uri,
            "name": scheme.title(),
            "url": f"{base}/",
        },
    }
    alternates = [lb.text for lb in concept.labels if lb.kind in (LabelKind.ALT, LabelKind.ACRONYM)]
    if alternates:
        term["alternateName"] = alternates
    if concept.definition():
        term["description"] = concept.definition()
    term["termCode"] = concept.notations[0] if concept.notations else concept.id
    return term


def search_results_view(vocabulary: Vocabulary, hits: list[SearchHit]) -> list[dict[str, Any]]:
    """Return what search.html shows per hit: the match, its communities, the concept's gist."""
    results = []
    for hit in hits:
        concept = vocabulary.record(hit.row.id).concept
        hidden = hit.row.kind is LabelKind.HIDDEN
        results.append(
            {
                "id": hit.row.id,
                "label": hit.row.pref_label,
                "matched": hit.matched,
                "shows_match": not hidden and hit.matched != hit.row.pref_label,
                "kind": hit.row.kind.value,
                "usage": list(hit.row.shown_usage),
                "match_type": hit.match_type,
                "status": hit.row.status,
                "acronyms": concept.acronyms,
                "definition": concept.definition(),
                "fields": vocabulary.fields(concept),
                "warnings": [n.text for n in concept.notes if n.kind is NoteKind.WARNING],
                "also": [
                    (lb.text, lb.usage) for lb in concept.alt_labels if lb.text != hit.matched
                ][:ALSO_CALLED],
            }
        )
    return results


def render_search(
    fmt: str,
    vocabulary: Vocabulary,
    query: str,
    hits: list[SearchHit],
    *,
    templates: Jinja2Templates,
    community: str | None,
    collection: str | None,
    limit: int,
) -> bytes:
    """Return search results as JSON, plain text or the results page."""
    if fmt == "json":
        return orjson.dumps(search_json(query, hits))
    if fmt == "txt":
        return terminal.search_text(query, hits).encode()
    return render(
        templates,
        "search.html",
        query=query,
        hits=hits,
        results=search_results_view(vocabulary, hits),
        community=community,
        collection=collection,
        communities=COMMUNITIES,
        limit=limit,
        scheme=vocabulary.scheme,
        title=f"Search: {query}",
    ).encode()
