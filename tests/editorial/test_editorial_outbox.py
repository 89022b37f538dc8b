"""The webhook outbox of the store: a cursor over the audit log and the deliveries it queues,
on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from vocab.editorial import schema as t
from vocab.editorial.model import AuditEntry, DeliveryState
from vocab.editorial.sql_rows import audit_values
from vocab.editorial.sql_store import SqlEditorialStore

URLS = ("http://a.test/hook", "http://b.test/hook")
ACTIONS = ("proposal.submit", "release")
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def entry(action: str, subject: str = "proposal:1") -> AuditEntry:
    return AuditEntry(0, NOW, None, "system", action, subject)


def append(store: SqlEditorialStore, *actions: str) -> list[int]:
    return [store.append_audit(entry(a)).seq for a in actions]


def test_the_first_follower_starts_at_the_newest_entry_and_keeps_its_place(
    store: SqlEditorialStore,
) -> None:
    history = append(store, "proposal.submit", "proposal.submit")

    first = store.webhook_cursor()
    append(store, "proposal.submit")

    assert (first, store.webhook_cursor()) == (history[-1], history[-1])


def test_an_empty_store_is_followed_from_the_start(store: SqlEditorialStore) -> None:
    assert store.webhook_cursor() == 0
    append(store, "release")
    assert [d.audit_seq for d in store.queue_deliveries(URLS[:1], ACTIONS, NOW).queued] == [1]


def test_nothing_is_queued_before_anyone_follows(store: SqlEditorialStore) -> None:
    append(store, "proposal.submit")

    assert store.queue_deliveries(URLS, ACTIONS, NOW).read == 0
    assert store.deliveries() == []


def test_each_announced_entry_becomes_one_waiting_delivery_per_url(
    store: SqlEditorialStore,
) -> None:
    store.webhook_cursor()
    seqs = append(store, "proposal.submit", "proposal.review", "release", "login")

    followed = store.queue_deliveries(URLS, ACTIONS, NOW)
    again = store.queue_deliveries(URLS, ACTIONS, NOW)

    assert followed.read == 4 and again.read == 0
    assert [(d.audit_seq, d.url) for d in store.deliveries()] == [
        (seqs[0], URLS[0]),
        (seqs[0], URLS[1]),
        (seqs[2], URLS[0]),
        (seqs[2], URLS[1]),
    ]
    assert {d.state for d in store.deliveries()} == {DeliveryState.WAITING}
    assert len({d.delivery for d in store.deliveries()}) == 4
    assert store.webhook_cursor() == seqs[-1]


def test_a_batch_reads_at_most_limit_entries_and_the_next_goes_on(
    store: SqlEditorialStore,
) -> None:
    store.webhook_cursor()
    append(store, *["proposal.submit"] * 5)

    counts = [store.queue_deliveries(URLS[:1], ACTIONS, NOW, limit=2).read for _ in range(4)]

    assert counts == [2, 2, 1, 0] and len(store.deliveries()) == 5


def test_past_max_waiting_entries_are_dropped_and_the_cursor_still_moves(
    store: SqlEditorialStore,
) -> None:
    store.webhook_cursor()
    append(store, "proposal.submit", "proposal.submit", "release")

    followed = store.queue_deliveries(URLS, ACTIONS, NOW, max_waiting=3)

    assert (len(followed.queued), [e.action for e in followed.dropped]) == (
        2,
        ["proposal.submit", "release"],
    )
    assert store.queue_deliveries(URLS, ACTIONS, NOW).read == 0


def test_claims_are_due_first_and_leased_so_no_one_takes_them_twice(
    store: SqlEditorialStore,
) -> None:
    store.webhook_cursor()
    append(store, "proposal.submit")
    store.queue_deliveries(URLS, ACTIONS, NOW)
    append(store, "release")
    store.queue_deliveries(URLS, ACTIONS, NOW + timedelta(seconds=30))  # due later

    claimed = store.claim_deliveries(URLS[:1], NOW, lease_s=60)

    assert [(d.url, e.action) for d, e in claimed] == [(URLS[0], "proposal.submit")]
    assert store.claim_deliveries(URLS[:1], NOW + timedelta(seconds=29)) == []  # leased
    later = store.claim_deliveries(URLS[:1], NOW + timedelta(seconds=61))
    assert [e.action for _, e in later] == ["release", "proposal.submit"]
    assert store.next_due(URLS[1:]) == NOW  # the other receiver's copy was never claimed


def test_an_attempt_delivers_retries_or_abandons(store: SqlEditorialStore) -> None:
    store.webhook_cursor()
    append(store, "proposal.submit", "release", "release")
    a, b, c = store.queue_deliveries(URLS[:1], ACTIONS, NOW).queued
    retry = NOW + timedelta(seconds=6)

    delivered = store.record_attempt(a.id, NOW, delivered=True)
    waiting = store.record_attempt(b.id, NOW, delivered=False, error="HTTP 503", retry_at=retry)
    abandoned = store.record_attempt(c.id, NOW, delivered=False, error="timed out")
    after = store.record_attempt(a.id, NOW, delivered=False, error="late")

    assert [(d.state, d.attempts) for d in (delivered, waiting, abandoned, after)] == [
        (DeliveryState.DELIVERED, 1),
        (DeliveryState.WAITING, 1),
        (DeliveryState.ABANDONED, 1),
        (DeliveryState.DELIVERED, 1),  # a delivery no longer waiting is left as it is
    ]
    assert (waiting.due_at, waiting.last_error, store.count_waiting(URLS)) == (retry, "HTTP 503", 1)
    assert store.next_due(URLS) == retry


def test_two_followers_at_once_queue_each_entry_once(store: SqlEditorialStore) -> None:
    store.webhook_cursor()
    seqs = append(store, *["proposal.submit"] * 20)
    other = SqlEditorialStore.open(store.engine.url.render_as_string(hide_password=False))
    start = threading.Barrier(2)

    steps: list[int] = []

    def follow(s: SqlEditorialStore) -> None:
        start.wait()
        taken = 0
        while s.queue_deliveries(URLS[:1], ACTIONS, NOW, limit=3).read:
            taken += 1
        steps.append(taken)

    threads = [threading.Thread(target=follow, args=(s,)) for s in (store, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    other.close()

    assert len(steps) == 2 and 7 <= sum(steps) <= 20  # 20 entries, at most 3 a step, both ended
    assert sorted(d.audit_seq for d in store.deliveries()) == seqs


def test_postgres_an_entry_committed_after_a_later_one_is_not_passed_over(
    postgres: object, migrated_template: str
) -> None:
    from tests.editorial.postgres import Cluster

    assert isinstance(postgres, Cluster)
    store = SqlEditorialStore.open(postgres.new_database(template=migrated_template))
    store.webhook_cursor()
    inserted, finish = threading.Event(), threading.Event()

    def slow_writer() -> None:  # takes its seq first, commits last
        with store.engine.begin() as c:
            c.execute(sa.insert(t.audit_log).values(audit_values(entry("proposal.submit"))))
            inserted.set()
            finish.wait(10)

    writer = threading.Thread(target=slow_writer)
    writer.start()
    inserted.wait(10)
    [later] = append(store, "release")
    follower = threading.Thread(target=store.queue_deliveries, args=(URLS[:1], ACTIONS, NOW))
    follower.start()
    follower.join(0.5)
    finish.set()  # the follower waited for the slow writer instead of moving past its entry
    writer.join(10)
    follower.join(10)
    store.queue_deliveries(URLS[:1], ACTIONS, NOW)

    assert sorted(d.audit_seq for d in store.deliveries()) == [later - 1, later]
    store.close()


def test_pruning_deletes_only_deliveries_that_ended_before_the_cut_in_batches(
    store: SqlEditorialStore,
) -> None:
    store.webhook_cursor()
    append(store, *["release"] * 5)
    old, older, late, waiting, abandoned = store.queue_deliveries(URLS[:1], ACTIONS, NOW).queued
    cut = NOW + timedelta(days=30)
    store.record_attempt(old.id, NOW, delivered=True)
    store.record_attempt(older.id, NOW - timedelta(days=1), delivered=True)
    store.record_attempt(late.id, cut + timedelta(seconds=1), delivered=True)
    store.record_attempt(abandoned.id, NOW, delivered=False, error="timed out")

    counts = [store.prune_deliveries(cut, limit=2) for _ in range(3)]

    assert counts == [2, 1, 0]
    assert [(d.id, d.state) for d in store.deliveries()] == [
        (late.id, DeliveryState.DELIVERED),  # ended after the cut
        (waiting.id, DeliveryState.WAITING),  # never deleted, however old
    ]


def test_waiting_deliveries_to_addresses_no_longer_given_are_abandoned(
    store: SqlEditorialStore,
) -> None:
    store.webhook_cursor()
    append(store, "release")
    kept, _ = store.queue_deliveries(URLS, ACTIONS, NOW).queued
    store.record_attempt(kept.id, NOW, delivered=True)
    later = NOW + timedelta(minutes=1)

    assert store.abandon_deliveries_except(URLS[:1], later, "gone") == 1
    assert store.abandon_deliveries_except(URLS[:1], later, "gone") == 0
    assert [(d.url, d.state, d.last_error, d.updated_at) for d in store.deliveries()] == [
        (URLS[0], DeliveryState.DELIVERED, "", NOW),
        (URLS[1], DeliveryState.ABANDONED, "gone", later),
    ]
    assert store.count_waiting(URLS) == 0
