"""Which sense a sentence means, for a word that names several concepts ("CT", "validation").

Each candidate sense is scored on four kinds of evidence, all read from the vocabulary:

1. **words**: the words around the span (its sentence, less the neighbouring sentences)
   against the sense's profile: its labels, definitions, notes, the labels of the
   concepts it links to and of its collections, weighted by rarity (IDF over the
   vocabulary's concept texts). Usage warnings and notes are split into clauses and each
   clause counts for the sense it names ("in cardiology 'CAD' means coronary artery disease
   (t0258)" describes t0258, even in the warning of t0219);
2. **concepts**: the other terms found nearby: the sense itself spelt out elsewhere
   ("clinical trial (CT)"), a concept it links to, or a concept of its collection;
3. **a prior**: how central the sense is in the vocabulary (its links), the kind of label
   the word is for it (a preferred label beats a synonym), and a label written exactly as
   the text writes it ("EIs");
4. **meaning** (optional): a `SenseModel` comparing the sentence with each sense's
   definition, when the service has one (the semantic search stage can provide it).

Scores become probabilities (a softmax); the weights below were set on our own,
non-blind development sentences (tests/vocab/annotate_dev_senses.tsv).
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from vocab.annotate_text import word_keys
from vocab.model import Concept, LabelKind, NoteKind
from vocab.store import ReadStore

# --- weights (one screen; set on the development sentences, never per sentence) -----------
WORDS_WEIGHT = 4.0  # cosine of the context and the profile, in [0, 1]
CONCEPTS_WEIGHT = 1.0
SAME_CONCEPT = 2.0  # the sense itself found nearby ("clinical trial (CT)")
LINKED_CONCEPT = 1.0  # a broader, narrower or related concept found nearby
SAME_COLLECTION = 0.25
CENTRALITY_WEIGHT = 0.08  # times log(1 + links)
PREFERRED_BONUS = 0.15  # the word is the sense's preferred label or acronym
WRITTEN_BONUS = 0.5  # a label of this sense only is written exactly as in the text
MODEL_WEIGHT = 2.0
TEMPERATURE = 0.5  # of the softmax that turns scores into probabilities
SENTENCE, NEIGHBOUR_SENTENCE, DOCUMENT = 1.0, 0.4, 0.1  # context weights by distance
NEARBY_CONCEPT, DOCUMENT_CONCEPT = 1.0, 0.3
EXPANDED = 0.7  # the words of a nearby term's preferred label, times its weight
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
IDF_SAMPLE = 5000  # concepts read to estimate word rarity in a large vocabulary
PROFILE_CACHE = 4096
MAX_SENSES_SCORED = 64  # beyond this (generated vocabularies) the rest score by prior only

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
_SUFFIXES = sorted((
    "ational", "tional", "ation", "ations", "ition", "itions", "ion", "ions", "ness", "ment",
    "ments", "ing", "ings", "ised", "ized", "ise", "ize", "ies", "ied", "ive", "ives", "ity",
    "ities", "ical", "ically", "al", "ally", "ers", "er", "ors", "or", "ory", "ic", "ics", "ed",
    "es", "ly", "ous",
), key=len, reverse=True)
# fmt: on
_CLAUSES = re.compile(r";|\bwhereas\b|,\s*but\b|,\s*while\b|\.\s+(?=[A-Z(])")
_ID = re.compile(r"\b[a-z]\d{3,}\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def stem(key: str) -> str:
    """Return a crude stem of a word key, so that "regulator" and "regulatory" meet.

    >>> stem("regulatory") == stem("regulator"), stem("detection") == stem("detector")
    (True, True)
    """
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 4:
            key = key[: -len(suffix)]
            break
    return key[:7]


def content_stems(text: str) -> list[str]:
    """Return the stems of the words of `text` that are not stop words."""
    out = []
    for raw in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text):
        for key in word_keys(raw):
            if key not in STOP and len(key) > 1 and not key.isdigit():
                out.append(stem(key))
    return out


class SenseModel(Protocol):
    """Meaning similarity, for a semantic stage to plug in (embeddings, say)."""

    def similarities(self, context: str, glosses: Sequence[str]) -> Sequence[float]:
        """Return, for each gloss, its similarity to `context` in [0, 1]."""
        ...


@dataclass(frozen=True)
class DocumentWords:
    """The word stems of a whole document, weighted by rarity, with the vector's norm."""

    weights: Mapping[str, float]
    norm: float


