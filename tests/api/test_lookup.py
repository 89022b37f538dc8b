"""`GET /lookup/{text}` for terminals, programs and browsers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import BASE


def test_curl_gets_one_readable_line_first(client: TestClient) -> None:
    response = client.get("/lookup/MHRA", headers={"Accept": "*/*"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "MHRA — Medicines and Healthcare products Regulatory Agency"
    assert lines[1].startswith("The executive agency")
    assert f"URI: {BASE}/terms/t0019" in lines


@pytest.mark.parametrize(
    "text",
    [
        "mhra",
        "MHRA",
        "m.h.r.a",
        "Medicines and Healthcare products Regulatory Agency",
        "medicines & healthcare products regulatory agency",
    ],
)
def test_lookup_is_insensitive_to_case_and_punctuation(client: TestClient, text: str) -> None:
    assert client.get(f"/lookup/{text}").text.startswith("MHRA — ")


def test_label_without_acronym_is_shown_alone(lifecycle_client: TestClient) -> None:
    assert lifecycle_client.get("/lookup/tumour volume").text.splitlines()[0] == "tumour volume"


def test_ambiguous_acronym_lists_every_sense_with_its_field(lifecycle_client: TestClient) -> None:
    text = lifecycle_client.get("/lookup/CT").text
    assert text.splitlines()[0] == "CT — 2 senses"
    assert "1. CT — " in text and "2. CT — " in text
    assert "computed tomography  [Imaging]" in text
    assert "clinical trial" in text


def test_no_match_is_a_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/lookup/machine lerning")
    assert response.status_code == 404
    assert "Did you mean:" in response.text
    assert "machine learning" in response.text


def test_json_lookup(client: TestClient) -> None:
    data = client.get("/lookup/ML", headers={"Accept": "application/json"}).json()
    assert data["results"][0]["prefLabel"] == "machine learning"
    assert data["results"][0]["tier"] == "acronym"
    assert data["ambiguous"] is False


def test_json_not_found_has_an_error_and_suggestions(client: TestClient) -> None:
    response = client.get("/lookup/artifical inteligence?format=json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["suggestions"][0]["prefLabel"] == "artificial intelligence"


def test_browsers_are_sent_to_the_concept_page(client: TestClient) -> None:
    response = client.get("/lookup/MHRA", headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/terms/t0019"


def test_lookup_answers_carry_cache_headers_and_304(client: TestClient) -> None:
    first = client.get("/lookup/NICE")
    assert first.headers["vary"] == "Accept"
    again = client.get("/lookup/NICE", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_head_lookup_has_no_body(client: TestClient) -> None:
    response = client.head("/lookup/NICE")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("text", ["%00%01", "a" * 300, "%ED%A0%80", "%1B%5B2J", "%E2%80%AE"])
def test_hostile_lookup_text_never_gives_a_500(client: TestClient, text: str) -> None:
    assert client.get(f"/lookup/{text}").status_code in (404, 422)


def test_lookup_shows_other_senses_of_a_word(lifecycle_client: TestClient) -> None:
    # "CT scanning" is a deprecated concept's preferred label, so it is listed, not hidden
    text = lifecycle_client.get("/lookup/CT scanning").text
    assert "CT scanning" in text


@pytest.mark.parametrize(
    ("path", "first_line"),
    [
        ("/lookup/reccal", "reccal → sensitivity"),
        ("/lookup/recall", "recall → sensitivity"),
        ("/lookup/MHRA", "MHRA — Medicines and Healthcare products Regulatory Agency"),
    ],
)
def test_the_first_line_keeps_the_word_the_user_typed(
    client: TestClient, path: str, first_line: str
) -> None:
    assert client.get(path).text.splitlines()[0] == first_line


def test_json_lookup_says_what_was_typed_and_what_it_matched(client: TestClient) -> None:
    body = client.get("/lookup/reccal?format=json").json()
    assert (body["query"], body["results"][0]["heading"]) == ("reccal", "reccal → sensitivity")


@pytest.mark.parametrize("path", ["/search?q=a%00b", "/search?q=a%1Bb", "/suggest?q=bell%07"])
def test_control_characters_and_broken_unicode_in_a_query_answer_422(
    client: TestClient, path: str
) -> None:
    assert client.get(path).status_code == 422


def test_a_word_with_no_close_term_says_so_in_plain_text(client: TestClient) -> None:
    response = client.get("/lookup/flibbertigibbet")
    assert response.status_code == 404
    assert "No close term" in response.text
    assert "Search all labels:" in response.text


def test_a_word_with_no_close_term_says_so_in_json(client: TestClient) -> None:
    response = client.get("/lookup/flibbertigibbet?format=json")
    assert response.status_code == 404
    assert response.json()["suggestions"] == []
    assert "No close term" in response.json()["error"]["message"]


def test_a_browser_with_no_close_term_is_told_so_on_the_search_page(client: TestClient) -> None:
    response = client.get("/lookup/flibbertigibbet", headers={"Accept": "text/html"})
    assert response.status_code == 200  # the 303 is followed to the search page
    assert "no close term" in response.text
