"""Under a sub-path (`vocab serve --root-path /airt`), in a real browser: the page's styles and
scripts load, suggestions come from /airt/suggest, and choosing one opens /airt/terms/...;
no request leaves the prefix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import LIFECYCLE, Watched
from tests.conftest import Site, serve


@pytest.fixture(scope="module")
def airt_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(LIFECYCLE, tmp_path_factory.mktemp("airt-site"), "--root-path", "/airt") as site:
        yield site


def test_the_home_page_works_under_the_prefix(watched: Watched, airt_site: Site) -> None:
    page = watched.page
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(airt_site.url("/airt/"))
    # the stylesheet applied: the body is not in the browser's default font
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    page.locator("#home-q").press_sequentially("tumour si", delay=40)
    page.locator('#home-q-suggestions[data-query="tumour si"] [role=option]').first.wait_for()
    page.locator("#home-q").press("ArrowDown")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/airt/terms/*")
    assert page.locator("h1").text_content()
    local = [u for u in requested if u.startswith(airt_site.base)]
    assert local and all(u.startswith(airt_site.base + "/airt/") for u in local), local
    assert failed == [] and watched.errors == []


def test_a_page_without_javascript_keeps_its_form_under_the_prefix(
    browser: Any, airt_site: Site
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(airt_site.url("/airt/"))
        page.locator("#home-q").fill("CT")
        page.locator("#home-q").press("Enter")
        page.wait_for_url("**/airt/search?q=CT*")
        assert "computed tomography" in page.content()
    finally:
        context.close()
