"""Webhooks follow the audit log: every step is announced, whichever process took it, and a
restart loses nothing. A real receiver, a real SQLite store, the real `vocab` command."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from api.editorial.webhooks import ORPHANED, WebhookSender
from tests.api.editorial.conftest import BASE, SOURCE, make_desk
from tests.api.editorial.test_editorial_webhooks import (
    SECRET,
    hooked,
    receiver_server,
    submit,
    wait_for,
)
from tests.cli.test_editorial_cli import edited_regulation, run
from vocab.editorial.model import AuditEntry, DeliveryState
from vocab.editorial.notify import Backoff
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.vocabulary import Vocabulary


def test_a_proposal_filed_with_vocab_propose_is_announced_by_the_running_server(
    tmp_path: Path, published: Vocabulary
) -> None:
    with receiver_server(0, 0) as receiver:
        desk = hooked(tmp_path, published, receiver)
        with desk.client:
            env = {"VOCAB_EDITORIAL_DB": str(tmp_path / "e.db"), "VOCAB_SOURCE": str(SOURCE),
                   "VOCAB_BASE_URI": BASE}  # fmt: skip
            done = run(env, "propose", str(edited_regulation(tmp_path)), "--as", "eve",
                       "--reason", "The name the press uses.")  # fmt: skip
            assert done.returncode == 0, done.stderr
            wait_for(lambda: receiver.accepted())
        headers, body, _ = receiver.accepted()[0]
    pid = int(done.stdout.split("\t")[0])
    data = json.loads(body)["data"]
    assert (headers["X-Vocab-Event"], data["id"], data["by"], data["concepts"]) == (
        "proposal.submitted",
        pid,
        "eve",
        ["t0003"],
    )
    assert data["link"] == f"{BASE}/editorial/proposals/{pid}"


def test_steps_taken_through_another_connection_are_announced_a_release_too(
    tmp_path: Path, published: Vocabulary
) -> None:
    with receiver_server(0, 0) as receiver:
        desk = hooked(tmp_path, published, receiver)
        with desk.client:
            pid = submit(desk).json()["id"]
            other = SqlEditorialStore.open(tmp_path / "e.db")  # as the write worker or the CLI
            wf, named = Workflow(other), other.account_by_name
            wf.take(named("carol"), pid)
            wf.approve(named("ivan"), pid)
            wf.record_release(named("rob"), "2030-01-01", "  The first.  ")
            other.close()
            wait_for(lambda: len(receiver.accepted()) == 3)
    bodies = [json.loads(body) for _, body, _ in receiver.accepted()]
    assert [b["event"] for b in bodies] == [
        "proposal.submitted",
        "proposal.approved",
        "release.published",
    ]
    assert (bodies[1]["data"]["by"], bodies[1]["data"]["state"]) == ("ivan", "approved")
    assert bodies[2]["data"] == {
        "version": "2030-01-01",
        "by": "rob",
        "link": f"{BASE}/releases/2030-01-01",
        "note": "The first.",
    }


def test_a_delivery_waiting_at_a_restart_is_sent_by_the_next_sender_with_its_id(
    tmp_path: Path, published: Vocabulary
) -> None:
    retries = Backoff(first_s=0.2, factor=1, max_s=0.2, attempts=50)
    with receiver_server(fail_first=10_000, delay_s=0) as receiver:  # down until told
        sender = WebhookSender((receiver.url,), SECRET, backoff=retries)
        desk = make_desk(str(tmp_path / "e.db"), published, notifier=sender)
        with desk.client:
            submit(desk)
            wait_for(lambda: receiver.received)
        # the server has stopped: its sender too, with the delivery still waiting
        before = len(receiver.received)
        store = SqlEditorialStore.open(tmp_path / "e.db")
        [waiting] = store.deliveries()
        receiver.fail_first = 0  # the receiver is back
        assert waiting.state is DeliveryState.WAITING and waiting.attempts == before
        time.sleep(0.5)
        assert len(receiver.received) == before  # nobody sends while no server runs
        again = WebhookSender((receiver.url,), SECRET, backoff=retries).start(store, BASE)
        wait_for(lambda: receiver.accepted())
        again.close()
        [done] = store.deliveries()
        store.close()
    ids = {h["X-Vocab-Delivery"] for h, _, _ in receiver.received}
    assert [status for _, _, status in receiver.received[before:]] == [200]
    assert ids == {waiting.delivery} and done.state is DeliveryState.DELIVERED


def test_a_sender_started_on_a_store_with_history_announces_only_what_follows(
    tmp_path: Path, published: Vocabulary
) -> None:
    desk = make_desk(str(tmp_path / "e.db"), published)  # no webhooks: a proposal submitted
    with desk.client, receiver_server(0, 0) as receiver:
        pid = submit(desk).json()["id"]
        store = SqlEditorialStore.open(tmp_path / "e.db")
        sender = WebhookSender((receiver.url,), SECRET).start(store, BASE)
        desk.post(f"/editorial/proposals/{pid}/take", "carol")
        desk.post(f"/editorial/proposals/{pid}/approve", "ivan", {})
        wait_for(lambda: receiver.accepted())
        time.sleep(0.3)  # anything queued with it would have arrived by now
        sender.close()
        store.close()
    assert [h["X-Vocab-Event"] for h, _, _ in receiver.received] == ["proposal.approved"]


def test_a_starting_sender_abandons_deliveries_to_dropped_addresses_and_prunes_old_ones(
    tmp_path: Path,
) -> None:
    kept, dropped = "http://127.0.0.1:9/kept", "http://127.0.0.1:9/dropped"
    store = SqlEditorialStore.open(tmp_path / "e.db")
    store.webhook_cursor()
    long_ago = datetime.now(UTC) - timedelta(days=40)
    store.append_audit(AuditEntry(0, long_ago, None, "system", "release", "release:2030-01-01"))
    sent, waiting = store.queue_deliveries((kept, dropped), ("release",), long_ago).queued
    store.record_attempt(sent.id, long_ago, delivered=True)

    sender = WebhookSender((kept,), SECRET, keep_days=30).start(store, BASE)
    wait_for(lambda: len(store.deliveries()) == 1)  # the old delivered one is deleted
    sender.close()

    [left] = store.deliveries()
    store.close()
    assert (left.id, left.url, left.state, left.last_error) == (
        waiting.id,
        dropped,
        DeliveryState.ABANDONED,  # kept 30 days from now, like any delivery that ended
        ORPHANED,
    )
