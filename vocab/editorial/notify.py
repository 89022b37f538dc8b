"""Webhook notifications as data: events, their signed body, and the retry schedule. No network.

An event says that a proposal was submitted or decided, or that a release was published.
Each one is made from the audit entry that recorded the step (`event_of`): the audit log,
written in the same transaction as every change, is the outbox the sender follows, so
every step is announced whichever process took it (the server, its write worker, the CLI).
Its body is compact JSON; the signature is HMAC-SHA256, keyed with the shared secret, over
`{timestamp}.{body}`, so a receiver can check both who sent it and that it is fresh:

    X-Vocab-Event: proposal.submitted
    X-Vocab-Delivery: 5f0c...            (the same on every retry of one delivery)
    X-Vocab-Timestamp: 1767225600        (Unix seconds when this attempt was signed)
    X-Vocab-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>

Sending is an edge concern (`api.editorial.webhooks`): it follows the audit log, queues
deliveries in the store and retries with the `Backoff` below, so no request ever waits
for a receiver and a restart loses nothing.

>>> event = Event("proposal.submitted", "proposal:7", {"id": 7}, at="2030-01-01T00:00:00Z")
>>> headers = signed_headers("secret", event, timestamp=1893456000, delivery="d1")
>>> verify("secret", event.body(), headers["X-Vocab-Timestamp"], headers["X-Vocab-Signature"],
...        now=1893456010)
True
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from vocab.editorial.codec import stamp
from vocab.editorial.model import AuditEntry, Proposal

EVENTS = ("proposal.submitted", "proposal.approved", "proposal.rejected", "release.published")
"""What a receiver can be told of: a change submitted, decided, or released."""

ACTION_EVENTS: dict[str, str] = {
    "proposal.submit": "proposal.submitted",
    "proposal.approve": "proposal.approved",
    "proposal.reject": "proposal.rejected",
    "release": "release.published",
}
"""The audit actions (as `review.py` and `workflow.py` write them) that are announced."""
MAX_AGE_S = 300
"""Receivers should refuse a signature older than this (a replayed delivery)."""


@dataclass(frozen=True)
class Event:
    """One notification: its kind, its subject and JSON-ready data."""

    kind: str
    subject: str
    data: Mapping[str, Any]
    at: str = field(default_factory=lambda: stamp(datetime.now(UTC)))

    def body(self) -> bytes:
        """Return the JSON body a receiver gets (keys sorted, so it is stable)."""
        document = {"event": self.kind, "subject": self.subject, "at": self.at, "data": self.data}
        return json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")


def event_of(entry: AuditEntry, proposal: Proposal | None, *, base: str) -> Event | None:
    """Return the event an audit entry calls for (None for most actions); `proposal` is
    the entry's proposal, `base` the service's public address (links start with it).

    The body depends only on the entry and on what a proposal never changes (kind, title,
    concepts), so every attempt of a delivery sends the same body.
    """
    kind = ACTION_EVENTS.get(entry.action)
    if kind is None:
        return None
    at = stamp(entry.at)
    if kind == "release.published":
        version = entry.subject.removeprefix("release:")
        link = f"{base}/releases/{version}"
        release = {"version": version, "by": entry.actor, "link": link, "note": entry.reason}
        return Event(kind, entry.subject, release, at=at)
    if proposal is None or proposal.id != entry.proposal_id:
        return None
    data: dict[str, Any] = {
        "id": proposal.id,
        "kind": proposal.kind.value,
        "state": str(entry.after),
        "title": proposal.title,
        "concepts": list(proposal.concept_ids),
        "by": entry.actor,
        "link": f"{base}/editorial/proposals/{proposal.id}",
    }
    return Event(kind, f"proposal:{proposal.id}", data, at=at)


def signature(secret: str, body: bytes, timestamp: int | str) -> str:
    """Return `sha256=<hex>`: HMAC-SHA256 keyed with `secret` over `{timestamp}.{body}`."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, event: Event, *, timestamp: int, delivery: str) -> dict[str, str]:
    """Return the headers of one delivery attempt of `event`."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "airt-vocab-webhooks/1",
        "X-Vocab-Event": event.kind,
        "X-Vocab-Delivery": delivery,
        "X-Vocab-Timestamp": str(timestamp),
        "X-Vocab-Signature": signature(secret, event.body(), timestamp),
    }


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    presented: str,
    *,
    now: float,
    max_age_s: int = MAX_AGE_S,
) -> bool:
    """Return whether a delivery is genuine and fresh (what a receiver should check)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > max_age_s:
        return False
    return hmac.compare_digest(signature(secret, body, timestamp), presented)


@dataclass(frozen=True)
class Backoff:
    """When to retry a failed delivery: `first_s`, then times `factor`, at most `max_s` apart.

    >>> Backoff(first_s=1, factor=2, max_s=5, attempts=5).delays()
    (1, 2, 4, 5)
    """

    first_s: float = 2.0
    factor: float = 3.0
    max_s: float = 600.0
    attempts: int = 8  # the first try and seven retries, over about an hour with the defaults

    def delays(self) -> tuple[float, ...]:
        """Return the wait before each retry (one fewer than `attempts`)."""
        return tuple(
            min(self.max_s, self.first_s * self.factor**i) for i in range(self.attempts - 1)
        )


class Notifier(Protocol):
    """What the edges tell after a write; `wake` must return at once."""

    def wake(self) -> None:
        """Look at the audit log now: a step that may call for an event just committed."""

    def close(self) -> None:
        """Stop (what waits stays stored, for the next start)."""


class NoNotifier:
    """A notifier that tells no one (no webhook configured)."""

    def wake(self) -> None:
        """Nothing to do."""

    def close(self) -> None:
        """Nothing to stop."""
