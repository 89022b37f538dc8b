"""The read API of the service: one object over one released snapshot, for every edge.

A `Vocabulary` wraps a `ReadStore` (any implementation of `vocab.store.ReadStore`) and
adds what the edges need on top: lookup, search, alignment and translation, the fields a
concept belongs to, and the lifecycle of a concept URI (`resolve`). A snapshot never
changes, so the caches here live as long as the object; a new release is a new
Vocabulary (with a new `digest`), never a changed one.

>>> vocabulary = Vocabulary.open("data/vocab.db")            # doctest: +SKIP
>>> vocabulary.lookup("MHRA").hits[0].row.pref_label          # doctest: +SKIP
'Medicines and Healthcare products Regulatory Agency'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from vocab.align import Aligner, Alignment
from vocab.errors import InvalidInput, NotFound
from vocab.label_index import LabelIndex
from vocab.lookup import LookupResult, lookup
from vocab.model import (
    COMMUNITIES,
    Collection,
    Concept,
    NoteKind,
    Scheme,
    Snapshot,
    SourceInfo,
    Status,
)
from vocab.search import STAGE_HOOK, Searcher, SearchFilters
from vocab.search_hits import SearchHit
from vocab.store import ConceptRef, ReadStore, SQLiteStore, StoredConcept
from vocab.translate import Translation, translate

SUGGESTION_COUNT = 5

ConceptRecord = StoredConcept
"""A concept as served: the concept, its ETag, and the scheme it is a top concept of."""


@dataclass(frozen=True)
class Resolution:
    """What a concept URI answers: the concept, and where it moved if it was merged.

    Merged (the same concept under a new id) -> `moved_to_uri` (a redirect); withdrawn with no
    successor -> `gone`; active or deprecated (replaced) -> the concept itself.
    """

    record: StoredConcept
    moved_to: ConceptRef | None = None  # the concept it was merged into, when in this snapshot
    moved_to_uri: str | None = None

    @property
    def gone(self) -> bool:
        return self.record.concept.status is Status.WITHDRAWN


class Vocabulary:
    """Lookup, search and concept access over one released snapshot."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self.searcher = Searcher(store)
        self.aligner = Aligner(LabelIndex(store), self.searcher.meaning)
        self._record = lru_cache(maxsize=4096)(self._load_record)
        self._fields = lru_cache(maxsize=4096)(self._load_fields)
        self._members = lru_cache(maxsize=64)(self._load_members)
        self._search = lru_cache(maxsize=8192)(self._run_search)

    @classmethod
    def open(cls, path: str | Path, base: str | None = None) -> Vocabulary:
        """Return a Vocabulary over the SQLite store at `path`, its own URIs answered under
        `base` (default: the base it was built for); raise StoreError if missing or unreadable."""
        return cls(SQLiteStore(Path(path), base))

    def rebased(self, base: str) -> Vocabulary:
        """This snapshot answering under `base` (itself when that is already its base)."""
        if base.rstrip("/") == self.base:
            return self
        return Vocabulary(self.store.rebased(base))

    # --- metadata -----------------------------------------------------------------------

    @property
    def digest(self) -> str:
        """A short hash of the whole snapshot: changes whenever any content changes."""
        return self.store.digest

    @property
    def base(self) -> str:
        """The base URI this snapshot's own URIs are answered under."""
        return self.store.base

    @cached_property
    def scheme(self) -> Scheme:
        """The primary concept scheme (read once: a snapshot never changes)."""
        return self.store.schemes()[0]

    @cached_property
    def bibliography(self) -> dict[str, SourceInfo]:
        """What each cited address is, by address (read once: a snapshot never changes)."""
        return {b.iri: b for b in self.store.bibliography()}

    def cited(self, iris: Iterable[str]) -> list[SourceInfo]:
        """Return each address in `iris` described: its title where known, else the address."""
        known = self.bibliography
        return [known.get(iri) or SourceInfo(iri, "") for iri in iris]

    def collections(self) -> list[Collection]:
        return self.store.collections()

    def collection(self, collection_id: str) -> Collection:
        """Return the collection with this id; raise NotFound naming the id."""
        found = self.store.collection(collection_id)
        if found is None:
            raise NotFound(
                f"No collection has the id '{collection_id[:80]}'; see the home page for the list."
            )
        return found

    def snapshot(self) -> Snapshot:
        return self.store.snapshot()

    # --- concepts -----------------------------------------------------------------------

    def record(self, concept_id: str) -> StoredConcept:
        """Return the concept with this id; raise NotFound naming the id."""
        found: StoredConcept | None = self._record(concept_id)
        if found is None:
            raise NotFound(
                f"No concept has the id '{concept_id[:80]}'; search for the term instead."
            )
        return found

    def _load_record(self, concept_id: str) -> StoredConcept | None:
        return self.store.concept(concept_id)

    def resolve(self, concept_id: str) -> Resolution:
        """Return what the URI of `concept_id` answers (see `Resolution`); raise NotFound."""
        record = self.record(concept_id)
        concept = record.concept
        if concept.status is Status.MERGED and concept.replaced_by:
            target = concept.replaced_by[0]
            return Resolution(record, self.refs([target]).get(target), target)
        return Resolution(record)

    def current(self, concept_id: str) -> StoredConcept:
        """Return the concept an id names now: the concept it was merged into, else itself."""
        resolution = self.resolve(concept_id)
        if resolution.moved_to is not None:
            return self.record(resolution.moved_to.id)
        return resolution.record

    def refs(self, uris: Sequence[str]) -> dict[str, ConceptRef]:
        return self.store.refs(list(uris))

    def fields(self, concept: Concept) -> tuple[str, ...]:
        """Return the field(s) a concept belongs to: its collections, else its broader concepts."""
        fields: tuple[str, ...] = self._fields(concept.uri, concept.broader)
        return fields

    def _load_fields(self, uri: str, broader: tuple[str, ...]) -> tuple[str, ...]:
        collections = self.store.collections_of(uri)
        if collections:
            return tuple(c.label() for c in collections)
        return tuple(ref.pref_label for ref in self.store.refs(list(broader)).values())

    def collections_of(self, concept: Concept) -> list[Collection]:
        return self.store.collections_of(concept.uri)

    def usage_warnings(self, concept_id: str) -> list[str]:
        concept = self.record(concept_id).concept
        return [n.text for n in concept.notes if n.kind is NoteKind.WARNING]

    # --- lookup and search --------------------------------------------------------------

    def lookup(self, text: str) -> LookupResult:
        """Return the concepts `text` names exactly, by tier (see `vocab.lookup`)."""
        return lookup(self.store, text)

    def suggestions(self, text: str) -> list[SearchHit]:
        """Return the nearest concepts to show when a lookup finds nothing."""
        return self.search(text, limit=SUGGESTION_COUNT)

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        community: str | None = None,
        collection: str | None = None,
        lang: str | None = None,
        include_deprecated: bool = False,
        on_stage: Callable[[str], None] | None = None,
    ) -> list[SearchHit]:
        """Return ranked hits for `text`; raise InvalidInput for a bad query or filter.

        `on_stage` is told each stage a computed (not cached) search reaches (`label`,
        `fuzzy`, `meaning`: see `vocab.search`); whatever it raises stops the search."""
        if community and community not in COMMUNITIES:
            raise InvalidInput(
                f"Unknown community '{community}'; use one of: {', '.join(COMMUNITIES)}."
            )
        members = None
        if collection:
            members = self._members(collection)
            if members is None:
                names = ", ".join(c.id for c in self.store.collections()) or "none"
                raise InvalidInput(f"Unknown collection '{collection}'; use one of: {names}.")
        filters = SearchFilters(community, members, lang, include_deprecated)
        if on_stage is None:
            return list(self._search(text, limit, filters))
        token = STAGE_HOOK.set(on_stage)
        try:
            return list(self._search(text, limit, filters))
        finally:
            STAGE_HOOK.reset(token)

    def _run_search(self, text: str, limit: int, filters: SearchFilters) -> tuple[SearchHit, ...]:
        # cached: the store is an immutable snapshot, and typing repeats the same prefixes
        return tuple(self.searcher.search(text, limit=limit, filters=filters))

    def _load_members(self, collection_id: str) -> frozenset[str] | None:
        found = self.store.collection(collection_id)
        if found is None:
            return None
        by_uri = {c.uri: c for c in self.store.collections()}
        members: set[str] = set()
        stack = list(found.members)
        while stack:  # nested collections count with their members
            uri = stack.pop()
            if uri in members:
                continue
            members.add(uri)
            if uri in by_uri:
                stack.extend(by_uri[uri].members)
        return frozenset(members)

    # --- alignment and translation -----------------------------------------------------

    def align(
        self,
        terms: list[str],
        *,
        community: str | None = "industry",
        limit: int = 3,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Alignment]:
        """Return one Alignment per term (see `vocab.align`); raise InvalidInput for bad options."""
        return self.aligner.align(terms, community=community, limit=limit, progress=progress)

    def translate(self, term: str, to: str, *, source_community: str | None = None) -> Translation:
        """Return what community `to` calls the concept `term` names, with false-friend warnings."""
        return translate(
            self.aligner,
            term,
            to,
            source_community=source_community,
            warnings_of=self.usage_warnings,
        )
