"""Webhook deliveries in SQL: the audit log is the outbox, followed through a cursor.

Every step of the workflow writes its audit entry in the transaction that makes the change,
so an entry exists exactly when the change does. `queue_deliveries` turns the entries after
the cursor into deliveries and moves the cursor past them, in one transaction: a crash
before it commits leaves the entries to the next call, after it leaves the deliveries.

Sequence numbers are handed out when a row is inserted, not when its transaction commits.
On SQLite one writer at a time (BEGIN IMMEDIATE) makes the two orders the same. On
PostgreSQL a transaction holding seq 10 may commit after another's seq 11; the follower
therefore locks the audit log in SHARE ROW EXCLUSIVE mode, which waits for every
transaction still inserting into it (and for any other follower), so no entry is passed
over. It takes that lock only when there is something new, for a few milliseconds.

A sender claims the deliveries it attempts (`claim_deliveries` moves them `lease_s` ahead,
skipping rows another sender holds), so two senders on one store do not both send, and an
attempt cut short by a crash is tried again once the lease runs out.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from vocab.editorial import schema as t
from vocab.editorial import sql_rows as rows
from vocab.editorial.codec import parse_stamp, stamp
from vocab.editorial.model import AuditEntry, Delivery, DeliveryState, Followed
from vocab.editorial.sql_base import SqlBase, new_id
from vocab.errors import NotFound

W = DeliveryState.WAITING
MAX_ERROR = 2000
"""Characters of an attempt's error kept in `last_error`."""


def _waiting(urls: Collection[str]) -> sa.Select[Any]:
    d = t.webhook_deliveries.c
    return sa.select(t.webhook_deliveries).where(d.state == W.value, d.url.in_(list(urls)))


def _count(c: sa.Connection, query: sa.Select[Any]) -> int:
    return int(c.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())


