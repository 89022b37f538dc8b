"""The /annotate page and the tooltip script's annotate mode in a real browser: both widths,
axe-core, without JavaScript, hostile input, across origins, and the README screenshot."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import HostSite, Site, Watched
from tests.browser.test_browser_accessibility import describe, run_axe
from tests.conftest import ROOT

LECTURE = "\n".join(
    (ROOT / "tests" / "content" / "documents" / "lecture.md")
    .read_text(encoding="utf-8")
    .splitlines()[2:5]
)  # the lecture's two paragraphs (tests/content checks the senses chosen in it)
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script><p>The CT scanner</p>'
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def axe_js() -> str:
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


@pytest.fixture(params=sorted(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(10_000)
    watched = Watched(page)
    page.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    yield watched
    context.close()


def annotate(page: Any, site: Site, text: str, kind: str = "text") -> None:
    page.goto(site.url("/annotate"))
    page.locator("#annotate-text").fill(text)
    page.locator(f"input[name=kind][value={kind}]").check()
    page.get_by_role("button", name="Annotate").click()
    page.locator("#result-title").wait_for()


def test_pasted_text_comes_back_linked_at_both_widths(
    sized: Watched, site: Site, axe_js: str
) -> None:
    page = sized.page
    annotate(page, site, LECTURE)
    links = page.locator(".annotated a.airt-term")
    assert links.count() >= 8
    assert "computed tomography" in page.locator(".annotate-terms").text_content()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert describe(run_axe(page, axe_js)) == ""
    assert sized.errors == []


def test_the_form_works_without_javascript(browser: Any, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        annotate(page, site, LECTURE)
        assert (
            page.locator(".annotated a[href$='/terms/t0007']").first.text_content()
            == "deep learning"
        )
    finally:
        context.close()


def test_hostile_html_is_shown_as_text_and_never_runs(watched: Watched, site: Site) -> None:
    page = watched.page
    annotate(page, site, HOSTILE, kind="html")
    assert page.locator(".annotated").text_content().startswith("<img src=x")
    assert page.locator(".annotated img, .annotated script").count() == 0
    page.wait_for_timeout(300)
    assert watched.dialogs == []


def test_the_tooltip_script_annotates_a_page_of_another_site(
    watched: Watched, site: Site, host: HostSite
) -> None:
    page = watched.page
    url = host.publish(
        "/annotated.html",
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f'<title>Notes</title><script src="{site.url("/static/tooltips.js")}" data-annotate="first" defer>'
        "</script></head><body><main><h1>Notes</h1>"
        "<p>😀 After the planning <b>CT</b>, the auto-contouring model outlines the organs at "
        "risk; the CT is then reviewed.</p><pre>CT in code</pre><p>&lt;b&gt; &amp; MRI</p></main></body></html>",
    )
    page.goto(url)
    terms = page.locator("span.airt-term[data-airt=ready]")
    page.locator("span.airt-term[data-airt=ready]", has_text="MRI").wait_for()
    page.wait_for_function("!document.querySelector('span.airt-term[data-airt=loading]')")
    texts = [terms.nth(i).text_content() for i in range(terms.count())]
    assert texts.count("CT") == 1 and "auto-contouring" in texts and "MRI" in texts
    assert page.locator("pre").text_content() == "CT in code"
    first = page.locator("span.airt-term", has_text="auto-contouring")
    first.hover()
    tooltip = page.locator("#" + first.get_attribute("aria-describedby").split()[-1])
    assert tooltip.is_visible()
    assert watched.errors == []


def test_screenshot_of_the_annotate_page(page: Any, site: Site, tmp_path: Path) -> None:
    target = ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    annotate(page, site, LECTURE)
    file = target / "screenshot-annotate.png"
    page.screenshot(path=str(file), full_page=True)
    assert file.stat().st_size > 10_000
