"""`ReadStore`: what lookup, search, alignment and the pages need from a released snapshot.

No SQL dialect shows above this line: a store answers in domain terms (labels by matching
key, labels holding some words, concepts by id). `vocab.store.sqlite_read.SQLiteStore`
implements it over a compiled SQLite file; any other backend (a PostgreSQL replica, an
in-memory store for tests) implements the same methods and everything above works unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol

from vocab.model import Collection, Concept, Scheme, Snapshot
from vocab.store.rows import (
    ConceptRef,
    ConceptVectors,
    LabelRow,
    StoredConcept,
    VectorIndex,
    WordCount,
)


class ReadStore(Protocol):
    """Read access to one immutable snapshot; safe to share across threads."""

    @property
    def digest(self) -> str:
        """A short hash of the whole snapshot: it changes whenever any content changes."""
        ...

    @property
    def meta(self) -> Mapping[str, str]:
        """Where the snapshot came from and when it was written (origin, written_at, counts)."""
        ...

    def opener(self) -> Callable[[], ReadStore]:
        """Return a picklable callable that opens this same snapshot again (in another process)."""
        ...

    # --- concepts -----------------------------------------------------------------------

    def concept(self, concept_id: str) -> StoredConcept | None:
        """Return the concept with this id, or None."""
        ...

    def refs(self, uris: Sequence[str]) -> dict[str, ConceptRef]:
        """Return a ref for each URI that names a concept of this snapshot."""
        ...

    def concepts(self) -> Iterator[Concept]:
        """Yield every concept, in id order."""
        ...

    def concept_refs_sorted(self, *, active_only: bool = True) -> list[ConceptRef]:
        """Return every (active) concept as a ref, in A-Z order of preferred label."""
        ...

    def count(self, *, active_only: bool = False) -> int: ...

    # --- labels -------------------------------------------------------------------------

    def labels_with_key(self, key: str) -> list[LabelRow]:
        """Return the labels whose compact matching key equals `key`."""
        ...

    def labels_with_key_prefix(self, prefix: str, limit: int) -> list[LabelRow]:
        """Return up to `limit` labels whose compact matching key starts with `prefix`."""
        ...

    def labels_with_words(
        self, groups: Sequence[Sequence[str]], *, prefix: bool, limit: int
    ) -> list[LabelRow]:
        """Return up to `limit` labels holding, for every group, one of its normalised words.

        With `prefix`, a word matches any label word it starts. Words are [0-9a-z]+.
        """
        ...

    def word_counts(self) -> list[WordCount]:
        """Return every normalised word of the labels, with how many labels hold it."""
        ...

    def all_labels(self, *, active_only: bool = True) -> list[LabelRow]:
        """Return every label of every (active) concept, grouped by concept, in kind order."""
        ...

    def labels_of_concepts(self, concepts: Sequence[int]) -> list[LabelRow]:
        """Return every label of the given concepts (by store key), in kind order."""
        ...

    # --- meaning: concept texts and vectors ---------------------------------------------

    def text_matches(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """Return up to `limit` (concept key, relevance > 0), best first, for concepts whose
        labels, definitions, scope notes or examples hold any of `words` (stemmed, bm25)."""
        ...

    def vector_index(self) -> VectorIndex | None:
        """Return the sign codes of every concept's vectors, or None if the store has none."""
        ...

    def concept_vectors(self, concepts: Sequence[int]) -> list[ConceptVectors]:
        """Return the stored vectors of the given concepts (by store key)."""
        ...

    # --- schemes and collections --------------------------------------------------------

    def schemes(self) -> list[Scheme]: ...

    def top_concepts(self) -> dict[str, tuple[str, ...]]: ...

    def collections(self) -> list[Collection]: ...

    def collections_of(self, uri: str) -> list[Collection]:
        """Return the collections that list `uri` as a member."""
        ...

    def collection(self, collection_id: str) -> Collection | None: ...

    def snapshot(self) -> Snapshot:
        """Return the whole Snapshot the store holds."""
        ...
