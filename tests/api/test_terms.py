"""Concept URIs: seven representations, negotiation, caching, lifecycle statuses."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from tests.conftest import BASE

MHRA = f"{BASE}/terms/t0019"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


@pytest.mark.parametrize(("accept", "parser"), RDF_TYPES.items())
def test_rdf_representations_parse_and_describe_the_concept(
    client: TestClient, accept: str, parser: str
) -> None:
    response = client.get("/terms/t0019", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=parser)
    assert (URIRef(MHRA), RDF.type, SKOS.Concept) in graph
    assert (
        URIRef(MHRA),
        SKOS.prefLabel,
        Literal("Medicines and Healthcare products Regulatory Agency", lang="en-GB"),
    ) in graph


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/html", "text/html"),
        ("application/json", "application/json"),
        ("*/*", "text/plain"),
        ("", "text/plain"),
        ("image/png", "text/plain"),
        ("text/plain", "text/plain"),
        ("text/html;q=0.1, text/turtle", "text/turtle"),
        ("text/turtle;q=0, text/html", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_accept_header_chooses_the_representation(
    client: TestClient, accept: str, media: str
) -> None:
    response = client.get("/terms/t0019", headers={"Accept": accept})
    assert response.headers["content-type"].startswith(media)


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("html", "text/html"),
        ("json", "application/json"),
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("txt", "text/plain"),
    ],
)
def test_format_parameter_and_extension_override_accept(
    client: TestClient, fmt: str, media: str
) -> None:
    by_param = client.get(f"/terms/t0019?format={fmt}", headers={"Accept": "text/html"})
    by_extension = client.get(f"/terms/t0019.{fmt}", headers={"Accept": "text/html"})
    assert by_param.headers["content-type"].startswith(media)
    assert by_extension.content == by_param.content


def test_unknown_format_is_a_400_listing_the_choices(client: TestClient) -> None:
    response = client.get("/terms/t0019?format=xlsx")
    assert response.status_code == 400
    assert "use one of" in response.json()["error"]["message"]


CONTRACT_KEYS = (
    "uri",
    "id",
    "prefLabel",
    "altLabel",
    "hiddenLabel",
    "acronym",
    "definition",
    "broader",
    "narrower",
    "related",
    "exactMatch",
    "closeMatch",
    "status",
)


@pytest.mark.parametrize("key", CONTRACT_KEYS)
def test_json_has_each_contract_key(client: TestClient, key: str) -> None:
    assert key in client.get("/terms/t0018", headers={"Accept": "application/json"}).json()


def test_json_has_the_contract_values(client: TestClient) -> None:
    data = client.get("/terms/t0018", headers={"Accept": "application/json"}).json()
    assert data["prefLabel"] == {"en-GB": "machine learning"}
    assert data["acronym"] == ["ML"]
    assert data["broader"][0]["prefLabel"] == "artificial intelligence"
    assert data["status"] == "active"


def test_json_labels_carry_their_communities(client: TestClient) -> None:
    data = client.get("/terms/t0019?format=json").json()
    acronym = next(lb for lb in data["labels"] if lb["type"] == "acronym")
    assert acronym == {"label": "MHRA", "lang": "en-GB", "type": "acronym", "usage": ["regulatory"]}


def test_jsonld_carries_an_inline_context(client: TestClient) -> None:
    document = json.loads(client.get("/terms/t0019?format=jsonld").content)
    assert isinstance(document["@context"], dict)
    assert document["@context"]["skos"] == str(SKOS)


@pytest.mark.parametrize("fmt", ["html", "json", "ttl", "txt"])
def test_responses_vary_on_accept_and_carry_etag_and_cache_control(
    client: TestClient, fmt: str
) -> None:
    response = client.get(f"/terms/t0019?format={fmt}")
    assert response.headers["vary"] == "Accept"
    assert response.headers["etag"].startswith('"')
    assert "max-age" in response.headers["cache-control"]
    assert response.headers["content-location"] == f"{BASE}/terms/t0019.{fmt}"


def test_each_representation_has_its_own_etag(client: TestClient) -> None:
    tags = {
        client.get(f"/terms/t0019?format={f}").headers["etag"]
        for f in ("html", "json", "ttl", "nt")
    }
    assert len(tags) == 4


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_matching_if_none_match_gives_304_without_a_body(client: TestClient, header: str) -> None:
    etag = client.get("/terms/t0019?format=ttl").headers["etag"]
    response = client.get(
        "/terms/t0019?format=ttl", headers={"If-None-Match": header.format(etag=etag)}
    )
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert response.headers["vary"] == "Accept"


def test_stale_if_none_match_gives_the_full_response(client: TestClient) -> None:
    response = client.get("/terms/t0019?format=ttl", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200


def test_head_gives_the_headers_of_get_without_a_body(client: TestClient) -> None:
    get = client.get("/terms/t0019?format=json")
    head = client.head("/terms/t0019?format=json")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]


def test_unknown_id_is_a_404_with_a_json_error(client: TestClient) -> None:
    response = client.get("/terms/t9999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_plain_text_starts_with_acronym_and_label(client: TestClient) -> None:
    text = client.get("/terms/t0019").text
    assert text.splitlines()[0] == "MHRA — Medicines and Healthcare products Regulatory Agency"
    assert MHRA in text


def test_deprecated_concept_answers_200_with_its_replacement(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/terms/old?format=ttl")
    graph = Graph().parse(data=response.content, format="turtle")
    old = URIRef(f"{BASE}/terms/old")
    assert response.status_code == 200
    assert (old, OWL.deprecated, Literal(True)) in graph
    assert (old, DCTERMS.isReplacedBy, URIRef(f"{BASE}/terms/ct")) in graph


def test_deprecated_concept_page_shows_the_replacement(lifecycle_client: TestClient) -> None:
    page = lifecycle_client.get("/terms/old", headers={"Accept": "text/html"}).text
    assert "deprecated" in page
    assert 'href="/terms/ct"' in page


def test_merged_concept_redirects_permanently(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/terms/dup", headers={"Accept": "text/turtle"})
    assert response.status_code == 301
    assert response.headers["location"] == "/terms/ct"


def test_withdrawn_concept_is_gone_with_an_explanation(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/terms/gone")
    assert response.status_code == 410
    assert "Withdrawn" in response.text


def test_base_uri_is_configurable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app
    from tests.conftest import FIXTURES, build_vocabulary

    vocabulary = build_vocabulary(
        FIXTURES / "lifecycle.ttl", tmp_path / "v.db", base="https://vocab.example.org"
    )
    client = TestClient(create_app(vocabulary))
    data = client.get("/terms/ct?format=json").json()
    assert data["uri"] == "https://vocab.example.org/terms/ct"
