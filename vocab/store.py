"""The one module that talks to SQLite: build a store from a Snapshot, then read it.

The store is a compiled, read-only image of one Snapshot. `build_store` writes a new file
in a single transaction and renames it over the old one, so a failed build (bad input,
full disk, Ctrl-C) leaves the previous database exactly as it was, and readers that
still hold the old file keep reading it. Serving opens the file read-only, one
connection per thread (sqlite3 connections must not be shared across threads).

Tables: `concepts` (lossless JSON per concept), `labels` (one row per label with its
matching keys; indexed for exact and prefix lookup), `labels_fts` (FTS5 over the
normalised labels, for word-prefix and corrected-word search), `words` (distinct
normalised words, for typo correction), `collections`, `members`, `schemes`, `meta`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from vocab.codec import (
    collection_from_dict,
    collection_to_dict,
    concept_from_dict,
    concept_to_dict,
    scheme_from_dict,
    scheme_to_dict,
)
from vocab.errors import StoreError
from vocab.model import Collection, Concept, LabelKind, Scheme, Snapshot, Status
from vocab.normalize import normalise_label

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = "4"
KIND_CODES: dict[LabelKind, int] = {
    LabelKind.PREF: 0,
    LabelKind.ACRONYM: 1,
    LabelKind.ALT: 2,
    LabelKind.HIDDEN: 3,
}
KINDS_BY_CODE: dict[int, LabelKind] = {code: kind for kind, code in KIND_CODES.items()}

Progress = Callable[[str, int, int], None]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE schemes (uri TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL,
                      top_concepts TEXT NOT NULL);
CREATE TABLE concepts (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, uri TEXT NOT NULL,
    status TEXT NOT NULL, pref_label TEXT NOT NULL, sort_key TEXT NOT NULL,
    top_of TEXT, etag TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE labels (
    concept INTEGER NOT NULL REFERENCES concepts(n), text TEXT NOT NULL, lang TEXT NOT NULL,
    kind INTEGER NOT NULL, usage TEXT NOT NULL, norm TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL, visible INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE collections (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, uri TEXT NOT NULL UNIQUE,
                          data TEXT NOT NULL);
CREATE TABLE members (collection INTEGER NOT NULL REFERENCES collections(n),
                      member TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX members_member ON members(member);
CREATE VIRTUAL TABLE labels_fts USING fts5(
    norm, content='labels', content_rowid='rowid', tokenize='unicode61', prefix='2 3',
    columnsize=0);
"""
# Created after the bulk inserts: one sort per index instead of a B-tree insert per row.
_LABEL_INDEXES = (
    "CREATE INDEX labels_key ON labels(key)",
    "INSERT INTO labels_fts(labels_fts) VALUES('rebuild')",
)
_CONCEPT_INDEXES = (
    "CREATE UNIQUE INDEX concepts_id ON concepts(id)",
    "CREATE UNIQUE INDEX concepts_uri ON concepts(uri)",
    "CREATE INDEX concepts_sort ON concepts(sort_key)",
)


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One label joined with its concept, as lookup and search read it."""

    concept: int
    id: str
    uri: str
    pref_label: str
    status: str
    text: str
    lang: str
    kind: LabelKind
    usage: str
    norm: str


@dataclass(frozen=True, slots=True)
class ConceptRef:
    """Enough of a concept to link to it: id, URI, preferred label, status."""

    id: str
    uri: str
    pref_label: str
    status: str


_LABEL_SELECT = (
    "SELECT l.concept, c.id, c.uri, c.pref_label, c.status, l.text, l.lang, l.kind, l.usage, l.norm "
    "FROM labels l JOIN concepts c ON c.n = l.concept "
)


def build_store(
    path: Path, snapshot: Snapshot, *, meta: dict[str, str], progress: Progress | None = None
) -> None:
    """Write `snapshot` to a new SQLite store at `path`, replacing any old one atomically.

    Raises StoreError (with the old file untouched) if anything fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    import sqlite_utils  # not at the top: it imports pandas if installed (0.2 s of start-up)

    try:
        conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=OFF")  # a scratch file: the rename is the commit
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("BEGIN")
            _write(sqlite_utils.Database(conn), conn, snapshot, meta, progress)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise StoreError(f"Could not build the store at {path}: {exc}") from exc
        raise


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(
    db: sqlite_utils.Database,
    conn: sqlite3.Connection,
    snapshot: Snapshot,
    meta: dict[str, str],
    progress: Progress | None,
) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)  # not executescript(): it would COMMIT the open transaction
    total = len(snapshot.concepts)
    db.table("schemes").insert_all(
        {
            "uri": s.uri,
            "position": i,
            "data": orjson.dumps(scheme_to_dict(s)).decode(),
            "top_concepts": orjson.dumps(list(snapshot.top_concepts.get(s.uri, ()))).decode(),
        }
        for i, s in enumerate(snapshot.schemes)
    )
    normalise = _WordwiseNormaliser()
    label_rows = _label_rows(snapshot.concepts, normalise)
    conn.executemany(
        "INSERT INTO labels (concept, text, lang, kind, usage, norm, key) VALUES (?,?,?,?,?,?,?)",
        label_rows,
    )
    if progress:
        progress("search index", 0, 1)
    # SQLite indexes the labels, without holding the GIL, while this thread serialises the
    # concepts (0.6 s less at 100k concepts on two cores); nothing else uses `conn` meanwhile.
    digest = hashlib.sha256()
    with _in_background(conn, _LABEL_INDEXES):
        concept_rows = _concept_rows(snapshot, normalise, digest, progress)
        words = _word_counts(label_rows)
    if progress:
        progress("search index", 1, 1)
    conn.executemany("INSERT INTO concepts VALUES (?,?,?,?,?,?,?,?,?)", concept_rows)
    for statement in _CONCEPT_INDEXES:
        conn.execute(statement)
    conn.executemany("INSERT INTO words VALUES (?, ?, ?)", words)
    for n, collection in enumerate(snapshot.collections, start=1):
        conn.execute(
            "INSERT INTO collections VALUES (?,?,?,?)",
            (
                n,
                collection.id,
                collection.uri,
                orjson.dumps(collection_to_dict(collection)).decode(),
            ),
        )
        conn.executemany(
            "INSERT INTO members VALUES (?,?,?)",
            [(n, m, i) for i, m in enumerate(collection.members)],
        )
    for s in snapshot.schemes:
        digest.update(orjson.dumps(scheme_to_dict(s)))
    for c in snapshot.collections:
        digest.update(orjson.dumps(collection_to_dict(c)))
    db.table("meta").insert_all(
        [
            {"key": k, "value": v}
            for k, v in {
                **meta,
                "schema_version": SCHEMA_VERSION,
                "digest": digest.hexdigest()[:20],
                "concepts": str(total),
                "labels": str(len(label_rows)),
            }.items()
        ]
    )
    if progress:
        progress("concepts", total, total)


