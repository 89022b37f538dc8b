"""Engines for the editorial store and its migrations, on SQLite or PostgreSQL.

SQLite is the embedded default: give a file path (or a `sqlite:///` URL). Connections run
in WAL mode with foreign keys on and a busy timeout; every write transaction starts with
`BEGIN IMMEDIATE`, so writers queue instead of failing half-way. PostgreSQL is any
`postgresql://` URL, driven by psycopg 3.

>>> url_for("data/editorial.db")
'sqlite:///data/editorial.db'
>>> url_for("postgresql://vocab@/editorial?host=/run/postgresql")
'postgresql+psycopg://vocab@/editorial?host=/run/postgresql'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from vocab.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "editorial_read_only"
"""Execution option: a read transaction (on SQLite a plain BEGIN, so it takes no write lock)."""


def url_for(target: str | Path) -> str:
    """Return the SQLAlchemy URL for a file path or a database URL."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return f"sqlite:///{text}"


def create_engine(target: str | Path) -> sa.Engine:
    """Return an engine for a path or URL; raise StoreError for an unsupported database."""
    url = sa.make_url(url_for(target))
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise StoreError("The editorial store needs a file, not an in-memory SQLite database.")
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise StoreError(
        f"Unsupported database '{url.get_backend_name()}'; use a SQLite file or a postgresql:// URL."
    )


def _configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a committed write survives power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(target: sa.Engine | str | Path) -> None:
    """Bring the schema of an engine, path or URL to the newest revision (creating it if empty)."""
    engine = target if isinstance(target, sa.Engine) else create_engine(target)
    try:
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
    finally:
        if engine is not target:
            engine.dispose()


def current_revision(engine: sa.Engine) -> str | None:
    """Return the schema revision the database is at, or None if it has none."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """Return the newest revision the migrations know."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head
