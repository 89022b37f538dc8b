"""The HTML pages: what each shows, that they work without JavaScript, and that they stay safe.

Browser behaviour (suggestions, copy, tooltips, axe) is in tests/browser/; these tests read
the served HTML through the test client.

This file holds what each page shows: home, A-Z, about, collections, search results,
the term page.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.api.html_pages import HTML, Elements, page
from tests.conftest import BASE
from vocab.model import COMMUNITIES, Concept, NoteKind
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def warned(shipped: Vocabulary) -> Concept:
    """A shipped concept with a false-friend warning and a synonym that some community uses."""
    return next(
        c
        for c in shipped.store.concepts()
        if c.is_active
        and any(n.kind is NoteKind.WARNING for n in c.notes)
        and any(lb.usage for lb in c.alt_labels)
    )


@pytest.fixture(scope="module")
def synonym_hit(client: TestClient, shipped: Vocabulary) -> dict[str, Any]:
    """A search whose best hit was found by a synonym that some community uses."""
    for concept in shipped.store.concepts():
        for label in concept.alt_labels:
            if concept.is_active and label.usage and len(label.text) > 5:
                best = client.get("/search", params={"q": label.text}).json()["results"][0]
                if best["id"] == concept.id and best["matched"] == label.text:
                    return {"query": label.text, "id": concept.id, "usage": label.usage}
    pytest.fail("no synonym in the shipped vocabulary finds its concept first")


@pytest.fixture(scope="module")
def narrower_concept(shipped: Vocabulary) -> Concept:
    """A shipped concept with a broader concept, a plain definition and a source."""
    return next(
        c
        for c in shipped.store.concepts()
        if c.is_active and c.broader and c.plain_definitions and c.sources
    )


# --- home, A-Z, about, collections -------------------------------------------------------


def test_home_search_works_without_javascript(client: TestClient) -> None:
    elements = Elements(page(client, "/"))
    form = elements.all("form", role="search")[0]
    assert (form["action"], form["method"]) == ("/search", "get")
    field = elements.all("input", name="q")[0]
    assert elements.all("label", for_=field["id"])
    assert "data-suggest" in field


def test_home_loads_the_suggestion_script_from_our_origin_only(client: TestClient) -> None:
    scripts = [a for a, _ in Elements(page(client, "/")).scripts]
    assert [s["src"] for s in scripts] == ["/static/suggest.js"]


def test_home_browses_by_collection_with_counts(client: TestClient, shipped: Vocabulary) -> None:
    home = page(client, "/")
    links = {f'href="/collections/{quote(c.id, safe="")}"' for c in shipped.collections()}
    assert {link for link in links if link not in home} == set()
    assert re.search(r'class="count">\d+ concepts?<', home)


def test_home_shows_counts_and_the_release(client: TestClient, shipped: Vocabulary) -> None:
    home = page(client, "/")
    assert f"<dd>{shipped.store.count(active_only=True)}</dd>" in home
    assert "In this release" in home
    assert f"Version <strong>{shipped.scheme.version}</strong>" in home


def test_home_links_every_letter_of_the_index(client: TestClient) -> None:
    home, index = page(client, "/"), page(client, "/a-z")
    anchors = re.findall(r'href="/a-z#(letter-[^"]+)"', home)
    assert anchors
    assert [a for a in anchors if f'id="{a}"' not in index] == []


def test_a_to_z_lists_every_current_concept(client: TestClient, shipped: Vocabulary) -> None:
    index = page(client, "/a-z")
    linked = set(re.findall(r'href="/terms/([^"]+)"', index))
    assert linked == {r.id for r in shipped.store.concept_refs_sorted()}


def test_about_gives_licence_version_proposals_and_api(
    client: TestClient, shipped: Vocabulary
) -> None:
    about = page(client, "/about")
    assert f'href="{shipped.scheme.license}"' in about
    assert shipped.scheme.version and shipped.scheme.version in about
    assert 'id="propose"' in about
    assert 'href="/docs"' in about and 'href="/openapi.json"' in about


def test_collection_page_lists_its_members(client: TestClient, shipped: Vocabulary) -> None:
    collection = shipped.collections()[0]
    listed = set(
        re.findall(r'href="/terms/([^"]+)"', page(client, f"/collections/{collection.id}"))
    )
    assert listed == {r.id for r in shipped.refs(collection.members).values()}


def test_unknown_collection_is_a_404(client: TestClient) -> None:
    assert client.get("/collections/nope", headers=HTML).status_code == 404


# --- search results ----------------------------------------------------------------------


def test_search_page_shows_the_matched_label_and_its_communities(
    client: TestClient, synonym_hit: dict[str, Any]
) -> None:
    results = page(client, f"/search?q={quote(synonym_hit['query'])}")
    first = results[
        results.index('<li class="result">') : results.index(
            "</li>", results.index('<li class="result">')
        )
    ]
    assert f'href="/terms/{synonym_hit["id"]}"' in first
    matched = escape(synonym_hit["query"])
    assert f"Matched “<mark>{matched}</mark>”, synonym used by {synonym_hit['usage'][0]}" in first


def test_search_page_flags_false_friends_in_words(client: TestClient, warned: Concept) -> None:
    results = page(client, f"/search?q={quote(warned.pref_label())}")
    warning = next(n.text for n in warned.notes if n.kind is NoteKind.WARNING)
    assert "Take care:</strong> " + str(escape(warning)) in results


@pytest.mark.parametrize("community", COMMUNITIES)
def test_search_page_offers_community_filters_that_work(client: TestClient, community: str) -> None:
    results = page(client, "/search?q=ai")
    assert f'href="/search?q=ai&amp;community={community}"' in results
    filtered = page(client, f"/search?q=ai&community={community}")
    assert f'community={community}" aria-current="true"' in filtered


def test_search_page_without_results_says_what_to_try(client: TestClient) -> None:
    results = page(client, "/search?q=zzqxjv")
    assert "No term matches" in results
    assert 'href="/a-z"' in results


# --- term page ---------------------------------------------------------------------------


TERM_SECTIONS = (
    "Definition",
    "In plain words",
    "Names and who uses them",
    "Sources",
    "Link to this term",
    "Cite this",
    "Machine-readable",
    "Embed this definition",
)


@pytest.mark.parametrize("heading", TERM_SECTIONS)
def test_term_page_has_every_section(
    client: TestClient, narrower_concept: Concept, heading: str
) -> None:
    assert f">{heading}</h" in page(client, f"/terms/{narrower_concept.id}")


def test_term_page_offers_its_canonical_link(client: TestClient, narrower_concept: Concept) -> None:
    assert f'value="{narrower_concept.uri}"' in page(client, f"/terms/{narrower_concept.id}")


@pytest.mark.parametrize(
    "section", ["Related concepts", 'value="http://127.0.0.1:8000/terms/t0018"']
)
def test_term_page_of_a_related_concept_shows_them(client: TestClient, section: str) -> None:
    assert section in client.get("/terms/t0018", headers={"Accept": "text/html"}).text


def test_term_page_shows_the_hierarchy(
    client: TestClient, shipped: Vocabulary, narrower_concept: Concept
) -> None:
    elements = Elements(page(client, f"/terms/{narrower_concept.id}"))
    broader = shipped.refs(narrower_concept.broader[:1])[narrower_concept.broader[0]]
    assert elements.all("nav", **{"aria-label": "Broader terms"})
    assert elements.all("a", href=f"/terms/{broader.id}")


def test_term_page_names_the_labels_each_community_uses(
    client: TestClient, warned: Concept
) -> None:
    term = page(client, f"/terms/{warned.id}")
    synonym = next(lb for lb in warned.alt_labels if lb.usage)
    section = term[
        term.index('class="communities"') : term.index("</dl>", term.index('class="communities"'))
    ]
    assert synonym.text in section


def test_term_page_cites_in_plain_text_and_bibtex(client: TestClient) -> None:
    term = page(client, "/terms/t0018")
    assert f"{BASE}/terms/t0018</pre>" in term
    assert "@misc{airt-t0018," in term
    assert f"url = {{{BASE}/terms/t0018}}" in term


@pytest.mark.parametrize("fmt", ["json", "jsonld", "ttl", "rdf", "nt", "txt"])
def test_term_page_links_every_format_and_each_resolves(client: TestClient, fmt: str) -> None:
    elements = Elements(page(client, "/terms/t0019"))
    link = elements.all("a", href=f"/terms/t0019.{fmt}")[0]
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(link["type"])


def test_term_page_embeds_schema_org_defined_term(client: TestClient, shipped: Vocabulary) -> None:
    concept = shipped.record("t0019").concept
    blocks = [
        text
        for attrs, text in Elements(page(client, "/terms/t0019")).scripts
        if attrs.get("type") == "application/ld+json"
    ]
    term = json.loads(blocks[0])
    assert term["@type"] == "DefinedTerm"
    assert term["@id"] == term["url"] == concept.uri
    assert term["name"] == concept.pref_label()
    assert term["description"] == concept.definition()
    assert set(concept.acronyms) <= set(term["alternateName"])
    assert term["inDefinedTermSet"]["@type"] == "DefinedTermSet"


def test_deprecated_term_links_its_replacement_prominently(lifecycle_client: TestClient) -> None:
    term = page(lifecycle_client, "/terms/old")
    assert "This term is deprecated" in term
    assert re.search(
        r'class="replacement">Use instead: <a href="/terms/ct">computed tomography</a>', term
    )


def test_withdrawn_term_explains_itself_with_a_410(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/terms/gone", headers=HTML)
    assert response.status_code == 410
    assert "This term is withdrawn" in response.text
    assert "never used consistently" in response.text
