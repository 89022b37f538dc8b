"""The lean paths (`api.replay`, `api.lean_search`) answer exactly what FastAPI answers.

Each request goes to the service twice (the first answer is computed or recorded, the
second replayed) and once to the FastAPI app behind it (`Service.app`, no lean path):
status, every header in order, and body must be the same.
"""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient

from api.app import Service, create_app
from tests.conftest import BASE, FIXTURES, build_vocabulary
from vocab.vocabulary import Vocabulary

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    # concepts, every representation, by Accept, ?format= and extension
    *[("GET", f"/terms/t0019?format={f}", {}) for f in ("json", "jsonld", "ttl", "rdf", "nt")],
    ("GET", "/terms/t0019?format=txt", {}),
    ("GET", "/terms/t0019?format=html", {}),
    ("GET", "/terms/t0019.ttl", {}),
    ("GET", "/terms/t0019", {}),
    ("GET", "/terms/t0019", HTML),
    ("GET", "/terms/t0019", BROWSER),
    ("GET", "/terms/t0019", {"Accept": "text/turtle"}),
    ("GET", "/terms/t0019", {"Accept": "application/ld+json"}),
    ("HEAD", "/terms/t0019?format=json", {}),
    ("HEAD", "/terms/t0019", HTML),
    ("GET", "/terms/t0019?format=xlsx", {}),
    ("GET", "/terms/t0019?format=xlsx", HTML),
    ("GET", "/terms/t9999", {}),
    ("GET", "/terms/t9999", BROWSER),
    ("GET", "/terms/%3Cscript%3E", BROWSER),
    # search and suggest: the lean handler's requests and the ones it leaves to FastAPI
    ("GET", "/search?q=machine%20lerning&limit=5", {}),
    ("GET", "/search?q=auto+segmentaton", {}),
    ("GET", "/search?q=CT", HTML),
    ("GET", "/search?q=CT", BROWSER),
    ("GET", "/search?q=recall&format=txt", {}),
    ("GET", "/search?q=recall&format=html", JSON),
    ("GET", "/search?q=%C3%A9chographie", {}),
    ("GET", "/search?q=r&limit=100", {}),
    ("GET", "/search?q=r&limit=010", {}),
    ("GET", "/search?q=r&limit=+5", {}),
    ("GET", "/search?q=ai&community=clinical", {}),
    ("GET", "/search?q=ai&collection=nope", {}),
    ("GET", "/search?q=ai&include_deprecated=true", {}),
    ("GET", "/search?q=ai&utm_source=x", {}),
    ("GET", "/search?q=ai&q=ml", {}),
    ("GET", "/search?q=ai&format=xml", {}),
    ("GET", "/search?q=ai&format=xml", BROWSER),
    *[("GET", f"/search?q=ai&{bad}", {}) for bad in ("limit=0", "limit=101", "limit=abc")],
    ("GET", "/search?q=", {}),
    ("GET", "/search", BROWSER),
    ("GET", "/search?q=" + "x" * 201, {}),
    ("HEAD", "/search?q=radiotherapy", {}),
    ("GET", "/suggest?q=rad", {}),
    ("GET", "/suggest?q=rad&limit=3", {}),
    ("GET", "/suggest?q=rad&limit=21", {}),
    ("GET", "/suggest?q=rad&limit=21", BROWSER),
    ("GET", "/suggest", {}),
    # embedding, tooltips, translation
    ("GET", "/embed/t0019", {}),
    ("GET", "/embed/t0019?plain=true", {}),
    ("GET", "/embed/t0019?plain=maybe", {}),
    ("GET", "/embed/t9999", BROWSER),
    ("HEAD", "/embed/t0019", {}),
    ("GET", "/define?term=CT", {}),
    ("GET", "/define?term=t0019", {}),
    ("GET", "/define?term=nothing%20like%20it", {}),
    ("GET", "/define", {}),
    ("GET", f"/oembed?url={BASE}/terms/t0019", {}),
    ("GET", f"/oembed?url={BASE}/terms/t0019&maxwidth=200", {}),
    ("GET", f"/oembed?url={BASE}/terms/t0019&format=xml", {}),
    ("GET", "/oembed?url=http://testserver/terms/t0019", {}),
    ("GET", "/oembed?url=https://elsewhere.example/terms/t0019", {}),
    ("GET", "/translate?term=recall&to=clinical", {}),
    ("GET", "/translate?term=recall&to=clinical&format=txt", {}),
    ("GET", "/translate?term=recall&to=vendors", {}),
    ("GET", "/translate?term=recall&to=vendors", BROWSER),
]


