"""What each cited address is: `ontology/sources/sources.ttl` in, `dct:` triples out.

The curated source cites addresses (`dct:source`, `foaf:page`); the bibliography describes
them, one `dct:BibliographicResource` per address with `dct:title`, and where known
`dct:bibliographicCitation`, `dct:publisher` and `dct:issued`. The build reads it beside
the vocabulary, the store keeps it, the pages show the titles, and every RDF export states
them again on the address, so that reading an export back keeps them.

>>> t = [("https://x.org/a", str(DCTERMS.title), Lit("A report", "en"))]
>>> bibliography_of(t, ["https://x.org/a", "https://x.org/b"])
(SourceInfo(iri='https://x.org/a', title='A report', citation='', publisher='', year=''),)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from loaders.rdf_input import Lit, Triple, parse_triples
from vocab.model import SourceInfo

TITLE, CITATION, PUBLISHER, ISSUED = (
    str(DCTERMS.title),
    str(DCTERMS.bibliographicCitation),
    str(DCTERMS.publisher),
    str(DCTERMS.issued),
)
_FIELDS = {TITLE: "title", CITATION: "citation", PUBLISHER: "publisher", ISSUED: "year"}
BIBLIOGRAPHIC = tuple(_FIELDS)
"""The properties a description of an address is read from."""
_YEAR = re.compile(r"\d{4}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def bibliography_of(triples: Iterable[Triple], cited: Iterable[str]) -> tuple[SourceInfo, ...]:
    """Return the description of every address in `cited` that `triples` give a title."""
    wanted = set(cited)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for s, p, o in triples:
        field = _FIELDS.get(p)
        if field and s in wanted and isinstance(o, Lit):
            found[s].setdefault(field, o.value)  # the first value of each kind
    return tuple(
        SourceInfo(
            iri,
            values["title"],
            values.get("citation", ""),
            values.get("publisher", ""),
            values.get("year", ""),
        )
        for iri, values in sorted(found.items())
        if values.get("title")
    )


def read_bibliography(path: Path, cited: Iterable[str]) -> tuple[SourceInfo, ...]:
    """Return the descriptions `path` (Turtle) holds of the `cited` addresses; raise ParseError."""
    return bibliography_of(parse_triples(path.read_bytes(), "ttl"), cited)


def add_bibliography(graph: Graph, bibliography: Iterable[SourceInfo]) -> None:
    """State each description on its address: dct:title and what else is known."""
    for b in bibliography:
        s = URIRef(b.iri)
        graph.add((s, DCTERMS.title, Literal(b.title, lang="en")))
        if b.citation:
            graph.add((s, DCTERMS.bibliographicCitation, Literal(b.citation)))
        if b.publisher:
            graph.add((s, DCTERMS.publisher, Literal(b.publisher)))
        if b.year:
            graph.add((s, DCTERMS.issued, _issued(b.year)))


def _issued(value: str) -> Literal:
    if _YEAR.fullmatch(value):
        return Literal(value, datatype=XSD.gYear)
    if _DATE.fullmatch(value):
        return Literal(value, datatype=XSD.date)
    return Literal(value)
