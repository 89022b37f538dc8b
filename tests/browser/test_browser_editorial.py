"""The editorial pages in chromium: a proposer proposes a label change from a term page and a
reviewer of another community approves it, with JavaScript off (the pages need none);
axe-core finds no WCAG 2.1 AA violation on any editorial page at 390 px and 1280 px; no
console error (so no CSP violation); nothing wider than the screen at 390 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from loaders.turtle_source import read_source
from tests.api.editorial.conftest import PASSWORD, SOURCE, TEAM
from tests.browser.conftest import open_page
from tests.browser.test_browser_accessibility import axe_source, describe, run_axe  # noqa: F401
from tests.conftest import Site, serve
from vocab.editorial.accounts import Accounts
from vocab.editorial.model import ReviewerScope
from vocab.editorial.seed import seed
from vocab.editorial.sql_store import SqlEditorialStore

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def desk_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`vocab serve` over the tiny vocabulary, its editorial store seeded, the team with passwords."""
    work = tmp_path_factory.mktemp("editorial-site")
    with serve(SOURCE, work, "--editorial-db", str(work / "editorial.db")) as site:
        store = SqlEditorialStore.open(str(work / "editorial.db"))
        seed(store, read_source(SOURCE, base=site.base).snapshot, base=site.base)
        accounts = Accounts(store)
        admin = accounts.bootstrap_admin("admin", PASSWORD)
        for name in ("pat", "carol"):
            role, communities, collections = TEAM[name]
            accounts.create_account(
                admin,
                name,
                roles=[role],
                scope=ReviewerScope(communities, collections),
                password=PASSWORD,
            )
        store.close()
        yield site


def sign_in(page: Any, site: Site, name: str, then: str = "/editorial") -> None:
    page.goto(site.url(f"/editorial/sign-in?next={then}"))
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture(scope="module")
def proposal(browser: Any, desk_site: Site) -> str:
    """pat proposes 'hit rate' (industry) for sensitivity, from its term page, without JavaScript."""
    with open_page(browser, java_script_enabled=False) as watched:
        page = watched.page
        sign_in(page, desk_site, "pat")
        page.goto(desk_site.url("/terms/t0001"))
        page.get_by_role("link", name="Propose a change").click()
        page.get_by_role(
            "link", name="Labels (names, acronyms, misspellings) and who uses them"
        ).click()
        page.locator("#label-3-text").fill("hit rate")
        page.locator("#label-3-usage-industry").check()
        page.get_by_label("Why this change?").fill("Vendors' dashboards say hit rate.")
        page.get_by_role("button", name="Send proposal").click()
        assert page.get_by_role("heading", level=1).inner_text().startswith("edit labels")
        assert watched.errors == []
        return str(page.url.rsplit("/", 1)[-1])


def test_a_reviewer_of_another_community_approves_in_the_browser(
    browser: Any, desk_site: Site, proposal: str
) -> None:
    with open_page(browser, java_script_enabled=False) as watched:
        page = watched.page
        sign_in(page, desk_site, "carol", f"/editorial/review/{proposal}")
        page.get_by_role("button", name="Take into review").click()
        page.get_by_label("Comment").first.fill("Clinicians hear it too.")
        page.get_by_role("button", name="Approve").click()
        assert "approved" in page.locator(".facts").inner_text()
        assert "Clinicians hear it too." in page.locator(".comments").first.inner_text()
        assert watched.errors == []


PAGES = {
    "sign-in": "/editorial/sign-in",
    "queue": "/editorial",
    "review": "/editorial/review/{proposal}",
    "propose": "/editorial/propose/t0001?kind=edit_labels",
    "propose-relations": "/editorial/propose/t0001?kind=edit_relations",
    "suggest": "/editorial/suggest?label=negative%20predictive%20value",
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_the_editorial_pages_pass_axe_and_fit_the_screen(
    browser: Any,
    desk_site: Site,
    proposal: str,
    axe_source: str,  # noqa: F811
    name: str,
    width: str,
) -> None:
    with open_page(browser) as watched:
        page = watched.page
        page.set_viewport_size(WIDTHS[width])
        sign_in(page, desk_site, "pat")
        page.goto(desk_site.url(PAGES[name].format(proposal=proposal)))
        violations = run_axe(page, axe_source)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert (describe(violations), overflow, watched.errors) == ("", 0, [])
