"""RDF about the vocabulary as a whole: the scheme, a collection, the VoID description of the
dataset (its dumps and SPARQL endpoint), the SPARQL service description, and our profile.

Each returns an rdflib Graph that `loaders.skos.serialise` writes in any RDF syntax, so
these URIs negotiate exactly as concept URIs do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from loaders import FORMATS, WRITERS
from loaders.namespaces import AIRT
from loaders.skos import ONTOLOGY_DIR, add_collection, add_scheme, new_graph
from vocab.model import Collection, Scheme

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)
PROFILE_IRI = "https://w3id.org/airt/ns"


def _graph() -> Graph:
    graph = new_graph()
    graph.bind("void", VOID)
    graph.bind("sd", SD)
    return graph


def scheme_graph(
    scheme: Scheme, top_concepts: tuple[str, ...], collections: list[Collection]
) -> Graph:
    """Return the triples about the concept scheme, with its top concepts and where its collections are."""
    graph = _graph()
    add_scheme(graph, scheme, top_concepts)
    for collection in collections:
        graph.add((URIRef(scheme.uri), DCTERMS.hasPart, URIRef(collection.uri)))
    return graph


def collection_graph(collection: Collection, scheme_uri: str) -> Graph:
    """Return the triples about one collection: its labels, definition and members."""
    graph = _graph()
    add_collection(graph, collection)
    graph.add((URIRef(collection.uri), DCTERMS.isPartOf, URIRef(scheme_uri)))
    return graph


@dataclass(frozen=True)
class DatasetFacts:
    """What a VoID description states about one release."""

    base: str
    scheme: Scheme
    concepts: int
    collections: int
    triples: int
    example: str | None  # one concept URI


def void_graph(facts: DatasetFacts) -> Graph:
    """Return the VoID description of the dataset: what it is, its dumps, its SPARQL endpoint."""
    graph = _graph()
    base, scheme = facts.base, facts.scheme
    dataset = URIRef(f"{base}/void#vocabulary")
    graph.add((dataset, RDF.type, VOID.Dataset))
    for title in scheme.titles:
        graph.add((dataset, DCTERMS.title, Literal(title.text, lang=title.lang or None)))
    for description in scheme.descriptions:
        graph.add(
            (dataset, DCTERMS.description, Literal(description.text, lang=description.lang or None))
        )
    if scheme.license:
        graph.add((dataset, DCTERMS.license, URIRef(scheme.license)))
    if scheme.publisher:
        graph.add((dataset, DCTERMS.publisher, Literal(scheme.publisher)))
    if scheme.modified:
        graph.add((dataset, DCTERMS.modified, Literal(scheme.modified, datatype=XSD.date)))
    if scheme.version:
        graph.add(
            (dataset, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(scheme.version))
        )
    graph.add((dataset, FOAF.homepage, URIRef(f"{base}/")))
    graph.add((dataset, VOID.rootResource, URIRef(scheme.uri)))
    graph.add((dataset, VOID.uriSpace, Literal(f"{base}/terms/")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    for name in WRITERS:
        dump = URIRef(f"{base}/export?format={name}")
        graph.add((dataset, VOID.dataDump, dump))
        graph.add((dump, DCTERMS["format"], Literal(FORMATS[name].media_type)))
    graph.add((dataset, VOID.triples, Literal(facts.triples)))
    graph.add((dataset, VOID.entities, Literal(facts.concepts)))
    graph.add((dataset, VOID.classes, Literal(3)))
    for vocabulary in (SKOS, DCTERMS, FOAF, str(AIRT)):
        graph.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    if facts.example:
        graph.add((dataset, VOID.exampleResource, URIRef(facts.example)))
    for cls, count in (
        (SKOS.Concept, facts.concepts),
        (SKOS.Collection, facts.collections),
        (SKOS.ConceptScheme, 1),
    ):
        partition = URIRef(f"{base}/void#{cls.split('#')[-1]}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, Literal(count)))
    return graph


def service_graph(base: str) -> Graph:
    """Return the SPARQL 1.1 service description of `{base}/sparql`."""
    graph = _graph()
    service = URIRef(f"{base}/sparql")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS_NS[name]))
    dataset = URIRef(f"{base}/void#vocabulary")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    return graph


@cache
def profile_graph() -> Graph:
    """Return our SKOS profile (ontology/profile.ttl) as a graph."""
    graph = _graph()
    graph.parse(data=(ONTOLOGY_DIR / "profile.ttl").read_bytes(), format="turtle")
    return graph
