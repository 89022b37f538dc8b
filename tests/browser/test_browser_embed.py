"""Embedding in a real browser, across origins: tooltips (EMB-07), oEmbed, frames, XSS (E1, E7)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import HostSite, Site, Watched

XSS_PAYLOAD = "<script>alert(1)</script>"


def tooltip_page(site: Site, body: str, *, plain: bool = False) -> str:
    option = ' data-plain="true"' if plain else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,"><title>Lecture notes</title>'
        f'<script src="{site.url("/static/tooltips.js")}"{option} defer></script></head>'
        '<body><main><h1>Lecture notes</h1><p><a id="start" href="#top">Top</a></p>'
        f"{body}</main></body></html>"
    )


def tooltip_of(page: Any, trigger: Any) -> Any:
    ids = trigger.get_attribute("aria-describedby")
    assert ids
    return page.locator(f"#{ids.split()[-1]}")


def test_tooltip_opens_on_focus_and_closes_on_escape(
    watched: Watched, site: Site, host: HostSite
) -> None:
    page = watched.page
    url = host.publish(
        "/focus.html",
        tooltip_page(
            site, '<p>Today: <dfn data-term="machine learning">machine learning</dfn>.</p>'
        ),
    )
    definition = page.request.get(site.url("/define"), params={"term": "machine learning"}).json()[
        "senses"
    ][0]["definition"]
    page.goto(url)
    trigger = page.locator("dfn[data-airt=ready]")
    trigger.wait_for()
    tooltip = tooltip_of(page, trigger)
    assert tooltip.get_attribute("role") == "tooltip"
    assert tooltip.is_hidden()

    page.locator("#start").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "DFN"
    assert tooltip.is_visible()
    assert definition in tooltip.text_content()

    page.keyboard.press("Escape")
    assert tooltip.is_hidden()
    assert (
        page.evaluate("document.activeElement.tagName") == "DFN"
    )  # Escape leaves focus where it was
    assert watched.errors == []


def test_tooltip_stays_open_while_the_pointer_is_over_it(
    page: Any, site: Site, host: HostSite
) -> None:
    url = host.publish(
        "/hover.html",
        tooltip_page(site, '<p>We use <abbr>MHRA</abbr> guidance.</p><p id="far">Elsewhere.</p>'),
    )
    page.goto(url)
    trigger = page.locator("abbr[data-airt=ready]")
    trigger.wait_for()
    tooltip = tooltip_of(page, trigger)
    trigger.hover()
    assert tooltip.is_visible()
    tooltip.hover()  # the pointer crosses from the word to the tooltip (WCAG 1.4.13 hoverable)
    page.wait_for_timeout(2000)  # and it does not time out
    assert tooltip.is_visible()
    page.mouse.move(5, 880)
    tooltip.wait_for(state="hidden")


def test_ambiguous_acronym_tooltip_gives_every_sense_with_its_field(
    page: Any, lifecycle_site: Site, host: HostSite
) -> None:
    url = host.publish(
        "/ambiguous.html", tooltip_page(lifecycle_site, "<p>The <abbr>CT</abbr> results.</p>")
    )
    page.goto(url)
    trigger = page.locator("abbr[data-airt=ready]")
    trigger.wait_for()
    trigger.focus()
    text = tooltip_of(page, trigger).text_content()
    assert "computed tomography" in text and "clinical trial" in text
    assert "In Imaging" in text


def test_plain_option_shows_plain_language_definitions(
    page: Any, site: Site, host: HostSite
) -> None:
    sense = page.request.get(site.url("/define"), params={"term": "machine learning"}).json()[
        "senses"
    ][0]
    url = host.publish(
        "/plain.html", tooltip_page(site, '<dfn data-term="machine learning">ML</dfn>', plain=True)
    )
    page.goto(url)
    trigger = page.locator("dfn[data-airt=ready]")
    trigger.wait_for()
    trigger.focus()
    assert sense["plainDefinition"] in tooltip_of(page, trigger).text_content()


def test_unknown_words_get_no_tooltip(page: Any, site: Site, host: HostSite) -> None:
    url = host.publish(
        "/unknown.html", tooltip_page(site, "<p><abbr>ZZQX</abbr> and <abbr>MHRA</abbr></p>")
    )
    page.goto(url)
    page.locator("abbr[data-airt=ready]").wait_for()
    unknown = page.locator("abbr", has_text="ZZQX")
    page.wait_for_function("!document.querySelector('abbr[data-airt=loading]')")
    assert unknown.get_attribute("aria-describedby") is None
    assert unknown.get_attribute("tabindex") is None


def test_oembed_round_trip_from_discovery_to_a_consumer_page(
    watched: Watched, site: Site, host: HostSite
) -> None:
    page = watched.page
    page.goto(site.url("/terms/t0019"))
    discovery = page.locator('head link[type="application/json+oembed"]').get_attribute("href")
    answer = page.request.get(discovery)
    assert answer.ok and answer.headers["content-type"] == "application/json"
    data = answer.json()
    assert data["type"] == "rich" and data["version"] == "1.0"

    page.goto(
        host.publish(
            "/consumer.html",
            '<!doctype html><html lang="en"><head><title>Consumer</title></head>'
            '<body><div id="card"></div></body></html>',
        )
    )
    page.evaluate(
        "html => { document.getElementById('card').innerHTML = html; }", data["html"]
    )  # as a consumer does
    link = page.locator("#card dfn a")
    assert link.text_content() == data["title"]
    assert link.get_attribute("href") == site.url("/terms/t0019")
    assert page.locator("#card abbr").get_attribute("title") == data["title"]
    assert watched.dialogs == []


def test_only_the_embed_route_can_be_framed(page: Any, site: Site, host: HostSite) -> None:
    url = host.publish(
        "/frames.html",
        f'<!doctype html><html lang="en"><head><title>Frames</title></head><body>'
        f'<iframe id="embed" title="embed" src="{site.url("/embed/t0019")}"></iframe>'
        f'<iframe id="page" title="page" src="{site.url("/terms/t0019")}"></iframe>'
        f"</body></html>",
    )
    page.goto(url)
    page.wait_for_load_state("load")
    embed = page.frame_locator("#embed")
    assert (
        embed.locator("dfn a").text_content()
        == "Medicines and Healthcare products Regulatory Agency"
    )
    refused = page.locator("#page").element_handle().content_frame()
    assert "Medicines and Healthcare" not in refused.content()  # frame-ancestors 'none'


@pytest.mark.parametrize(
    "path",
    [
        "/terms/xss",
        "/search?q=script",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/embed/xss",
        "/a-z",
    ],
)
def test_xss_payloads_in_the_pages_never_run(
    watched: Watched, lifecycle_site: Site, path: str
) -> None:
    page = watched.page
    page.goto(lifecycle_site.url(path))
    assert page.locator("img[src=x], svg").count() == 0
    assert page.locator("script:not([src]):not([type='application/ld+json'])").count() == 0
    assert watched.dialogs == []


def test_xss_payloads_in_the_data_never_run(
    watched: Watched, lifecycle_site: Site, host: HostSite
) -> None:
    page = watched.page
    page.goto(lifecycle_site.url("/terms/xss"))
    assert page.locator("h1").text_content() == XSS_PAYLOAD

    oembed = page.request.get(
        lifecycle_site.url("/oembed"), params={"url": lifecycle_site.url("/terms/xss")}
    ).json()
    url = host.publish(
        "/hostile.html",
        tooltip_page(lifecycle_site, '<p><dfn data-term="xss">this</dfn></p><div id="card"></div>'),
    )
    page.goto(url)
    page.evaluate("html => { document.getElementById('card').innerHTML = html; }", oembed["html"])
    trigger = page.locator("dfn[data-airt=ready]")
    trigger.wait_for()
    trigger.focus()
    assert XSS_PAYLOAD in tooltip_of(page, trigger).text_content()
    page.wait_for_timeout(300)
    assert page.locator("img[src=x], svg").count() == 0
    assert watched.dialogs == []


def test_a_tooltip_warns_and_never_repeats_an_acronym_its_label_holds(
    watched: Watched, site: Site, host: HostSite
) -> None:
    page = watched.page
    body = (
        '<p><dfn data-term="t0070">510(k)</dfn> and '
        '<dfn data-term="device labelling">labelling</dfn>.</p>'
    )
    page.goto(host.publish("/issue16.html", tooltip_page(site, body)))
    page.locator("dfn[data-airt=ready]").nth(1).wait_for()  # the script marks them after load
    first, second = page.locator("dfn[data-airt=ready]").all()[:2]
    first.focus()
    text = tooltip_of(page, first).text_content() or ""
    assert "510(k) clearance" in text and "510(k) clearance (510(k))" not in text
    second.focus()
    warned = tooltip_of(page, second).text_content() or ""
    assert "Take care: " in warned and "Licence: " in warned
