"""Switching a running server to a new release: no restart, no stale answer, no stale ETag."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import Service, create_app
from tests.conftest import BASE, FIXTURES, build_vocabulary
from vocab.vocabulary import Vocabulary

OLD_DEFINITION = "Cross-sectional imaging built from many X-ray projections."
NEW_DEFINITION = "Imaging that rebuilds slices of the body from X-ray projections."


@pytest.fixture
def releases(tmp_path: Path) -> tuple[Vocabulary, Vocabulary]:
    """Two releases of the lifecycle vocabulary: the second changes a definition and a label."""
    source = (FIXTURES / "lifecycle.ttl").read_text(encoding="utf-8")
    changed = tmp_path / "second.ttl"
    changed.write_text(
        source.replace(OLD_DEFINITION, NEW_DEFINITION).replace(
            '"tumour size"@en-GB', '"tumour extent"@en-GB'
        ),
        encoding="utf-8",
    )
    first = build_vocabulary(FIXTURES / "lifecycle.ttl", tmp_path / "first.db")
    second = build_vocabulary(changed, tmp_path / "second.db")
    return first, second


@pytest.fixture
def service(releases: tuple[Vocabulary, Vocabulary]) -> Service:
    return create_app(releases[0], base=BASE)


# Every cached route, asked before and after the swap: what only the old release says must
# be gone from the answer, and what the new release says must be there.
CACHED = [
    ("/terms/ct?format=json", OLD_DEFINITION, NEW_DEFINITION),
    ("/terms/ct?format=txt", OLD_DEFINITION, NEW_DEFINITION),
    ("/terms/ct?format=ttl", OLD_DEFINITION, NEW_DEFINITION),
    ("/terms/ct?format=html", OLD_DEFINITION, NEW_DEFINITION),
    ("/lookup/computed%20tomography", OLD_DEFINITION, NEW_DEFINITION),
    ("/lookup/computed%20tomography?format=json", OLD_DEFINITION, NEW_DEFINITION),
    ("/search?q=tumour%20extent", '"match_type":"definition"', '"matched":"tumour extent"'),
    ("/suggest?q=tumour%20si", '"label":"tumour size"', '"query":"tumour si"'),
    ("/embed/ct", OLD_DEFINITION, NEW_DEFINITION),
    ("/define?term=CT", OLD_DEFINITION, NEW_DEFINITION),
    ("/export?format=ttl", OLD_DEFINITION, NEW_DEFINITION),
    ("/export?format=csv", OLD_DEFINITION, NEW_DEFINITION),
    ("/a-z", "tumour volume", "tumour volume"),
]


@pytest.mark.parametrize(("path", "before", "after"), CACHED)
def test_a_swapped_release_answers_at_once_without_a_restart(
    service: Service,
    releases: tuple[Vocabulary, Vocabulary],
    path: str,
    before: str,
    after: str,
) -> None:
    client = TestClient(service)
    first = client.get(path)
    assert before in first.text
    service.swap(releases[1])
    second = client.get(path)
    assert second.status_code == 200
    assert after in second.text
    assert (before == after) or before not in second.text


@pytest.mark.parametrize("path", [p for p, _, _ in CACHED])
def test_an_etag_of_the_old_release_never_answers_304(
    service: Service, releases: tuple[Vocabulary, Vocabulary], path: str
) -> None:
    client = TestClient(service)
    old_tag = client.get(path).headers["etag"]
    service.swap(releases[1])
    again = client.get(path, headers={"If-None-Match": old_tag})
    assert again.status_code == 200
    assert again.headers["etag"] != old_tag


def test_swap_returns_the_release_it_replaces(
    service: Service, releases: tuple[Vocabulary, Vocabulary]
) -> None:
    assert service.swap(releases[1]) is releases[0]
    assert service.vocabulary is releases[1]


def test_health_reports_the_release_being_served(
    service: Service, releases: tuple[Vocabulary, Vocabulary]
) -> None:
    client = TestClient(service)
    assert client.get("/health").json()["release"] == releases[0].digest
    service.swap(releases[1])
    assert client.get("/health").json()["release"] == releases[1].digest


def test_the_releases_differ(releases: tuple[Vocabulary, Vocabulary]) -> None:
    assert releases[0].digest != releases[1].digest
