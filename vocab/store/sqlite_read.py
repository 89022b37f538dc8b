"""`SQLiteStore`: the `ReadStore` over a compiled SQLite snapshot (see `sqlite_write`).

Serving opens the file read-only, one connection per thread; the FTS5 query syntax lives
here and nowhere else. Opened with a `base`, the store answers every URI of its own
namespace under that base (`vocab.store.rebase`), so no store is rebuilt for another base.
A store answers from the file it opened, even after a new release replaces the file at its
path: a thread's new connection is checked against the digest read at open and, when it
differs, the thread shares the first connection instead, so the old release never answers
with the new one's rows; `close()` releases the old file once nothing reads it.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from vocab.codec import collection_from_dict, concept_from_dict, scheme_from_dict
from vocab.errors import StoreError
from vocab.model import Collection, Concept, LabelKind, Scheme, Snapshot, SourceInfo, Status
from vocab.store import sqlite_meaning, sqlite_words
from vocab.store.rebase import Rebase
from vocab.store.rows import (
    ConceptRef,
    LabelRow,
    NumberedLabel,
    StoredConcept,
    WordCount,
)
from vocab.store.sqlite_schema import KINDS_BY_CODE, SCHEMA_VERSION, decode_usage

_LABEL_SELECT = (
    "SELECT l.concept, c.id, c.uri, c.pref_label, c.status, l.text, l.lang, l.kind, l.usage, l.norm "
    "FROM labels l JOIN concepts c ON c.n = l.concept "
)
_STATUS = {s.value: s for s in Status}
REPAIR_HINT = (
    "Rebuild it from the source with `vocab build --db {db} --force`, or put back the "
    "previous copy kept beside it: `cp {db}.bak {db}`"
)


def read_meta(path: Path) -> dict[str, str] | None:
    """Return the metadata of the store at `path`, or None if it is not a readable store."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None


