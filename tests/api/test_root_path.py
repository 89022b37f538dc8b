"""Served under a sub-path behind a proxy (`--root-path /airt`): every link, redirect and
`Location` the service writes starts with the prefix, whether the proxy strips it or not."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import BASE, ROOT
from vocab.vocabulary import Vocabulary

PUBLIC = "https://proxy.example.org/airt"
LINK = re.compile(r'(?:href|src|action|data-url)="(/[^"]*)"')
PAGES = ["/", "/a-z", "/about", "/annotate", "/embedding", "/terms/ct", "/search?q=ct",
         "/collections/imaging", "/docs", "/redoc", "/ns?format=html", "/nowhere"]  # fmt: skip


@pytest.fixture(scope="module")
def airt(lifecycle: Vocabulary) -> TestClient:
    return TestClient(
        create_app(lifecycle, base=PUBLIC, root_path="/airt/"), follow_redirects=False
    )


def links(html: str) -> list[str]:
    return LINK.findall(html)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("stripped", [True, False], ids=["prefix-stripped", "prefix-kept"])
def test_every_root_relative_link_of_a_page_starts_with_the_prefix(
    airt: TestClient, page: str, stripped: bool
) -> None:
    answer = airt.get(page if stripped else "/airt" + page, headers={"Accept": "text/html"})
    assert answer.status_code in (200, 404), answer.text[:300]
    found = links(answer.text)
    if answer.status_code == 200 and page != "/nowhere":
        assert found, f"{page} has no root-relative link"
    wrong = [link for link in found if not link.startswith("/airt/")]
    assert not wrong, f"{page}: {wrong[:5]}"


def test_scripts_know_the_prefix(airt: TestClient) -> None:
    page = airt.get("/airt/", headers={"Accept": "text/html"}).text
    assert '<html lang="en-GB" data-root="/airt">' in page
    assert 'src="/airt/static/suggest.js"' in page


def test_links_at_the_root_are_unchanged(lifecycle_client: TestClient) -> None:
    page = lifecycle_client.get("/", headers={"Accept": "text/html"}).text
    assert "/airt" not in page and "data-root" not in page
    assert 'href="/static/style.css"' in page
    assert "servers" not in lifecycle_client.get("/openapi.json").json()


def test_static_files_and_the_api_answer_under_the_prefix(airt: TestClient) -> None:
    assert airt.get("/airt/static/style.css").status_code == 200
    assert airt.get("/static/style.css").status_code == 200  # a proxy that strips the prefix
    lookup = airt.get("/airt/lookup/CT?format=json")
    assert lookup.status_code == 200 and lookup.json()
    assert airt.get("/airt/health").status_code == 200


def test_redirects_and_locations_carry_the_prefix(airt: TestClient) -> None:
    browser = {"Accept": "text/html"}
    assert airt.get("/airt/lookup/computed%20tomography", headers=browser).headers["location"] == (
        "/airt/terms/ct"
    )
    assert (
        airt.get("/airt/lookup/nothing%20like%20it", headers=browser)
        .headers["location"]
        .startswith("/airt/search?q=")
    )
    merged = airt.get("/airt/terms/dup")
    assert merged.status_code == 301 and merged.headers["location"] == "/airt/terms/ct"
    assert airt.get("/airt/void.ttl").status_code in (200, 303, 404)
    concept = airt.get("/airt/terms/ct?format=json")
    assert concept.headers["content-location"].startswith(PUBLIC + "/terms/ct")


def test_the_oembed_discovery_link_and_embed_frame_use_the_public_address(
    airt: TestClient,
) -> None:
    page = airt.get("/airt/terms/ct", headers={"Accept": "text/html"}).text
    assert f'type="application/json+oembed" href="{PUBLIC}/oembed?url=' in page
    embed = airt.get("/airt/embed/ct")
    assert embed.status_code == 200 and "x-frame-options" not in embed.headers


def test_openapi_names_the_prefix_as_its_server(airt: TestClient) -> None:
    assert airt.get("/airt/openapi.json").json()["servers"] == [{"url": "/airt"}]


def test_an_unusable_root_path_is_refused_with_what_to_do(tmp_path: object) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "serve", "--root-path", "/a b?c", "--db", "/nonexistent/x.db"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "such as /airt" in done.stderr and "Traceback" not in done.stderr


def test_the_default_base_includes_the_root_path() -> None:
    from vocab.config import Settings

    assert Settings(root_path="airt/").base == "http://127.0.0.1:8000/airt"
    assert Settings(root_path="/airt", base_uri=BASE).base == BASE
