"""/docs (Swagger UI) and /redoc render in Chromium, offline, under their Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Site, Watched

LOCAL = ("blob:", "data:")


def outside_answers(page: Any, site: Site) -> list[str]:
    """Start recording every answer the page gets from another origin; return the record."""
    seen: list[str] = []

    def record(response: Any) -> None:
        if not response.url.startswith((site.base, *LOCAL)):
            seen.append(response.url)

    page.on("response", record)
    return seen


def test_swagger_ui_renders_every_operation(watched: Watched, lifecycle_site: Site) -> None:
    page = watched.page
    elsewhere = outside_answers(page, lifecycle_site)
    page.goto(lifecycle_site.url("/docs"))
    page.locator(".opblock").first.wait_for()
    paths = set(page.locator(".opblock-summary-path").all_text_contents())
    assert {"/terms/{concept_id}", "/sparql", "/fhir/ValueSet/$expand"} <= {
        p.replace("\u200b", "") for p in paths
    }
    assert (elsewhere, watched.errors) == ([], [])


def test_swagger_ui_can_try_a_request(watched: Watched, lifecycle_site: Site) -> None:
    page = watched.page
    page.goto(lifecycle_site.url("/docs"))
    operation = page.locator("#operations-fhir-metadata_fhir_metadata_get")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    body = operation.locator(".responses-wrapper .response-col_description pre").first
    body.wait_for()
    assert "CapabilityStatement" in body.text_content()
    assert watched.errors == []


def test_redoc_renders_the_reference(watched: Watched, lifecycle_site: Site) -> None:
    page = watched.page
    elsewhere = outside_answers(page, lifecycle_site)
    page.goto(lifecycle_site.url("/redoc"))
    heading = page.locator("h2", has_text="Expand a value set; with filter, search it as you type")
    heading.first.wait_for()
    # ReDoc asks its CDN for a logo; the policy refuses it, so nothing leaves the browser
    assert elsewhere == []
    assert all("cdn.redoc.ly" in e and "Content Security Policy" in e for e in watched.errors)


@pytest.mark.parametrize("width", [390, 1280])
def test_docs_fit_the_screen(watched: Watched, lifecycle_site: Site, width: int) -> None:
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(lifecycle_site.url("/docs"))
    page.locator(".opblock").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
