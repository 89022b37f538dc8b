"""Migrations build the schema the store expects; the database refuses edits to history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from vocab.editorial import database
from vocab.editorial.model import Account, AuditEntry, Release, Role
from vocab.editorial.schema import APPEND_ONLY_TABLES, metadata
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.errors import StoreError
from vocab.model import Concept, Label, LabelKind, Scheme, Snapshot


def test_upgrade_of_an_empty_database_matches_the_store_tables(db_url: str) -> None:
    engine = database.create_engine(db_url)
    assert database.current_revision(engine) is None

    database.upgrade(engine)

    assert database.current_revision(engine) == database.head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


def test_upgrade_twice_changes_nothing(db_url: str) -> None:
    engine = database.create_engine(db_url)
    database.upgrade(db_url)  # a path or URL works as well as an engine

    database.upgrade(engine)

    assert database.current_revision(engine) == database.head_revision()
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: object) -> None:
    engine = database.create_engine(f"{tmp_path}/e.db")

    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }

    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000}
    engine.dispose()


@pytest.mark.parametrize("target", [":memory:", "sqlite://", "mysql://u@h/db"])
def test_unsupported_databases_are_refused(target: str) -> None:
    with pytest.raises(StoreError):
        database.create_engine(target)


def _one_audit_entry(store: SqlEditorialStore) -> None:
    store.append_audit(AuditEntry(0, datetime.now(UTC), None, "system", "test", "subject"))


def _fill_append_only_tables(store: SqlEditorialStore) -> None:
    """Give every append-only table a row (a trigger on an empty table has nothing to refuse)."""
    now = datetime.now(UTC)
    concept = Concept("t1", "http://x/terms/t1", labels=(Label("term", "en-GB", LabelKind.PREF),))
    snapshot = Snapshot(schemes=(Scheme("http://x/scheme"),), concepts=(concept,))
    store.seed(snapshot, "http://x", AuditEntry(0, now, None, "system", "seed", "vocabulary"))
    admin = store.add_account(
        Account(0, "admin", roles=frozenset({Role.ADMIN})),
        None,
        AuditEntry(0, now, None, "system", "account.create", "account"),
    )
    store.add_release(
        Release("1.0.0", now, admin.id),
        snapshot,
        AuditEntry(0, now, admin.id, "admin", "release", "release:1.0.0"),
    )


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}"]
)
def test_database_refuses_update_and_delete_on_append_only_tables(
    store: SqlEditorialStore, table: str, statement: str
) -> None:
    _fill_append_only_tables(store)
    column = "at" if table == "audit_log" else "created_at"

    with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as c:
        c.exec_driver_sql(statement.format(table=table, column=column))


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
)
def test_stored_audit_entries_survive_raw_sql_tampering(
    store: SqlEditorialStore, statement: str
) -> None:
    _one_audit_entry(store)

    with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as c:
        c.exec_driver_sql(statement)

    assert [e.actor for e in store.audit()] == ["system"]


def test_postgres_refuses_truncate_of_the_audit_log(postgres: object) -> None:
    from tests.editorial.postgres import Cluster

    assert isinstance(postgres, Cluster)
    store = SqlEditorialStore.open(postgres.new_database())
    _one_audit_entry(store)

    with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as c:
        c.exec_driver_sql("TRUNCATE audit_log")

    assert len(store.audit()) == 1
    store.close()
