"""Every kind of page on a 390-px phone and a 1280-px desktop (issue 16): nothing wider
than the window, every control labelled, embed code boxes showing all their code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Site

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "home": "/",
    "a-z": "/a-z",
    "collection": "/collections/evaluation",
    "search": "/search?q=validation",
    "no-result": "/search?q=flibbertigibbet",
    "term": "/terms/t0133",  # sensitivity: the longest "Every label" table
    "term-organisation": "/terms/t0019",
    "embed": "/embed/t0118?plain=true",
    "about": "/about",
    "annotate": "/annotate",
    "embedding": "/embedding",
    "editorial-sign-in": "/editorial/sign-in",
}
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && getComputedStyle(e).position !== 'fixed'
      && !e.closest('.visually-hidden, [hidden]');
  }).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : '')
         + ' ' + (e.textContent || '').trim().slice(0, 40));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(e => e.type !== 'hidden' && !e.hidden && e.getClientRects().length)
  .filter(e => {
    const named = e.labels && e.labels.length || e.getAttribute('aria-label')
      || e.getAttribute('aria-labelledby') || e.getAttribute('title');
    const text = e.tagName === 'BUTTON' && e.textContent.trim();
    return !(named || text || (e.type === 'submit' && e.value));
  }).map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture(params=list(WIDTHS), scope="module")
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_is_wider_than_the_window(sized: Any, site: Site, name: str) -> None:
    response = sized.goto(site.url(PAGES[name]))
    assert response.status < 500
    found = sized.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
    assert found["wide"] == [], found


@pytest.mark.parametrize("name", list(PAGES))
def test_every_control_is_labelled(sized: Any, site: Site, name: str) -> None:
    sized.goto(site.url(PAGES[name]))
    assert sized.evaluate(UNLABELLED) == []


def test_the_header_search_box_shows_what_it_is_for(sized: Any, site: Site) -> None:
    sized.goto(site.url("/about"))
    box = sized.locator("header #q")
    assert box.get_attribute("placeholder") == "Search terms and acronyms"
    assert box.get_attribute("aria-label") == "Search terms and acronyms"


def test_the_label_table_shows_every_community_whole(sized: Any, site: Site) -> None:
    sized.goto(site.url("/terms/t0133"))
    cells = sized.locator("table.stack td[data-label='Used by']")
    assert cells.count() > 3
    for i in range(cells.count()):
        cell = cells.nth(i)
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), cell.text_content()


@pytest.mark.parametrize("box", ["#embed-code", "#tooltip-code"])
def test_the_embed_code_boxes_show_all_their_code(sized: Any, site: Site, box: str) -> None:
    sized.goto(site.url("/terms/t0019"))
    area = sized.locator(box)
    assert area.evaluate(
        "e => e.scrollHeight <= e.clientHeight + 2 && e.scrollWidth <= e.clientWidth + 2"
    )


def test_disabled_letters_are_not_links_anywhere(sized: Any, site: Site) -> None:
    sized.goto(site.url("/a-z"))
    disabled = sized.locator(".letters [aria-disabled='true']")
    assert disabled.count() > 0
    assert sized.locator(".letters a").count() >= 27  # 0–9 and A to Z
    assert all(disabled.nth(i).get_attribute("href") is None for i in range(disabled.count()))
