"""Sending webhooks: a background thread follows the audit log and delivers its events.

The audit log is the outbox. Every workflow step writes its audit entry in the same
transaction as the change, whichever process takes it (this server, its write worker, the
`vocab propose` command, another server on the same store). The sender's thread reads the
entries after its cursor about once a second (at once when `wake` is called after a write
here), turns those that call for an event into deliveries stored in the editorial store
(one per receiver, in the transaction that moves the cursor), and posts the due ones.

A delivery that fails (a network error, a timeout, any status but 2xx) is tried again after
the delays of `notify.Backoff`; each attempt is signed afresh (a new timestamp), with the
same delivery id. Redirects are not followed. A restart loses nothing: the next sender
posts what still waits and follows the entries written meanwhile. The first sender ever
started on a store begins at its newest entry (history is not announced). Run the sender
in one process per store (the one given VOCAB_WEBHOOK_URLS); no request waits for it.
"""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from time import monotonic

from vocab.editorial.model import AuditEntry, Delivery
from vocab.editorial.notify import ACTION_EVENTS, Backoff, Event, event_of, signed_headers
from vocab.editorial.protocol import EditorialStore
from vocab.errors import VocabError

log = logging.getLogger("vocab.webhooks")

MAX_WAITING = 10_000
"""Past this many waiting deliveries, new events are dropped (and logged)."""
POLL_S = 1.0
"""Seconds between looks at the audit log when nothing wakes the sender."""
BATCH = 500
"""Audit entries read per step; deliveries claimed per step is `CLAIM`."""
CLAIM = 10
KEEP_DAYS = 30
"""Days a delivered or abandoned delivery stays in the store (its attempts, its last error)
before the sender deletes it; a waiting one is never deleted."""
PRUNE_EVERY_S = 3600.0
ORPHANED = "its address is no longer in VOCAB_WEBHOOK_URLS"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _now() -> datetime:
    return datetime.now(UTC)


