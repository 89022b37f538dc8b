"""The one-step path for ready answers (`api.ready`) sends what the full path sends.

Each request is sent through the whole service once (its answer is rendered or recorded),
then through the full path (`Service.observe`: request id, metrics, rate limits, dispatch)
and through the service again, where the ready path answers it. The ASGI messages must be
the same: status, every header in order (X-Request-ID last), body. The ready path also
counts the request in /metrics, writes its access log line, and leaves rate-limited
lookups to the full path.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
import pytest
from fastapi.testclient import TestClient

from api.app import Service, create_app
from api.headers import ASGIApp
from api.limits import Limits
from tests.api.test_observe import scrape, value
from tests.conftest import BASE, FIXTURES, build_vocabulary
from vocab.vocabulary import Vocabulary

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
READY: list[tuple[str, str, dict[str, str]]] = [
    # lookups: every representation, misses, bad input, HEAD
    ("GET", "/lookup/MHRA", {}),
    ("GET", "/lookup/MHRA", JSON),
    ("GET", "/lookup/MHRA", HTML),
    ("GET", "/lookup/MHRA", BROWSER),
    ("GET", "/lookup/MHRA?format=json", {}),
    ("GET", "/lookup/MHRA?format=json", HTML),
    ("GET", "/lookup/CT", {}),
    ("GET", "/lookup/reccal?format=json", {}),
    ("GET", "/lookup/flibbertigibbet", {}),
    ("GET", "/lookup/flibbertigibbet", JSON),
    ("GET", "/lookup/a%00b", {}),
    ("HEAD", "/lookup/MHRA", {}),
    ("HEAD", "/lookup/flibbertigibbet", JSON),
    # replayed reads: concepts, errors, search, suggest, embed, define, oembed, translate
    ("GET", "/terms/t0019?format=json", {}),
    ("GET", "/terms/t0019", HTML),
    ("GET", "/terms/t0019", {"Accept": "text/turtle"}),
    ("GET", "/terms/t0019.nt", {}),
    ("HEAD", "/terms/t0019", HTML),
    ("GET", "/terms/t9999", {}),
    ("GET", "/terms/t9999", BROWSER),
    ("GET", "/terms/t0019?format=xlsx", {}),
    ("GET", "/search?q=auto+segmentaton", {}),
    ("GET", "/search?q=CT", HTML),
    ("GET", "/search?q=ai&limit=abc", {}),
    ("HEAD", "/search?q=radiotherapy", {}),
    ("GET", "/suggest?q=rad", {}),
    ("GET", "/embed/t0019", {}),
    ("GET", "/define?term=CT", {}),
    ("GET", f"/oembed?url={BASE}/terms/t0019", {}),
    ("GET", "/translate?term=recall&to=clinical", {}),
]
ID = {"X-Request-ID": "ready-test-1"}


def scope_of(method: str, url: str, headers: dict[str, str]) -> dict[str, Any]:
    path, _, query = url.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


def messages(app: ASGIApp, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    async def run() -> None:
        await app(dict(scope), receive, send)

    anyio.run(run)
    return sent


def is_ready(service: Service, scope: dict[str, Any]) -> bool:
    """Whether the ready path answers `scope` (it sends its answer to nowhere)."""

    async def drop(message: Any) -> None:
        """Send `message` nowhere."""

    async def run() -> bool:
        return await service.ready.send_ready(dict(scope), drop)

    return anyio.run(run)


@pytest.fixture(scope="module")
def service(shipped: Vocabulary) -> Service:
    return create_app(shipped, base=BASE)


@pytest.mark.parametrize(("method", "url", "headers"), READY)
def test_a_ready_answer_is_the_full_paths(
    service: Service, method: str, url: str, headers: dict[str, str]
) -> None:
    scope = scope_of(method, url, {**headers, **ID})
    messages(service, scope)  # rendered or recorded
    assert is_ready(service, scope), f"{method} {url} {headers} was not ready"
    want = messages(service.observe, scope)
    got = messages(service, scope)
    assert got == want, f"{method} {url} {headers}"
    assert got[0]["headers"][-1] == (b"x-request-id", b"ready-test-1")


@pytest.mark.parametrize(
    "url", ["/lookup/MHRA", "/lookup/MHRA?format=json", "/terms/t0019", "/search?q=CT"]
)
def test_conditional_requests_get_the_same_304(service: Service, url: str) -> None:
    tag = dict(messages(service, scope_of("GET", url, ID))[0]["headers"])[b"etag"].decode()
    for header in (tag, f"W/{tag}", f'"other", {tag}', "*", '"stale"'):
        for method in ("GET", "HEAD"):
            scope = scope_of(method, url, {"If-None-Match": header, **ID})
            messages(service, scope)
            assert is_ready(service, scope)
            want = messages(service.observe, scope)
            assert messages(service, scope) == want, f"{method} {url} {header}"
            status = want[0]["status"]
            assert status == (200 if header == '"stale"' else 304), f"{url} {header}"
            if status == 304:
                assert want[1]["body"] == b""
                names = {name for name, _ in want[0]["headers"]}
                assert b"content-type" not in names and b"content-length" not in names


def test_a_ready_answer_gets_a_new_request_id_unless_given(service: Service) -> None:
    scope = scope_of("GET", "/lookup/MHRA", {})
    messages(service, scope)
    made = [dict(messages(service, scope)[0]["headers"])[b"x-request-id"] for _ in range(2)]
    assert made[0] != made[1]
    assert all(re.fullmatch(rb"[0-9a-f]{8}-[0-9a-f]+", rid) for rid in made)
    odd = scope_of("GET", "/lookup/MHRA", {"X-Request-ID": "x" * 500})
    assert dict(messages(service, odd)[0]["headers"])[b"x-request-id"] != b"x" * 500


def test_requests_the_ready_path_leaves_to_the_full_one(service: Service) -> None:
    repeated = scope_of("GET", "/terms/t0019", {})
    repeated["headers"] += [(b"accept", b"text/turtle"), (b"accept", b"text/html")]
    messages(service, repeated)
    assert not is_ready(service, repeated)  # which Accept counts is FastAPI's business
    never_asked = scope_of("GET", "/lookup/never%20asked%20before", {})
    assert not is_ready(service, never_asked)  # a cache miss: rendered by the full path
    assert not is_ready(service, scope_of("GET", "/", {}))
    assert not is_ready(service, scope_of("GET", "/metrics", {}))


def test_ready_answers_are_counted_in_the_metrics(shipped: Vocabulary) -> None:
    service = create_app(shipped, base=BASE)
    client = TestClient(service)
    for _ in range(3):
        client.get("/lookup/CT")
        client.get("/terms/t0019?format=json")
    tag = client.get("/terms/t0019?format=json").headers["etag"]
    client.get("/terms/t0019?format=json", headers={"If-None-Match": tag})
    client.head("/lookup/CT")
    samples = scrape(client)
    total = "vocab_http_requests_total"
    assert value(samples, total, method="GET", route="/lookup/{text}", status="200") == 3
    assert value(samples, total, method="HEAD", route="/lookup/{text}", status="200") == 1
    terms = "/terms/{concept_id}"
    assert value(samples, total, method="GET", route=terms, status="200") == 4
    assert value(samples, total, method="GET", route=terms, status="304") == 1
    histogram = "vocab_http_request_duration_seconds_count"
    assert value(samples, histogram, method="GET", route="/lookup/{text}", status="200") == 3
    hits = "vocab_answer_cache_hits_total"
    misses = "vocab_answer_cache_misses_total"
    assert value(samples, hits, cache="lookup") == 3  # the HEAD and two GETs after the first
    assert value(samples, misses, cache="lookup") == 1


def test_a_ready_answer_writes_its_access_log_line(
    shipped: Vocabulary, caplog: pytest.LogCaptureFixture
) -> None:
    client = TestClient(create_app(shipped, base=BASE, access_log="json"))
    client.get("/lookup/CT")
    tag = client.get("/lookup/CT").headers["etag"]
    with caplog.at_level(logging.INFO, logger="vocab.access"):
        client.get("/lookup/CT", headers={"X-Request-ID": "req-7", "If-None-Match": tag})
    (line,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "vocab.access"]
    assert (line["request_id"], line["status"], line["route"], line["bytes"]) == (
        "req-7",
        304,
        "/lookup/{text}",
        0,
    )
    assert line["client"] == "testclient" and line["path"] == "/lookup/CT"


def test_a_lookup_limit_still_applies_to_cached_lookups(shipped: Vocabulary) -> None:
    service = create_app(shipped, base=BASE, limits=Limits.from_settings("lookup=2/h", ""))
    client = TestClient(service)
    statuses = [client.get("/lookup/CT").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert not is_ready(service, scope_of("GET", "/lookup/CT", {}))
    refused = client.get("/lookup/CT")
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert refused.headers["retry-after"] and refused.headers["x-request-id"]


def test_a_replayed_search_is_not_charged_as_before(shipped: Vocabulary) -> None:
    # a search is charged when it is computed past the label stages; a replayed one runs
    # no search, through either path
    client = TestClient(
        create_app(shipped, base=BASE, limits=Limits.from_settings("search=1/h", ""))
    )
    first, second = (f"segmentaton q{uuid.uuid4().hex[:8]}" for _ in range(2))  # never cached
    assert client.get("/search", params={"q": first}).status_code == 200
    assert client.get("/search", params={"q": first}).status_code == 200
    assert client.get("/search", params={"q": second}).status_code == 429


def test_after_a_swap_the_ready_path_answers_the_new_release(tmp_path: Path) -> None:
    service = create_app(build_vocabulary(FIXTURES / "lifecycle.ttl", tmp_path / "a.db"), base=BASE)
    scope = scope_of("GET", "/lookup/tumour%20size?format=json", ID)
    old = messages(service, scope)
    assert is_ready(service, scope)
    source = (
        (FIXTURES / "lifecycle.ttl").read_text().replace("tumour volume", "gross tumour volume")
    )
    (tmp_path / "b.ttl").write_text(source)
    service.swap(build_vocabulary(tmp_path / "b.ttl", tmp_path / "b.db"))
    assert not is_ready(service, scope)  # the new release's answer is not rendered yet
    new = messages(service, scope)
    assert new != old and b"gross tumour volume" in new[1]["body"]
    assert messages(service, scope) == messages(service.observe, scope) == new
