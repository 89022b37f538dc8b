"""The term page in a real browser: every section, machine-readable links, copy buttons."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Site, Watched, open_page

SECTIONS = (
    "Definition",
    "In plain words",
    "Names and who uses them",
    "Related concepts",
    "Sources",
    "Link to this term",
    "Cite this",
    "Machine-readable",
    "Embed this definition",
)


def term_id(page: Any, site: Site, term: str) -> str:
    """Return the id of the concept a term names, asked of the running service."""
    response = page.request.get(site.url("/define"), params={"term": term})
    assert response.ok
    return str(response.json()["senses"][0]["id"])


def test_term_page_shows_every_section(watched: Watched, site: Site) -> None:
    page = watched.page
    concept_id = term_id(page, site, "sensitivity")
    page.goto(site.url(f"/terms/{concept_id}"))
    assert page.locator("h1").text_content() == "sensitivity"
    hidden = [
        n for n in SECTIONS if not page.get_by_role("heading", name=n, exact=True).is_visible()
    ]
    assert hidden == []
    assert page.locator(".definition").first.is_visible()
    assert page.get_by_role(
        "heading", name="Take care: this word means different things to different people"
    ).is_visible()
    assert page.locator(".communities dt").count() >= 2
    assert page.locator("table tbody tr").count() >= 2
    assert page.locator("#canonical").input_value() == site.url(f"/terms/{concept_id}")
    assert "@misc{" in page.locator("#citation-bibtex").text_content()
    assert site.url(f"/terms/{concept_id}") in page.locator("#citation-text").text_content()
    assert watched.errors == []


@pytest.mark.parametrize(
    "fmt,media",
    [
        ("json", "application/json"),
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("txt", "text/plain"),
    ],
)
def test_every_machine_readable_link_resolves(page: Any, site: Site, fmt: str, media: str) -> None:
    page.goto(site.url("/terms/t0019"))
    alternate = page.locator(f'head link[rel=alternate][href$=".{fmt}"]')
    assert alternate.get_attribute("type") == media
    link = page.locator(f'.formats a[href$=".{fmt}"]')
    response = page.request.get(site.url(link.get_attribute("href")))
    assert response.ok and response.headers["content-type"].startswith(media)


def test_copy_button_puts_the_canonical_link_on_the_clipboard(browser: Any, site: Site) -> None:
    with open_page(browser, permissions=["clipboard-read", "clipboard-write"]) as watched:
        page = watched.page
        page.goto(site.url("/terms/t0019"))
        button = page.get_by_role("button", name="Copy link")
        button.focus()
        page.keyboard.press("Enter")
        status = page.locator(".copied")
        status.filter(has_text="copied").wait_for()
        assert status.text_content() == "Link copied."
        assert page.evaluate("navigator.clipboard.readText()") == site.url("/terms/t0019")


def test_copy_button_copies_the_bibtex_citation(browser: Any, site: Site) -> None:
    with open_page(browser, permissions=["clipboard-read", "clipboard-write"]) as watched:
        page = watched.page
        page.goto(site.url("/terms/t0019"))
        page.get_by_role("button", name="Copy BibTeX").click()
        page.locator(".copied").filter(has_text="copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{airt-t0019,")


def test_deprecated_term_sends_the_reader_to_its_replacement(
    page: Any, lifecycle_site: Site
) -> None:
    page.goto(lifecycle_site.url("/terms/old"))
    assert page.get_by_role("heading", name="This term is deprecated").is_visible()
    page.locator(".replacement a").click()
    page.wait_for_url("**/terms/ct")
    assert page.locator("h1").text_content() == "computed tomography"


def test_breadcrumb_walks_up_the_hierarchy(page: Any, lifecycle_site: Site) -> None:
    page.goto(lifecycle_site.url("/terms/tumour"))
    crumb = page.get_by_role("navigation", name="Broader terms")
    crumb.get_by_role("link", name="computed tomography").click()
    page.wait_for_url("**/terms/ct")
    assert page.get_by_role("heading", name="Related concepts").is_visible()
