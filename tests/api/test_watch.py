"""A new release replacing the served store file is served without a restart (`api.watch`).

In process first (the watcher asked on demand), then a live uvicorn on loopback polling the
file while a client loops requests: every answer's ETag and body come from one snapshot.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import BASE, FIXTURES, ROOT, START_TIMEOUT_S, build_vocabulary, free_port
from vocab.vocabulary import Vocabulary

OLD_DEFINITION = "Cross-sectional imaging built from many X-ray projections."
NEW_DEFINITION = "Imaging that rebuilds slices of the body from X-ray projections."
ROUTE = "/terms/ct?format=json"


def second_release(tmp_path: Path, db: Path) -> Vocabulary:
    changed = tmp_path / "second.ttl"
    source = (FIXTURES / "lifecycle.ttl").read_text(encoding="utf-8")
    changed.write_text(source.replace(OLD_DEFINITION, NEW_DEFINITION), encoding="utf-8")
    return build_vocabulary(changed, db)


@pytest.fixture
def served(tmp_path: Path) -> tuple[Path, Path]:
    """The served path (holding the first release) and a finished second release beside it."""
    served = tmp_path / "vocab.db"
    build_vocabulary(FIXTURES / "lifecycle.ttl", served)
    second_release(tmp_path, tmp_path / "next.db")
    return served, tmp_path / "next.db"


def test_a_replaced_store_file_is_checked_then_served(served: tuple[Path, Path]) -> None:
    path, nxt = served
    service = create_app(Vocabulary.open(path), base=BASE, watch=path, watch_interval=0)
    client = TestClient(service)
    assert OLD_DEFINITION in client.get(ROUTE).text
    assert service.watcher is not None
    assert service.watcher.check().swapped is None  # nothing changed yet

    os.replace(nxt, path)
    outcome = service.watcher.check()
    assert outcome.swapped == service.vocabulary.digest
    answer = client.get(ROUTE)
    assert NEW_DEFINITION in answer.text and OLD_DEFINITION not in answer.text


def test_a_symlink_swap_is_seen(tmp_path: Path) -> None:
    first = tmp_path / "releases" / "1.db"
    build_vocabulary(FIXTURES / "lifecycle.ttl", first)
    second_release(tmp_path, tmp_path / "releases" / "2.db")
    link = tmp_path / "current.db"
    link.symlink_to(first)
    service = create_app(Vocabulary.open(link), base=BASE, watch=link, watch_interval=0)
    client = TestClient(service)
    assert OLD_DEFINITION in client.get(ROUTE).text

    swapping = tmp_path / "current.db.new"
    swapping.symlink_to(tmp_path / "releases" / "2.db")
    os.replace(swapping, link)
    assert service.watcher is not None and service.watcher.check().swapped
    assert NEW_DEFINITION in client.get(ROUTE).text


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"not a database at all" * 100), id="not-sqlite"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(
            lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="truncated"
        ),
    ],
)
def test_a_broken_new_file_is_refused_and_the_old_release_kept(
    served: tuple[Path, Path], damage: object, caplog: pytest.LogCaptureFixture
) -> None:
    path, nxt = served
    service = create_app(Vocabulary.open(path), base=BASE, watch=path, watch_interval=0)
    client = TestClient(service)
    before = client.get(ROUTE)
    damage(nxt)  # type: ignore[operator]
    os.replace(nxt, path)
    outcome = service.watcher.check()  # type: ignore[union-attr]
    assert outcome.swapped is None and outcome.refused
    assert "Refused the new store" in caplog.text
    after = client.get(ROUTE)
    assert after.status_code == 200
    assert after.text == before.text and after.headers["etag"] == before.headers["etag"]


def test_the_old_store_keeps_answering_from_its_own_file_after_the_replace(
    served: tuple[Path, Path],
) -> None:
    """A thread that first reads the old release after the file was replaced still reads it."""
    path, nxt = served
    old = Vocabulary.open(path)
    digest = old.digest
    os.replace(nxt, path)
    seen: list[str | None] = []
    thread = threading.Thread(
        target=lambda: seen.append(
            old.store.concept("ct").concept.definitions[0].text  # type: ignore[union-attr]
        )
    )
    thread.start()
    thread.join()
    assert old.digest == digest
    assert seen == [OLD_DEFINITION]


def test_a_live_server_swaps_under_load_without_a_mixed_answer(tmp_path: Path) -> None:
    path = tmp_path / "vocab.db"
    first = build_vocabulary(FIXTURES / "lifecycle.ttl", path)
    second = second_release(tmp_path, tmp_path / "next.db")
    etags = {}
    for vocabulary, definition in ((first, OLD_DEFINITION), (second, NEW_DEFINITION)):
        etags[definition] = TestClient(create_app(vocabulary, base=BASE)).get(ROUTE).headers["etag"]
    assert etags[OLD_DEFINITION] != etags[NEW_DEFINITION]

    port = free_port()
    env = {
        **os.environ,
        "VOCAB_DB": str(path),
        "VOCAB_BASE_URI": BASE,
        "VOCAB_EDITORIAL_DB": "off",
        "VOCAB_WATCH_INTERVAL": "0.2",
        "VOCAB_RELEASES": str(tmp_path / "no-releases"),  # as the in-process apps: no history
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.main:app_from_env",
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}{ROUTE}"
    seen: dict[str, int] = {OLD_DEFINITION: 0, NEW_DEFINITION: 0}
    mixed: list[str] = []
    try:
        with httpx.Client(timeout=10) as client:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                assert server.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
                try:
                    client.get(url)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            replaced_at: float | None = None
            stop = time.monotonic() + 60  # bounded: at most a minute of requests
            while time.monotonic() < stop:
                answer = client.get(url)
                assert answer.status_code == 200, answer.text
                found = [d for d in (OLD_DEFINITION, NEW_DEFINITION) if d in answer.text]
                if len(found) != 1 or answer.headers["etag"] != etags[found[0]]:
                    mixed.append(f"{answer.headers['etag']} {answer.text[:200]}")
                else:
                    seen[found[0]] += 1
                if replaced_at is None and seen[OLD_DEFINITION] >= 20:
                    os.replace(tmp_path / "next.db", path)
                    replaced_at = time.monotonic()
                if seen[NEW_DEFINITION] >= 20:
                    break
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert not mixed, mixed[:3]
    assert seen[OLD_DEFINITION] >= 20 and seen[NEW_DEFINITION] >= 20, seen
    assert "Now serving release" in (tmp_path / "server.log").read_text()
