"""The SQLite store: built in one transaction, replaced atomically, rebuilt only when stale."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, FIXTURES, SOURCE
from vocab.errors import StoreError
from vocab.model import Concept, Label, LabelKind
from vocab.source import stale_reason, write_store
from vocab.store import SQLiteStore

LIFECYCLE = FIXTURES / "lifecycle.ttl"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    db = tmp_path / "vocab.db"
    write_store(
        db, read_source(LIFECYCLE, base=BASE).snapshot, origin="test", source=LIFECYCLE, base=BASE
    )
    return db


def test_a_failed_build_leaves_the_previous_store_untouched(built: Path) -> None:
    before = digest(built)
    snapshot = read_source(LIFECYCLE, base=BASE).snapshot
    clash = Concept(id="ct", uri=f"{BASE}/terms/other", labels=(Label("x", "en", LabelKind.PREF),))
    broken = replace(snapshot, concepts=(*snapshot.concepts, clash))  # two concepts with one id
    with pytest.raises(StoreError, match="Could not build"):
        write_store(built, broken, origin="test", source=LIFECYCLE, base=BASE)
    assert digest(built) == before
    assert [p.name for p in built.parent.iterdir()] == [built.name]  # no scratch file left


def test_readers_keep_the_old_file_while_a_new_one_replaces_it(built: Path) -> None:
    store = SQLiteStore(built)
    count = store.count()
    empty = replace(read_source(LIFECYCLE, base=BASE).snapshot, concepts=())
    write_store(built, empty, origin="test", source=LIFECYCLE, base=BASE)
    assert store.count() == count  # the open connection still reads the old file
    assert SQLiteStore(built).count() == 0


def test_the_store_is_opened_read_only(built: Path) -> None:
    store = SQLiteStore(built)
    with pytest.raises(sqlite3.OperationalError):
        store._conn().execute("DELETE FROM concepts")


def test_a_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="vocab build"):
        SQLiteStore(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a vocabulary store"):
        SQLiteStore(junk)


def test_a_fresh_store_is_current(built: Path) -> None:
    assert stale_reason(built, LIFECYCLE, BASE) is None


def test_a_changed_source_makes_the_store_stale(built: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.ttl"
    source.write_bytes(LIFECYCLE.read_bytes())
    write_store(
        built, read_source(source, base=BASE).snapshot, origin="test", source=source, base=BASE
    )
    assert stale_reason(built, source, BASE) is None
    time.sleep(0.01)
    source.write_text(source.read_text() + "\n# an edit\n")
    assert "changed" in (stale_reason(built, source, BASE) or "")


def test_touching_the_source_without_changing_it_keeps_the_store(
    built: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.ttl"
    source.write_bytes(LIFECYCLE.read_bytes())
    write_store(
        built, read_source(source, base=BASE).snapshot, origin="test", source=source, base=BASE
    )
    later = time.time() + 60
    os.utime(source, (later, later))
    assert stale_reason(built, source, BASE) is None


def test_another_base_uri_leaves_the_store_current(built: Path) -> None:
    """Issue 14: the base URI is applied when answering, so no rebuild for another one."""
    assert stale_reason(built, LIFECYCLE, "https://vocab.example.org") is None


def test_a_missing_store_is_stale(tmp_path: Path) -> None:
    assert "no store" in (stale_reason(tmp_path / "none.db", SOURCE, BASE) or "")


@pytest.mark.parametrize("active_only", [True, False])
def test_label_numbers_give_back_the_rows_of_the_labels_they_number(
    built: Path, active_only: bool
) -> None:
    store = SQLiteStore(built)
    keys = list(store.label_keys(active_only=active_only))
    rows = store.labels_by_number([number for number, _, _, _ in keys])
    assert [(r.kind, r.text, r.norm) for r in (rows[n] for n, _, _, _ in keys)] == [
        (kind, text, norm) for _, kind, text, norm in keys
    ]


def test_only_active_concepts_give_label_keys(built: Path) -> None:
    store = SQLiteStore(built)
    active = {n for n, _, _, _ in store.label_keys(active_only=True)}
    every = {n for n, _, _, _ in store.label_keys(active_only=False)}
    rows = store.labels_by_number(sorted(every - active))
    assert active < every and all(not row.is_active for row in rows.values())
