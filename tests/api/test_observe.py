"""Observability: request ids, the JSON access log, and `/metrics` (Prometheus text format)."""

from __future__ import annotations

import json
import logging
import urllib.request
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.limits import Limits
from tests.conftest import BASE, FIXTURES, serve
from vocab.vocabulary import Vocabulary


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics: (name, sorted labels) -> value."""
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def fresh(shipped: Vocabulary) -> TestClient:
    return TestClient(create_app(shipped, base=BASE, limits=Limits.from_settings("search=1/h", "")))


def test_requests_are_counted_by_route_template_and_status(fresh: TestClient) -> None:
    for _ in range(3):
        fresh.get("/terms/t0133")
    fresh.get("/terms/t9999")
    fresh.get("/lookup/CT")
    fresh.get("/lookup/CT")
    fresh.get("/no/such/page")
    samples = scrape(fresh)
    total = "vocab_http_requests_total"
    assert value(samples, total, method="GET", route="/terms/{concept_id}", status="200") == 3
    assert value(samples, total, method="GET", route="/terms/{concept_id}", status="404") == 1
    assert value(samples, total, method="GET", route="/lookup/{text}", status="200") == 2
    assert value(samples, total, method="GET", route="unmatched", status="404") == 1
    histogram = "vocab_http_request_duration_seconds_count"
    assert value(samples, histogram, method="GET", route="/lookup/{text}", status="200") == 2
    inf = value(
        samples,
        "vocab_http_request_duration_seconds_bucket",
        method="GET",
        route="/terms/{concept_id}",
        status="200",
        le="+Inf",
    )
    assert inf == 3


def test_cache_hits_search_stages_and_refusals_are_counted(fresh: TestClient) -> None:
    fresh.get("/lookup/CT")
    fresh.get("/lookup/CT")
    fresh.get("/search", params={"q": "CT"})
    fresh.get("/search", params={"q": f"segmentaton{uuid.uuid4().hex[:8]}"})
    refused = fresh.get("/search", params={"q": f"segmentatonx{uuid.uuid4().hex[:8]}"})
    assert refused.status_code == 429
    samples = scrape(fresh)
    assert value(samples, "vocab_answer_cache_hits_total", cache="lookup") >= 1
    assert value(samples, "vocab_answer_cache_misses_total", cache="lookup") >= 1
    assert value(samples, "vocab_search_stages_total", stage="label") >= 2  # CT may be cached
    assert value(samples, "vocab_search_stages_total", stage="fuzzy") >= 2
    assert value(samples, "vocab_refused_requests_total", reason="rate_search") == 1
    assert value(samples, "vocab_refused_requests_total", reason="align_queue") == 0
    assert value(samples, "vocab_align_queue_depth") == 0
    assert value(samples, "vocab_align_queue_limit") == 3


@pytest.mark.parametrize("method", ["POST", "TRACE", "DELETE"])
def test_metrics_allows_only_get(fresh: TestClient, method: str) -> None:
    answer = fresh.request(method, "/metrics")
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, HEAD"
    assert answer.json()["error"]["code"] == "http_error"


def test_a_request_id_is_echoed_or_made(fresh: TestClient) -> None:
    given = fresh.get("/lookup/CT", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = [fresh.get("/terms/t0133").headers["x-request-id"] for _ in range(2)]
    assert made[0] != made[1] and all(made)
    odd = fresh.get("/terms/t0133", headers={"X-Request-ID": "x" * 500})
    assert odd.headers["x-request-id"] != "x" * 500  # too long: a new one, not an echo


def test_the_json_access_log_has_one_line_per_request(
    shipped: Vocabulary, caplog: pytest.LogCaptureFixture
) -> None:
    client = TestClient(create_app(shipped, base=BASE, access_log="json"))
    with caplog.at_level(logging.INFO, logger="vocab.access"):
        client.get("/lookup/CT", headers={"X-Request-ID": "req-1"})
        client.get("/terms/t9999")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "vocab.access"]
    first = lines[0]
    assert (first["request_id"], first["status"], first["route"]) == (
        "req-1",
        200,
        "/lookup/{text}",
    )
    assert lines[1]["status"] == 404 and lines[1]["path"] == "/terms/t9999"
    assert set(first) == {
        "time", "request_id", "method", "path", "route", "status", "duration_ms", "bytes", "client",
    }  # fmt: skip
    assert first["bytes"] > 0 and first["duration_ms"] >= 0 and first["client"] == "testclient"


def test_no_access_log_unless_asked(shipped: Vocabulary, caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(create_app(shipped, base=BASE))
    with caplog.at_level(logging.INFO, logger="vocab.access"):
        client.get("/lookup/CT")
    assert not [r for r in caplog.records if r.name == "vocab.access"]


def test_vocab_serve_writes_json_access_lines_and_serves_metrics(tmp_path: Path) -> None:
    """The real server: `--access-log json` prints one JSON line a request on stdout, and
    `--rate-limit` reaches the app (through the environment of uvicorn's factory)."""
    options = ("--access-log", "json", "--rate-limit", "lookup=2/h")
    with serve(FIXTURES / "lifecycle.ttl", tmp_path, *options) as site:
        statuses = []
        for _ in range(3):
            request = urllib.request.Request(
                site.url("/lookup/computed%20tomography"), headers={"X-Request-ID": "from-test"}
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    statuses.append(answer.status)
            except urllib.error.HTTPError as refused:
                statuses.append(refused.code)
        with urllib.request.urlopen(site.url("/metrics"), timeout=10) as answer:
            metrics = answer.read().decode()
    assert statuses == [200, 200, 429]
    assert 'vocab_refused_requests_total{reason="rate_lookup"} 1.0' in metrics
    logged = [
        json.loads(line)
        for line in (tmp_path / "server.log").read_text().splitlines()
        if line.startswith("{")
    ]
    mine = [e for e in logged if e["request_id"] == "from-test"]
    assert [e["status"] for e in mine] == [200, 200, 429]
    assert mine[0]["client"] == "127.0.0.1" and mine[0]["route"] == "/lookup/{text}"
