"""SKOS in and out: `read_skos` (bytes -> Snapshot) and `write_skos` (Snapshot -> bytes).

Writing materialises what plain SKOS readers need without inference: every acronym is
also a skos:altLabel, every plain-language definition also a skos:definition, a merge
also a dct:isReplacedBy, broader/narrower, related and hasTopConcept/topConceptOf in
both directions, and skos:inScheme on every concept. Reading undoes exactly that, so
`read_skos(write_skos(s))` gives back `s`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from loaders.bibliography import add_bibliography
from loaders.namespaces import (
    AIRT,
    COMMUNITY_PROPERTY,
    LABEL_PROPERTY,
    MATCH_PROPERTY,
    NOTE_PROPERTY,
    PREFIXES,
)
from loaders.rdf_input import DEFAULT_LIMITS, Limits, parse_triples
from loaders.skos_read import read_triples
from vocab.errors import UnsupportedFormat
from vocab.model import Collection, Concept, LabelKind, LangText, Scheme, Snapshot, Status
from vocab.problems import ReadResult

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

RDFLIB_FORMAT = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}

__all__ = ["ReadResult", "concept_graph", "read_skos", "snapshot_graph", "write_skos"]


def read_skos(
    data: bytes,
    syntax: str,
    *,
    base: str,
    source_name: str = "vocabulary",
    limits: Limits = DEFAULT_LIMITS,
) -> ReadResult:
    """Return the Snapshot in `data` and the problems found; raise ParseError if unreadable.

    Relative IRIs resolve against `base` + "/", so the curated source can say `<terms/t0001>`.
    """
    triples = parse_triples(data, syntax, base=base.rstrip("/") + "/", limits=limits)
    return read_triples(triples, base=base, source_name=source_name)


def write_skos(snapshot: Snapshot, syntax: str) -> bytes:
    """Return `snapshot` serialised as ttl, rdf (RDF/XML), jsonld or nt."""
    return serialise(snapshot_graph(snapshot), syntax)


def serialise(graph: Graph, syntax: str) -> bytes:
    """Return `graph` in one of the RDF syntaxes; JSON-LD is compacted with our context."""
    if syntax not in RDFLIB_FORMAT:
        raise UnsupportedFormat(
            f"Unknown RDF format '{syntax}'; use one of: {', '.join(RDFLIB_FORMAT)}."
        )
    if syntax == "jsonld":
        return graph.serialize(
            format="json-ld", context=jsonld_context(), auto_compact=True, encoding="utf-8"
        )
    return graph.serialize(format=RDFLIB_FORMAT[syntax], encoding="utf-8")


@cache
def jsonld_context() -> dict[str, object]:
    """Return the inline JSON-LD context from ontology/context.jsonld."""
    document = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))
    context: dict[str, object] = document["@context"]
    return context


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def snapshot_graph(snapshot: Snapshot) -> Graph:
    """Return the whole vocabulary as an rdflib Graph."""
    graph = new_graph()
    tops = {uri: scheme for scheme, uris in snapshot.top_concepts.items() for uri in uris}
    for scheme in snapshot.schemes:
        add_scheme(graph, scheme, snapshot.top_concepts.get(scheme.uri, ()))
    for concept in snapshot.concepts:
        add_concept(graph, concept, top_of=tops.get(concept.uri))
    for collection in snapshot.collections:
        add_collection(graph, collection)
    add_bibliography(graph, snapshot.bibliography)
    return graph


def concept_graph(concept: Concept, *, top_of: str | None = None) -> Graph:
    """Return the triples about one concept, for its own URI."""
    graph = new_graph()
    add_concept(graph, concept, top_of=top_of)
    return graph


def _text(t: LangText) -> Literal:
    return Literal(t.text, lang=t.lang or None)


def _ref(value: str) -> URIRef | Literal:
    return URIRef(value) if value.startswith(("http://", "https://", "urn:")) else Literal(value)


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime if "T" in value else XSD.date, normalize=False)


def add_scheme(graph: Graph, scheme: Scheme, top_concepts: tuple[str, ...]) -> None:
    s = URIRef(scheme.uri)
    graph.add((s, RDF.type, SKOS.ConceptScheme))
    for t in scheme.titles:
        graph.add((s, DCTERMS.title, _text(t)))
    for t in scheme.descriptions:
        graph.add((s, DCTERMS.description, _text(t)))
    if scheme.version:
        graph.add((s, OWL.versionInfo, Literal(scheme.version)))
    if scheme.version_iri:
        graph.add((s, OWL.versionIRI, URIRef(scheme.version_iri)))
    if scheme.license:
        graph.add((s, DCTERMS.license, _ref(scheme.license)))
    if scheme.publisher:
        graph.add((s, DCTERMS.publisher, _ref(scheme.publisher)))
    for creator in scheme.creators:
        graph.add((s, DCTERMS.creator, _ref(creator)))
    for language in scheme.languages:
        graph.add((s, DCTERMS.language, _ref(language)))
    if scheme.homepage:
        graph.add((s, FOAF.homepage, URIRef(scheme.homepage)))
    if scheme.created:
        graph.add((s, DCTERMS.created, _date(scheme.created)))
    if scheme.modified:
        graph.add((s, DCTERMS.modified, _date(scheme.modified)))
    for uri in top_concepts:
        graph.add((s, SKOS.hasTopConcept, URIRef(uri)))


def add_concept(graph: Graph, concept: Concept, *, top_of: str | None = None) -> None:
    s = URIRef(concept.uri)
    graph.add((s, RDF.type, SKOS.Concept))
    for scheme in concept.in_schemes:
        graph.add((s, SKOS.inScheme, URIRef(scheme)))
    if top_of:
        graph.add((s, SKOS.topConceptOf, URIRef(top_of)))
    for label in concept.labels:
        literal = Literal(label.text, lang=label.lang or None)
        graph.add((s, LABEL_PROPERTY[label.kind], literal))
        if label.kind is LabelKind.ACRONYM:
            graph.add((s, SKOS.altLabel, literal))
        for community in label.usage:
            graph.add((s, COMMUNITY_PROPERTY[community], literal))
    for t in concept.definitions:
        graph.add((s, SKOS.definition, _text(t)))
    for t in concept.plain_definitions:
        graph.add((s, AIRT.plainDefinition, _text(t)))
        graph.add((s, SKOS.definition, _text(t)))
    for note in concept.notes:
        graph.add((s, NOTE_PROPERTY[note.kind], Literal(note.text, lang=note.lang or None)))
    for prop, targets in (
        (SKOS.broader, concept.broader),
        (SKOS.narrower, concept.narrower),
        (SKOS.related, concept.related),
    ):
        for target in targets:
            graph.add((s, prop, URIRef(target)))
    for mapping in concept.mappings:
        graph.add((s, MATCH_PROPERTY[mapping.kind], URIRef(mapping.target)))
    for source in concept.sources:
        graph.add((s, DCTERMS.source, URIRef(source)))
    for citation in concept.citations:
        graph.add((s, DCTERMS.source, _text(citation)))
    for page in concept.pages:
        graph.add((s, FOAF.page, URIRef(page)))
    for notation in concept.notations:
        graph.add((s, SKOS.notation, Literal(notation)))
    if concept.status is not Status.ACTIVE:
        graph.add((s, OWL.deprecated, Literal(True)))
    for target in concept.replaced_by:
        graph.add((s, DCTERMS.isReplacedBy, URIRef(target)))
        if concept.status is Status.MERGED:
            graph.add((s, AIRT.mergedInto, URIRef(target)))
    if concept.created:
        graph.add((s, DCTERMS.created, _date(concept.created)))
    if concept.modified:
        graph.add((s, DCTERMS.modified, _date(concept.modified)))


def add_collection(graph: Graph, collection: Collection) -> None:
    s = URIRef(collection.uri)
    graph.add((s, RDF.type, SKOS.OrderedCollection if collection.ordered else SKOS.Collection))
    for t in collection.labels:
        graph.add((s, SKOS.prefLabel, _text(t)))
    for t in collection.definitions:
        graph.add((s, SKOS.definition, _text(t)))
    for member in collection.members:
        graph.add((s, SKOS.member, URIRef(member)))
    if collection.ordered and collection.members:
        head = BNode()
        RdfList(graph, head, [URIRef(m) for m in collection.members])
        graph.add((s, SKOS.memberList, head))
