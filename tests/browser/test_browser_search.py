"""Search as you type in a real browser: suggestions by keyboard; the form without JavaScript."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Site, Watched, open_page

SUGGESTIONS = "#home-q-suggestions"


def type_slowly(page: Any, selector: str, text: str) -> None:
    page.locator(selector).press_sequentially(text, delay=40)


def test_a_misspelt_query_is_picked_from_the_suggestions_with_the_keyboard(
    watched: Watched, site: Site
) -> None:
    page = watched.page
    page.goto(site.url("/"))
    field = page.locator("#home-q")
    type_slowly(page, "#home-q", "machne lerning")
    # wait for the list that answers the whole text, not one for a prefix typed on the way
    page.locator(f'{SUGGESTIONS}[data-query="machne lerning"]').wait_for()
    options = page.locator(f"{SUGGESTIONS} [role=option]")
    options.first.wait_for()
    assert page.locator(SUGGESTIONS).is_visible()
    assert field.get_attribute("aria-expanded") == "true"
    assert options.count() >= 2

    field.press("ArrowDown")
    field.press("ArrowDown")
    field.press("ArrowUp")

    first = options.nth(0)
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert options.nth(1).get_attribute("aria-selected") == "false"
    chosen = first.locator(".suggestion-label").text_content()
    assert chosen == "machine learning"
    assert page.evaluate("document.activeElement.id") == "home-q"  # focus never left the box

    field.press("Enter")
    page.wait_for_url("**/terms/*")
    assert page.locator("h1").text_content() == chosen
    assert watched.errors == []


def test_the_radiographers_reccal_lands_on_sensitivity(page: Any, site: Site) -> None:
    page.goto(site.url("/"))
    type_slowly(page, "#home-q", "reccal")
    page.locator(f"{SUGGESTIONS} [role=option]").first.wait_for()
    page.locator("#home-q").press("ArrowDown")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/terms/*")
    assert page.locator("h1").text_content() == "sensitivity"
    assert page.get_by_text("recall", exact=False).first.is_visible()


def test_escape_closes_the_suggestions_and_enter_searches(page: Any, site: Site) -> None:
    page.goto(site.url("/"))
    field = page.locator("#home-q")
    type_slowly(page, "#home-q", "mri")
    page.locator(f"{SUGGESTIONS} [role=option]").first.wait_for()
    field.press("Escape")
    assert page.locator(SUGGESTIONS).is_hidden()
    assert field.get_attribute("aria-expanded") == "false"
    field.press("Enter")
    page.wait_for_url("**/search?q=mri")
    assert page.locator("h1").text_content() == "Results for “mri”"
    assert page.locator("ol.results > li").count() >= 1


def test_clicking_a_suggestion_opens_its_term(page: Any, site: Site) -> None:
    page.goto(site.url("/terms/t0019"))
    type_slowly(page, "#q", "deep lerning")
    option = page.locator("#q-suggestions [role=option]").first
    label = option.locator(".suggestion-label").text_content()
    option.click()
    page.wait_for_url("**/terms/*")
    assert page.locator("h1").text_content() == label


def test_search_results_show_the_match_and_the_false_friend_warning(page: Any, site: Site) -> None:
    page.goto(site.url("/search?q=reccal"))
    first = page.locator("ol.results > li").first
    assert first.locator("h2 a").text_content() == "sensitivity"
    assert first.locator(".false-friend").is_visible()
    assert "Take care" in first.locator(".false-friend").text_content()


def test_search_works_without_javascript(browser: Any, site: Site) -> None:
    with open_page(browser, java_script_enabled=False) as watched:
        page = watched.page
        page.goto(site.url("/"))
        page.locator("#home-q").fill("reccal")
        page.locator("#home-q").press("Enter")
        page.wait_for_url("**/search?q=reccal")
        page.locator("ol.results a", has_text="sensitivity").first.click()
        page.wait_for_url("**/terms/*")
        assert page.locator("h1").text_content() == "sensitivity"
        assert page.get_by_role(
            "button", name="Copy link"
        ).is_hidden()  # shown only when it can work
        assert page.locator("#canonical").input_value().endswith(page.url.rsplit("/", 1)[-1])
