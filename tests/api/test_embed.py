"""Embedding: the framable snippet, oEmbed (standards-checklist EMB-01..09) and tooltip data."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.conftest import BASE
from vocab.vocabulary import Vocabulary

MHRA = f"{BASE}/terms/t0019"
OEMBED_KEYS = {
    "version",
    "type",
    "html",
    "width",
    "height",
    "title",
    "provider_name",
    "provider_url",
    "cache_age",
}


def oembed(client: TestClient, url: str, **params: object) -> dict[str, object]:
    response = client.get("/oembed", params={"url": url, "format": "json", **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    data: dict[str, object] = response.json()
    return data


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


# --- /embed/{id} -------------------------------------------------------------------------


def test_embed_snippet_shows_term_definition_link_and_source(
    client: TestClient, shipped: Vocabulary
) -> None:
    concept = shipped.record("t0019").concept
    response = client.get("/embed/t0019")
    assert response.status_code == 200
    assert concept.definition().replace("'", "&#39;") in response.text
    assert (
        f'<a href="{MHRA}" target="_blank" rel="noopener noreferrer">{concept.pref_label()}</a>'
        in response.text
    )
    assert "Source: <a href=" in response.text


def test_embed_snippet_is_framable_and_script_free(client: TestClient) -> None:
    response = client.get("/embed/t0019")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors *" in csp
    assert "sandbox" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert "x-frame-options" not in response.headers
    assert "<script" not in response.text.lower()


def test_embed_shows_the_plain_definition_only_on_request(
    client: TestClient, shipped: Vocabulary
) -> None:
    concept = next(c for c in shipped.store.concepts() if c.is_active and c.plain_definitions)
    plain = concept.plain_definitions[0].text.replace("'", "&#39;")
    assert plain not in client.get(f"/embed/{concept.id}").text
    assert plain in client.get(f"/embed/{concept.id}?plain=true").text


def test_embed_of_a_merged_term_shows_the_term_it_moved_to(lifecycle_client: TestClient) -> None:
    assert "computed tomography" in lifecycle_client.get("/embed/dup").text


def test_embed_of_a_deprecated_term_names_its_replacement(lifecycle_client: TestClient) -> None:
    snippet = lifecycle_client.get("/embed/old").text
    assert "Deprecated." in snippet and f'href="{BASE}/terms/ct"' in snippet


def test_embed_of_a_withdrawn_term_is_a_410_that_says_so(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/embed/gone")
    assert response.status_code == 410
    assert "Withdrawn." in response.text


def test_embed_of_an_unknown_term_is_a_404(client: TestClient) -> None:
    assert client.get("/embed/nope").status_code == 404


def test_embed_is_cacheable(client: TestClient) -> None:
    first = client.get("/embed/t0019")
    assert first.headers["cache-control"].startswith("public")
    assert first.headers["etag"] != client.get("/embed/t0019?plain=true").headers["etag"]


# --- /oembed -----------------------------------------------------------------------------


def test_oembed_answers_the_contract(client: TestClient, shipped: Vocabulary) -> None:  # EMB-01
    data = oembed(client, MHRA)
    assert set(data) >= OEMBED_KEYS
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == shipped.record("t0019").concept.pref_label()
    assert data["provider_url"] == f"{BASE}/"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert "thumbnail_url" not in data


@pytest.mark.parametrize("maxwidth", [None, 50, 200, 320, 480, 1000])
@pytest.mark.parametrize("maxheight", [None, 20, 100, 600])
def test_oembed_respects_maxwidth_and_maxheight(
    client: TestClient, maxwidth: int | None, maxheight: int | None
) -> None:  # EMB-02
    params = {k: v for k, v in {"maxwidth": maxwidth, "maxheight": maxheight}.items() if v}
    data = oembed(client, MHRA, **params)
    assert 0 < data["width"] <= (maxwidth or 10_000)  # type: ignore[operator]
    assert 0 < data["height"] <= (maxheight or 10_000)  # type: ignore[operator]


def test_oembed_narrower_is_taller(client: TestClient) -> None:
    assert oembed(client, MHRA, maxwidth=200)["height"] > oembed(client, MHRA)["height"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/terms/nope",
        "https://example.org/terms/t0019",
        "javascript:alert(1)",
        f"{BASE}/about",
        "not a url",
    ],
)
def test_oembed_for_a_url_that_names_no_term_is_a_404(
    client: TestClient, url: str
) -> None:  # EMB-03
    response = client.get("/oembed", params={"url": url})
    assert response.status_code == 404
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("fmt", ["xml", "yaml"])
def test_oembed_formats_other_than_json_are_501(client: TestClient, fmt: str) -> None:  # EMB-03
    response = client.get("/oembed", params={"url": MHRA, "format": fmt})
    assert response.status_code == 501


def test_oembed_without_url_is_refused(client: TestClient) -> None:
    assert client.get("/oembed").status_code == 422


@pytest.mark.parametrize(
    "url", [MHRA, f"{MHRA}.html", f"{BASE}/embed/t0019", MHRA.replace("http://", "https://")]
)
def test_oembed_accepts_term_and_embed_addresses(client: TestClient, url: str) -> None:
    assert oembed(client, url)["title"] == "Medicines and Healthcare products Regulatory Agency"


def test_oembed_ignores_arguments_it_does_not_expect(client: TestClient) -> None:
    assert oembed(client, MHRA, theme="dark", callback="x")["type"] == "rich"


def test_term_page_advertises_its_oembed_and_the_link_resolves(
    client: TestClient,
) -> None:  # EMB-04
    page = client.get("/terms/t0019", headers={"Accept": "text/html"}).text
    link = next(
        a for t, a in Tags(page).tags if t == "link" and a.get("type") == "application/json+oembed"
    )
    assert link["href"] == f"{BASE}/oembed?url={quote(MHRA, safe='')}&format=json"
    assert link["title"]
    response = client.get(link["href"].removeprefix(BASE))
    assert response.status_code == 200 and response.json()["type"] == "rich"


@pytest.mark.parametrize("path", ["/oembed?url={uri}&format=json", "/embed/xss"])
def test_embedded_html_is_inert_for_hostile_data(
    lifecycle_client: TestClient, path: str
) -> None:  # EMB-05, E7
    response = lifecycle_client.get(path.format(uri=quote(f"{BASE}/terms/xss", safe="")))
    html = response.json()["html"] if path.startswith("/oembed") else response.text
    assert "<script" not in html.lower() and "<img" not in html and "<svg" not in html
    handlers = [name for _, attrs in Tags(html).tags for name in attrs if name.startswith("on")]
    assert handlers == []
    hrefs = [attrs["href"] for _, attrs in Tags(html).tags if "href" in attrs]
    assert [h for h in hrefs if not h.startswith(("http://", "https://"))] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_oembed_html_uses_dfn_abbr_and_the_canonical_link(client: TestClient) -> None:  # EMB-06
    html = str(oembed(client, MHRA)["html"])
    tags = Tags(html).tags
    names = [t for t, _ in tags]
    assert names.index("dfn") < names.index("abbr")
    dfn_link = tags[names.index("dfn") + 1]
    assert dfn_link == ("a", {"href": MHRA})
    abbr = tags[names.index("abbr")][1]
    assert abbr["title"] == "Medicines and Healthcare products Regulatory Agency"
    assert re.search(r"<abbr [^>]*>MHRA</abbr>", html)
    assert "style=" not in html and "target=" not in html


# --- CORS for cross-site widgets (EMB-09, E14) ------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/define?term=MHRA",
        f"/oembed?url={quote(MHRA, safe='')}",
        "/embed/t0019",
        "/static/tooltips.js",
    ],
)
def test_embedding_reads_are_public_cors_without_credentials(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "https://school.example", "Cookie": "a=b"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "ETag" in response.headers["access-control-expose-headers"]


def test_preflight_for_tooltip_data_is_allowed(client: TestClient) -> None:
    response = client.options(
        "/define?term=CT",
        headers={"Origin": "https://school.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"


# --- /define (tooltip data) --------------------------------------------------------------


@pytest.mark.parametrize(
    "term", ["MHRA", "mhra", "t0019", MHRA, "Medicines and Healthcare products Regulatory Agency"]
)
def test_define_finds_a_term_by_acronym_label_id_or_uri(client: TestClient, term: str) -> None:
    data = client.get("/define", params={"term": term}).json()
    assert data["ambiguous"] is False
    sense = data["senses"][0]
    assert sense["id"] == "t0019" and sense["uri"] == MHRA
    assert sense["definition"] and sense["acronym"] == ["MHRA"]
    assert set(sense) >= {"prefLabel", "plainDefinition", "field", "status", "replacedBy"}


def test_define_lists_every_sense_of_an_ambiguous_acronym_with_its_field(
    lifecycle_client: TestClient,
) -> None:
    data = lifecycle_client.get("/define", params={"term": "CT"}).json()
    assert data["ambiguous"] is True
    assert {s["prefLabel"] for s in data["senses"]} == {"computed tomography", "clinical trial"}
    assert any(s["field"] for s in data["senses"])


def test_define_of_an_unknown_term_is_a_json_404(client: TestClient) -> None:
    response = client.get("/define", params={"term": "zzqxjv"})
    assert response.status_code == 404
    assert response.json()["error"]["code"]


@pytest.mark.parametrize("term", ["", "a" * 201])
def test_define_refuses_empty_or_over_long_terms(client: TestClient, term: str) -> None:
    assert client.get("/define", params={"term": term}).status_code == 422


def test_define_keeps_hostile_text_as_data(lifecycle_client: TestClient) -> None:
    data = lifecycle_client.get("/define", params={"term": "xss"}).json()
    assert data["senses"][0]["prefLabel"] == "<script>alert(1)</script>"


# --- /embedding (how-to page) ------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["1. Embed a definition", "2. oEmbed", "3. Definition tooltips on your own words"],
)
def test_embedding_page_explains_each_way(client: TestClient, heading: str) -> None:
    assert heading in client.get("/embedding").text


def test_embedding_page_shows_the_tooltip_markup(client: TestClient) -> None:
    page = client.get("/embedding").text
    assert (
        "&lt;script src=&#34;http://127.0.0.1:8000/static/tooltips.js&#34; defer&gt;&lt;/script&gt;"
        in page
    )
    assert '<script src="/static/tooltips.js" defer></script>' in page
    assert "<dfn data-term=" in page and "<abbr>CT</abbr>" in page
