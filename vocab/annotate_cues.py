"""Context cues for sense choice, beside the sentence-wide evidence of `vocab.annotate_sense`.

Three cues a reader uses that a bag of the whole sentence's words misses:

1. **local words**: the content words within `LOCAL` tokens of the span weigh more than the
   rest of the sentence ("palliative RT", "RT feedback", "a planning CT"); they are read
   against the sense's word profile (`vocab.annotate_words`) and, with a model, against its
   gloss vector (`vocab.annotate_meaning`);
2. **domain gloss**: the names of the collections a sense is in, the preferred labels of
   their members (at most `DOMAIN_MEMBERS` per collection) and the communities that use
   the sense's label for this word, as one more gloss: "Radiotherapy practice" lists
   fractions, linacs and contours; "Regulation, governance and standards" lists notified
   bodies and conformity assessment. Built once per collection (at `warm()` or first use);
3. **value**: a number or percentage right after the word ("a recall of 0.90", "DSC 0.85")
   suggests a sense that is a quantity: one whose definition opens with a quantity noun
   (`QUANTITY`: "The proportion of ...", "A measure of overlap ...", "A standardised number").

Possessive and plural acronyms ("EI's", "DSCs") are matched by the tokeniser
(`vocab.annotate_text`), so they reach sense choice like the bare acronym.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence

import numpy as np

from vocab.annotate_meaning import MeaningEvidence, Vector
from vocab.annotate_text import Token, word_keys
from vocab.annotate_words import STOP, WeightedStems, WordEvidence, content_stems
from vocab.model import Concept, LabelKind
from vocab.store import ReadStore

LOCAL = 4  # tokens either side of the span that count as its local words
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
    tokens: Sequence[Token],
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
        weight = 1.0 - (distance - 1) / LOCAL
        if weight > out.get(s, 0.0):
            out[s] = weight
    return out


def local_words(
    tokens: Sequence[Token],
    stems: Sequence[str | None],
    skip: bytearray,
    first: int,
    last: int,
    bounds: tuple[int, int],
) -> str:
    """Return the surface words of the local window (for the meaning model)."""
    low, high = max(bounds[0], first - LOCAL), min(bounds[1], last + 1 + LOCAL)
    return " ".join(
        tokens[j].surface
        for j in (*range(low, first), *range(last + 1, high))
        if stems[j] is not None and not skip[j]
    )


def value_after(tokens: Sequence[Token], last: int, bounds: tuple[int, int]) -> float:
    """Return 1 if a number follows the span within VALUE_REACH tokens of its sentence
    ("precision of 0.62", "DSC 0.85", "EI was 450"), less the further it is; else 0."""
    for distance, j in enumerate(range(last + 1, min(bounds[1], last + 1 + VALUE_REACH)), 1):
        if _NUMBER.match(tokens[j].surface) and not (tokens[j].hyphen_before and j > last + 1):
            return 1.0 / distance
    return 0.0


class Cues:
    """Per-sense cues precomputed from the vocabulary: domain glosses and quantity senses."""

    def __init__(
        self, store: ReadStore, words: WordEvidence, meaning: MeaningEvidence | None
    ) -> None:
        self.store = store
        self.words = words
        self.meaning = meaning
        self._vectors: dict[str, Vector] = {}  # collection URI -> unit vector of its gloss
        self._lock = threading.Lock()
        self._domains: dict[str, dict[str, float]] = {}  # collection URI -> stems (no rarity)
        self._quantity: dict[str, bool] = {}
        self._profiles: dict[tuple[frozenset[str], tuple[str, ...]], WeightedStems] = {}

    def warm(self) -> None:
        """Build every collection's domain gloss now (the server does it at startup)."""
        for collection in self.store.collections():
            self._domain(collection.uri, collection.label(), collection.members)

    # --- value ----------------------------------------------------------------------------

    def quantity(self, concept: Concept) -> bool:
        """True if the concept is a quantity: its definition opens with a quantity noun."""
        found = self._quantity.get(concept.id)
        if found is None:
            keys = [k for w in _WORD.findall(concept.definition() or "") for k in word_keys(w)]
            head = [k for k in keys if k not in STOP][:DEFINITION_HEAD]
            found = self._quantity[concept.id] = any(k in QUANTITY for k in head)
        return found

    # --- domain gloss -----------------------------------------------------------------------

    def domain(self, concept: Concept, key: str, uris: frozenset[str]) -> WeightedStems:
        """Return the domain gloss of a sense: the names and member labels of its
        collections `uris` (those that set it apart from the word's other senses), and the
        communities that use its label for `key`, weighted by rarity (cached)."""
        communities = tuple(sorted(usage_of(concept, key)))
        cache_key = (uris, communities)
        found = self._profiles.get(cache_key)
        if found is not None:
            return found
        self._build(concept, uris)
        stems: dict[str, float] = {}
        for uri in uris:
            for s, w in self._domains.get(uri, {}).items():
                stems[s] = max(stems.get(s, 0.0), w)
        for community in communities:
            for s in content_stems(community):
                stems[s] = max(stems.get(s, 0.0), 1.0)
        found = self.words.weighted(stems)
        with self._lock:
            if len(self._profiles) > 4096:
                self._profiles.clear()
            self._profiles[cache_key] = found
        return found

    def domain_vector(self, concept: Concept, uris: frozenset[str]) -> Vector | None:
        """Return the unit vector of the collections `uris` (their names and member
        labels, through the meaning model), or None without a model or collections."""
        if self.meaning is None or not uris:
            return None
        self._build(concept, uris)
        rows = [self._vectors[uri] for uri in uris if uri in self._vectors]
        if not rows:
            return None
        total = np.sum(rows, axis=0)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else None

    def _build(self, concept: Concept, uris: frozenset[str]) -> None:
        if any(uri not in self._domains for uri in uris):
            for collection in self.store.collections_of(concept.uri):
                self._domain(collection.uri, collection.label(), collection.members)

    def _domain(self, uri: str, name: str, members: Sequence[str]) -> dict[str, float]:
        found = self._domains.get(uri)
        if found is None:
            found = {s: 1.0 for s in content_stems(name)}
            refs = self.store.refs(list(members[:DOMAIN_MEMBERS]))
            labels = [ref.pref_label for ref in refs.values()]
            counts: dict[str, int] = {}
            for label in labels:
                for s in set(content_stems(label)):
                    counts[s] = counts.get(s, 0) + 1
            for s, n in counts.items():  # a word many members share is the domain's own
                found[s] = max(found.get(s, 0.0), min(1.0, 0.5 + 0.1 * n))
            vector = None
            if self.meaning is not None:
                rows = self.meaning.vectors([name, *labels])
                vector = rows.sum(axis=0)
                norm = float(np.linalg.norm(vector))
                vector = vector / norm if norm > 0 else None
            with self._lock:
                self._domains[uri] = found
                if vector is not None:
                    self._vectors[uri] = vector
        return found


def usage_of(concept: Concept, key: str) -> set[str]:
    """Return the communities that use one of the concept's labels whose key is `key`."""
    return {
        community
        for label in concept.labels
        if label.kind is not LabelKind.HIDDEN and " ".join(word_keys(label.text)) == key
        for community in label.usage
    }


def cosine(context: WeightedStems, gloss: WeightedStems) -> float:
    """Return the cosine of two rarity-weighted stem bags (0 if either is empty)."""
    if not context.norm or not gloss.norm:
        return 0.0
    small, large = sorted((context.weights, gloss.weights), key=len)
    dot = sum(v * large.get(s, 0.0) for s, v in small.items())
    return dot / (context.norm * gloss.norm)


def near_score(profile_weights: Mapping[str, float], scale: float, local: WeightedStems) -> float:
    """Return how well local words match a sense's word profile (its norm discounted)."""
    if not local.norm:
        return 0.0
    dot = sum(v * profile_weights.get(s, 0.0) for s, v in local.weights.items())
    return dot / local.norm / scale
