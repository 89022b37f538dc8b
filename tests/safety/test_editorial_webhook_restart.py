"""Webhooks survive `kill -9` of a real `vocab serve`: a delivery waiting when the server
died, and a proposal filed while no server ran, both arrive after the restart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.api.editorial.conftest import SOURCE
from tests.api.editorial.test_editorial_webhooks import SECRET, receiver_server
from tests.conftest import serve
from tests.safety.test_editorial_reliability import definition, prepare
from vocab.editorial.model import DeliveryState, ProposalKind
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow

WAIT_S = 40  # a server start, the first retry's 2 s, and a lease if the kill cut an attempt


def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def attempted(path: Path) -> bool:
    store = SqlEditorialStore.open(path)
    try:
        return any(d.attempts for d in store.deliveries())
    finally:
        store.close()


def test_kill_9_with_a_delivery_waiting_then_a_restart_sends_it_and_what_came_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, path = tmp_path / "work", tmp_path / "editorial.db"
    work.mkdir()
    with receiver_server(fail_first=10_000, delay_s=0) as receiver:  # down until told
        monkeypatch.setenv("VOCAB_WEBHOOK_URLS", receiver.url)
        monkeypatch.setenv("VOCAB_WEBHOOK_SECRET", SECRET)
        with serve(SOURCE, work, "--editorial-db", str(path)) as site:
            keys = prepare(str(path), site.base).keys
            status, first = definition(site, keys, "t0001", 1, "A clearer definition.")
            assert status == 201, first
            wait_for(lambda: attempted(path))  # tried once, refused: waiting for a retry
            site.process.kill()  # SIGKILL: no shutdown
            site.process.wait(timeout=10)
        refused = {h["X-Vocab-Delivery"] for h, _, _ in receiver.received}
        store = SqlEditorialStore.open(path)  # no server runs: the git route files one
        eve = store.account_by_name("eve")
        fields = {"definitions": [{"text": "Filed while the server was down.", "lang": "en-GB"}]}
        second = Workflow(store).propose(eve, ProposalKind.EDIT_DEFINITIONS, fields,
                                         concept_id="t0002", base_version=1, reason="r",
                                         submit=True)  # fmt: skip
        store.close()
        receiver.fail_first = 0  # the receiver is back
        with serve(SOURCE, work, "--editorial-db", str(path)):
            wait_for(lambda: len(receiver.accepted()) == 2)
        store = SqlEditorialStore.open(path)
        states = [d.state for d in store.deliveries()]
        store.close()
    accepted = {json.loads(body)["data"]["id"]: h for h, body, _ in receiver.accepted()}
    assert sorted(accepted) == [first["id"], second.id]
    assert {accepted[first["id"]]["X-Vocab-Delivery"]} == refused
    assert states == [DeliveryState.DELIVERED] * 2
