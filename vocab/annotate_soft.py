"""Soft word evidence for sense choice: each context word against each sense's words, by vector.

Exact stem overlap (`vocab.annotate_words`) misses a sentence that speaks of a sense in
words its definition does not use ("randomised", "enrolled", "arm" for a clinical trial),
and one averaged sentence vector (`vocab.annotate_meaning`) blurs a few telling words into
many ordinary ones. Here each content word of the context is compared, by the cosine of
the embedding model's word vectors, with every word of a sense's soft profile, and keeps
its best match; the evidence is the mean of these best matches, weighted by the word's
nearness and rarity (IDF over the vocabulary's texts; a word the vocabulary never uses,
as likely a product name as a telling word, counts as a median one). An ordinary word
("took", "two") matches every sense about equally and so tells none apart; a telling one
matches its sense's words far better. The mean is shrunk towards 0 by `SHRINK` median
words, so that one or two words (a heading, a short sentence) say less than a sentence.

A sense's soft profile is its own words (labels, definitions, plain definitions, the
clauses of the senses' notes that describe it) and the preferred labels of the concepts it
links to and of its collections, as in the word profile, less the ambiguous word itself;
then, at `DOMAIN` of their weight, the words of the preferred labels of the members of the
collections that set it apart from the word's other senses ("Radiotherapy practice" lists
fractions and linacs). The profile is built when a sense is first met and kept, with each
context word's best cosine once computed. The document leaves out of the context a
capitalised word the vocabulary never uses ("LungAssist"): a name says nothing of a sense.

Tried and left out, none doing better across the development sets left out in turn
(bench.sense_weights): weighting words by general-English rarity (wordfreq), scaling
profile words by rarity, a floor or a cap on the cosines, the mean of the best few matches
instead of the best, the definitions of linked concepts in the profile, the same evidence
over the few words next to the span, the document's terms as a topic, and each profile's
score centred on its mean over the vocabulary's commonest words.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from vocab.annotate_meaning import MeaningEvidence, Vector
from vocab.annotate_text import Token, word_keys
from vocab.annotate_words import STOP, WordEvidence, stem
from vocab.model import Concept, LabelKind

PROFILE_CACHE = 4096  # sense profiles kept
WORDS_KEPT = 20_000  # context words whose best cosine a profile keeps
MIN_LETTERS = 3  # shorter words are left out of profiles and contexts ("ai", "of")
DOMAIN = 0.5  # the cosines with the words of a sense's domain count this much (own: 1)
DOMAIN_MEMBERS = 400  # member labels read per collection for a domain
LARGE = 256  # contexts of this many new words are compared through BLAS
SHRINK = 2.0  # a context's weights are divided by their sum plus this many median words


def soft_words(text: str) -> list[str]:
    """Return the distinct lower-case content words of `text` (not stop words, not numbers)."""
    out: dict[str, None] = {}
    for raw in text.split():
        for key in word_keys(raw):
            if len(key) >= MIN_LETTERS and key not in STOP and key.isalpha():
                out[key] = None
    return list(out)


class Passages(Protocol):
    """A document's tokens, their content stems and sentences, and which are ambiguous."""

    @property
    def tokens(self) -> Sequence[Token]: ...
    @property
    def in_ambiguous(self) -> bytearray: ...
    @property
    def sentences(self) -> Sequence[tuple[int, int]]: ...
    @property
    def stems(self) -> Sequence[str | None]: ...
    @property
    def chooser(self) -> _Chooser: ...


class _Chooser(Protocol):
    @property
    def words(self) -> WordEvidence: ...


def passage_words(document: Passages, sentences: Mapping[int, float]) -> dict[str, float]:
    """Return the content word keys of a document's `sentences` (number -> weight), less
    the ambiguous words and the names its vocabulary never uses, by weight."""
    tokens, stems, ambiguous = document.tokens, document.stems, document.in_ambiguous
    known = document.chooser.words.idf()
    found: dict[str, float] = {}
    for number, weight in sentences.items():
        start, end = document.sentences[number]
        for j in range(start, end):
            s = stems[j]
            if s is None or ambiguous[j] or (s not in known and _name(tokens, j, start)):
                continue  # a name the vocabulary never uses says nothing of a sense
            key = tokens[j].key
            if found.get(key, 0.0) < weight:
                found[key] = weight
    return found


def _name(tokens: Sequence[Token], j: int, start: int) -> bool:
    """True if token j reads as a name: a capital inside it ("LungAssist", "FHIR"), or
    capitalised after the first word of its sentence (which `start` is)."""
    surface = tokens[j].surface
    return any(c.isupper() for c in surface[1:]) or (j != start and surface[:1].isupper())


@dataclass
class SoftProfile:
    """The word vectors of a sense's soft profile, and the best cosine of each context word
    met so far with them (a text's words recur, so each is compared once)."""

    key: tuple[str, frozenset[str]]  # the sense's id and the ids of its word's senses
    vectors: Vector
    scale: Vector | None = None  # per profile word: its cosines are scaled by this
    best: dict[str, float] = field(default_factory=dict)


@dataclass
class SoftContext:
    """A context's content words and their weights (summing to less than 1), and its score
    against each sense profile met so far (the same in both scoring passes)."""

    words: list[str]
    weights: npt.NDArray[np.float64]
    scores: dict[tuple[str, frozenset[str]], float] = field(default_factory=dict)


