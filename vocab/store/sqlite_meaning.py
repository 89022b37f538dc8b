"""The snapshot's meaning tables: concept texts for full-text search, and concept vectors.

- `texts_fts`: one row per concept (rowid = concept number), FTS5 with the Porter
  stemmer over four columns: its labels, its professional definitions, its plain-language
  definitions, and its scope notes and examples. Contentless: only the index is kept,
  ranked with bm25, column by column (`TEXT_WEIGHTS`: a lay query's words are more often
  in the plain definition);
- `vectors`: per concept, one unit vector per part (`VECTOR_PARTS`: its labels, its
  definitions professional and plain together, its plain definition alone) as int8 with
  a float32 scale each;
- `vector_codes`: the sign bits of every vector, in concept order, in blobs of
  `CODES_PER_BLOB` concepts: what the semantic stage scans in memory (96 bytes a concept)
  before it rescores the nearest few with their int8 vectors.

Built after the other tables by `write_meaning_tables`, read by `SQLiteStore`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from vocab.embedding import EmbeddingModel, load_model, quantise
from vocab.model import Concept, LabelKind, NoteKind
from vocab.normalize import normalise_label
from vocab.store.rows import ConceptVectors, VectorIndex
from vocab.store.sqlite_lists import read_vector_lists
from vocab.vector_lists import VectorLists

MEANING_SCHEMA = (
    "CREATE VIRTUAL TABLE texts_fts USING fts5(labels, definitions, plain, notes, content='', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TABLE vectors (n INTEGER PRIMARY KEY, vectors BLOB NOT NULL, scales BLOB NOT NULL)",
    "CREATE TABLE vector_codes (part INTEGER PRIMARY KEY, codes BLOB NOT NULL)",
)
MEANING_INDEXES = ("CREATE INDEX labels_concept ON labels(concept)",)  # labels of hits
TEXT_COLUMNS = ("labels", "definitions", "plain", "notes")
TEXT_WEIGHTS = (1.0, 1.0, 1.5, 0.5)  # bm25 weight of a match in each column
VECTOR_PARTS = ("labels", "definitions", "plain")
CODES_PER_BLOB = 16_384
_NOTE_KINDS = (NoteKind.SCOPE, NoteKind.EXAMPLE)


TextRow = tuple[int, str, str, str, str]


def concept_texts(concept: Concept) -> tuple[str, str, str, str]:
    """Return the texts of a concept that meaning search reads: labels, definitions, plain
    definitions, notes."""
    labels = " ; ".join(
        label.text for label in concept.labels if label.kind is not LabelKind.HIDDEN
    )
    definitions = " ".join(t.text for t in concept.definitions)
    plain = " ".join(t.text for t in concept.plain_definitions)
    notes = " ".join(n.text for n in concept.notes if n.kind in _NOTE_KINDS)
    return labels, definitions, plain, notes


def text_rows(concepts: Sequence[Concept]) -> list[TextRow]:
    """Return one `texts_fts` row per concept: concept number and its `concept_texts`."""
    return [(n, *concept_texts(c)) for n, c in enumerate(concepts, start=1)]


def index_rows(
    rows: Iterable[TextRow], normalise: Callable[[str], str] = normalise_label
) -> Iterator[TextRow]:
    """Return the `texts_fts` rows of `text_rows`, each text's words normalised as queries
    are (`normalise_label`: plural and spelling folded, "women" -> "woman", "tumor" ->
    "tumour"), so the stemmer sees the same word on both sides.

    `normalise` may be any function giving what `normalise_label` gives (a build passes a
    `WordwiseNormaliser`, which remembers each word)."""
    for n, *texts in rows:
        labels, definitions, plain, notes = (normalise(t) for t in texts)
        yield n, labels, definitions, plain, notes


def _part_texts(row: TextRow) -> tuple[str, str, str]:
    """Return what each of `VECTOR_PARTS` embeds: the labels; both definitions; the
    plain-language definition alone (the professional one if there is none), which a lay
    question's words are nearest to and which the professional wording drowns when
    averaged with it."""
    return row[1], f"{row[2]} {row[3]}".strip(), row[3] or row[2]


def write_vectors(
    rows: list[TextRow], model: EmbeddingModel | None = None
) -> Callable[[sqlite3.Connection], dict[str, str]]:
    """Embed each concept's parts (the slow step, no database needed) and return a function
    that stores the vectors and codes and returns the meta entries to record.

    Raises EmbeddingError if the model cannot be loaded.
    """
    model = model or load_model()
    name, dim = model.name, model.dim
    count, width = len(rows), len(VECTOR_PARTS)
    ints = np.empty((count, width * dim), dtype=np.int8)  # one part after the other
    scales = np.empty((count, width), dtype=np.float32)
    codes = np.empty((count, width * dim // 8), dtype=np.uint8)
    for i in range(width):  # one part's float vectors at a time: 0.9 GB less at 100k
        vectors = model.embed([_part_texts(row)[i] for row in rows])
        ints[:, i * dim : (i + 1) * dim], scales[:, i] = quantise(vectors)
        codes[:, i * dim // 8 : (i + 1) * dim // 8] = np.packbits(vectors > 0, axis=1)
        del vectors

    def write(conn: sqlite3.Connection) -> dict[str, str]:
        _insert(conn, [row[0] for row in rows], ints, scales, codes)
        return {
            "embedding_model": name,
            "embedding_dim": str(dim),
            "embedding_parts": ",".join(VECTOR_PARTS),
        }

    return write


def _insert(
    conn: sqlite3.Connection,
    concepts: list[int],
    ints: np.ndarray[Any, Any],
    scales: np.ndarray[Any, Any],
    codes: np.ndarray[Any, Any],
) -> None:
    conn.executemany(
        "INSERT INTO vectors VALUES (?, ?, ?)",
        zip(concepts, (v.tobytes() for v in ints), (s.tobytes() for s in scales), strict=True),
    )
    conn.executemany(
        "INSERT INTO vector_codes VALUES (?, ?)",
        (
            (i // CODES_PER_BLOB, codes[i : i + CODES_PER_BLOB].tobytes())
            for i in range(0, len(codes), CODES_PER_BLOB)
        ),
    )


def fts_query(words: Iterable[str], *, prefix: bool = False, every: bool = False) -> str:
    """Return an FTS5 expression matching any of `words` (each quoted: no syntax gets
    through), or any word they start with `prefix`; with `every`, all of them."""
    star = "*" if prefix else ""
    return (" AND " if every else " OR ").join(
        '"' + w.replace('"', '""') + '"' + star for w in dict.fromkeys(words) if w
    )


def text_matches(
    conn: sqlite3.Connection,
    words: Sequence[str],
    limit: int,
    weights: Sequence[float] = TEXT_WEIGHTS,
    every: bool = False,
    some: Sequence[str] | None = None,
) -> list[tuple[int, float]]:
    """Return (concept number, bm25 relevance > 0) for concepts whose texts hold any word
    (with `every`, all of them), bm25 weighting a match in each of `TEXT_COLUMNS` by
    `weights`; with `some`, only for those whose texts hold one of `some`.

    A text holding one of `some` and one of the other words is scored by the query
    "(some) AND (others)": the same phrases as "any word", once each, so the same bm25;
    one holding none of the others by "(some)" alone, again its full score. The larger
    of a text's two scores is its score (the second is part of the first), and only the
    texts holding one of `some` are scored, whatever the others' posting lists hold.
    """
    if len(weights) != len(TEXT_COLUMNS):
        return []
    columns = ", ".join(str(float(w)) for w in weights)
    select = f"SELECT rowid, -bm25(texts_fts, {columns}) AS score FROM texts_fts "
    select += "WHERE texts_fts MATCH ?"
    rare, others = fts_query(some or ()), fts_query(w for w in words if w not in set(some or ()))
    if every or not rare or not others:
        expression = fts_query(words, every=every)
        if not expression:
            return []
        rows = conn.execute(f"{select} ORDER BY score DESC LIMIT ?", (expression, limit))
        return [(int(n), float(score)) for n, score in rows]
    rows = conn.execute(
        f"SELECT rowid, max(score) AS best FROM ({select} UNION ALL {select}) "
        "GROUP BY rowid ORDER BY best DESC LIMIT ?",
        (f"({rare}) AND ({others})", rare, limit),
    )
    return [(int(n), float(score)) for n, score in rows]


def texts_counting(conn: sqlite3.Connection, word: str, cap: int) -> int:
    """Return how many concepts' texts hold `word` (stemmed), counting no further than `cap`."""
    expression = fts_query([word])
    if not expression or cap <= 0:
        return 0
    (count,) = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM texts_fts WHERE texts_fts MATCH ? LIMIT ?)",
        (expression, cap),
    ).fetchone()
    return int(count)


