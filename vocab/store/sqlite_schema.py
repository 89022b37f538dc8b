"""The SQLite layout of a read snapshot, shared by its writer and its reader.

Tables: `concepts` (lossless JSON per concept), `labels` (one row per label with its
matching keys, and the initials of a visible label of several words; indexed for exact,
prefix and initials lookup), `labels_fts` (FTS5 over the
normalised labels, for word-prefix and corrected-word search), `words` (distinct
normalised words, with how many labels hold them), `word_variants` (the deletion index of
the visible labels' words, `vocab.typo_index`, for typo correction), `collections`, `members`, `schemes`,
`sources` (the title, citation, publisher and year of each cited address), `meta`.
Only these two modules (`sqlite_write`, `sqlite_read`) know this layout.
"""

from __future__ import annotations

from functools import lru_cache

from vocab.model import LabelKind

SCHEMA_VERSION = "8"  # 5: meaning tables; 6: plain definitions apart, word_variants; 7: sources; 8: texts normalised
KIND_CODES: dict[LabelKind, int] = {
    LabelKind.PREF: 0,
    LabelKind.ACRONYM: 1,
    LabelKind.ALT: 2,
    LabelKind.HIDDEN: 3,
}
KINDS_BY_CODE: dict[int, LabelKind] = {code: kind for kind, code in KIND_CODES.items()}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE schemes (uri TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL,
                      top_concepts TEXT NOT NULL);
CREATE TABLE concepts (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, uri TEXT NOT NULL,
    status TEXT NOT NULL, pref_label TEXT NOT NULL, sort_key TEXT NOT NULL,
    top_of TEXT, etag TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE labels (
    concept INTEGER NOT NULL REFERENCES concepts(n), text TEXT NOT NULL, lang TEXT NOT NULL,
    kind INTEGER NOT NULL, usage TEXT NOT NULL, norm TEXT NOT NULL, key TEXT NOT NULL,
    initials TEXT);
CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL, visible INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE word_variants (variant TEXT PRIMARY KEY, words TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE collections (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, uri TEXT NOT NULL UNIQUE,
                          data TEXT NOT NULL);
CREATE TABLE sources (iri TEXT PRIMARY KEY, title TEXT NOT NULL, citation TEXT NOT NULL,
                      publisher TEXT NOT NULL, year TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE members (collection INTEGER NOT NULL REFERENCES collections(n),
                      member TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX members_member ON members(member);
CREATE VIRTUAL TABLE labels_fts USING fts5(
    norm, content='labels', content_rowid='rowid', tokenize='unicode61', prefix='2 3',
    columnsize=0);
"""
# Created after the bulk inserts: one sort per index instead of a B-tree insert per row.
LABEL_INDEXES = (
    "CREATE INDEX labels_key ON labels(key)",
    "CREATE INDEX labels_initials ON labels(initials) WHERE initials IS NOT NULL",
    "INSERT INTO labels_fts(labels_fts) VALUES('rebuild')",
)
CONCEPT_INDEXES = (
    "CREATE UNIQUE INDEX concepts_id ON concepts(id)",
    "CREATE UNIQUE INDEX concepts_uri ON concepts(uri)",
    "CREATE INDEX concepts_sort ON concepts(sort_key)",
)


def encode_usage(usage: tuple[str, ...]) -> str:
    """Return the communities of a label as the `labels.usage` column holds them."""
    return ",".join(usage)


@lru_cache(maxsize=256)
def decode_usage(column: str) -> tuple[str, ...]:
    """Return the communities a `labels.usage` column names, in the order written."""
    return tuple(column.split(",")) if column else ()
