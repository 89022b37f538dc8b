"""The build writes the same rows, table by table, as the build these digests were taken from.

Speed work on the build (parsing, reading, writing the store) must not change what a
store holds. Each fixture vocabulary is built and every table is dumped sorted (the meta
entries that name the time, origin or source file left out) and hashed; the hashes must
equal those recorded in `store-digests.json`. After a change that is meant to alter the
stored rows (a schema or model change, a changed fixture), record them again:

    python -m tests.vocab.test_store_rows

which rewrites the file; review its diff before committing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, FIXTURES
from vocab.source import write_store

DIGESTS = FIXTURES / "store-digests.json"
FIXTURE_FILES = sorted(
    path.relative_to(FIXTURES).as_posix()
    for pattern in ("*.ttl", "skosmos/*.ttl", "quality/*.ttl")
    for path in FIXTURES.glob(pattern)
)
VARIABLE_META = (
    "written_at",
    "origin",
    "source_digest",
    "origin_digest",
)  # differ per build, not per content


def table_digests(db: Path) -> dict[str, str]:
    """Return a hash of every table's rows (sorted, so insertion order does not count)."""
    conn = sqlite3.connect(db)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts_%' "
                "ORDER BY name"
            )
        ]
        found = {}
        for table in tables:
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            if table == "meta":
                rows = [row for row in rows if row[0] not in VARIABLE_META]
            digest = hashlib.sha256()
            for row in sorted(repr(row) for row in rows):
                digest.update(row.encode())
            found[table] = digest.hexdigest()[:16]
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        found["sqlite_master"] = hashlib.sha256(repr(schema).encode()).hexdigest()[:16]
        return found
    finally:
        conn.close()


def build_digests(name: str, folder: Path) -> dict[str, str]:
    """Build the fixture `name` into a store in `folder` and return its table digests."""
    source = FIXTURES / name
    db = folder / "vocab.db"
    result = read_source(source, base=BASE, strict=False)
    write_store(db, result.snapshot, origin="test", source=source, base=BASE)
    return table_digests(db)


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_the_build_writes_the_recorded_rows(name: str, tmp_path: Path) -> None:
    recorded = json.loads(DIGESTS.read_text())
    assert build_digests(name, tmp_path) == recorded[name]


def test_every_fixture_has_recorded_rows() -> None:
    assert sorted(json.loads(DIGESTS.read_text())) == FIXTURE_FILES


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        table = {}
        for name in FIXTURE_FILES:
            folder = Path(scratch) / name.replace("/", "_")
            folder.mkdir()
            table[name] = build_digests(name, folder)
    DIGESTS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    print(f"wrote {DIGESTS} ({len(table)} fixtures)", file=sys.stderr)
