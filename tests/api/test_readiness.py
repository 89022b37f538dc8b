"""Issue 14, "honest health": /health is liveness, /ready runs the store's integrity check,
and with damaged store pages every public GET route answers the error envelope (or its
negotiated form) with the security headers, never a bare 500."""

from __future__ import annotations

import shutil
import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import BASE, FIXTURES, app_routes, serve
from tests.vocab.test_store_files import damage
from vocab.vocabulary import Vocabulary

SAMPLES = {
    "concept_id": "t0133",
    "collection_id": "evaluation",
    "resource_id": "airt",
}
QUERIES = {
    "/search": "q=recall",
    "/suggest": "q=reca",
    "/translate": "term=recall&to=clinical",
    "/oembed": f"url={BASE}/terms/t0133",
    "/define": "term=recall",
    "/export": "format=ttl",
    "/fhir/CodeSystem/$lookup": "code=t0133",
    "/fhir/CodeSystem/$validate-code": "code=t0133",
    "/fhir/CodeSystem/$subsumes": "code_a=t0133&code_b=t0134",
    "/fhir/ValueSet/$validate-code": "code=t0133",
    "/fhir/ConceptMap/$translate": "source_code=recall",
    "/sparql": "query=SELECT%20%3Fs%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201",
}


@pytest.fixture(scope="module")
def damaged(shipped: Vocabulary, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The app over a copy of the shipped store whose middle pages are overwritten."""
    db = tmp_path_factory.mktemp("damaged") / "vocab.db"
    shutil.copyfile(shipped.store.path, db)  # type: ignore[attr-defined]
    damage(db)
    service = create_app(Vocabulary.open(db), base=BASE)
    return TestClient(service, raise_server_exceptions=False)


def public_gets(client: TestClient) -> list[str]:
    service = client.app
    urls = ["/lookup/CT", "/lookup/recall?format=json", "/lookup/nothing-like-this"]
    for path, route in app_routes(service.fastapi.routes):  # type: ignore[attr-defined]
        if "GET" not in route.methods or path.startswith("/editorial"):
            continue
        for name, value in SAMPLES.items():
            path = path.replace("{" + name + "}", value)
        urls.append(f"{path}?{QUERIES[path]}" if path in QUERIES else path)
    return urls


def test_health_and_ready_answer_on_a_sound_store(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.headers["cache-control"] == "no-store"


def test_ready_answers_503_with_the_reason_on_a_damaged_store(damaged: TestClient) -> None:
    assert damaged.get("/health").status_code == 200  # liveness: the process is up
    ready = damaged.get("/ready")
    assert ready.status_code == 503
    error = ready.json()["error"]
    assert error["code"] == "store_damaged" and "damaged" in error["message"]
    assert "backup" in error["message"]
    assert ready.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("accept", ["*/*", "text/html"])
def test_every_public_route_answers_an_envelope_on_a_damaged_store(
    damaged: TestClient, accept: str
) -> None:
    failures = []
    for url in public_gets(damaged):
        response = damaged.get(url, headers={"Accept": accept})
        if response.headers.get("x-content-type-options") != "nosniff":
            failures.append(f"{url}: {response.status_code} without nosniff")
        if response.status_code < 500:
            continue
        kind = response.headers.get("content-type", "")
        if url.startswith("/fhir/"):
            ok = orjson.loads(response.content).get("resourceType") == "OperationOutcome"
        elif "text/html" in kind:
            ok = accept == "text/html" and "<html" in response.text.lower()
        else:
            ok = "application/json" in kind and {"code", "message"} <= set(
                orjson.loads(response.content).get("error", {})
            )
        if not ok:
            failures.append(f"{url}: {response.status_code} {kind} {response.text[:80]!r}")
    assert failures == []
    assert damaged.get("/ready").status_code == 503


def test_a_damaged_page_met_by_a_lookup_is_a_503_envelope(damaged: TestClient) -> None:
    statuses = set()
    for word in ("CT", "recall", "MHRA", "sensitivity", "AI", "zz", "model"):
        response = damaged.get(f"/lookup/{word}")
        statuses.add(response.status_code)
        if response.status_code >= 500:
            assert response.status_code == 503
            assert response.json()["error"]["code"] == "store_damaged"
            assert response.headers["cache-control"] == "no-store"
    assert 500 not in statuses


def test_a_server_started_on_a_damaged_store_is_live_but_not_ready(tmp_path: Path) -> None:
    """Reliability case C11 (corrupt DB at startup): quick_check runs at start, readiness is
    red with a clear log message, and the file is never repaired or overwritten."""
    source = FIXTURES / "lifecycle.ttl"
    db = tmp_path / "vocab.db"
    import subprocess
    import sys

    built = subprocess.run(
        [sys.executable, "-m", "cli", "build", "--db", str(db), "--source", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    pages = db.stat().st_size // 4096
    data = bytearray(db.read_bytes())
    middle = (pages // 2) * 4096
    data[middle : middle + 4096] = b"\xa5" * 4096
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    with serve(source, tmp_path, "--editorial-db", "off") as site:
        with urllib.request.urlopen(site.url("/health"), timeout=10) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(site.url("/ready"), timeout=30)
        assert answer.value.code == 503
        assert "damaged" in orjson.loads(answer.value.read())["error"]["message"]
    assert "integrity check failed" in (tmp_path / "server.log").read_text()
    assert db.read_bytes() == before


def test_the_check_runs_again_in_the_background(
    shipped: Vocabulary, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A store damaged while the server runs turns /ready red by the next periodic check,
    without any request touching the damaged pages."""
    db = tmp_path_factory.mktemp("later") / "vocab.db"
    shutil.copyfile(shipped.store.path, db)  # type: ignore[attr-defined]
    service = create_app(Vocabulary.open(db), base=BASE, check_interval=0.2)
    with TestClient(service) as client:
        assert client.get("/ready").status_code == 200
        damage(db)
        deadline = time.monotonic() + 60
        while service.serving.readiness.verdict.problem is None:  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the periodic check never ran"
            time.sleep(0.1)
        assert client.get("/ready").status_code == 503


def test_sparql_on_a_damaged_store_answers_503_and_logs_no_traceback(
    damaged: TestClient, capfd: pytest.CaptureFixture[str]
) -> None:
    response = damaged.get(f"/sparql?{QUERIES['/sparql']}")
    assert response.status_code == 503
    assert "could not be loaded" in response.json()["error"]["message"]
    assert "Traceback" not in capfd.readouterr().err  # the worker says why and ends quietly


def test_sparql_over_a_record_that_does_not_decode_answers_503_with_the_reason(
    shipped: Vocabulary, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A page can be sound to SQLite and still hold a record no decoder reads (CI met one)."""
    db = tmp_path / "vocab.db"
    shutil.copyfile(shipped.store.path, db)  # type: ignore[attr-defined]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE concepts SET data = ? WHERE id = 't0133'", (b'{"id": "\xed\xa0\x80',))
    conn.close()
    client = TestClient(create_app(Vocabulary.open(db), base=BASE), raise_server_exceptions=False)
    response = client.get(f"/sparql?{QUERIES['/sparql']}")
    assert response.status_code == 503
    message = response.json()["error"]["message"]
    assert "could not be loaded" in message and "JSONDecodeError" in message
    assert "Traceback" not in capfd.readouterr().err
