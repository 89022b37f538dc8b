"""Soft word evidence for sense choice: each context word against each sense's words, by vector.

Exact stem overlap (`vocab.annotate_words`) misses a sentence that speaks of a sense in
words its definition does not use ("randomised", "enrolled", "arm" for a clinical trial),
and one averaged sentence vector (`vocab.annotate_meaning`) blurs a few telling words into
many ordinary ones. Here each content word of the context is compared, by the cosine of
the embedding model's word vectors, with every word of a sense's soft profile, and keeps
its best match; the evidence is the mean of these best matches, weighted by the word's
nearness and rarity. An ordinary word ("took", "two") matches every sense about equally
and so tells none apart; a telling one matches its sense's words far better.

A sense's soft profile is its own words (labels, definitions, plain definitions, the
clauses of the senses' notes that describe it) and the preferred labels of the concepts it
links to and of its collections, as in the word profile, less the ambiguous word itself.
The profile matrix is built when a sense is first met (or at `warm()`) and kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from vocab.annotate_meaning import MeaningEvidence, Vector
from vocab.annotate_text import word_keys
from vocab.annotate_words import STOP, WordEvidence, stem
from vocab.model import Concept, LabelKind

PROFILE_CACHE = 4096  # sense profiles kept
WORDS_KEPT = 20_000  # context words whose best cosine a profile keeps
MIN_LETTERS = 3  # shorter words are left out of profiles and contexts ("ai", "of")
RARITY = 1.0  # the power of a context word's rarity (IDF) in its weight
FLOOR = 0.0  # a best cosine counts only above this (an unrelated word's is about 0.3)
LINKED_DEFINITIONS = False  # the definitions of linked concepts join the profile


def soft_words(text: str) -> list[str]:
    """Return the distinct lower-case content words of `text` (not stop words, not numbers)."""
    out: dict[str, None] = {}
    for raw in text.split():
        for key in word_keys(raw):
            if len(key) >= MIN_LETTERS and key not in STOP and key.isalpha():
                out[key] = None
    return list(out)


@dataclass
class SoftProfile:
    """The word vectors of a sense's soft profile, and the best cosine of each context word
    met so far with them (a text's words recur, so each is compared once)."""

    vectors: Vector
    best: dict[str, float] = field(default_factory=dict)


SoftContext = tuple[list[str], npt.NDArray[np.float64]]  # words, weights summing to 1


class SoftEvidence:
    """Soft profiles of senses (cached) and the mean best cosine of a context against one."""

    def __init__(self, meaning: MeaningEvidence, words: WordEvidence) -> None:
        self.meaning = meaning
        self.words = words
        self._lock = threading.Lock()
        self._profiles: OrderedDict[tuple[str, frozenset[str]], SoftProfile] = OrderedDict()

    def context(self, weighted: Mapping[str, float]) -> SoftContext | None:
        """Return a context's content words (from word -> nearness) and their weights
        (nearness times rarity, summing to 1), or None when it has none."""
        idf, default = self.words.idf(), self.words.default_idf
        words = [w for w in weighted if len(w) >= MIN_LETTERS and w.isalpha() and w not in STOP]
        if not words:
            return None
        weights = np.array([weighted[w] * idf.get(stem(w), default) ** RARITY for w in words])
        return words, weights / weights.sum()

    def score(self, profile: SoftProfile, context: SoftContext | None) -> float:
        """Return the weighted mean, over the context's words, of each one's best cosine
        with a word of the sense's soft profile (0 without context or profile)."""
        if context is None or not len(profile.vectors):
            return 0.0
        words, weights = context
        best = profile.best
        missing = [w for w in words if w not in best]
        if missing:
            # einsum, not matmul: a product this small is slower through threaded BLAS,
            # whose threads wait for the cores on a busy machine
            cosines = np.einsum("ij,kj->ik", self.meaning.word_vectors(missing), profile.vectors)
            found = cosines.max(axis=1)
            if FLOOR:
                found = np.maximum(found - FLOOR, 0.0)
            with self._lock:
                if len(best) + len(missing) > WORDS_KEPT:
                    best.clear()
                best.update(zip(missing, found.tolist(), strict=True))
            values = [best.get(w, 0.0) for w in words]
        else:
            values = [best[w] for w in words]
        return float(weights @ np.asarray(values))

    def profile(
        self, concept: Concept, senses: Mapping[str, Concept], key: str, collections: Sequence[str]
    ) -> SoftProfile:
        """Return the soft profile of a sense among the senses of the word `key`."""
        cache_key = (concept.id, frozenset(senses))
        with self._lock:
            found = self._profiles.get(cache_key)
            if found is not None:
                self._profiles.move_to_end(cache_key)
                return found
        shared = set(word_keys(key)) if key else set()
        texts = [lb.text for lb in concept.labels if lb.kind is not LabelKind.HIDDEN]
        texts += [t.text for t in (*concept.definitions, *concept.plain_definitions)]
        texts += [clause for clause, _ in self.words.owned_clauses(concept, senses, key)]
        linked = [*concept.broader, *concept.narrower, *concept.related]
        refs = self.words.store.refs(linked)
        texts += [ref.pref_label for ref in refs.values()]
        if LINKED_DEFINITIONS:
            for ref in refs.values():
                record = self.words.store.concept(ref.id)
                if record is not None:
                    texts += [t.text for t in record.concept.definitions]
        texts += list(collections)
        words = [w for w in soft_words(" ".join(texts)) if w not in shared]
        found = SoftProfile(self.meaning.word_vectors(words))
        with self._lock:
            self._profiles[cache_key] = found
            while len(self._profiles) > PROFILE_CACHE:
                self._profiles.popitem(last=False)
        return found
