"""Context cues for sense choice, beside the sentence-wide evidence of `vocab.annotate_sense`.

Three cues a reader uses that a bag of the whole sentence's words misses:

1. **local words**: the content words within `LOCAL` tokens of the span weigh more than the
   rest of the sentence ("palliative RT", "RT feedback", "a planning CT"); they are read
   against the sense's word profile (`vocab.annotate_words`);
2. **domain**: the collections that set a sense apart from the word's other senses, as one
   more gloss: their names and the preferred labels of their members (at most
   `DOMAIN_MEMBERS` each) as one vector of the meaning model, compared with the sentence's:
   "Radiotherapy practice" lists fractions, linacs and contours; "Regulation, governance
   and standards" lists notified bodies and conformity assessment. Built once per
   collection (at `warm()`, or when first needed). (The communities that use the sense's
   label, as gloss words, were tried and fitted to no weight);
3. **value**: a number or percentage right after the word ("a recall of 0.90", "DSC 0.85")
   suggests a sense that is a quantity: one whose definition opens with a quantity noun
   (`QUANTITY`: "The proportion of ...", "A measure of overlap ...", "A standardised number").

Possessive and plural acronyms ("EI's", "DSCs") are matched by the tokeniser
(`vocab.annotate_text`), so they reach sense choice like the bare acronym.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from vocab.annotate_match import Match
from vocab.annotate_meaning import MeaningEvidence, Vector
from vocab.annotate_text import Tokens, word_keys
from vocab.annotate_words import STOP, WeightedStems, dot
from vocab.model import Concept
from vocab.store import ReadStore

LOCAL = 4  # tokens either side of the span that count as its local words
LOCAL_CONCEPTS = 8  # tokens between two spans for one to count as the other's local concept
DOMAIN_MEMBERS = 400  # member labels read per collection for its domain gloss
VALUE_REACH = 3  # tokens after the span in which a number counts as its value
DEFINITION_HEAD = 4  # content words at the start of a definition read for a quantity noun
# fmt: off
QUANTITY = frozenset((
    "proportion", "ratio", "coefficient", "measure", "number", "degree", "rate", "index",
    "score", "fraction", "value", "probability", "percentage", "level",
))
# fmt: on
_NUMBER = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+")


def local_stems(
    tokens: Tokens,
    stems: Sequence[str | None],
    skip: bytearray,
    first: int,
    last: int,
    bounds: tuple[int, int],
) -> dict[str, float]:
    """Return the content stems within LOCAL tokens of tokens first..last, inside the
    sentence `bounds`, weighted by nearness (1 next to the span, falling linearly)."""
    out: dict[str, float] = {}
    low, high = max(bounds[0], first - LOCAL), min(bounds[1], last + 1 + LOCAL)
    for j in (*range(low, first), *range(last + 1, high)):
        s = stems[j]
        if s is None or skip[j]:
            continue
        distance = first - j if j < first else j - last
        weight = 1.0 / distance
        if weight > out.get(s, 0.0):
            out[s] = weight
    return out


def local_concepts(
    matches: Sequence[Match],
    others: Iterable[int],
    i: int,
    uris_of: Callable[[int], list[tuple[str, float]]],
) -> dict[str, float]:
    """Return the concepts of the matches `others` (those of match i's sentence) that lie
    within LOCAL_CONCEPTS tokens of match i, by nearness (1 next to it, falling linearly);
    `uris_of(j)` gives match j's concept, or its senses at their probabilities so far."""
    m = matches[i]
    out: dict[str, float] = {}
    for j in others:
        if j == i:
            continue
        other = matches[j]
        distance = m.first - other.last if other.last < m.first else other.first - m.last
        if distance > LOCAL_CONCEPTS:
            continue
        nearness = 1.0 - (distance - 1) / LOCAL_CONCEPTS
        for uri, p in uris_of(j):
            out[uri] = max(out.get(uri, 0.0), nearness * p)
    return out


def value_after(tokens: Tokens, last: int, bounds: tuple[int, int]) -> float:
    """Return 1 if a number follows the span within VALUE_REACH tokens of its sentence
    ("precision of 0.62", "DSC 0.85", "EI was 450"), less the further it is; else 0."""
    for distance, j in enumerate(range(last + 1, min(bounds[1], last + 1 + VALUE_REACH)), 1):
        if _NUMBER.match(tokens.surfaces[j]) and not (tokens.hyphens[j] and j > last + 1):
            return 1.0 / distance
    return 0.0


class Cues:
    """Per-sense cues precomputed from the vocabulary: domain vectors and quantity senses."""

    def __init__(self, store: ReadStore, meaning: MeaningEvidence | None) -> None:
        self.store = store
        self.meaning = meaning
        self._lock = threading.Lock()
        self._vectors: dict[str, Vector | None] = {}  # collection URI -> its domain vector
        self._domains: dict[frozenset[str], Vector] = {}  # collection URIs -> their unit vector
        self._quantity: dict[str, bool] = {}

    def warm(self) -> None:
        """Build every collection's domain vector now (the server does it at startup)."""
        if self.meaning is not None:
            for collection in self.store.collections():
                self._domain(collection.uri, collection.label(), collection.members)

    # --- value ----------------------------------------------------------------------------

    def quantity(self, concept: Concept) -> bool:
        """True if the concept is a quantity: its definition opens with a quantity noun."""
        found = self._quantity.get(concept.id)
        if found is None:
            keys = [k for w in _WORD.findall(concept.definition() or "") for k in word_keys(w)]
            head = [k for k in keys if k not in STOP][:DEFINITION_HEAD]
            found = any(k in QUANTITY for k in head)
            with self._lock:
                if len(self._quantity) > 65_536:
                    self._quantity.clear()
                self._quantity[concept.id] = found
        return found

    # --- domain -----------------------------------------------------------------------------

    def domain(self, concept: Concept, uris: frozenset[str], context: Vector | None) -> float:
        """Return the cosine of a context vector with the domain of a sense: the names and
        member labels of its collections `uris` (those that set it apart from the word's
        other senses), through the meaning model; 0 without a model or such collections."""
        if self.meaning is None or context is None or not uris:
            return 0.0
        found = self._domains.get(uris)
        if found is None:
            if any(uri not in self._vectors for uri in uris):
                for collection in self.store.collections_of(concept.uri):
                    self._domain(collection.uri, collection.label(), collection.members)
            rows = [v for uri in uris if (v := self._vectors.get(uri)) is not None]
            total = np.sum(rows, axis=0) if rows else np.zeros_like(context)
            norm = float(np.linalg.norm(total))
            found = total / norm if norm > 0 else total
            with self._lock:
                if len(self._domains) > 4096:
                    self._domains.clear()
                self._domains[uris] = found
        return float(found @ context)

    def _domain(self, uri: str, name: str, members: Sequence[str]) -> None:
        if uri in self._vectors or self.meaning is None:
            return
        refs = self.store.refs(list(members[:DOMAIN_MEMBERS]))
        rows = self.meaning.vectors([name, *(ref.pref_label for ref in refs.values())])
        total: Vector = rows.sum(axis=0)
        norm = float(np.linalg.norm(total))
        with self._lock:
            self._vectors[uri] = total / norm if norm > 0 else None


def near_score(profile_weights: Mapping[str, float], scale: float, local: WeightedStems) -> float:
    """Return how well local words match a sense's word profile (its norm discounted)."""
    if not local.norm:
        return 0.0
    return dot(local.weights, profile_weights, local) / local.norm / scale
