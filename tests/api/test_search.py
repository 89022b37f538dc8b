"""`GET /search` and `GET /suggest` over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_search_json_has_the_contract_shape(client: TestClient) -> None:
    data = client.get("/search?q=machine lerning&limit=5").json()
    assert data["query"] == "machine lerning"
    first = data["results"][0]
    assert set(first) >= {"uri", "id", "prefLabel", "matched", "match_type", "score"}
    assert first["prefLabel"] == "machine learning"
    assert first["match_type"] == "fuzzy"


def test_search_limit_is_respected(client: TestClient) -> None:
    assert len(client.get("/search?q=r&limit=3").json()["results"]) <= 3


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=1000000", "limit=-1", "limit=abc", "community=vendors", "lang=%20x"]
)
def test_bad_parameters_are_a_422_saying_what_is_wrong(client: TestClient, query: str) -> None:
    response = client.get(f"/search?q=ai&{query}")
    assert response.status_code == 422
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("q", ["", "a" * 201])
def test_empty_or_over_long_queries_are_refused(client: TestClient, q: str) -> None:
    assert client.get(f"/search?q={q}").status_code == 422


def test_browsers_get_an_html_results_page(client: TestClient) -> None:
    response = client.get("/search?q=radiographers", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    assert "Society of Radiographers" in response.text


def test_search_page_escapes_the_query(client: TestClient) -> None:
    response = client.get("/search?q=<script>alert(1)</script>", headers={"Accept": "text/html"})
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;" in response.text


def test_suggest_completes_a_prefix(client: TestClient) -> None:
    data = client.get("/suggest?q=mach").json()
    assert data["suggestions"][0]["prefLabel"] == "machine learning"
    assert data["suggestions"][0]["match_type"] == "prefix"


def test_suggest_tolerates_typos(client: TestClient) -> None:
    data = client.get("/suggest?q=radiograhpers").json()
    assert any("Radiographers" in s["prefLabel"] for s in data["suggestions"])


def test_suggestions_say_which_label_matched_and_who_uses_it(client: TestClient) -> None:
    first = client.get("/suggest?q=recal").json()["suggestions"][0]
    assert (first["label"], first["prefLabel"], first["kind"]) == ("recall", "sensitivity", "alt")
    assert "industry" in first["usage"]


def test_a_misspelling_suggestion_hides_the_misspelt_label(client: TestClient) -> None:
    first = client.get("/suggest?q=reccal").json()["suggestions"][0]
    assert (first["label"], first["kind"], first["usage"]) == ("sensitivity", "hidden", [])
