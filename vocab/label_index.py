"""The active labels of one store in memory, indexed for alignment and translation.

Alignment compares a term with every label (rapidfuzz over their normalised forms), and
translation lists the labels of a concept by community: both read this one index, built
once per store on first use.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass

from vocab.morphology import stem
from vocab.store import LabelRow, ReadStore

STOPWORDS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "in",
        "a",
        "an",
        "to",
        "with",
        "on",
        "by",
        "or",
        "from",
        "at",
        "as",
        "via",
        "per",
    }
)


def content_words(norm: str) -> tuple[str, ...]:
    """Return the words of a normalised text that are not stop words."""
    return tuple(w for w in norm.split() if w not in STOPWORDS)


@dataclass(frozen=True, slots=True)
class IndexedLabel:
    """A label with its normalised form and content words."""

    row: LabelRow
    norm: str
    words: tuple[str, ...]


class LabelIndex:
    """Every active label of a store: as a list, by compact key and by concept (built lazily)."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._labels: list[IndexedLabel] | None = None
        self._by_key: dict[str, list[IndexedLabel]] = {}
        self._by_concept: dict[int, list[IndexedLabel]] = {}
        self._norms: list[str] = []
        self._stem_norms: list[str] = []
        self._word_stems: frozenset[str] = frozenset()
        self._stem_labels: Counter[str] = Counter()

    def _load(self) -> list[IndexedLabel]:
        with self._lock:
            if self._labels is None:
                labels = []
                for row in self.store.all_labels():
                    label = IndexedLabel(row, row.norm, content_words(row.norm))
                    labels.append(label)
                    self._by_key.setdefault(row.norm.replace(" ", ""), []).append(label)
                    self._by_concept.setdefault(row.concept, []).append(label)
                self._norms = [label.norm for label in labels]
                self._stem_norms = [" ".join(stem(w) for w in n.split()) for n in self._norms]
                self._stem_labels = Counter(
                    s for text in self._stem_norms for s in set(text.split())
                )
                words = {w for label in labels for w in label.norm.split()}
                self._word_stems = frozenset(words | set(self._stem_labels))
                self._labels = labels
            return self._labels

    @property
    def labels(self) -> list[IndexedLabel]:
        return self._labels if self._labels is not None else self._load()

    @property
    def norms(self) -> list[str]:
        """The normalised label texts, in the order of `labels`."""
        self._ensure()
        return self._norms

    @property
    def stem_norms(self) -> list[str]:
        """The stems of each label's words, in the order of `labels`."""
        self._ensure()
        return self._stem_norms

    @property
    def word_stems(self) -> frozenset[str]:
        """Every word of the labels, and every stem of those words."""
        self._ensure()
        return self._word_stems

    def weight(self, word: str) -> float:
        """Return how telling a word is: the inverse frequency of its stem among the labels."""
        self._ensure()
        count = self._stem_labels.get(stem(word), 0)
        return math.log((len(self._norms) + 1) / (count + 0.5))

    @property
    def by_key(self) -> dict[str, list[IndexedLabel]]:
        """Labels by compact matching key."""
        self._ensure()
        return self._by_key

    def of_concept(self, concept: int) -> list[IndexedLabel]:
        """Return the labels of one concept (by its store key)."""
        self._ensure()
        return self._by_concept.get(concept, [])

    def _ensure(self) -> None:
        if self._labels is None:
            self._load()
