"""The seven representations of a concept URI: html, json, jsonld, ttl, rdf, nt, txt."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.templating import Jinja2Templates

from api.negotiation import TERM_REPRESENTATIONS
from api.templating import render
from loaders import RDF_FORMATS
from loaders.skos import concept_graph, serialise
from vocab import text as text_out
from vocab.model import Concept
from vocab.views import concept_json
from vocab.vocabulary import ConceptRecord, Vocabulary


def render_concept(
    vocabulary: Vocabulary, record: ConceptRecord, fmt: str, *, templates: Jinja2Templates,
    base: str,
) -> tuple[bytes, str]:
    """Return (body, media type) of a concept in representation `fmt`."""
    concept = record.concept
    if fmt == "json":
        return orjson.dumps(concept_json(vocabulary, concept, record.top_of)), TERM_REPRESENTATIONS[fmt]
    if fmt in RDF_FORMATS:
        return serialise(concept_graph(concept, top_of=record.top_of), fmt), TERM_REPRESENTATIONS[fmt]
    if fmt == "html":
        page = render(templates, "term.html", **term_page_context(vocabulary, record, base))
        return page.encode(), TERM_REPRESENTATIONS[fmt]
    return text_out.concept_text(vocabulary, concept).encode(), TERM_REPRESENTATIONS["txt"]


def term_page_context(vocabulary: Vocabulary, record: ConceptRecord, base: str) -> dict[str, Any]:
    concept: Concept = record.concept
    data = concept_json(vocabulary, concept, record.top_of)
    return {
        "c": data,
        "concept": concept,
        "scheme": vocabulary.scheme,
        "fields": vocabulary.fields(concept),
        "base": base,
        "formats": [(name, media) for name, media in TERM_REPRESENTATIONS.items() if name != "html"],
        "title": concept.pref_label(),
    }
