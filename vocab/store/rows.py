"""What a read store hands to lookup, search, alignment and the pages: typed rows.

>>> row = LabelRow(1, "t1", "http://x/terms/t1", "sensitivity", Status.ACTIVE,
...                "reccal", "en-GB", LabelKind.HIDDEN, ("clinical",), "reccal")
>>> row.shown, row.shown_usage
('sensitivity', ())
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vocab.model import Concept, LabelKind, Status


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One label joined with its concept: the unit that lookup, search and alignment match."""

    concept: int  # the concept's key within its store (stable for the store's lifetime)
    id: str
    uri: str
    pref_label: str
    status: Status
    text: str
    lang: str
    kind: LabelKind
    usage: tuple[str, ...]  # the communities that use this label
    norm: str  # the label's matching key, from `vocab.normalize.normalise_label`

    @property
    def shown(self) -> str:
        """The label to show for this match: a hidden label (a misspelling) shows the preferred label."""
        return self.pref_label if self.kind is LabelKind.HIDDEN else self.text

    @property
    def shown_usage(self) -> tuple[str, ...]:
        """The communities to show for this match: none for a hidden label."""
        return () if self.kind is LabelKind.HIDDEN else self.usage

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE


@dataclass(frozen=True, slots=True)
class NumberedLabel:
    """A label with its number in the store and the keys it is indexed under."""

    number: int  # as `ReadStore.label_keys` gives it
    key: str  # the compact matching key (`labels_with_key`, `labels_with_key_prefix`)
    initials: str | None  # as `labels_with_initials` looks them up
    row: LabelRow


@dataclass(frozen=True, slots=True)
class ConceptRef:
    """Enough of a concept to link to it: id, URI, preferred label, status."""

    id: str
    uri: str
    pref_label: str
    status: Status

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE


@dataclass(frozen=True, slots=True)
class StoredConcept:
    """A concept as a store keeps it: the concept, its ETag, and the scheme it is a top concept of."""

    concept: Concept
    etag: str
    top_of: str | None


@dataclass(frozen=True, slots=True)
class WordCount:
    """A normalised word of the labels: in how many labels, and how many of them visible."""

    word: str
    labels: int
    visible: int


@dataclass(frozen=True, slots=True)
class VectorIndex:
    """The sign bits of every concept's vectors (row i: concept number i + 1), for a fast scan."""

    model: str  # the embedding model the vectors came from
    dim: int
    parts: tuple[str, ...]  # what each vector of a concept embeds, in order ("labels", ...)
    codes: Any  # numpy uint8 array (concepts, len(parts) * dim / 8)


@dataclass(frozen=True, slots=True)
class ConceptVectors:
    """One concept's vectors: int8 values (parts * dim) and a float32 scale per part."""

    concept: int
    values: bytes
    scales: bytes
