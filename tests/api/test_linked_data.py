"""Every URI we mint resolves and negotiates: the scheme, collections, profile, context; VoID; sitemap."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from tests.conftest import BASE
from vocab.vocabulary import Vocabulary

VOID = Namespace("http://rdfs.org/ns/void#")
AIRT = Namespace("https://w3id.org/airt/ns#")
SCHEME = URIRef(f"{BASE}/scheme")
IMAGING = URIRef(f"{BASE}/collections/imaging")
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


def graph_of(client: TestClient, path: str, accept: str) -> Graph:
    response = client.get(path, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    return Graph().parse(data=response.content, format=RDF_TYPES[accept])


@pytest.mark.parametrize("accept", RDF_TYPES)
def test_the_scheme_uri_negotiates_rdf(lifecycle_client: TestClient, accept: str) -> None:
    graph = graph_of(lifecycle_client, "/scheme", accept)
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in graph


@pytest.mark.parametrize("accept", RDF_TYPES)
def test_a_collection_uri_negotiates_rdf(lifecycle_client: TestClient, accept: str) -> None:
    graph = graph_of(lifecycle_client, "/collections/imaging", accept)
    assert (IMAGING, SKOS.member, URIRef(f"{BASE}/terms/tumour")) in graph


@pytest.mark.parametrize("accept", RDF_TYPES)
def test_the_profile_negotiates_rdf(lifecycle_client: TestClient, accept: str) -> None:
    graph = graph_of(lifecycle_client, "/ns", accept)
    assert (AIRT.acronym, RDFS.subPropertyOf, SKOS.altLabel) in graph


def test_the_scheme_every_concept_names_resolves(
    lifecycle_client: TestClient, lifecycle: Vocabulary
) -> None:
    scheme = lifecycle.record("ct").concept.in_schemes[0]
    response = lifecycle_client.get(scheme.removeprefix(BASE), headers={"Accept": "text/turtle"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "accept", "media", "text"),
    [
        ("/scheme", "text/html", "text/html", "Lifecycle test vocabulary"),
        ("/scheme", "*/*", "text/plain", "Lifecycle test vocabulary"),
        ("/scheme", "application/json", "application/json", '"uri":"http://127.0.0.1:8000/scheme"'),
        ("/collections/imaging", "text/html", "text/html", "tumour volume"),
        ("/collections/imaging", "*/*", "text/plain", "tumour volume"),
        ("/collections/imaging", "application/json", "application/json", '"id":"tumour"'),
        ("/ns", "text/html", "text/html", "plainDefinition"),
        ("/context.jsonld", "*/*", "application/ld+json", '"@context"'),
        ("/context.jsonld", "text/html", "text/html", "@context"),
        ("/void", "*/*", "text/turtle", "void:Dataset"),
    ],
)
def test_each_uri_answers_what_is_asked_for(
    lifecycle_client: TestClient, path: str, accept: str, media: str, text: str
) -> None:
    response = lifecycle_client.get(path, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(media)
    assert text in response.text


@pytest.mark.parametrize(
    ("path", "fmt", "media"),
    [
        ("/scheme", "ttl", "text/turtle"),
        ("/collections/imaging", "json", "application/json"),
        ("/ns", "nt", "application/n-triples"),
        ("/void", "jsonld", "application/ld+json"),
    ],
)
def test_format_overrides_accept(
    lifecycle_client: TestClient, path: str, fmt: str, media: str
) -> None:
    response = lifecycle_client.get(f"{path}?format={fmt}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith(media)


@pytest.mark.parametrize("path", ["/scheme", "/collections/imaging", "/ns", "/void"])
def test_an_unknown_format_is_a_400_listing_the_choices(
    lifecycle_client: TestClient, path: str
) -> None:
    response = lifecycle_client.get(f"{path}?format=xlsx")
    assert response.status_code == 400 and "use one of" in response.json()["error"]["message"]


def test_an_unknown_collection_is_a_404(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/collections/nope", headers={"Accept": "text/turtle"})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/scheme", "/collections/imaging", "/ns", "/void"])
def test_answers_vary_on_accept_and_answer_304(lifecycle_client: TestClient, path: str) -> None:
    first = lifecycle_client.get(path, headers={"Accept": "text/turtle"})
    again = lifecycle_client.get(
        path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]}
    )
    assert (first.headers["vary"], again.status_code) == ("Accept", 304)


def test_the_void_description_names_the_dumps_and_the_sparql_endpoint(
    lifecycle_client: TestClient,
) -> None:
    graph = graph_of(lifecycle_client, "/void", "text/turtle")
    dataset = URIRef(f"{BASE}/void#vocabulary")
    assert (dataset, VOID.sparqlEndpoint, URIRef(f"{BASE}/sparql")) in graph
    assert (dataset, VOID.dataDump, URIRef(f"{BASE}/export?format=ttl")) in graph
    assert (dataset, VOID.entities, Literal(7)) in graph


def test_the_well_known_void_address_points_to_it(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/.well-known/void")
    assert (response.status_code, response.headers["location"]) == (303, "/void")


def test_the_sitemap_lists_the_pages_that_answer_200(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    pages = {
        loc.text
        for loc in ElementTree.fromstring(response.content).findall("s:url/s:loc", namespace)
    }
    assert {f"{BASE}/", f"{BASE}/terms/ct", f"{BASE}/terms/old", str(IMAGING)} <= pages
    assert not {f"{BASE}/terms/dup", f"{BASE}/terms/gone"} & pages  # 301 and 410