@dataclass(frozen=True)
class Context:
    """What surrounds one ambiguous span: weighted word stems, found concepts, the sentence."""

    words: Mapping[str, float]  # stems of its own and neighbouring sentences -> weight
    document: DocumentWords
    concepts: Mapping[str, float]  # concept URI -> weight
    sentence: str
    written: str  # the span as written
    key: str  # the span's matching key


@dataclass(frozen=True)
class Candidate:
    """A sense to score: the concept and the kind of label the word is for it."""

    concept: Concept
    kind: LabelKind


@dataclass
class _Profile:
    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0

    def add(self, stems: Sequence[str], weight: float) -> None:
        for s in stems:
            self.weights[s] = min(MAX_PROFILE_WEIGHT, self.weights.get(s, 0.0) + weight)


class SenseChooser:
    """Scores the senses of ambiguous spans against their context (see the module doc)."""

    def __init__(self, store: ReadStore, model: SenseModel | None = None) -> None:
        self.store = store
        self.model = model
        self._lock = threading.Lock()
        self._idf: dict[str, float] | None = None
        self._default_idf = 1.0
        self._profiles: OrderedDict[tuple[str, frozenset[str]], _Profile] = OrderedDict()
        self._collections: dict[str, frozenset[str]] = {}
        self._labels: dict[str, tuple[str, ...]] = {}

    def rank(
        self, candidates: Sequence[Candidate], context: Context
    ) -> list[tuple[Concept, float]]:
        """Return every candidate with its probability, most likely first."""
        idf = self.idf()
        scored = candidates[:MAX_SENSES_SCORED]
        ids = frozenset(c.concept.id for c in scored)
        others = {c.concept.id: c.concept for c in scored}
        ctx = {w: weight * idf.get(w, self._default_idf) for w, weight in context.words.items()}
        ctx_norm = math.sqrt(sum(v * v for v in ctx.values())) or 1.0
        document = context.document
        similarities = self._meanings(scored, context)
        by_collections = self._by_collections(context.concepts)
        totals = []
        for i, candidate in enumerate(scored):
            profile = self._profile(candidate.concept, ids, others, context.key)
            norm = (profile.norm or 1.0) ** PROFILE_NORM
            near = sum(v * profile.weights.get(w, 0.0) for w, v in ctx.items()) / (ctx_norm * norm)
            far = sum(document.weights.get(w, 0.0) * v for w, v in profile.weights.items())
            far /= (document.norm or 1.0) * norm
            total = (
                WORDS_WEIGHT * (near + DOCUMENT * far)
                + CONCEPTS_WEIGHT
                * self._concepts(candidate.concept, context.concepts, by_collections)
                + self._prior(candidate, scored, context)
                + MODEL_WEIGHT * similarities[i]
            )
            totals.append(total)
        top = max(totals)
        exps = [math.exp((t - top) / TEMPERATURE) for t in totals]
        exps += [0.0] * (len(candidates) - len(scored))
        whole = sum(exps)
        ranked = [(c.concept, e / whole) for c, e in zip(candidates, exps, strict=True)]
        ranked.sort(key=lambda pair: -pair[1])
        return ranked

    # --- evidence ---------------------------------------------------------------------------

    def _concepts(
        self,
        concept: Concept,
        nearby: Mapping[str, float],
        by_collections: Mapping[frozenset[str], float],
    ) -> float:
        score = SAME_CONCEPT * nearby.get(concept.uri, 0.0)
        for uri in (*concept.broader, *concept.narrower, *concept.related):
            if uri != concept.uri:
                score += (LINKED_CONCEPT - SAME_COLLECTION) * nearby.get(uri, 0.0)
        mine = self._collections_of(concept.uri)
        shared = sum(w for group, w in by_collections.items() if group & mine)
        shared -= nearby.get(concept.uri, 0.0) if mine else 0.0
        return score + SAME_COLLECTION * shared

    def _by_collections(self, nearby: Mapping[str, float]) -> dict[frozenset[str], float]:
        """Return the summed weight of the nearby concepts, by the set of collections they are in."""
        out: dict[frozenset[str], float] = {}
        for uri, weight in nearby.items():
            group = self._collections_of(uri)
            out[group] = out.get(group, 0.0) + weight
        return out

    def _prior(self, candidate: Candidate, all_: Sequence[Candidate], context: Context) -> float:
        concept = candidate.concept
        links = len(concept.broader) + len(concept.narrower) + len(concept.related)
        score = CENTRALITY_WEIGHT * math.log1p(links)
        if candidate.kind in (LabelKind.PREF, LabelKind.ACRONYM):
            score += PREFERRED_BONUS
        written = [c for c in all_ if context.written in (lb.text for lb in c.concept.labels)]
        if len(written) == 1 and written[0] is candidate:
            score += WRITTEN_BONUS
        return score

    def _meanings(self, candidates: Sequence[Candidate], context: Context) -> list[float]:
        if self.model is None:
            return [0.0] * len(candidates)
        glosses = [f"{c.concept.pref_label()}: {c.concept.definition()}" for c in candidates]
        return [float(s) for s in self.model.similarities(context.sentence, glosses)]

    # --- profiles -----------------------------------------------------------------------------

    def _profile(
        self, concept: Concept, ids: frozenset[str], senses: Mapping[str, Concept], key: str
    ) -> _Profile:
        cache_key = (concept.id, ids)
        with self._lock:
            found = self._profiles.get(cache_key)
            if found is not None:
                self._profiles.move_to_end(cache_key)
                return found
        profile = self._build_profile(concept, senses, key)
        with self._lock:
            self._profiles[cache_key] = profile
            while len(self._profiles) > PROFILE_CACHE:
                self._profiles.popitem(last=False)
        return profile

    def _build_profile(self, concept: Concept, senses: Mapping[str, Concept], key: str) -> _Profile:
        shared = set(content_stems(key))
        profile = _Profile()

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
        for collection in self.store.collections_of(concept.uri):
            add(collection.label(), "collection")
        for owner in senses.values():
            for note in owner.notes:
                kind = "warning" if note.kind is NoteKind.WARNING else "note"
                if note.kind in (NoteKind.EDITORIAL, NoteKind.CHANGE, NoteKind.HISTORY):
                    continue
                for clause in _CLAUSES.split(note.text):
                    if self._clause_owner(clause, owner, senses, key) is concept:
                        add(clause, kind)
        idf = self.idf()  # weights become field weight x rarity, as the context's are
        profile.weights = {s: w * idf.get(s, self._default_idf) for s, w in profile.weights.items()}
        profile.norm = math.sqrt(sum(w * w for w in profile.weights.values()))
        return profile

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

    def _collections_of(self, uri: str) -> frozenset[str]:
        found = self._collections.get(uri)
        if found is None:
            found = frozenset(c.uri for c in self.store.collections_of(uri))
            self._collections[uri] = found
        return found

    def document_words(self, stems: Sequence[str]) -> DocumentWords:
        """Return the rarity-weighted vector of a document's stems (each counted once)."""
        idf = self.idf()
        weights = {s: idf.get(s, self._default_idf) for s in set(stems)}
        return DocumentWords(weights, math.sqrt(sum(v * v for v in weights.values())))

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
        sample: Callable[[], list[Concept]] = lambda: [  # noqa: E731
            record.concept
            for ref in refs[::step]
            if (record := self.store.concept(ref.id)) is not None
        ]
        concepts = sample()
        counts: dict[str, int] = {}
        for concept in concepts:
            texts = [lb.text for lb in concept.labels] + [d.text for d in concept.definitions]
            texts += [n.text for n in concept.notes]
            for s in set(content_stems(" ".join(texts))):
                counts[s] = counts.get(s, 0) + 1
        n = len(concepts) or 1
        self._default_idf = math.log(n + 1) + 1.0
        return {s: math.log((n + 1) / (c + 1)) + 1.0 for s, c in counts.items()}
