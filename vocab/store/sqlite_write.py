"""Writing a read snapshot: a Snapshot compiled into a new SQLite file, atomically.

`build_store` writes a new file in a single transaction and renames it over the old one,
so a failed build (bad input, full disk, Ctrl-C, kill -9) leaves the previous database
exactly as it was, and readers that still hold the old file keep reading it. The old file
is kept as `{name}.bak` (`vocab.store.files`). The caller's metadata
(`vocab.source.write_store`: origin, base URI, source digest) is kept in the `meta` table.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from vocab.codec import collection_to_dict, concept_to_dict, scheme_to_dict
from vocab.errors import StoreError
from vocab.model import Concept, LabelKind, Snapshot
from vocab.normalize import initials, normalise_label
from vocab.store.files import remove_orphans, replace_with_backup, temp_path
from vocab.store.sqlite_lists import write_vector_lists
from vocab.store.sqlite_meaning import (
    MEANING_INDEXES,
    MEANING_SCHEMA,
    index_rows,
    text_rows,
    write_vectors,
)
from vocab.store.sqlite_schema import (
    CONCEPT_INDEXES,
    KIND_CODES,
    LABEL_INDEXES,
    SCHEMA,
    SCHEMA_VERSION,
    encode_usage,
)
from vocab.typo_index import variant_rows

if TYPE_CHECKING:
    import sqlite_utils

BUILD_CACHE_KIB = 64 * 1024
"""SQLite's page cache while a store is built (KiB; not kept in the file)."""

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) as a build goes."""


def build_store(
    path: Path, snapshot: Snapshot, *, meta: dict[str, str], progress: Progress | None = None
) -> None:
    """Write `snapshot` to a new SQLite store at `path`, replacing any old one atomically.

    Raises StoreError (with the old file untouched) if anything fails.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(path)
    tmp = temp_path(path)
    tmp.unlink(missing_ok=True)
    import sqlite_utils  # not at the top: it imports pandas if installed (0.2 s of start-up)

    try:
        conn = sqlite3.connect(tmp, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=OFF")  # a scratch file: the rename is the commit
            conn.execute("PRAGMA synchronous=OFF")
            # the indexes (labels, FTS) are built in one transaction: with the default 2 MB
            # page cache SQLite spills and rereads pages through the OS (~200k pread/pwrite
            # calls at 100k concepts); the cache only grows as far as it is used
            conn.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")
            conn.execute("PRAGMA temp_store=MEMORY")  # index sorts in memory, not temp files
            conn.execute("BEGIN")
            _write(sqlite_utils.Database(conn), conn, snapshot, meta, progress)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        replace_with_backup(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise StoreError(f"Could not build the store at {path}: {exc}") from exc
        raise


def _write(
    db: sqlite_utils.Database,
    conn: sqlite3.Connection,
    snapshot: Snapshot,
    meta: dict[str, str],
    progress: Progress | None,
) -> None:
    for statement in [*SCHEMA.split(";"), *MEANING_SCHEMA]:
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
        "INSERT INTO labels (concept, text, lang, kind, usage, norm, key, initials) "
        "VALUES (?,?,?,?,?,?,?,?)",
        label_rows,
    )
    if progress:
        progress("search index", 0, 1)
    # SQLite indexes the labels, without holding the GIL, while this thread serialises the
    # concepts (0.6 s less at 100k concepts on two cores); nothing else uses `conn` meanwhile.
    digest = hashlib.sha256()
    texts = text_rows(snapshot.concepts)
    index_texts = (
        "INSERT INTO texts_fts (rowid, labels, definitions, plain, notes) VALUES (?,?,?,?,?)"
    )
    with _in_background(
        conn,
        (*LABEL_INDEXES, *MEANING_INDEXES),
        lambda: conn.executemany(index_texts, index_rows(texts, _WordwiseNormaliser())),
    ):
        concept_rows = _concept_rows(snapshot, normalise, digest, progress)
        words = _word_counts(label_rows)
        if progress:
            progress("concept vectors", 0, 1)
        vectors = write_vectors(texts)
    if progress:
        progress("search index", 1, 1)
    conn.executemany("INSERT INTO concepts VALUES (?,?,?,?,?,?,?,?,?)", concept_rows)
    for statement in CONCEPT_INDEXES:
        conn.execute(statement)
    conn.executemany("INSERT INTO words VALUES (?, ?, ?)", words)
    conn.executemany(
        "INSERT INTO word_variants VALUES (?, ?)",
        variant_rows(word for word, _, visible in words if visible),
    )
    embedding_meta = vectors(conn)
    embedding_meta |= write_vector_lists(conn, embedding_meta)  # large stores only
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
    conn.executemany(
        "INSERT INTO sources VALUES (?,?,?,?,?)",
        [(b.iri, b.title, b.citation, b.publisher, b.year) for b in snapshot.bibliography],
    )
    for b in snapshot.bibliography:
        digest.update(orjson.dumps([b.iri, b.title, b.citation, b.publisher, b.year]))
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
                **embedding_meta,
            }.items()
        ]
    )
    if progress:
        progress("concepts", total, total)


@contextmanager
def _in_background(
    conn: sqlite3.Connection, statements: tuple[str, ...], *more: Callable[[], object]
) -> Iterator[None]:
    """Run `statements` on `conn`, then `more`, in a thread while the body runs; wait for them
    at the end. The body must not use `conn`.

    Raises the statements' error, unless the body raised its own.
    """
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for statement in statements:
                conn.execute(statement)
            for step in more:
                step()
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


LabelRowValues = tuple[int, str, str, int, str, str, str, str | None]


def _label_rows(
    concepts: tuple[Concept, ...], normalise: Callable[[str], str]
) -> list[LabelRowValues]:
    """Return one `labels` row per label: concept number, text, lang, kind, usage, norm, key,
    initials."""
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
                    encode_usage(label.usage),
                    norm,
                    norm.replace(" ", ""),
                    None if label.kind is LabelKind.HIDDEN else initials(norm),
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
        # copied to an exact-size object: orjson's result keeps its ~8 KB output buffer,
        # which held 0.7 GB of the build's peak memory at 100k concepts
        data = memoryview(orjson.dumps(concept_to_dict(concept))).tobytes()
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
