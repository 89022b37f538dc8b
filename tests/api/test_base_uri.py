"""Issue 14: the base URI is applied when answering. A store built for one base serves
another without a rebuild, and every representation shows concept URIs under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import BASE
from vocab.vocabulary import Vocabulary

OTHER = "https://vocab.example.org/airt"


@pytest.fixture(scope="module")
def other(shipped: Vocabulary) -> TestClient:
    """The shipped store (built for BASE), served under OTHER."""
    return TestClient(create_app(Vocabulary.open(shipped.store.path), base=OTHER))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    [
        "/terms/t0133?format=json",
        "/terms/t0133?format=jsonld",
        "/terms/t0133?format=ttl",
        "/terms/t0133?format=rdf",
        "/terms/t0133?format=nt",
        "/terms/t0133?format=html",
        "/lookup/recall?format=json",
        "/search?q=recall",
        "/scheme?format=ttl",
        "/collections/evaluation?format=json",
        "/export?format=ttl",
        "/fhir/CodeSystem/$lookup?code=t0133",
        "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%3Fs%20a%20%3Chttp%3A%2F%2Fwww.w3.org%2F2004%2F02%2Fskos%2Fcore%23Concept%3E%7D%20LIMIT%205",
    ],
)
def test_every_representation_uses_the_answering_base(other: TestClient, url: str) -> None:
    response = other.get(url)
    assert response.status_code == 200, response.text[:200]
    assert OTHER in response.text
    assert f"{BASE}/terms/" not in response.text


def test_alignments_in_sssom_use_the_answering_base(other: TestClient) -> None:
    response = other.post("/align?format=sssom", content=b"recall\nsensitivity\n")
    assert response.status_code == 200, response.text[:200]
    assert OTHER in response.text and f"{BASE}/terms/" not in response.text


def test_the_store_file_is_not_touched(shipped: Vocabulary, other: TestClient) -> None:
    path: Path = shipped.store.path  # type: ignore[attr-defined]
    before = path.stat().st_mtime_ns
    assert other.get("/terms/t0133?format=json").json()["uri"] == f"{OTHER}/terms/t0133"
    assert path.stat().st_mtime_ns == before