class SqlOutbox(SqlBase):
    """The follower's cursor over the audit log, and the deliveries it queued."""

    def _lock_audit(self, c: sa.Connection) -> None:
        """Wait out every transaction still adding audit entries (PostgreSQL; see above)."""
        if c.dialect.name == "postgresql":
            c.exec_driver_sql("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")

    def _cursor(self, c: sa.Connection) -> int | None:
        value = c.execute(
            sa.select(t.counters.c.value).where(t.counters.c.name == t.WEBHOOK_CURSOR)
        ).scalar()
        return None if value is None else int(value)

    def webhook_cursor(self) -> int:
        with self._read() as c:
            found = self._cursor(c)
        if found is not None:
            return found
        with self._write() as c:
            self._lock_audit(c)
            found = self._cursor(c)
            if found is None:
                found = int(
                    c.execute(sa.select(sa.func.coalesce(sa.func.max(t.audit_log.c.seq), 0)))
                    .scalar_one()
                )  # fmt: skip
                c.execute(sa.insert(t.counters).values(name=t.WEBHOOK_CURSOR, value=found))
            return found

    def queue_deliveries(
        self,
        urls: Sequence[str],
        actions: Collection[str],
        at: datetime,
        *,
        limit: int = 500,
        max_waiting: int = 10_000,
    ) -> Followed:
        a = t.audit_log.c
        with self._read() as c:
            cursor = self._cursor(c)
            newest = c.execute(sa.select(sa.func.max(a.seq))).scalar()
        if cursor is None or newest is None or newest <= cursor:
            return Followed(0)
        with self._write() as c:
            self._lock_audit(c)
            cursor = self._cursor(c) or 0
            entries = [
                rows.audit(r)
                for r in c.execute(
                    sa.select(t.audit_log).where(a.seq > cursor).order_by(a.seq).limit(limit)
                )
            ]
            if not entries:
                return Followed(0)
            waiting = _count(c, _waiting(urls))
            queued: list[Delivery] = []
            dropped: list[AuditEntry] = []
            for entry in entries:
                if entry.action not in actions:
                    continue
                if waiting + len(urls) > max_waiting:
                    dropped.append(entry)
                    continue
                for url in urls:
                    queued.append(self._queue(c, entry.seq, url, at))
                    waiting += 1
            c.execute(
                sa.update(t.counters)
                .where(t.counters.c.name == t.WEBHOOK_CURSOR)
                .values(value=entries[-1].seq)
            )
            return Followed(len(entries), tuple(queued), tuple(dropped))

    def _queue(self, c: sa.Connection, seq: int, url: str, at: datetime) -> Delivery:
        delivery_id = uuid.uuid4().hex
        values = {
            "audit_seq": seq,
            "url": url,
            "delivery": delivery_id,
            "attempts": 0,
            "due_at": stamp(at),
            "state": W.value,
            "last_error": "",
            "updated_at": stamp(at),
        }
        key = new_id(c.execute(sa.insert(t.webhook_deliveries).values(values)))
        return Delivery(key, seq, url, delivery_id, 0, at, W, "", at)

    def claim_deliveries(
        self, urls: Sequence[str], now: datetime, *, lease_s: float = 60.0, limit: int = 50
    ) -> list[tuple[Delivery, AuditEntry]]:
        d = t.webhook_deliveries.c
        due = (
            _waiting(urls)
            .with_only_columns(d.id)
            .where(d.due_at <= stamp(now))
            .order_by(d.due_at, d.id)
        )
        with self._read() as c:  # most looks find nothing due: no write lock for those
            if not c.execute(due.limit(1)).first():
                return []
        with self._write() as c:
            ids = list(c.execute(due.limit(limit).with_for_update(skip_locked=True)).scalars())
            if not ids:
                return []
            c.execute(
                sa.update(t.webhook_deliveries)
                .where(d.id.in_(ids))
                .values(due_at=stamp(now + timedelta(seconds=lease_s)))
            )
            found = c.execute(
                sa.select(t.webhook_deliveries, t.audit_log)
                .join(t.audit_log, t.audit_log.c.seq == d.audit_seq)
                .where(d.id.in_(ids))
                .order_by(d.id)
            ).all()
        claimed = {r.id: (rows.delivery(r), rows.audit(r)) for r in found}
        return [claimed[i] for i in ids]

    def next_due(self, urls: Sequence[str]) -> datetime | None:
        d = t.webhook_deliveries.c
        with self._read() as c:
            text = c.execute(
                sa.select(sa.func.min(d.due_at)).where(d.state == W.value, d.url.in_(list(urls)))
            ).scalar()
        return None if text is None else parse_stamp(text)

    def record_attempt(
        self,
        delivery_id: int,
        at: datetime,
        *,
        delivered: bool,
        error: str = "",
        retry_at: datetime | None = None,
    ) -> Delivery:
        d = t.webhook_deliveries.c
        query = sa.select(t.webhook_deliveries).where(d.id == delivery_id)
        with self._write() as c:
            row = c.execute(query.with_for_update()).first()
            if row is None:
                raise NotFound(f"No webhook delivery {delivery_id}.")
            if row.state != W.value:
                return rows.delivery(row)
            state = (
                DeliveryState.DELIVERED if delivered else W if retry_at else DeliveryState.ABANDONED
            )
            c.execute(
                sa.update(t.webhook_deliveries)
                .where(d.id == delivery_id)
                .values(
                    attempts=d.attempts + 1,
                    state=state.value,
                    due_at=stamp(retry_at) if retry_at and not delivered else row.due_at,
                    last_error=error[:MAX_ERROR],
                    updated_at=stamp(at),
                )
            )
            return rows.delivery(c.execute(query).one())

    def deliveries(
        self, *, state: DeliveryState | None = None, after_id: int = 0, limit: int = 1000
    ) -> list[Delivery]:
        d = t.webhook_deliveries.c
        query = sa.select(t.webhook_deliveries).where(d.id > after_id).order_by(d.id).limit(limit)
        if state is not None:
            query = query.where(d.state == state.value)
        with self._read() as c:
            return [rows.delivery(r) for r in c.execute(query)]

    def count_waiting(self, urls: Sequence[str]) -> int:
        with self._read() as c:
            return _count(c, _waiting(urls))

    def abandon_deliveries_except(self, urls: Sequence[str], at: datetime, reason: str) -> int:
        d = t.webhook_deliveries.c
        with self._write() as c:
            done = c.execute(
                sa.update(t.webhook_deliveries)
                .where(d.state == W.value, d.url.not_in(list(urls)))
                .values(
                    state=DeliveryState.ABANDONED.value,
                    last_error=reason[:MAX_ERROR],
                    updated_at=stamp(at),
                )
            )
            return int(done.rowcount)

    def prune_deliveries(self, before: datetime, *, limit: int = 10_000) -> int:
        d = t.webhook_deliveries.c
        finished = [DeliveryState.DELIVERED.value, DeliveryState.ABANDONED.value]
        batch = (
            sa.select(d.id)
            .where(d.state.in_(finished), d.updated_at < stamp(before))
            .order_by(d.id)
            .limit(limit)
            .scalar_subquery()
        )  # a subquery, not the ids as parameters (SQLite caps how many a statement takes)
        with self._write() as c:
            done = c.execute(sa.delete(t.webhook_deliveries).where(d.id.in_(batch)))
            return int(done.rowcount)