def same(service: Service, method: str, url: str, headers: dict[str, str]) -> None:
    # the lean dispatch against FastAPI alone, both inside the outer layers (request ids,
    # rate limits), which add the same to either
    lean, full = TestClient(service.dispatch), TestClient(service.app)
    want = full.request(method, url, headers=headers, follow_redirects=False)
    for attempt in ("first", "replayed"):
        got = lean.request(method, url, headers=headers, follow_redirects=False)
        where = f"{method} {url} {headers} ({attempt})"
        assert got.status_code == want.status_code, where
        assert got.headers.raw == want.headers.raw, where
        assert got.content == want.content, where


@pytest.fixture(scope="module")
def service(shipped: Vocabulary) -> Service:
    return create_app(shipped, base=BASE)


@pytest.mark.parametrize(("method", "url", "headers"), REQUESTS)
def test_lean_answer_is_fastapis(
    service: Service, method: str, url: str, headers: dict[str, str]
) -> None:
    same(service, method, url, headers)


@pytest.mark.parametrize(
    "url",
    [
        "/terms/t0019?format=ttl",
        "/terms/t0019",
        "/search?q=CT",
        "/suggest?q=rad",
        "/embed/t0019",
        "/define?term=CT",
        f"/oembed?url={BASE}/terms/t0019",
    ],
)
def test_conditional_requests_are_answered_alike(service: Service, url: str) -> None:
    tag = TestClient(service.app).get(url).headers["etag"]
    for header in (tag, f"W/{tag}", f'"other", {tag}', "*", '"stale"'):
        same(service, "GET", url, {"If-None-Match": header})
        same(service, "HEAD", url, {"If-None-Match": header, **HTML})


def test_repeated_request_headers_are_left_to_fastapi(service: Service) -> None:
    client = TestClient(service)
    before = len(service.replay.recordings)
    response = client.get(
        "/terms/t0019", headers=[("Accept", "text/turtle"), ("Accept", "text/html")]
    )
    assert response.status_code == 200
    assert len(service.replay.recordings) == before


def test_a_repeated_read_is_replayed_and_a_plain_search_never_reaches_fastapi(
    service: Service,
) -> None:
    client = TestClient(service)
    before = len(service.replay.recordings)
    client.get("/terms/t0020?format=nt")
    client.get("/terms/t0020?format=nt")
    assert len(service.replay.recordings) == before + 1
    lean_search = service.replay.lean["/search"]
    assert lean_search is not None
    scope = {"query_string": b"q=machine+lerning", "headers": []}
    answer = anyio.run(lean_search, scope, None)
    assert answer is not None and answer.status == 200


def test_a_new_release_is_never_answered_from_the_old_ones_recordings(tmp_path: Path) -> None:
    first = build_vocabulary(FIXTURES / "lifecycle.ttl", tmp_path / "a.db")
    service = create_app(first, base=BASE)
    client = TestClient(service, follow_redirects=False)
    assert client.get("/terms/tumour?format=json").json()["prefLabel"]["en-GB"] == "tumour volume"
    source = (
        (FIXTURES / "lifecycle.ttl").read_text().replace("tumour volume", "gross tumour volume")
    )
    (tmp_path / "b.ttl").write_text(source)
    service.swap(build_vocabulary(tmp_path / "b.ttl", tmp_path / "b.db"))
    assert (
        client.get("/terms/tumour?format=json").json()["prefLabel"]["en-GB"]
        == "gross tumour volume"
    )
    assert client.get("/search?q=gross+tumour").json()["results"]


def test_lifecycle_answers_are_fastapis(lifecycle: Vocabulary) -> None:
    service = create_app(lifecycle, base=BASE)
    for url in (
        "/terms/dup",
        "/terms/dup?format=ttl",
        "/terms/gone",
        "/terms/old",
        "/embed/gone",
        "/embed/dup",
        "/terms/xss",
        "/search?q=%3Cscript%3E&format=html",
    ):
        same(service, "GET", url, {})
        same(service, "GET", url, BROWSER)


def test_a_lookup_says_its_length_so_it_is_sent_in_one_piece(service: Service) -> None:
    client = TestClient(service)
    response = client.get("/lookup/MHRA")
    assert response.headers["content-length"] == str(len(response.content))
    assert "transfer-encoding" not in response.headers
    again = client.get("/lookup/MHRA", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert "content-length" not in again.headers and "content-type" not in again.headers
    head = client.head("/lookup/MHRA")
    assert head.content == b"" and head.headers["content-length"] == str(len(response.content))
