"""Accessibility in a real browser: axe-core on every main page, keyboard focus order, screenshots.

axe-core comes from the pinned PyPI package axe-playwright-python (a dev dependency), which
ships `axe.min.js`; nothing third-party is committed here. It is evaluated in the page over
the DevTools protocol, so the pages keep their strict Content-Security-Policy.

Screenshots of the home, search and term pages are written to a temporary folder on every
run, and to docs/ when UPDATE_SCREENSHOTS=1 (the README shows those):

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser -k screenshot
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ROOT, Site

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
PAGES = {
    "home": "/",
    "search": "/search?q=validation",
    "search-typo": "/search?q=reccal",
    "term": "/terms/{sensitivity}",
    "about": "/about",
    "a-z": "/a-z",
    "embedding": "/embedding",
    "organisation": "/terms/t0019",
    "collection": "/collections/organisations",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    axe = pytest.importorskip(
        "axe_playwright_python.base", reason="pip install axe-playwright-python"
    )
    return Path(axe.AXE_FILE_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sensitivity(site: Site) -> str:
    with urllib.request.urlopen(site.url("/define?term=sensitivity"), timeout=5) as response:
        return str(json.load(response)["senses"][0]["id"])


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """Return axe-core's WCAG 2.1 A/AA violations for the page as it is now."""
    page.evaluate(source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_violations(
    page: Any, site: Site, axe_source: str, sensitivity: str, name: str
) -> None:
    page.goto(site.url(PAGES[name].format(sensitivity=sensitivity)))
    violations = run_axe(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)
    assert not violations, describe(violations)


def test_axe_finds_no_violations_with_suggestions_open(
    page: Any, site: Site, axe_source: str
) -> None:
    page.goto(site.url("/"))
    page.locator("#home-q").press_sequentially("machne lerning", delay=40)
    page.locator("#home-q-suggestions [role=option]").first.wait_for()
    page.locator("#home-q").press("ArrowDown")
    violations = run_axe(page, axe_source)
    assert not violations, describe(violations)


def test_axe_finds_no_violations_in_the_embed_snippet(
    page: Any, site: Site, axe_source: str
) -> None:
    # The snippet is served sandboxed without scripts, where no script (axe included) can run:
    # check the same document loaded into a scriptable page instead.
    snippet = page.request.get(site.url("/embed/t0019?plain=true")).text()
    page.set_content(snippet)
    violations = run_axe(page, axe_source)
    assert not violations, describe(violations)


def test_keyboard_focus_starts_with_the_skip_link_and_reaches_main(page: Any, site: Site) -> None:
    page.goto(site.url("/terms/t0019"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside_main


@pytest.mark.parametrize("selector", ["header.site nav a", ".breadcrumb a, .term a", "button.copy"])
def test_focus_is_visible_on_links_and_buttons(page: Any, site: Site, selector: str) -> None:
    page.goto(site.url("/terms/t0019"))
    element = page.locator(selector).first
    element.focus()
    style = element.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor]; }"
    )
    outline_style, outline_width, box_shadow, _background = style
    assert (outline_style != "none" and outline_width != "0px") or box_shadow != "none", style


@pytest.mark.parametrize("name", ["home", "search", "term"])
def test_screenshots_of_the_three_main_pages(
    page: Any, site: Site, sensitivity: str, tmp_path: Path, name: str
) -> None:
    target = ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    shots = {"home": "/", "search": "/search?q=validation", "term": f"/terms/{sensitivity}"}
    page.goto(site.url(shots[name]))
    if name == "home":
        page.locator("#home-q").press_sequentially("reccal", delay=40)
        page.locator("#home-q-suggestions [role=option]").first.wait_for()
        page.locator("#home-q").press("ArrowDown")
    file = target / f"screenshot-{name}.png"
    page.screenshot(path=str(file), full_page=name == "term")
    assert file.stat().st_size > 10_000
