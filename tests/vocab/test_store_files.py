"""Issue 14: a store answers under any base URI, records its provenance, is replaced only
with a backup kept, and leaves no temporary files behind a killed writer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, FIXTURES
from vocab.source import Action, check_store, write_store
from vocab.store import SQLiteStore
from vocab.store.files import backup_path, remove_orphans
from vocab.store.sqlite_read import read_meta
from vocab.vocabulary import Vocabulary

LIFECYCLE = FIXTURES / "lifecycle.ttl"
OTHER = "https://vocab.example.org/airt"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    db = tmp_path / "vocab.db"
    snapshot = read_source(LIFECYCLE, base=BASE).snapshot
    write_store(db, snapshot, origin=f"source:{LIFECYCLE}", source=LIFECYCLE, base=BASE)
    return db


def test_a_store_answers_its_own_uris_under_another_base(built: Path) -> None:
    before = built.read_bytes()
    vocabulary = Vocabulary.open(built, OTHER)
    assert vocabulary.base == OTHER
    tumour = vocabulary.record("tumour").concept
    assert tumour.uri == f"{OTHER}/terms/tumour"
    assert tumour.broader == (f"{OTHER}/terms/ct",)
    assert set(vocabulary.store.refs([f"{OTHER}/terms/ct"])) == {f"{OTHER}/terms/ct"}
    assert vocabulary.lookup("CT").hits[0].row.uri.startswith(f"{OTHER}/terms/")
    snapshot = vocabulary.snapshot()
    assert snapshot.schemes[0].uri == f"{OTHER}/scheme"
    assert all(c.uri.startswith(OTHER) for c in snapshot.concepts)
    xss = vocabulary.record("xss").concept
    assert "https://example.org/javascript-like" in str(xss.mappings)  # others kept
    assert built.read_bytes() == before  # nothing rebuilt or rewritten
    assert vocabulary.digest != Vocabulary.open(built).digest  # caches keyed apart


def test_a_store_records_its_provenance(built: Path, tmp_path: Path) -> None:
    meta = read_meta(built) or {}
    assert meta["origin_kind"] == "source" and meta["origin_digest"] == meta["source_digest"]
    snapshot = read_source(LIFECYCLE, base=BASE).snapshot
    write_store(
        built,
        snapshot,
        origin="import:big.ttl",
        origin_digest="abc123",
        source=tmp_path / "none",
        base=BASE,
    )
    meta = read_meta(built) or {}
    assert (meta["origin"], meta["origin_kind"], meta["origin_digest"]) == (
        "import:big.ttl",
        "import",
        "abc123",
    )


def test_an_imported_store_is_never_rebuilt_when_the_source_changes(
    built: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.ttl"
    source.write_bytes(LIFECYCLE.read_bytes())
    snapshot = read_source(source, base=BASE).snapshot
    write_store(built, snapshot, origin="import:x.ttl", source=source, base=BASE)
    source.write_text(source.read_text() + "\n# an edit\n")
    os.utime(source, (9e9, 9e9))
    check = check_store(built, source)
    assert check.action is Action.USE and "import" in check.reason


def test_an_unreadable_or_foreign_store_stops_with_what_to_do(tmp_path: Path) -> None:
    junk = tmp_path / "x.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    check = check_store(junk, LIFECYCLE)
    assert check.action is Action.STOP
    assert "vocab build --db" in check.reason and "--force" in check.reason
    assert f"{junk}.bak" in check.reason


def test_every_replacement_keeps_the_previous_file_as_a_backup(built: Path) -> None:
    first = built.read_bytes()
    snapshot = read_source(LIFECYCLE, base=BASE).snapshot
    write_store(built, snapshot, origin="import:a.ttl", source=LIFECYCLE, base=BASE)
    assert backup_path(built).read_bytes() == first
    second = built.read_bytes()
    write_store(built, snapshot, origin="import:b.ttl", source=LIFECYCLE, base=BASE)
    assert backup_path(built).read_bytes() == second
    assert sorted(p.name for p in built.parent.iterdir()) == ["vocab.db", "vocab.db.bak"]


def test_temporary_files_of_dead_writers_are_removed_and_live_ones_kept(built: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    orphans = [
        built.with_name(f".vocab.db.{pid}.1234.tmp"),
        built.with_name(f".vocab.db.bak.{pid}.1234.tmp"),
    ]
    live = built.with_name(f".vocab.db.{os.getpid()}.99.tmp")
    unrelated = built.with_name(f".other.db.{pid}.1.tmp")
    for path in (*orphans, live, unrelated):
        path.write_bytes(b"partial")
    assert sorted(remove_orphans(built)) == sorted(orphans)
    assert live.exists() and unrelated.exists() and built.exists()


def test_quick_check_finds_a_damaged_page(built: Path) -> None:
    store = SQLiteStore(built)
    assert store.quick_check() is None
    damage(built)
    assert "damaged" in (SQLiteStore(built).quick_check() or "")


def damage(db: Path) -> None:
    """Overwrite the middle pages of a store with junk (its first pages, meta, are kept)."""
    data = bytearray(db.read_bytes())
    start, end = len(data) // 3, 2 * len(data) // 3
    data[start:end] = b"\xa5" * (end - start)
    db.write_bytes(bytes(data))


def set_schema(db: Path, version: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.close()


def test_a_store_of_another_schema_is_rebuilt_only_when_the_curated_source_made_it(
    built: Path, tmp_path: Path
) -> None:
    set_schema(built, "6")
    check = check_store(built, LIFECYCLE)
    assert check.action is Action.BUILD and "schema 6" in check.reason
    assert check_store(built, tmp_path / "no-source").action is Action.STOP
    snapshot = read_source(LIFECYCLE, base=BASE).snapshot
    write_store(built, snapshot, origin="import:x.ttl", source=LIFECYCLE, base=BASE)
    set_schema(built, "6")
    stopped = check_store(built, LIFECYCLE)  # an import cannot be made again from the source
    assert stopped.action is Action.STOP and "--force" in stopped.reason