class SQLiteStore(sqlite_meaning.MeaningReads):
    """Read access to a built store; safe to share across threads."""

    def __init__(self, path: Path | str, base: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(f"No store at {self.path}; run `vocab build` to create it.")
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._first: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._heads: sqlite_words.Heads | None = None  # read at the first word search
        try:
            rows = self._conn().execute("SELECT key, value FROM meta").fetchall()
            self.meta: dict[str, str] = dict(rows)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a vocabulary store ({exc}). {REPAIR_HINT.format(db=self.path)}."
            ) from None
        if self.meta.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was built by another version of this service. "
                f"{REPAIR_HINT.format(db=self.path)}."
            )
        self.base = (base or self.meta.get("base", "")).rstrip("/")
        self._rebase = Rebase(self.meta.get("base", ""), self.base)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        """A connection for this thread, to the file this store opened (see the docstring)."""
        first = self._first
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:
            if first is None:
                raise
            return first  # the path is gone or unreadable: the first connection still reads ours
        conn.execute("PRAGMA query_only=1")
        if first is not None and not self._same_file(conn):
            conn.close()
            return first
        with self._lock:
            self._opened.append(conn)
            if self._first is None:
                self._first = conn
        return conn

    def _same_file(self, conn: sqlite3.Connection) -> bool:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == self.meta.get("digest")

    def close(self) -> None:
        """Close every connection (once no request reads this store any more)."""
        with self._lock:
            opened, self._opened, self._first = self._opened, [], None
        for conn in opened:
            conn.close()

    @property
    def digest(self) -> str:
        """The snapshot's digest; under another base than the store's, one of its own."""
        if not self._rebase.active:
            return self.meta["digest"]
        both = f"{self.meta['digest']} {self.base}".encode()
        return hashlib.sha256(both).hexdigest()[:20]

    def opener(self) -> Callable[[], SQLiteStore]:
        """Return a picklable callable that opens this file again (for a worker process)."""
        return functools.partial(SQLiteStore, self.path.resolve(), self.base)

    def rebased(self, base: str) -> SQLiteStore:
        """This file, answering under `base`."""
        return SQLiteStore(self.path, base)

    def quick_check(self) -> str | None:
        """Run SQLite's `quick_check` on the file; return what is wrong, or None when sound."""
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:
            return f"{self.path} cannot be read: {exc}"
        except sqlite3.DatabaseError as exc:
            return f"{self.path} is damaged: {exc}"
        except sqlite3.Error as exc:
            return f"{self.path} cannot be read: {exc}"
        if rows == ["ok"]:
            return None
        return f"{self.path} is damaged: " + "; ".join(str(r) for r in rows)

    # --- concepts ---------------------------------------------------------------------

    def concept(self, concept_id: str) -> StoredConcept | None:
        row = (
            self._conn()
            .execute("SELECT data, etag, top_of FROM concepts WHERE id = ?", (concept_id,))
            .fetchone()
        )
        if row is None:
            return None
        top_of = None if row[2] is None else self._rebase.out(row[2])
        return StoredConcept(self._concept(row[0]), row[1], top_of)

    def _concept(self, data: bytes | str) -> Concept:
        return concept_from_dict(orjson.loads(self._rebase.json(data)))

    def _json(self, data: bytes | str) -> Any:
        return orjson.loads(self._rebase.json(data))

    def refs(self, uris: Sequence[str]) -> dict[str, ConceptRef]:
        if not uris:
            return {}
        marks = ",".join("?" * len(uris))
        out = self._rebase.out
        rows = self._conn().execute(
            f"SELECT id, uri, pref_label, status FROM concepts WHERE uri IN ({marks})",
            tuple(self._rebase.back(u) for u in uris),
        )
        return {
            out(uri): ConceptRef(cid, out(uri), pref, _STATUS[status])
            for cid, uri, pref, status in rows
        }

    def concepts(self) -> Iterator[Concept]:
        for (data,) in self._conn().execute("SELECT data FROM concepts ORDER BY n"):
            yield self._concept(data)

    def concept_refs_sorted(self, *, active_only: bool = True) -> list[ConceptRef]:
        where = "WHERE status = 'active' " if active_only else ""
        rows = self._conn().execute(
            f"SELECT id, uri, pref_label, status FROM concepts {where}ORDER BY sort_key"
        )
        out = self._rebase.out
        return [ConceptRef(cid, out(uri), pref, _STATUS[status]) for cid, uri, pref, status in rows]

    def count(self, *, active_only: bool = False) -> int:
        where = " WHERE status = 'active'" if active_only else ""
        return int(self._conn().execute(f"SELECT count(*) FROM concepts{where}").fetchone()[0])

    # --- labels -----------------------------------------------------------------------

    def labels_with_key(self, key: str) -> list[LabelRow]:
        rows = self._conn().execute(_LABEL_SELECT + "WHERE l.key = ?", (key,))
        return [self._label_row(r) for r in rows]

    def labels_with_initials(self, key: str, limit: int) -> list[LabelRow]:
        rows = self._conn().execute(_LABEL_SELECT + "WHERE l.initials = ? LIMIT ?", (key, limit))
        return [self._label_row(r) for r in rows]

    def labels_with_key_prefix(self, prefix: str, limit: int) -> list[LabelRow]:
        rows = self._conn().execute(
            _LABEL_SELECT + "WHERE l.key >= ? AND l.key < ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [self._label_row(r) for r in rows]

    def labels_with_words(
        self, groups: Sequence[Sequence[str]], *, prefix: bool, limit: int
    ) -> list[LabelRow]:
        groups = [g for g in groups if g]
        if not groups:
            return []
        if self._heads is None:
            self._heads = sqlite_words.unplain_heads(self._conn())
        rowids = sqlite_words.matching_rowids(
            self._conn(),
            groups,
            prefix=prefix,
            limit=limit,
            heads=self._heads,
            labels=int(self.meta.get("labels", "0")),
        )
        found = self.labels_by_number(rowids)
        return [found[rowid] for rowid in rowids if rowid in found]

    def word_counts(self) -> list[WordCount]:
        rows = self._conn().execute("SELECT word, count, visible FROM words")
        return [WordCount(word, count, visible) for word, count, visible in rows]

    def words_named(self, words: Sequence[str]) -> list[WordCount]:
        found: list[WordCount] = []
        for chunk in _chunks(list(dict.fromkeys(words))):
            rows = self._conn().execute(
                f"SELECT word, count, visible FROM words WHERE word IN ({_marks(chunk)})", chunk
            )
            found += [WordCount(word, count, visible) for word, count, visible in rows]
        return found

    def words_sharing(self, variants: Sequence[str]) -> list[WordCount]:
        words: set[str] = set()
        for chunk in _chunks(list(variants)):
            rows = self._conn().execute(
                f"SELECT words FROM word_variants WHERE variant IN ({_marks(chunk)})", chunk
            )
            words.update(w for (joined,) in rows for w in joined.split())
        return self.words_named(sorted(words))

    def all_labels(self, *, active_only: bool = True) -> list[LabelRow]:
        where = "WHERE c.status = 'active' " if active_only else ""
        rows = self._conn().execute(_LABEL_SELECT + where + "ORDER BY l.concept, l.kind")
        return [self._label_row(r) for r in rows]

    def label_table(self) -> list[NumberedLabel]:
        select = _LABEL_SELECT.replace("SELECT ", "SELECT l.rowid, l.key, l.initials, ", 1)
        rows = self._conn().execute(select + "ORDER BY l.concept, l.kind, l.rowid")
        return [NumberedLabel(r[0], r[1], r[2], self._label_row(r[3:])) for r in rows]

    def word_variants(self) -> dict[str, tuple[str, ...]]:
        rows = self._conn().execute("SELECT variant, words FROM word_variants")
        return {variant: tuple(words.split()) for variant, words in rows}

    def labels_of_concepts(self, concepts: Sequence[int]) -> list[LabelRow]:
        if not concepts:
            return []
        marks = ",".join("?" * len(concepts))
        rows = self._conn().execute(
            _LABEL_SELECT + f"WHERE l.concept IN ({marks}) ORDER BY l.concept, l.kind",
            tuple(concepts),
        )
        return [self._label_row(r) for r in rows]

    def label_keys(self, *, active_only: bool = True) -> Iterator[tuple[int, LabelKind, str, str]]:
        join = (
            "JOIN concepts c ON c.n = l.concept WHERE c.status = 'active' " if active_only else ""
        )
        rows = self._conn().execute(f"SELECT l.rowid, l.kind, l.text, l.norm FROM labels l {join}")
        for number, kind, text, norm in rows:
            yield number, KINDS_BY_CODE[kind], text, norm

    def labels_by_number(self, numbers: Sequence[int]) -> dict[int, LabelRow]:
        out: dict[int, LabelRow] = {}
        for first in range(0, len(numbers), 500):  # under SQLite's limit on parameters
            chunk = tuple(numbers[first : first + 500])
            rows = self._conn().execute(
                _LABEL_SELECT.replace("SELECT ", "SELECT l.rowid, ", 1)
                + f"WHERE l.rowid IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.update((r[0], self._label_row(r[1:])) for r in rows)
        return out

    # --- schemes and collections ------------------------------------------------------

    def schemes(self) -> list[Scheme]:
        rows = self._conn().execute("SELECT data FROM schemes ORDER BY position")
        return [scheme_from_dict(self._json(data)) for (data,) in rows]

    def top_concepts(self) -> dict[str, tuple[str, ...]]:
        rows = self._conn().execute("SELECT uri, top_concepts FROM schemes ORDER BY position")
        return {self._rebase.out(uri): tuple(self._json(tops)) for uri, tops in rows}

    def collections(self) -> list[Collection]:
        rows = self._conn().execute("SELECT data FROM collections ORDER BY n")
        return [collection_from_dict(self._json(data)) for (data,) in rows]

    def collections_of(self, uri: str) -> list[Collection]:
        rows = self._conn().execute(
            "SELECT c.data FROM members m JOIN collections c ON c.n = m.collection "
            "WHERE m.member = ? ORDER BY c.n",
            (self._rebase.back(uri),),
        )
        return [collection_from_dict(self._json(data)) for (data,) in rows]

    def collection(self, collection_id: str) -> Collection | None:
        row = (
            self._conn()
            .execute("SELECT data FROM collections WHERE id = ?", (collection_id,))
            .fetchone()
        )
        return collection_from_dict(self._json(row[0])) if row else None

    def _label_row(self, r: tuple[Any, ...]) -> LabelRow:
        return _label_row(r, self._rebase)

    def bibliography(self) -> list[SourceInfo]:
        rows = self._conn().execute(
            "SELECT iri, title, citation, publisher, year FROM sources ORDER BY iri"
        )
        return [SourceInfo(*row) for row in rows]

    def snapshot(self) -> Snapshot:
        return Snapshot(
            schemes=tuple(self.schemes()),
            concepts=tuple(self.concepts()),
            collections=tuple(self.collections()),
            top_concepts=self.top_concepts(),
            bibliography=tuple(self.bibliography()),
        )


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """Yield `items` in slices small enough for one statement's parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


def _label_row(r: tuple[Any, ...], rebase: Rebase) -> LabelRow:
    """A row of _LABEL_SELECT: concept, id, uri, pref_label, status, text, lang, kind, usage, norm."""
    return LabelRow(
        r[0],
        r[1],
        rebase.out(r[2]),
        r[3],
        _STATUS[r[4]],
        r[5],
        r[6],
        KINDS_BY_CODE[r[7]],
        decode_usage(r[8]),
        r[9],
    )
