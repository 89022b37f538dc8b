"""The HTML pages stay safe: escaping, links, headers (E1-E6), CORS and error pages, read
through the test client (what each page shows is in test_pages.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.responses import HTMLResponse

from tests.api.html_pages import HTML, Elements, page
from tests.conftest import BASE, app_routes

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
]


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
