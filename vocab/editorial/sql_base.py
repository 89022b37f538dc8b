"""What every part of the SQL store shares: the engine, one transaction per call, audit rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from vocab.editorial import schema as t
from vocab.editorial import sql_rows as rows
from vocab.editorial.database import READ_ONLY
from vocab.editorial.errors import Conflict
from vocab.editorial.model import AuditEntry


def new_id(result: sa.CursorResult[Any]) -> int:
    """Return the primary key an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class SqlBase:
    """An engine, and the two ways to use it: `_write()` and `_read()` transactions."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """Yield a connection in a write transaction; a constraint violation becomes Conflict."""
        try:
            with self.engine.begin() as c:
                yield c
        except sa.exc.IntegrityError as exc:
            raise Conflict(f"The change clashes with stored data: {exc.orig}") from None

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        """Yield a connection in a read transaction (one consistent view, no write lock)."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as c, c.begin():
            yield c

    def _audit(self, c: sa.Connection, entry: AuditEntry) -> AuditEntry:
        return replace(
            entry, seq=new_id(c.execute(sa.insert(t.audit_log).values(rows.audit_values(entry))))
        )
