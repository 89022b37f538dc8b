"""Read stores: one immutable snapshot of the vocabulary, as lookup, search and the pages read it.

- `protocol.ReadStore`: what the core needs from a store, with no SQL above it;
- `rows`: the typed rows a store answers with (`LabelRow`, `ConceptRef`, `StoredConcept`);
- `sqlite_write` / `sqlite_read`: the SQLite implementation (writer and reader), whose
  table layout lives in `sqlite_schema`.
"""

from vocab.store.protocol import ReadStore
from vocab.store.rows import ConceptRef, LabelRow, StoredConcept, WordCount
from vocab.store.sqlite_read import SQLiteStore

__all__ = ["ConceptRef", "LabelRow", "ReadStore", "SQLiteStore", "StoredConcept", "WordCount"]
