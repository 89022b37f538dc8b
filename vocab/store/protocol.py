"""`ReadStore`: what lookup, search, alignment and the pages need from a released snapshot.

No SQL dialect shows above this line: a store answers in domain terms (labels by matching
key, labels holding some words, concepts by id). `vocab.store.sqlite_read.SQLiteStore`
implements it over a compiled SQLite file; any other backend (a PostgreSQL replica, an
in-memory store for tests) implements the same methods and everything above works unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol

from vocab.model import Collection, Concept, LabelKind, Scheme, Snapshot, SourceInfo
from vocab.store.rows import (
    ConceptRef,
    ConceptVectors,
    LabelRow,
    NumberedLabel,
    StoredConcept,
    VectorIndex,
    WordCount,
)
from vocab.vector_lists import VectorLists


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

    @property
    def base(self) -> str:
        """The base URI the snapshot's own URIs are answered under (no trailing slash)."""
        ...

    def opener(self) -> Callable[[], ReadStore]:
        """Return a picklable callable that opens this same snapshot again (in another process)."""
        ...

    def rebased(self, base: str) -> ReadStore:
        """This snapshot, answering its own URIs under `base`."""
        ...

    def quick_check(self) -> str | None:
        """Check the snapshot's storage cheaply; return what is wrong, or None when sound."""
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

    def labels_with_initials(self, key: str, limit: int) -> list[LabelRow]:
        """Return up to `limit` visible labels of several words whose initials
        (`vocab.normalize.initials`) equal `key`."""
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

    def words_named(self, words: Sequence[str]) -> list[WordCount]:
        """Return those of `words` that some label holds, with their counts."""
        ...

    def words_sharing(self, variants: Sequence[str]) -> list[WordCount]:
        """Return the words of visible labels stored under any of these deletion variants
        (`vocab.typo_index`), with their counts."""
        ...

    def all_labels(self, *, active_only: bool = True) -> list[LabelRow]:
        """Return every label of every (active) concept, grouped by concept, in kind order."""
        ...

    def label_table(self) -> list[NumberedLabel]:
        """Return every label with its number and index keys, in `all_labels` order (by
        concept, kind, then number), active or not: what a search holds in memory."""
        ...

    def word_variants(self) -> dict[str, tuple[str, ...]]:
        """Return the whole deletion index: each variant and the words stored under it."""
        ...

    def labels_of_concepts(self, concepts: Sequence[int]) -> list[LabelRow]:
        """Return every label of the given concepts (by store key), in kind order."""
        ...

    def label_keys(self, *, active_only: bool = True) -> Iterator[tuple[int, LabelKind, str, str]]:
        """Yield (label number, kind, text, matching key) of every label of every (active)
        concept: a light pass for building an automaton, no row objects."""
        ...

    def labels_by_number(self, numbers: Sequence[int]) -> dict[int, LabelRow]:
        """Return the labels with these numbers (as `label_keys` gives them), as rows."""
        ...

    # --- meaning: concept texts and vectors ---------------------------------------------

    def text_matches(
        self,
        words: Sequence[str],
        limit: int,
        weights: Sequence[float] | None = None,
        *,
        every: bool = False,
        some: Sequence[str] | None = None,
    ) -> list[tuple[int, float]]:
        """Return up to `limit` (concept key, relevance > 0), best first, for concepts whose
        labels, definitions, plain definitions, scope notes or examples hold any of `words`
        (with `every`, all of them; stemmed, bm25; `weights` per text, in that order, or
        the store's own); with `some` (a few of `words`), only those whose texts hold one
        of `some`, each scored on all of `words` as without it."""
        ...

    def texts_counting(self, word: str, cap: int) -> int:
        """Return how many concepts' texts (as `text_matches`) hold `word` (stemmed),
        counting no further than `cap`."""
        ...

    def texts_holding(
        self, words: Sequence[str], concepts: Sequence[int] | None, *, prefix: bool = False
    ) -> set[int]:
        """Return those of `concepts` (by store key) whose texts (as `text_matches`) hold
        any of `words` (stemmed), or with `prefix` a word one of them starts; for
        `concepts` None, one concept whose texts do, if any."""
        ...

    def vector_index(self) -> VectorIndex | None:
        """Return the sign codes of every concept's vectors, or None if the store has none."""
        ...

    def concept_vectors(self, concepts: Sequence[int]) -> list[ConceptVectors]:
        """Return the stored vectors of the given concepts (by store key)."""
        ...

    def vector_lists(self) -> VectorLists | None:
        """Return the inverted file over the sign codes (`vocab.vector_lists`), or None
        if the store has none (a small store: its semantic stage scans every code)."""
        ...

    # --- schemes and collections --------------------------------------------------------

    def schemes(self) -> list[Scheme]: ...

    def top_concepts(self) -> dict[str, tuple[str, ...]]: ...

    def collections(self) -> list[Collection]: ...

    def collections_of(self, uri: str) -> list[Collection]:
        """Return the collections that list `uri` as a member."""
        ...

    def collection(self, collection_id: str) -> Collection | None: ...

    def bibliography(self) -> list[SourceInfo]:
        """Return what each cited address is (title, citation, publisher, year), by address."""
        ...

    def snapshot(self) -> Snapshot:
        """Return the whole Snapshot the store holds."""
        ...
