"""HTML pages and headers: escaping, security headers, CORS for public reads."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PAGES = ["/", "/about", "/terms/t0019", "/search?q=ai", "/collections/organisations"]


@pytest.mark.parametrize("path", PAGES)
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


def test_term_page_shows_every_section(client: TestClient) -> None:
    page = client.get("/terms/t0018", headers={"Accept": "text/html"}).text
    for section in (
        "Definition",
        "In plain words",
        "Names and who uses them",
        "Related concepts",
        "Sources",
        "Link to this term",
        'value="http://127.0.0.1:8000/terms/t0018"',
    ):
        assert section in page


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
