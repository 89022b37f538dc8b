"""The release pages and a term's History section in a real browser: axe-core finds no WCAG
2.1 AA violation at 390 px and 1280 px, nothing is wider than a phone's screen, and the
pinned page says which release it shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cli.release_commands import cut_release
from tests.browser.conftest import open_page
from tests.browser.test_browser_accessibility import axe_source, describe, run_axe  # noqa: F401
from tests.conftest import (
    OLD_CT_DEFINITION,
    Site,
    copy_release_source,
    edit_release_source,
    serve,
)
from vocab.config import Settings
from vocab.release import ReleaseArchive

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
FIRST, SECOND = "2026-01-01", "2026-02-01"
PAGES = {
    "releases": "/releases",
    "release": f"/releases/{SECOND}",
    "term-history": "/terms/t0001",
    "pinned": f"/releases/{FIRST}/terms/t0001",
}


@pytest.fixture(scope="module")
def release_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The release fixture cut twice (the second with the done-when edits), served for real."""
    work = tmp_path_factory.mktemp("release-site")
    source = copy_release_source(work)
    settings = Settings(db=work / "cut.db", source=source, releases=work / "releases")
    archive = ReleaseArchive(settings.releases)
    cut_release(settings, archive, FIRST, "The first release.", shapes=False)
    edit_release_source(source)
    cut_release(settings, archive, SECOND, "Five concepts changed.", shapes=False)
    with serve(source, work, "--releases", str(work / "releases")) as site:
        yield site


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_release_pages_pass_axe_and_fit_the_screen(
    browser: Any,
    release_site: Site,
    axe_source: str,  # noqa: F811
    name: str,
    width: str,
) -> None:
    with open_page(browser) as watched:
        page = watched.page
        page.set_viewport_size(WIDTHS[width])
        page.goto(release_site.url(PAGES[name]))
        violations = run_axe(page, axe_source)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert (describe(violations), overflow, watched.errors) == ("", 0, [])


def test_the_history_links_to_the_term_as_each_release_had_it(
    browser: Any, release_site: Site
) -> None:
    with open_page(browser) as watched:
        page = watched.page
        page.goto(release_site.url("/terms/t0001"))
        history = page.get_by_role("region", name="History")
        assert history.is_visible()
        assert page.locator("#versioned").input_value() == release_site.url(
            f"/releases/{SECOND}/terms/t0001"
        )
        history.get_by_role("link", name=f"Release {FIRST}").click()
        page.wait_for_url(f"**/releases/{FIRST}/terms/t0001")
        assert page.get_by_role("heading", name=f"As it was in release {FIRST}").is_visible()
        assert OLD_CT_DEFINITION in page.locator(".definition").first.text_content()
        assert watched.errors == []


def test_the_release_page_lists_files_and_changes(browser: Any, release_site: Site) -> None:
    with open_page(browser) as watched:
        page = watched.page
        page.goto(release_site.url(f"/releases/{SECOND}"))
        assert page.locator("h1").text_content() == f"Release {SECOND}"
        assert page.get_by_role("table").locator("tbody tr").count() >= 10
        assert page.get_by_role("heading", name="Added (1)").is_visible()
        assert page.get_by_role("heading", name="Deprecated (1)").is_visible()
        assert page.get_by_role("link", name="region of interest").is_visible()
        assert watched.errors == []
