"""Seeding: the curated vocabulary into an empty editorial store, and the head back out.

`seed(store, snapshot, base=...)` is what `vocab editorial init` calls: every concept
becomes version 1. `head_snapshot(store)` returns the head in canonical order, so the
curated source read in and the head read out compare equal.

>>> store = SqlEditorialStore.open("/tmp/doctest.db")  # doctest: +SKIP
>>> seed(store, read_source(Path("ontology/vocabulary"), base=BASE).snapshot, base=BASE)  # doctest: +SKIP
"""

from __future__ import annotations

from datetime import UTC, datetime

from vocab.editorial.model import NEW, Account, AuditEntry
from vocab.editorial.protocol import EditorialStore
from vocab.model import Snapshot, canonical


def seed(
    store: EditorialStore, snapshot: Snapshot, *, base: str, actor: Account | None = None
) -> int:
    """Load `snapshot` as version 1 of every concept and return how many concepts.

    Raise Conflict if the store holds a vocabulary already.
    """
    entry = AuditEntry(
        NEW,
        datetime.now(UTC),
        actor.id if actor else None,
        actor.name if actor else "system",
        "vocabulary.seed",
        "vocabulary",
        after={"concepts": len(snapshot.concepts), "base": base.rstrip("/")},
        reason="Seeded from the curated source.",
    )
    store.seed(snapshot, base.rstrip("/"), entry)
    return len(snapshot.concepts)


def head_snapshot(store: EditorialStore) -> Snapshot:
    """Return the editorial head as a Snapshot in canonical order."""
    return canonical(store.head_snapshot())