def texts_holding(
    conn: sqlite3.Connection,
    words: Sequence[str],
    concepts: Sequence[int] | None,
    prefix: bool,
) -> set[int]:
    """Return the concept numbers among `concepts` whose texts hold any of `words` (or,
    with `prefix`, a word that one of them starts); for `concepts` None, one such concept."""
    expression = fts_query(words, prefix=prefix)
    if not expression or concepts == []:
        return set()
    if concepts is None:
        found = conn.execute(
            "SELECT rowid FROM texts_fts WHERE texts_fts MATCH ? LIMIT 1", (expression,)
        )
        return {int(n) for (n,) in found}
    marks = ",".join("?" * len(concepts))
    rows = conn.execute(
        f"SELECT rowid FROM texts_fts WHERE texts_fts MATCH ? AND rowid IN ({marks})",
        (expression, *concepts),
    )
    return {int(n) for (n,) in rows}


def read_vector_index(conn: sqlite3.Connection, meta: dict[str, str]) -> VectorIndex | None:
    """Return the sign codes of every concept's vectors, or None if the store has none."""
    if "embedding_model" not in meta:
        return None
    blobs = conn.execute("SELECT codes FROM vector_codes ORDER BY part").fetchall()
    parts = tuple(meta["embedding_parts"].split(","))
    dim = int(meta["embedding_dim"])
    width = len(parts) * dim // 8
    codes = np.frombuffer(b"".join(b for (b,) in blobs), dtype=np.uint8).reshape(-1, width)
    return VectorIndex(meta["embedding_model"], dim, parts, codes)