@contextmanager
def _in_background(conn: sqlite3.Connection, statements: tuple[str, ...]) -> Iterator[None]:
    """Run `statements` on `conn` in a thread while the body runs; wait for them at the end.

    Raises the statements' error, unless the body raised its own.
    """
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for statement in statements:
                conn.execute(statement)
        except BaseException as exc:  # handed to the building thread below
            errors.append(exc)

    thread = threading.Thread(target=run, name="store-index", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()  # never close the connection under a running statement
    if errors:
        raise errors[0]


LabelRowValues = tuple[int, str, str, int, str, str, str]


def _label_rows(
    concepts: tuple[Concept, ...], normalise: Callable[[str], str]
) -> list[LabelRowValues]:
    """Return one `labels` row per label: concept number, text, lang, kind, usage, norm, key."""
    rows: list[LabelRowValues] = []
    append = rows.append
    for n, concept in enumerate(concepts, start=1):
        for label in concept.labels:
            norm = normalise(label.text)
            append(
                (
                    n,
                    label.text,
                    label.lang,
                    KIND_CODES[label.kind],
                    ",".join(label.usage),
                    norm,
                    norm.replace(" ", ""),
                )
            )
    return rows


def _concept_rows(
    snapshot: Snapshot,
    normalise: Callable[[str], str],
    digest: hashlib._Hash,
    progress: Progress | None,
) -> list[tuple[object, ...]]:
    """Return one `concepts` row per concept, adding its JSON to the snapshot digest."""
    tops = {uri: scheme for scheme, uris in snapshot.top_concepts.items() for uri in uris}
    total = len(snapshot.concepts)
    rows: list[tuple[object, ...]] = []
    for n, concept in enumerate(snapshot.concepts, start=1):
        data = orjson.dumps(concept_to_dict(concept))
        digest.update(data)
        pref = concept.pref_label()
        rows.append(
            (
                n,
                concept.id,
                concept.uri,
                concept.status.value,
                pref,
                normalise(pref),
                tops.get(concept.uri),
                hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16],
                data,
            )
        )
        if progress and n % 5000 == 0:
            progress("concepts", n, total)
    return rows