class WebhookSender:
    """Deliver the events of a store's audit log to `urls`, signed with `secret`, from one
    background thread started by `start(store, base)`."""

    def __init__(
        self,
        urls: tuple[str, ...],
        secret: str,
        *,
        backoff: Backoff | None = None,
        timeout_s: float = 5.0,
        poll_s: float = POLL_S,
        keep_days: float = KEEP_DAYS,
    ) -> None:
        bad = [u for u in urls if not u.startswith(("http://", "https://"))]
        if bad:
            raise ValueError(f"Webhook addresses must be http(s): {', '.join(bad)}")
        if urls and not secret:
            raise ValueError("Set VOCAB_WEBHOOK_SECRET: webhooks are always signed.")
        self.urls = urls
        self.secret = secret
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self.keep = timedelta(days=keep_days)
        self._pruned_at: float | None = None
        self.lease_s = 2 * timeout_s + 5  # an attempt cut short is retried after this
        self.delivered = 0
        self.failed = 0
        self.store: EditorialStore | None = None
        self.base = ""
        self._wake = threading.Condition()
        self._woken = False
        self._stopping = False
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._thread: threading.Thread | None = None

    def start(self, store: EditorialStore, base: str) -> WebhookSender:
        """Follow `store`'s audit log from now on (links start with `base`); return self."""
        if self._thread is not None:
            raise RuntimeError("This webhook sender is running already.")
        self.store, self.base = store, base.rstrip("/")
        store.webhook_cursor()  # before returning: every later step is announced
        # (a sender given no address would abandon every other sender's deliveries)
        orphaned = store.abandon_deliveries_except(self.urls, _now(), ORPHANED) if self.urls else 0
        if orphaned:
            log.warning(
                "webhooks: abandoned %d waiting deliveries to addresses no longer configured",
                orphaned,
            )
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()
        return self

    @property
    def started(self) -> bool:
        return self._thread is not None

    def wake(self) -> None:
        """Look at the audit log now (a write just committed); return at once."""
        with self._wake:
            self._woken = True
            self._wake.notify()

    def waiting(self) -> int:
        """Return how many deliveries to our receivers wait for their next attempt."""
        return self.store.count_waiting(self.urls) if self.store is not None else 0

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the thread; deliveries still waiting stay stored for the next sender."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout_s)

    # --- the thread -------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping:
            try:
                self._prune()
                wait = 0.0 if self._step() else self._idle_s()
            except Exception:  # the store is away (a restart of PostgreSQL): try again later
                log.exception("webhooks: could not follow the audit log; trying again")
                wait = self.poll_s
            with self._wake:
                if wait > 0 and not self._woken and not self._stopping:
                    self._wake.wait(wait)
                self._woken = False

    def _prune(self) -> None:
        """Delete the deliveries that ended more than `keep` ago, at most once an hour."""
        assert self.store is not None
        if self._pruned_at is not None and monotonic() - self._pruned_at < PRUNE_EVERY_S:
            return
        self._pruned_at = monotonic()
        before, removed, batch = _now() - self.keep, 0, -1
        while batch and not self._stopping:  # in batches, each a short transaction
            batch = self.store.prune_deliveries(before)
            removed += batch
        if removed:
            log.info("webhooks: deleted %d deliveries that ended before %s", removed, before)

    def _step(self) -> bool:
        """Queue the new entries' deliveries, attempt the due ones; return whether more wait."""
        assert self.store is not None
        followed = self.store.queue_deliveries(
            self.urls, tuple(ACTION_EVENTS), _now(), limit=BATCH, max_waiting=MAX_WAITING
        )
        for entry in followed.dropped:
            log.error("webhook queue full; dropped %s %s", entry.action, entry.subject)
        claimed = self.store.claim_deliveries(self.urls, _now(), lease_s=self.lease_s, limit=CLAIM)
        for delivery, entry in claimed:
            if self._stopping:  # the rest is retried by the next sender once the lease ends
                return False
            self._deliver(delivery, entry)
        return followed.read == BATCH or len(claimed) == CLAIM

    def _idle_s(self) -> float:
        """Return how long to wait: until the next look, or the next delivery due if sooner."""
        assert self.store is not None
        due = self.store.next_due(self.urls)
        if due is None:
            return self.poll_s
        return min(self.poll_s, max(0.0, (due - _now()).total_seconds()))

    def _event(self, entry: AuditEntry) -> Event | None:
        assert self.store is not None
        try:
            proposal = self.store.proposal(entry.proposal_id) if entry.proposal_id else None
        except VocabError:
            proposal = None
        return event_of(entry, proposal, base=self.base)

    def _deliver(self, d: Delivery, entry: AuditEntry) -> None:
        assert self.store is not None
        event = self._event(entry)
        if event is None:
            self.store.record_attempt(d.id, _now(), delivered=False, error="no event to send")
            return
        error = self._attempt(d, event)
        if error is None:
            self.store.record_attempt(d.id, _now(), delivered=True)
            self.delivered += 1
            return
        made = d.attempts + 1
        delays = self.backoff.delays()
        if made > len(delays):
            self.store.record_attempt(d.id, _now(), delivered=False, error=error)
            self.failed += 1
            log.error("webhook %s to %s failed %d times; giving up", event.kind, d.url, made)
            return
        retry_at = _now() + timedelta(seconds=delays[made - 1])
        self.store.record_attempt(d.id, _now(), delivered=False, error=error, retry_at=retry_at)

    def _attempt(self, d: Delivery, event: Event) -> str | None:
        """Post one attempt; return None if the receiver took it, else what went wrong."""
        headers = signed_headers(
            self.secret, event, timestamp=int(_now().timestamp()), delivery=d.delivery
        )
        # the scheme is checked in __init__: only http(s) receivers are accepted
        request = urllib.request.Request(d.url, data=event.body(), headers=headers, method="POST")  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                if 200 <= int(response.status) < 300:
                    return None
                return f"HTTP {response.status}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("webhook %s to %s: %s", event.kind, d.url, exc)
            return str(exc)
