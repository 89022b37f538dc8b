"""Webhook notifications as data: events, their signed body, and the retry schedule. No network.

An event says that a proposal was submitted or decided, or that a release was published.
Its body is compact JSON; the signature is HMAC-SHA256, keyed with the shared secret, over
`{timestamp}.{body}`, so a receiver can check both who sent it and that it is fresh:

    X-Vocab-Event: proposal.submitted
    X-Vocab-Delivery: 5f0c...            (the same on every retry of one delivery)
    X-Vocab-Timestamp: 1767225600        (Unix seconds when this attempt was signed)
    X-Vocab-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>

Sending is an edge concern (`api.editorial.webhooks`): it queues events and retries with
the `Backoff` below, so no request ever waits for a receiver.

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
from vocab.editorial.model import Proposal, ProposalState

EVENTS = ("proposal.submitted", "proposal.approved", "proposal.rejected", "release.published")
"""What a receiver can be told of: a change submitted, decided, or released."""

STATE_EVENTS: dict[ProposalState, str] = {
    ProposalState.SUBMITTED: "proposal.submitted",
    ProposalState.APPROVED: "proposal.approved",
    ProposalState.REJECTED: "proposal.rejected",
}
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


def proposal_event(proposal: Proposal, *, actor: str, link: str) -> Event | None:
    """Return the event a proposal's new state calls for, or None if it calls for none."""
    kind = STATE_EVENTS.get(proposal.state)
    if kind is None:
        return None
    return Event(
        kind,
        f"proposal:{proposal.id}",
        {
            "id": proposal.id,
            "kind": proposal.kind.value,
            "state": proposal.state.value,
            "title": proposal.title,
            "concepts": list(proposal.concept_ids),
            "by": actor,
            "link": link,
        },
    )


def release_event(version: str, *, actor: str, link: str, note: str = "") -> Event:
    """Return the event of a published release."""
    data = {"version": version, "by": actor, "link": link, "note": note}
    return Event("release.published", f"release:{version}", data)


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
    """Where the edges hand events; `publish` must return at once."""

    def publish(self, event: Event) -> None:
        """Queue `event` for delivery."""


class NoNotifier:
    """A notifier that tells no one (no webhook configured)."""

    def publish(self, event: Event) -> None:
        """Drop the event."""
