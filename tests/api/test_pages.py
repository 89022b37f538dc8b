"""The HTML pages: what each shows, that they work without JavaScript, and that they stay safe.

Browser behaviour (suggestions, copy, tooltips, axe) is in tests/browser/; these tests read
the served HTML through the test client.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from starlette.responses import HTMLResponse

from tests.conftest import BASE, app_routes
from vocab.model import COMMUNITIES, Concept, NoteKind
from vocab.vocabulary import Vocabulary

HTML = {"Accept": "text/html"}
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
]


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text of <script> elements."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._in_script: dict[str, str] | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, ""))
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))
            self._in_script = None

    def all(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]


def page(client: TestClient, path: str) -> str:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.fixture(scope="module")
def warned(shipped: Vocabulary) -> Concept:
    """A shipped concept with a false-friend warning and a synonym that some community uses."""
    return next(
        c
        for c in shipped.store.concepts()
        if c.is_active
        and any(n.kind is NoteKind.WARNING for n in c.notes)
        and any(lb.usage for lb in c.alt_labels)
    )


@pytest.fixture(scope="module")
def synonym_hit(client: TestClient, shipped: Vocabulary) -> dict[str, Any]:
    """A search whose best hit was found by a synonym that some community uses."""
    for concept in shipped.store.concepts():
        for label in concept.alt_labels:
            if concept.is_active and label.usage and len(label.text) > 5:
                best = client.get("/search", params={"q": label.text}).json()["results"][0]
                if best["id"] == concept.id and best["matched"] == label.text:
                    return {"query": label.text, "id": concept.id, "usage": label.usage}
    pytest.fail("no synonym in the shipped vocabulary finds its concept first")


@pytest.fixture(scope="module")
def narrower_concept(shipped: Vocabulary) -> Concept:
    """A shipped concept with a broader concept, a plain definition and a source."""
    return next(
        c
        for c in shipped.store.concepts()
        if c.is_active and c.broader and c.plain_definitions and c.sources
    )


# --- home, A-Z, about, collections -------------------------------------------------------


def test_home_search_works_without_javascript(client: TestClient) -> None:
    elements = Elements(page(client, "/"))
    form = elements.all("form", role="search")[0]
    assert (form["action"], form["method"]) == ("/search", "get")
    field = elements.all("input", name="q")[0]
    assert elements.all("label", for_=field["id"])
    assert "data-suggest" in field


def test_home_loads_the_suggestion_script_from_our_origin_only(client: TestClient) -> None:
    scripts = [a for a, _ in Elements(page(client, "/")).scripts]
    assert [s["src"] for s in scripts] == ["/static/suggest.js"]


def test_home_browses_by_collection_with_counts(client: TestClient, shipped: Vocabulary) -> None:
    home = page(client, "/")
    links = {f'href="/collections/{quote(c.id, safe="")}"' for c in shipped.collections()}
    assert {link for link in links if link not in home} == set()
    assert re.search(r'class="count">\d+ concepts?<', home)


def test_home_shows_counts_and_the_release(client: TestClient, shipped: Vocabulary) -> None:
    home = page(client, "/")
    assert f"<dd>{shipped.store.count(active_only=True)}</dd>" in home
    assert "In this release" in home
    assert f"Version <strong>{shipped.scheme.version}</strong>" in home


def test_home_links_every_letter_of_the_index(client: TestClient) -> None:
    home, index = page(client, "/"), page(client, "/a-z")
    anchors = re.findall(r'href="/a-z#(letter-[^"]+)"', home)
    assert anchors
    assert [a for a in anchors if f'id="{a}"' not in index] == []


def test_a_to_z_lists_every_current_concept(client: TestClient, shipped: Vocabulary) -> None:
    index = page(client, "/a-z")
    linked = set(re.findall(r'href="/terms/([^"]+)"', index))
    assert linked == {r.id for r in shipped.store.concept_refs_sorted()}


def test_about_gives_licence_version_proposals_and_api(
    client: TestClient, shipped: Vocabulary
) -> None:
    about = page(client, "/about")
    assert f'href="{shipped.scheme.license}"' in about
    assert shipped.scheme.version and shipped.scheme.version in about
    assert 'id="propose"' in about
    assert 'href="/docs"' in about and 'href="/openapi.json"' in about


def test_collection_page_lists_its_members(client: TestClient, shipped: Vocabulary) -> None:
    collection = shipped.collections()[0]
    listed = set(
        re.findall(r'href="/terms/([^"]+)"', page(client, f"/collections/{collection.id}"))
    )
    assert listed == {r.id for r in shipped.refs(collection.members).values()}


def test_unknown_collection_is_a_404(client: TestClient) -> None:
    assert client.get("/collections/nope", headers=HTML).status_code == 404


# --- search results ----------------------------------------------------------------------


def test_search_page_shows_the_matched_label_and_its_communities(
    client: TestClient, synonym_hit: dict[str, Any]
) -> None:
    results = page(client, f"/search?q={quote(synonym_hit['query'])}")
    first = results[
        results.index('<li class="result">') : results.index(
            "</li>", results.index('<li class="result">')
        )
    ]
    assert f'href="/terms/{synonym_hit["id"]}"' in first
    matched = escape(synonym_hit["query"])
    assert f"Matched “<mark>{matched}</mark>”, synonym used by {synonym_hit['usage'][0]}" in first


def test_search_page_flags_false_friends_in_words(client: TestClient, warned: Concept) -> None:
    results = page(client, f"/search?q={quote(warned.pref_label())}")
    warning = next(n.text for n in warned.notes if n.kind is NoteKind.WARNING)
    assert "Take care:</strong> " + str(escape(warning)) in results


@pytest.mark.parametrize("community", COMMUNITIES)
def test_search_page_offers_community_filters_that_work(client: TestClient, community: str) -> None:
    results = page(client, "/search?q=ai")
    assert f'href="/search?q=ai&amp;community={community}"' in results
    filtered = page(client, f"/search?q=ai&community={community}")
    assert f'community={community}" aria-current="true"' in filtered


def test_search_page_without_results_says_what_to_try(client: TestClient) -> None:
    results = page(client, "/search?q=zzqxjv")
    assert "No term matches" in results
    assert 'href="/a-z"' in results


# --- term page ---------------------------------------------------------------------------


TERM_SECTIONS = (
    "Definition",
    "In plain words",
    "Names and who uses them",
    "Sources",
    "Link to this term",
    "Cite this",
    "Machine-readable",
    "Embed this definition",
)


@pytest.mark.parametrize("heading", TERM_SECTIONS)
def test_term_page_has_every_section(
    client: TestClient, narrower_concept: Concept, heading: str
) -> None:
    assert f">{heading}</h" in page(client, f"/terms/{narrower_concept.id}")


def test_term_page_offers_its_canonical_link(client: TestClient, narrower_concept: Concept) -> None:
    assert f'value="{narrower_concept.uri}"' in page(client, f"/terms/{narrower_concept.id}")


@pytest.mark.parametrize(
    "section", ["Related concepts", 'value="http://127.0.0.1:8000/terms/t0018"']
)
def test_term_page_of_a_related_concept_shows_them(client: TestClient, section: str) -> None:
    assert section in client.get("/terms/t0018", headers={"Accept": "text/html"}).text


def test_term_page_shows_the_hierarchy(
    client: TestClient, shipped: Vocabulary, narrower_concept: Concept
) -> None:
    elements = Elements(page(client, f"/terms/{narrower_concept.id}"))
    broader = shipped.refs(narrower_concept.broader[:1])[narrower_concept.broader[0]]
    assert elements.all("nav", **{"aria-label": "Broader terms"})
    assert elements.all("a", href=f"/terms/{broader.id}")


def test_term_page_names_the_labels_each_community_uses(
    client: TestClient, warned: Concept
) -> None:
    term = page(client, f"/terms/{warned.id}")
    synonym = next(lb for lb in warned.alt_labels if lb.usage)
    section = term[
        term.index('class="communities"') : term.index("</dl>", term.index('class="communities"'))
    ]
    assert synonym.text in section


def test_term_page_cites_in_plain_text_and_bibtex(client: TestClient) -> None:
    term = page(client, "/terms/t0018")
    assert f"{BASE}/terms/t0018</pre>" in term
    assert "@misc{airt-t0018," in term
    assert f"url = {{{BASE}/terms/t0018}}" in term


@pytest.mark.parametrize("fmt", ["json", "jsonld", "ttl", "rdf", "nt", "txt"])
def test_term_page_links_every_format_and_each_resolves(client: TestClient, fmt: str) -> None:
    elements = Elements(page(client, "/terms/t0019"))
    link = elements.all("a", href=f"/terms/t0019.{fmt}")[0]
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(link["type"])


def test_term_page_embeds_schema_org_defined_term(client: TestClient, shipped: Vocabulary) -> None:
    concept = shipped.record("t0019").concept
    blocks = [
        text
        for attrs, text in Elements(page(client, "/terms/t0019")).scripts
        if attrs.get("type") == "application/ld+json"
    ]
    term = json.loads(blocks[0])
    assert term["@type"] == "DefinedTerm"
    assert term["@id"] == term["url"] == concept.uri
    assert term["name"] == concept.pref_label()
    assert term["description"] == concept.definition()
    assert set(concept.acronyms) <= set(term["alternateName"])
    assert term["inDefinedTermSet"]["@type"] == "DefinedTermSet"


def test_deprecated_term_links_its_replacement_prominently(lifecycle_client: TestClient) -> None:
    term = page(lifecycle_client, "/terms/old")
    assert "This term is deprecated" in term
    assert re.search(
        r'class="replacement">Use instead: <a href="/terms/ct">computed tomography</a>', term
    )


def test_withdrawn_term_explains_itself_with_a_410(lifecycle_client: TestClient) -> None:
    response = lifecycle_client.get("/terms/gone", headers=HTML)
    assert response.status_code == 410
    assert "This term is withdrawn" in response.text
    assert "never used consistently" in response.text


# --- safety: escaping, links, headers (reliability-security-tests E1-E6) -----------------

XSS_PAGES = [
    "/terms/xss",
    "/search?q=script",
    "/search?q=svg%20onload",
    "/a-z",
    "/collections/imaging",
    "/",
]


@pytest.mark.parametrize("path", XSS_PAGES)
def test_stored_payloads_are_escaped_on_every_page(lifecycle_client: TestClient, path: str) -> None:
    html = page(lifecycle_client, path)
    assert [payload for payload in XSS_PAYLOADS if payload in html] == []
    assert not [t for t, a in Elements(html).tags if t in ("img", "svg")]
    assert all(
        a.get("src", "").startswith("/static/") or a.get("type") == "application/ld+json"
        for a, _ in Elements(html).scripts
    )


def test_template_syntax_in_data_is_not_evaluated(lifecycle_client: TestClient) -> None:
    html = page(lifecycle_client, "/terms/xss")
    assert "{{7*7}}" in html
    assert ">49<" not in html


def test_payload_in_json_ld_cannot_close_the_script(lifecycle_client: TestClient) -> None:
    html = page(lifecycle_client, "/terms/xss")
    data = next(
        text for attrs, text in Elements(html).scripts if attrs.get("type") == "application/ld+json"
    )
    assert "</script" not in data.lower()
    assert json.loads(data)["name"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=%253cscript%253ealert(1)%253c%252fscript%253e",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/search?q=%22%3E%3Csvg%20onload%3Dalert(1)%3E",
    ],
)
def test_reflected_queries_are_escaped(client: TestClient, path: str) -> None:
    html = page(client, path)
    assert "<script>alert" not in html
    assert "<svg" not in html
    assert not [a for t, a in Elements(html).tags if any(k.startswith("on") for k in a)]


@pytest.mark.parametrize(
    "path", ["/", "/about", "/a-z", "/terms/t0019", "/search?q=mri", "/embedding"]
)
def test_every_link_is_http_or_relative(client: TestClient, path: str) -> None:
    links = [
        (tag, attrs[name])
        for tag, attrs in Elements(page(client, path)).tags
        for name in ("href", "src", "action")
        if name in attrs
    ]
    assert [
        (tag, value)
        for tag, value in links
        if not value.startswith(("http://", "https://", "/", "#")) or value.startswith("//")
    ] == []


def _html_paths(client: TestClient) -> list[str]:
    """Every GET route that answers HTML, with its path parameters filled in."""
    fill = {"concept_id": "t0019", "collection_id": "organisations"}
    return [
        path.format(**fill)
        for path, route in app_routes(client.app.fastapi.routes)  # type: ignore[attr-defined]
        if "GET" in route.methods and route.response_class is HTMLResponse
    ] + ["/terms/t0019", "/search?q=ai"]


def test_route_inventory_finds_the_html_pages(client: TestClient) -> None:
    assert {"/", "/about", "/a-z", "/embedding", "/embed/t0019"} <= set(_html_paths(client))


@pytest.mark.parametrize("frameable", [False, True])
def test_every_html_route_sends_security_headers(client: TestClient, frameable: bool) -> None:
    paths = [p for p in _html_paths(client) if p.startswith("/embed/") is frameable]
    assert paths
    wrong = [p for p in paths if not _secure(client.get(p, headers=HTML).headers, frameable)]
    assert wrong == []


def _secure(headers: Any, frameable: bool) -> bool:
    """True if an HTML answer carries nosniff and the right CSP and framing headers."""
    csp = headers["content-security-policy"]
    common = (
        headers["x-content-type-options"] == "nosniff"
        and "default-src 'none'" in csp
        and "base-uri 'none'" in csp
    )
    if frameable:
        return (
            common
            and "frame-ancestors *" in csp
            and "script-src" not in csp
            and "sandbox" in csp
            and "x-frame-options" not in headers
        )
    return (
        common
        and "frame-ancestors 'none'" in csp
        and "script-src 'self'" in csp
        and headers["x-frame-options"] == "DENY"
    )


@pytest.mark.parametrize("path", ["/", "/terms/t0019", "/search?q=ai", "/embedding"])
def test_pages_use_no_inline_script_or_style(client: TestClient, path: str) -> None:
    elements = Elements(page(client, path))
    assert not elements.all("style")
    assert not [a for _, a in elements.tags if "style" in a or any(k.startswith("on") for k in a)]
    assert all(a.get("src") or a.get("type") == "application/ld+json" for a, _ in elements.scripts)


@pytest.mark.parametrize(
    "path", ["/", "/about", "/a-z", "/terms/t0019", "/search?q=ai", "/embedding"]
)
def test_pages_have_landmarks_a_skip_link_and_one_h1(client: TestClient, path: str) -> None:
    html = page(client, path)
    elements = Elements(html)
    assert elements.all("html", lang="en-GB")
    assert elements.all("main", id="main") and elements.all("a", href="#main")
    assert elements.all("header") and elements.all("footer") and elements.all("nav")
    assert len(elements.all("h1")) == 1
    assert "<title>" in html


@pytest.mark.parametrize("name", ["suggest.js", "term.js", "tooltips.js"])
def test_static_scripts_never_write_html(client: TestClient, name: str) -> None:
    script = client.get(f"/static/{name}").text
    assert (
        "innerHTML" not in script
        and "document.write" not in script
        and "insertAdjacentHTML" not in script
    )
    assert "eval(" not in script


def test_static_script_for_other_sites_is_served_as_javascript_with_cors(
    client: TestClient,
) -> None:
    response = client.get("/static/tooltips.js", headers={"Origin": "https://school.example"})
    assert response.headers["content-type"].startswith(
        ("text/javascript", "application/javascript")
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["access-control-allow-origin"] == "*"


def test_home_is_cacheable(client: TestClient) -> None:
    assert client.get("/", headers=HTML).headers["cache-control"].startswith("public")


def test_term_page_names_its_canonical_uri(client: TestClient) -> None:
    elements = Elements(page(client, "/terms/t0019"))
    assert elements.all("link", rel="canonical")[0]["href"] == f"{BASE}/terms/t0019"


def test_term_page_never_shows_hidden_labels(lifecycle_client: TestClient) -> None:
    assert "tumour volumme" not in page(lifecycle_client, "/terms/tumour")


# --- headers, CORS and error pages -----------------------------------------------------

HEADER_PAGES = ["/", "/about", "/terms/t0019", "/search?q=ai", "/collections/organisations"]


@pytest.mark.parametrize("path", HEADER_PAGES)
def test_html_pages_send_a_strict_content_security_policy(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/lookup/MHRA", "/terms/t0019", "/search?q=ai", "/export?format=ttl", "/health"]
)
def test_every_response_has_nosniff_and_public_cors(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "https://evil.example"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_preflight_for_a_public_read_is_allowed(client: TestClient) -> None:
    response = client.options(
        "/terms/t0019",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"


def test_preflight_for_a_write_is_refused(client: TestClient) -> None:
    response = client.options(
        "/terms/t0019",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "DELETE"},
    )
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    "fmt,media",
    [
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ],
)
def test_term_page_links_its_rdf_alternates(client: TestClient, fmt: str, media: str) -> None:
    page = client.get("/terms/t0019", headers={"Accept": "text/html"}).text
    assert f'<link rel="alternate" type="{media}" href="/terms/t0019.{fmt}">' in page


def test_stored_markup_is_escaped_everywhere(lifecycle_client: TestClient) -> None:
    page = lifecycle_client.get("/terms/xss", headers={"Accept": "text/html"}).text
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "<svg onload" not in page
    assert "&lt;script&gt;" in page


def test_plain_text_strips_bidi_overrides(lifecycle_client: TestClient) -> None:
    assert "\u202e" not in lifecycle_client.get("/terms/xss?format=txt").text


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "http_error"


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/lookup/{text}", "/terms/{concept_id}", "/search", "/suggest", "/export"} <= set(paths)


@pytest.mark.parametrize("path", ["/terms/t9999", "/nowhere", "/search?q="])
def test_browsers_get_an_html_error_page(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert (
        "<h1>" in response.text
        and "default-src 'none'" in response.headers["content-security-policy"]
    )


def test_error_pages_escape_the_path(client: TestClient) -> None:
    response = client.get("/%3Cimg%20src=x%20onerror=alert(1)%3E", headers={"Accept": "text/html"})
    assert "<img src=x" not in response.text
