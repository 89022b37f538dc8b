"""The editorial store survives `kill -9` of a real `vocab serve`, and two reviewers deciding
the same proposal at once over HTTP get exactly one win and one 409.

The server runs for real (uvicorn in a subprocess); writers hit it from threads while the
test kills it at a random moment, several rounds (bounded, to keep CI quick). After each
kill the store must be consistent and the published release untouched.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from loaders.turtle_source import read_source
from tests.api.editorial.conftest import SOURCE, TEAM
from tests.conftest import Site, serve
from tests.editorial.conftest import BACKENDS, migrated_template, postgres  # noqa: F401
from vocab.editorial.accounts import Accounts
from vocab.editorial.model import ReviewerScope
from vocab.editorial.seed import seed
from vocab.editorial.sql_store import SqlEditorialStore

ROUNDS = 3
TIMEOUT_S = 10


@dataclass
class Editorial:
    url: str
    keys: dict[str, str]


def prepare(url: str, base: str) -> Editorial:
    """Seed the store and add the team with keys, before the server starts."""
    store = SqlEditorialStore.open(url)
    seed(store, read_source(SOURCE, base=base).snapshot, base=base)
    accounts = Accounts(store)
    admin = accounts.bootstrap_admin("admin", "a long enough passphrase")
    keys = {}
    for name, (role, communities, collections) in TEAM.items():
        made = accounts.create_account(
            admin, name, roles=[role], scope=ReviewerScope(communities, collections)
        )
        keys[name] = accounts.issue_key(admin, made.id, "tests")[1]
    store.close()
    return Editorial(url, keys)


def call(site: Site, path: str, key: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body if body is not None else {}).encode()
    request = urllib.request.Request(
        site.url(path), data=data, method="POST",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def definition(
    site: Site, keys: dict[str, str], concept: str, version: int, text: str
) -> tuple[int, Any]:
    body = {"kind": "edit_definitions", "concept_id": concept, "base_version": version, "reason": "r",
            "fields": {"definitions": [{"text": text, "lang": "en-GB"}]}, "submit": True}  # fmt: skip
    return call(site, "/editorial/proposals", keys["eve"], body)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_consistent(path: Path) -> None:
    """The SQLite store after a crash: intact, and every record agreeing with the others."""
    with sqlite3.connect(path, isolation_level=None) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.execute("BEGIN")  # one consistent view, even if a writer is still finishing
        heads = dict(db.execute("SELECT id, version FROM concepts"))
        latest = dict(
            db.execute("SELECT concept_id, max(version) FROM concept_versions GROUP BY concept_id")
        )
        counted = dict(
            db.execute("SELECT concept_id, count(*) FROM concept_versions GROUP BY concept_id")
        )
        approved = {r[0] for r in db.execute("SELECT id FROM proposals WHERE state = 'approved'")}
        reviewed = {
            r[0] for r in db.execute("SELECT proposal_id FROM reviews WHERE decision = 'approve'")
        }
        created = {
            r[0]
            for r in db.execute(
                "SELECT proposal_id FROM audit_log WHERE action = 'proposal.create'"
            )
        }
        proposals = {r[0] for r in db.execute("SELECT id FROM proposals")}
        applied = {
            r[0]
            for r in db.execute(
                "SELECT proposal_id FROM concept_versions WHERE proposal_id IS NOT NULL"
            )
        }
    assert heads == latest == counted
    assert approved == reviewed == applied
    assert proposals == created


def writer(site: Site, keys: dict[str, str], stop: threading.Event, seen: list[int]) -> None:
    """Propose, take and approve in a loop until the server dies."""
    n = 0
    while not stop.is_set():
        try:
            version = json.loads(
                urllib.request.urlopen(
                    site.url("/editorial/concepts/t0002"), timeout=TIMEOUT_S
                ).read()
            )["version"]
            status, body = definition(
                site, keys, "t0002", version, f"Definition number {n} of specificity."
            )
            if status == 201:
                call(site, f"/editorial/proposals/{body['id']}/take", keys["carol"])
                status, _ = call(site, f"/editorial/proposals/{body['id']}/approve", keys["ivan"])
                seen.append(status)
            n += 1
        except (OSError, ValueError, http.client.HTTPException):  # the server died mid-answer
            return


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_kill_9_during_writes_leaves_the_store_consistent_and_the_release_intact(
    tmp_path: Path, round_: int
) -> None:
    work, store = tmp_path / "work", tmp_path / "editorial.db"
    work.mkdir()
    seen: list[int] = []
    with serve(SOURCE, work, "--editorial-db", str(store)) as site:
        keys = prepare(str(store), site.base).keys
        release = digest(work / "vocab.db")
        stop = threading.Event()
        thread = threading.Thread(target=writer, args=(site, keys, stop, seen))
        thread.start()
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:  # the write worker has started
            time.sleep(0.05)
        time.sleep(random.Random(round_).uniform(0.1, 1.5))
        site.process.kill()  # SIGKILL: no shutdown, no cleanup
        site.process.wait(timeout=10)
        stop.set()
        thread.join(timeout=30)
    check_consistent(store)
    assert digest(work / "vocab.db") == release and seen, "no write got through before the kill"
    with serve(SOURCE, work, "--editorial-db", str(store)) as again:
        status, _ = definition(again, keys, "t0001", 1, "Still writable after the crash.")
    assert status == 201


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_reviewers_deciding_at_once_over_http_one_wins(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = str(tmp_path / "editorial.db")
    else:
        url = request.getfixturevalue("postgres").new_database(
            template=request.getfixturevalue("migrated_template")
        )
    keys: dict[str, str] = {}
    with serve(SOURCE, tmp_path, "--editorial-db", url) as site:
        keys = prepare(url, site.base).keys
        outcomes = []
        for concept in ("t0001", "t0002", "t0004", "t0005"):
            status, body = definition(site, keys, concept, 1, f"A clearer definition of {concept}.")
            assert status == 201, body
            call(site, f"/editorial/proposals/{body['id']}/take", keys["carol"])
            results: list[int] = []
            barrier = threading.Barrier(2)

            def decide(
                who: str,
                pid: int = body["id"],
                barrier: Any = barrier,
                results: list[int] = results,
            ) -> None:
                barrier.wait()
                results.append(call(site, f"/editorial/proposals/{pid}/approve", keys[who])[0])

            threads = [threading.Thread(target=decide, args=(who,)) for who in ("carol", "ivan")]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=30)
            outcomes.append(sorted(results))
    assert outcomes == [[200, 409]] * 4