class SoftEvidence:
    """Soft profiles of senses (cached) and the mean best cosine of a context against one."""

    def __init__(self, meaning: MeaningEvidence, words: WordEvidence) -> None:
        self.meaning = meaning
        self.words = words
        self._lock = threading.Lock()
        self._profiles: OrderedDict[tuple[str, frozenset[str]], SoftProfile] = OrderedDict()
        self._median: float | None = None

    def context(self, weighted: Mapping[str, float]) -> SoftContext | None:
        """Return a context's content words (from word -> nearness) and their weights
        (nearness times rarity, over their sum plus SHRINK median words), or None."""
        idf, default = self.words.idf(), self._unknown()
        words = [w for w in weighted if len(w) >= MIN_LETTERS and w.isalpha() and w not in STOP]
        if not words:
            return None
        weights = np.array([weighted[w] * idf.get(stem(w), default) for w in words])
        return SoftContext(words, weights / (weights.sum() + SHRINK * self._unknown()))

    def _unknown(self) -> float:
        """Return the rarity of a word the vocabulary never uses: the median word's (an
        unknown word is as likely a name or an ordinary word as a telling one)."""
        if self._median is None:
            values = sorted(self.words.idf().values())
            self._median = values[len(values) // 2] if values else 1.0
        return self._median

    def score(self, profile: SoftProfile, context: SoftContext | None) -> float:
        """Return the weighted mean, over the context's words, of each one's best cosine
        with a word of the sense's soft profile (0 without context or profile)."""
        if context is None or not len(profile.vectors):
            return 0.0
        found = context.scores.get(profile.key)
        if found is None:
            found = context.scores[profile.key] = self._score(profile, context)
        return found

    def _score(self, profile: SoftProfile, context: SoftContext) -> float:
        words, weights = context.words, context.weights
        best = profile.best
        missing = [w for w in words if w not in best]
        if missing:
            # einsum, not matmul, for a few words: a product this small is slower through
            # threaded BLAS, whose threads wait for the cores on a busy machine
            vectors = self.meaning.word_vectors(missing)
            if len(missing) < LARGE:
                cosines = np.einsum("ij,kj->ik", vectors, profile.vectors)
            else:
                cosines = vectors @ profile.vectors.T
            if profile.scale is not None:
                cosines = cosines * profile.scale
            found = cosines.max(axis=1)
            with self._lock:
                if len(best) + len(missing) > WORDS_KEPT:
                    best.clear()
                best.update(zip(missing, found.tolist(), strict=True))
            values = [best.get(w, 0.0) for w in words]
        else:
            values = [best[w] for w in words]
        return float(weights @ np.asarray(values))

    def profiles(
        self,
        concepts: Sequence[Concept],
        senses: Mapping[str, Concept],
        key: str,
        collections: Sequence[tuple[frozenset[str], Sequence[str]]],
        common: frozenset[str],
    ) -> list[SoftProfile]:
        """Return the soft profiles of `concepts` among the `senses` of the word `key` (each
        with the URIs and names of its collections; `common` those all share), building
        those not kept with one embedding of all their new words."""
        group = frozenset(senses)
        out: list[SoftProfile | None] = []
        with self._lock:
            for concept in concepts:
                found = self._profiles.get((concept.id, group))
                if found is not None:
                    self._profiles.move_to_end((concept.id, group))
                out.append(found)
        if all(found is not None for found in out):
            return [found for found in out if found is not None]
        todo = {
            k: self._words(concept, senses, key, names, uris - common)
            for k, (concept, (uris, names)) in enumerate(zip(concepts, collections, strict=True))
            if out[k] is None
        }
        union = list(dict.fromkeys(w for words, domain in todo.values() for w in words + domain))
        column = {w: k for k, w in enumerate(union)}
        matrix = self.meaning.word_vectors(union)
        for k, (words, domain) in todo.items():
            scale = None
            if domain:
                scale = np.array([1.0] * len(words) + [DOMAIN] * len(domain), dtype=np.float32)
            cache_key = (concepts[k].id, group)
            found = SoftProfile(cache_key, matrix[[column[w] for w in words + domain]], scale)
            out[k] = found
            with self._lock:
                self._profiles[cache_key] = found
                while len(self._profiles) > PROFILE_CACHE:
                    self._profiles.popitem(last=False)
        return [found for found in out if found is not None]

    def _words(
        self,
        concept: Concept,
        senses: Mapping[str, Concept],
        key: str,
        collections: Sequence[str],
        distinct: frozenset[str],
    ) -> tuple[list[str], list[str]]:
        """Return the words of a sense's soft profile: its own, and its domain's."""
        shared = set(word_keys(key)) if key else set()
        texts = [lb.text for lb in concept.labels if lb.kind is not LabelKind.HIDDEN]
        texts += [t.text for t in (*concept.definitions, *concept.plain_definitions)]
        texts += [clause for clause, _ in self.words.owned_clauses(concept, senses, key)]
        linked = [*concept.broader, *concept.narrower, *concept.related]
        texts += [ref.pref_label for ref in self.words.store.refs(linked).values()]
        texts += list(collections)
        words = [w for w in soft_words(" ".join(texts)) if w not in shared]
        domain: list[str] = []
        if DOMAIN and distinct:
            members: list[str] = []
            for collection in self.words.store.collections_of(concept.uri):
                if collection.uri in distinct:
                    members += collection.members[:DOMAIN_MEMBERS]
            labels = [ref.pref_label for ref in self.words.store.refs(members).values()]
            own = set(words)
            domain = [w for w in soft_words(" ".join(labels)) if w not in own and w not in shared]
        return words, domain

    def profile(
        self,
        concept: Concept,
        senses: Mapping[str, Concept],
        key: str,
        collections: Sequence[str],
        distinct: frozenset[str] = frozenset(),
    ) -> SoftProfile:
        """Return the soft profile of one sense (`distinct`: the collections that set it apart)."""
        return self.profiles([concept], senses, key, [(distinct, collections)], frozenset())[0]
