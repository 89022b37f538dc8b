"""What an embed carries: the false-friend warning, every source and the licence (issue 16)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import BASE
from vocab.vocabulary import Vocabulary

WARNED = "t0118"  # device labelling: a false friend with three sources


def sources_of(shipped: Vocabulary, concept_id: str) -> list[str]:
    concept = shipped.record(concept_id).concept
    return [*concept.sources, *concept.pages]


@pytest.fixture(scope="module")
def embed_html(client: TestClient) -> str:
    return client.get(f"/embed/{WARNED}").text


@pytest.fixture(scope="module")
def oembed_html(client: TestClient) -> str:
    response = client.get("/oembed", params={"url": f"{BASE}/terms/{WARNED}"})
    return str(response.json()["html"])


@pytest.mark.parametrize("which", ["embed_html", "oembed_html"])
def test_an_embed_carries_the_usage_warning(which: str, request: pytest.FixtureRequest) -> None:
    html = request.getfixturevalue(which)
    assert "Take care:" in html
    assert 'class="airt-warning"' in html


@pytest.mark.parametrize("which", ["embed_html", "oembed_html"])
def test_an_embed_links_every_source(
    which: str, request: pytest.FixtureRequest, shipped: Vocabulary
) -> None:
    html = request.getfixturevalue(which)
    sources = sources_of(shipped, WARNED)
    assert len(sources) >= 3
    assert [s for s in sources if f'href="{s}"' not in html] == []


@pytest.mark.parametrize("which", ["embed_html", "oembed_html"])
def test_an_embed_states_the_licence(
    which: str, request: pytest.FixtureRequest, shipped: Vocabulary
) -> None:
    html = request.getfixturevalue(which)
    assert shipped.scheme.license
    assert "Licence:" in html and shipped.scheme.license in html


def test_an_embed_without_a_warning_shows_none(client: TestClient) -> None:
    assert "Take care:" not in client.get("/embed/t0019").text


def test_tooltip_data_carries_the_warning_sources_and_licence(
    client: TestClient, shipped: Vocabulary
) -> None:
    data = client.get("/define", params={"term": WARNED}).json()
    sense = data["senses"][0]
    assert sense["usageWarning"]
    assert [s["iri"] for s in sense["sources"]] == sources_of(shipped, WARNED)
    assert all(s["title"] for s in sense["sources"])
    assert data["licence"] == shipped.scheme.license


def test_the_tooltip_script_shows_the_warning(client: TestClient) -> None:
    script = client.get("/static/tooltips.js").text
    assert "sense.usageWarning" in script and "Take care: " in script
