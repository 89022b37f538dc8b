"""Word evidence for sense choice: the words around a span against each sense's word profile.

A sense's profile holds the word stems of its labels, definitions, notes, the labels of
the concepts it links to and of its collections, each weighted by the field it comes from
(`PROFILE_FIELDS`) and by rarity (IDF over the vocabulary's concept texts). Usage warnings
and notes are split into clauses and each clause counts for the sense it names ("in
cardiology 'CAD' means coronary artery disease (t0258)" describes t0258, even in the
warning of t0219). The context is the stems of the span's sentence and its neighbours,
weighted by distance; the evidence is their cosine, discounted for long profiles.

>>> stem("segmentation") == stem("segments")
True
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from vocab.annotate_text import word_keys
from vocab.model import Concept, LabelKind, NoteKind
from vocab.morphology import stem as snowball
from vocab.store import ReadStore

PROFILE_FIELDS = {
    "label": 1.5,
    "definition": 1.0,
    "plain": 0.6,
    "note": 0.7,
    "warning": 1.0,
    "linked": 0.8,
    "collection": 0.5,
}
MAX_PROFILE_WEIGHT = 3.0
PROFILE_NORM = 0.75  # how much a long profile is discounted (1: cosine)
DOCUMENT = 0.1  # the whole document's words, against the span's own context
IDF_SAMPLE = 5000  # concepts read to estimate word rarity in a large vocabulary
PROFILE_CACHE = 4096

# fmt: off
STOP = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each",
    "either", "et", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my", "no", "nor",
    "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over",
    "own", "per", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "thus", "to",
    "too", "under", "until", "up", "upon", "us", "use", "used", "using", "very", "via", "was",
    "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "why",
    "will", "with", "within", "without", "would", "yet", "you", "your",
))
# fmt: on
CLAUSES = re.compile(r";|\bwhereas\b|,\s*but\b|,\s*while\b|\.\s+(?=[A-Z(])")
_ID = re.compile(r"\b[a-z]\d{3,}\b", re.IGNORECASE)
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@lru_cache(maxsize=65536)
def stem(key: str) -> str:
    """Return the stem of a word key (Snowball English, the service's one stemmer)."""
    return snowball(key)


def dot(a: Mapping[str, float], b: Mapping[str, float], order: WeightedStems | Profile) -> float:
    """Return the dot product of two stem weightings, its terms summed in the order of
    `order`'s stems (the same float, bit for bit, as summing over all of them: the others
    add zeros). Only the stems both hold are visited: a context or profile shares few."""
    common = a.keys() & b.keys()
    ordered = sorted(common, key=order.positions.__getitem__) if len(common) > 1 else common
    return float(sum(map(operator.mul, map(a.__getitem__, ordered), map(b.__getitem__, ordered))))


STEM_CACHE = 32_768  # word keys whose content stems are kept between texts (a few MB)
_KEY_STEMS: dict[str, str | None] = {}


def token_stems(keys: Sequence[str]) -> list[str | None]:
    """Return the content stem of each word key, None for a stop word or one character
    (kept between texts; the map is replaced when full, so a concurrent text keeps its own)."""
    global _KEY_STEMS
    known = _KEY_STEMS
    if len(known) > STEM_CACHE:
        known = _KEY_STEMS = {}
    for key in set(keys).difference(known):
        known[key] = None if key in STOP or len(key) < 2 else stem(key)
    return list(map(known.__getitem__, keys))


def content_stems(text: str) -> list[str]:
    """Return the stems of the words of `text` that are not stop words."""
    out = []
    for raw in _RAW_WORD.findall(text):
        for key in word_keys(raw):
            if key not in STOP and len(key) > 1 and not key.isdigit():
                out.append(stem(key))
    return out


@dataclass(frozen=True)
class WeightedStems:
    """Word stems weighted by nearness and rarity (a context, a document), with the norm,
    and a memo of the profiles already compared with it (a document meets them often)."""

    weights: Mapping[str, float]
    norm: float
    memo: dict[tuple[str, frozenset[str]], float] = field(default_factory=dict, compare=False)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each stem's place in `weights`: the order its products are summed in."""
        return dict(zip(self.weights, itertools.count()))


@dataclass
class Profile:
    """A sense's stems, weighted by field and rarity, and the vector's norm."""

    key: tuple[str, frozenset[str]]  # the sense's id and the ids of all senses of its word
    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each stem's place in `weights`: the order its products are summed in."""
        return dict(zip(self.weights, itertools.count()))

    @property
    def scale(self) -> float:
        """What a cosine with this profile is divided by: its norm, discounted when long."""
        return float((self.norm or 1.0) ** PROFILE_NORM)

    def add(self, stems: Sequence[str], weight: float) -> None:
        for s in stems:
            self.weights[s] = min(MAX_PROFILE_WEIGHT, self.weights.get(s, 0.0) + weight)


class WordEvidence:
    """Word profiles of senses, word rarities, and the cosine of a context with a profile."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._idf: dict[str, float] | None = None
        self.default_idf = 1.0
        self._profiles: OrderedDict[tuple[str, frozenset[str]], Profile] = OrderedDict()
        self._labels: dict[str, tuple[str, ...]] = {}

    def score(self, profile: Profile, context: WeightedStems, document: WeightedStems) -> float:
        """Return how well a context and its document match a profile (cosines, the
        profile's norm discounted)."""
        weights = profile.weights
        near = dot(context.weights, weights, context)
        far = document.memo.get(profile.key)
        if far is None:
            far = dot(document.weights, weights, profile)
            far = document.memo[profile.key] = far / (document.norm or 1.0)
        return (near / (context.norm or 1.0) + DOCUMENT * far) / profile.scale

    def weighted(self, stems: Mapping[str, float]) -> WeightedStems:
        """Return stems (-> nearness weight) weighted by rarity too."""
        idf, default = self.idf(), self.default_idf
        weights = {s: w * idf.get(s, default) for s, w in stems.items()}
        return WeightedStems(weights, math.sqrt(sum(v * v for v in weights.values())))

    # --- profiles -----------------------------------------------------------------------------

    def profile(
        self, concept: Concept, senses: Mapping[str, Concept], key: str, collections: Sequence[str]
    ) -> Profile:
        """Return the word profile of `concept` among the other `senses` of the word `key`."""
        cache_key = (concept.id, frozenset(senses))
        with self._lock:
            found = self._profiles.get(cache_key)
            if found is not None:
                self._profiles.move_to_end(cache_key)
                return found
        profile = self._build(cache_key, concept, senses, key, collections)
        with self._lock:
            self._profiles[cache_key] = profile
            while len(self._profiles) > PROFILE_CACHE:
                self._profiles.popitem(last=False)
        return profile

    def _build(
        self,
        cache_key: tuple[str, frozenset[str]],
        concept: Concept,
        senses: Mapping[str, Concept],
        key: str,
        collections: Sequence[str],
    ) -> Profile:
        shared = set(content_stems(key))
        profile = Profile(cache_key)

        def add(text: str, kind: str) -> None:
            profile.add([s for s in content_stems(text) if s not in shared], PROFILE_FIELDS[kind])

        for label in concept.labels:
            if label.kind is not LabelKind.HIDDEN:
                add(label.text, "label")
        for text in concept.definitions:
            add(text.text, "definition")
        for text in concept.plain_definitions:
            add(text.text, "plain")
        linked = list(concept.broader) + list(concept.narrower) + list(concept.related)
        for ref in self.store.refs(linked).values():
            add(ref.pref_label, "linked")
        for name in collections:
            add(name, "collection")
        for clause, kind in self.owned_clauses(concept, senses, key):
            add(clause, kind)
        idf = self.idf()  # weights become field weight x rarity, as the context's are
        profile.weights = {s: w * idf.get(s, self.default_idf) for s, w in profile.weights.items()}
        profile.norm = math.sqrt(sum(w * w for w in profile.weights.values()))
        return profile

    def owned_clauses(
        self, concept: Concept, senses: Mapping[str, Concept], key: str
    ) -> list[tuple[str, str]]:
        """Return the clauses of every sense's notes that describe `concept`, with their kind
        ("warning" or "note"): a clause counts for the sense it names, else for its owner."""
        out = []
        for owner in senses.values():
            for note in owner.notes:
                if note.kind in (NoteKind.EDITORIAL, NoteKind.CHANGE, NoteKind.HISTORY):
                    continue
                kind = "warning" if note.kind is NoteKind.WARNING else "note"
                for clause in CLAUSES.split(note.text):
                    if self._clause_owner(clause, owner, senses, key) is concept:
                        out.append((clause, kind))
        return out

    def _clause_owner(
        self, clause: str, owner: Concept, senses: Mapping[str, Concept], key: str
    ) -> Concept:
        """Return the sense a clause of `owner`'s note describes: the one it names, else the owner."""
        named = {m.lower() for m in _ID.findall(clause)}
        keys = f" {' '.join(k for raw in clause.split() for k in word_keys(raw))} "
        hits = [
            sense
            for sense in senses.values()
            if sense is not owner
            and (
                sense.id.lower() in named
                or any(f" {lb} " in keys for lb in self._names(sense, key))
            )
        ]
        return hits[0] if len(hits) == 1 else owner

    def _names(self, concept: Concept, key: str) -> tuple[str, ...]:
        """Return the distinctive label keys of a concept: not the shared word, not too short."""
        found = self._labels.get(concept.id)
        if found is None:
            names = {
                " ".join(k for raw in lb.text.split() for k in word_keys(raw))
                for lb in concept.labels
                if lb.kind is not LabelKind.HIDDEN
            }
            found = tuple(n for n in names if len(n) >= 5 and n != key)
            self._labels[concept.id] = found
        return found

    # --- rarity -------------------------------------------------------------------------------

    def idf(self) -> dict[str, float]:
        """Return the inverse document frequency of each stem over the concepts' texts."""
        if self._idf is None:
            with self._lock:
                if self._idf is None:
                    self._idf = self._compute_idf()
        return self._idf

    def _compute_idf(self) -> dict[str, float]:
        refs = self.store.concept_refs_sorted()
        step = max(1, len(refs) // IDF_SAMPLE)
        counts: dict[str, int] = {}
        n = 0
        for ref in refs[::step]:
            record = self.store.concept(ref.id)
            if record is None:
                continue
            concept, n = record.concept, n + 1
            texts = [lb.text for lb in concept.labels] + [d.text for d in concept.definitions]
            texts += [note.text for note in concept.notes]
            for s in set(content_stems(" ".join(texts))):
                counts[s] = counts.get(s, 0) + 1
        n = n or 1
        self.default_idf = math.log(n + 1) + 1.0
        return {s: math.log((n + 1) / (c + 1)) + 1.0 for s, c in counts.items()}