def _word_counts(label_rows: list[LabelRowValues]) -> list[tuple[str, int, int]]:
    """Return (word, uses in labels, uses in visible labels) for every normalised word.

    Hidden labels are misspellings: their words match queries but never correct them.
    """
    hidden = KIND_CODES[LabelKind.HIDDEN]
    visible = Counter(" ".join(row[5] for row in label_rows if row[3] != hidden).split())
    misspelt = Counter(" ".join(row[5] for row in label_rows if row[3] == hidden).split())
    return [(word, count, visible.get(word, 0)) for word, count in (visible + misspelt).items()]


class _WordwiseNormaliser:
    """`normalise_label`, remembered per whitespace-separated chunk of a label.

    `normalise_label` works word by word (no rule looks across a space), so the key of a
    label is the keys of its chunks joined by spaces. Labels of a large vocabulary reuse a
    few thousand words, so this makes normalising 300k labels ~20x faster.
    """

    def __init__(self) -> None:
        self.chunks: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        chunks = self.chunks
        keys = []
        for chunk in text.split():
            key = chunks.get(chunk)
            if key is None:
                key = chunks[chunk] = normalise_label(chunk)
            if key:
                keys.append(key)
        return " ".join(keys)


class Store:
    """Read access to a built store; safe to share across threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(f"No store at {self.path}; run `vocab build` to create it.")
        self._local = threading.local()
        try:
            rows = self._conn().execute("SELECT key, value FROM meta").fetchall()
            self.meta: dict[str, str] = dict(rows)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a vocabulary store ({exc}); rebuild it with `vocab build`."
            ) from None
        if self.meta.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was built by another version of this service; "
                "rebuild it with `vocab build`."
            )

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only=1")
            self._local.conn = conn
        return conn

    @property
    def digest(self) -> str:
        return self.meta["digest"]

    # --- concepts ---------------------------------------------------------------------

    def concept(self, concept_id: str) -> tuple[Concept, str, str | None] | None:
        """Return (concept, etag, top_of) for an id, or None."""
        row = (
            self._conn()
            .execute("SELECT data, etag, top_of FROM concepts WHERE id = ?", (concept_id,))
            .fetchone()
        )
        if row is None:
            return None
        return concept_from_dict(orjson.loads(row[0])), row[1], row[2]

    def refs(self, uris: list[str] | tuple[str, ...]) -> dict[str, ConceptRef]:
        """Return id, label and status for the URIs that name concepts in this store."""
        if not uris:
            return {}
        marks = ",".join("?" * len(uris))
        rows = self._conn().execute(
            f"SELECT id, uri, pref_label, status FROM concepts WHERE uri IN ({marks})", tuple(uris)
        )
        return {uri: ConceptRef(cid, uri, pref, status) for cid, uri, pref, status in rows}

    def concepts(self) -> Iterator[Concept]:
        for (data,) in self._conn().execute("SELECT data FROM concepts ORDER BY n"):
            yield concept_from_dict(orjson.loads(data))

    def concept_refs_sorted(self, *, active_only: bool = True) -> list[ConceptRef]:
        """Return every concept as a ref, in A-Z order of preferred label."""
        where = "WHERE status = 'active' " if active_only else ""
        rows = self._conn().execute(
            f"SELECT id, uri, pref_label, status FROM concepts {where}ORDER BY sort_key"
        )
        return [ConceptRef(*row) for row in rows]

    def count(self, *, active_only: bool = False) -> int:
        where = " WHERE status = 'active'" if active_only else ""
        return int(self._conn().execute(f"SELECT count(*) FROM concepts{where}").fetchone()[0])

    # --- labels -----------------------------------------------------------------------

    def labels_with_key(self, key: str) -> list[LabelRow]:
        """Return labels whose compact key equals `key` exactly."""
        rows = self._conn().execute(_LABEL_SELECT + "WHERE l.key = ?", (key,))
        return [_label_row(r) for r in rows]

    def labels_with_key_prefix(self, prefix: str, limit: int) -> list[LabelRow]:
        """Return up to `limit` labels whose compact key starts with `prefix`."""
        rows = self._conn().execute(
            _LABEL_SELECT + "WHERE l.key >= ? AND l.key < ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [_label_row(r) for r in rows]

    def labels_matching(self, fts_query: str, limit: int) -> list[LabelRow]:
        """Return up to `limit` labels matching an FTS5 query built by `vocab.search`."""
        rows = self._conn().execute(
            _LABEL_SELECT
            + "WHERE l.rowid IN (SELECT rowid FROM labels_fts WHERE labels_fts MATCH ? "
            "LIMIT ?)",
            (fts_query, limit),
        )
        return [_label_row(r) for r in rows]

    def words(self) -> list[tuple[str, int, int]]:
        """Return (word, labels holding it, non-hidden labels holding it) for every word."""
        return self._conn().execute("SELECT word, count, visible FROM words").fetchall()

    def all_keys(self) -> list[tuple[str, int]]:
        """Return (compact key, label rowid) for every label (used for small stores only)."""
        return self._conn().execute("SELECT key, rowid FROM labels").fetchall()

    def labels_by_rowid(self, rowids: list[int]) -> list[LabelRow]:
        marks = ",".join("?" * len(rowids))
        rows = self._conn().execute(_LABEL_SELECT + f"WHERE l.rowid IN ({marks})", tuple(rowids))
        return [_label_row(r) for r in rows]

    def all_labels(self, *, active_only: bool = True) -> list[LabelRow]:
        """Return every label of every (active) concept, for in-memory indexes such as alignment."""
        where = "WHERE c.status = 'active' " if active_only else ""
        rows = self._conn().execute(_LABEL_SELECT + where + "ORDER BY l.concept, l.kind")
        return [_label_row(r) for r in rows]

    # --- schemes and collections ------------------------------------------------------

    def schemes(self) -> list[Scheme]:
        rows = self._conn().execute("SELECT data FROM schemes ORDER BY position")
        return [scheme_from_dict(orjson.loads(data)) for (data,) in rows]

    def top_concepts(self) -> dict[str, tuple[str, ...]]:
        rows = self._conn().execute("SELECT uri, top_concepts FROM schemes ORDER BY position")
        return {uri: tuple(orjson.loads(tops)) for uri, tops in rows}

    def collections(self) -> list[Collection]:
        rows = self._conn().execute("SELECT data FROM collections ORDER BY n")
        return [collection_from_dict(orjson.loads(data)) for (data,) in rows]

    def collections_of(self, uri: str) -> list[Collection]:
        rows = self._conn().execute(
            "SELECT c.data FROM members m JOIN collections c ON c.n = m.collection "
            "WHERE m.member = ? ORDER BY c.n",
            (uri,),
        )
        return [collection_from_dict(orjson.loads(data)) for (data,) in rows]

    def collection(self, collection_id: str) -> Collection | None:
        row = (
            self._conn()
            .execute("SELECT data FROM collections WHERE id = ?", (collection_id,))
            .fetchone()
        )
        return collection_from_dict(orjson.loads(row[0])) if row else None

    def snapshot(self) -> Snapshot:
        """Return the whole Snapshot the store was built from."""
        return Snapshot(
            schemes=tuple(self.schemes()),
            concepts=tuple(self.concepts()),
            collections=tuple(self.collections()),
            top_concepts=self.top_concepts(),
        )


def _label_row(r: tuple[Any, ...]) -> LabelRow:
    """A row of _LABEL_SELECT: concept, id, uri, pref_label, status, text, lang, kind, usage, norm."""
    return LabelRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], KINDS_BY_CODE[r[7]], r[8], r[9])


def is_active(row: LabelRow | ConceptRef) -> bool:
    return row.status == Status.ACTIVE.value