def read_vectors(conn: sqlite3.Connection, concepts: Sequence[int]) -> list[ConceptVectors]:
    """Return the int8 vectors and scales of the given concept numbers that have them."""
    if not concepts:
        return []
    marks = ",".join("?" * len(concepts))
    rows = conn.execute(
        f"SELECT n, vectors, scales FROM vectors WHERE n IN ({marks})", tuple(concepts)
    )
    return [ConceptVectors(int(n), vectors, scales) for n, vectors, scales in rows]


class MeaningReads:
    """The meaning part of `SQLiteStore`'s reads (concept texts and vectors), on the layout
    above; the store supplies its connection and its meta table."""

    meta: dict[str, str]

    def _conn(self) -> sqlite3.Connection:
        raise NotImplementedError

    def text_matches(
        self,
        words: Sequence[str],
        limit: int,
        weights: Sequence[float] | None = None,
        *,
        every: bool = False,
        some: Sequence[str] | None = None,
    ) -> list[tuple[int, float]]:
        return text_matches(self._conn(), words, limit, weights or TEXT_WEIGHTS, every, some)

    def texts_counting(self, word: str, cap: int) -> int:
        return texts_counting(self._conn(), word, cap)

    def texts_holding(
        self, words: Sequence[str], concepts: Sequence[int] | None, *, prefix: bool = False
    ) -> set[int]:
        return texts_holding(self._conn(), words, concepts, prefix)

    def vector_index(self) -> VectorIndex | None:
        return read_vector_index(self._conn(), self.meta)

    def concept_vectors(self, concepts: Sequence[int]) -> list[ConceptVectors]:
        return read_vectors(self._conn(), concepts)

    def vector_lists(self) -> VectorLists | None:
        return read_vector_lists(self._conn(), self.meta)
