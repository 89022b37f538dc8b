"""Editorial fixtures: every store test runs on SQLite and on a private PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.editorial.postgres import Cluster
from vocab.editorial.sql_store import SqlEditorialStore

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole session; fails (never skips) without the binaries."""
    cluster = Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "editorial.db")
    cluster: Cluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def store(db_url: str) -> Iterator[SqlEditorialStore]:
    """An empty, migrated editorial store on each backend."""
    opened = SqlEditorialStore.open(db_url)
    try:
        yield opened
    finally:
        opened.close()
