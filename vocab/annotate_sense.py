"""Which sense a sentence means, for a word that names several concepts ("CT", "validation").

Each candidate sense gets these kinds of evidence, all read from the vocabulary:

1. **words** (`vocab.annotate_words`): the words around the span against the sense's word
   profile (labels, definitions, notes, linked concepts, collections), weighted by rarity;
2. **meaning** (`vocab.annotate_meaning`): the cosine of the sentence's vector with the
   vector of the sense's gloss, from the service's embedding model: it sees that "relative
   cerebral blood volume maps" speak of perfusion imaging though no word is shared;
3. **concepts**: the other terms found nearby: the sense itself spelt out elsewhere in the
   document, a concept it links to, or a concept of its collection;
4. the cues of `vocab.annotate_cues`: **local** words (within a few tokens, by nearness)
   against the word profile (their vector against the gloss was tried: it fitted a small
   weight, helped no sentence and cost an embedding per span); the **domain** of the
   collections that set the sense apart (their names and members, as one vector); a
   **value** after the word for a sense that is a quantity ("a recall of 0.90"); and
   **local_concepts**, terms found a few words away that link to the sense or share a
   collection only it is in.

They are combined log-linearly: a sense's score is the weighted sum of its evidence, and
scores become probabilities by a softmax. The weights (`WEIGHTS`) are the maximum-
likelihood fit, with no weight negative, on our own development sentences
(tests/vocab/annotate_dev_senses.tsv, not blind) and on senses-v1 (blind when written,
studied since: a development set; senses-v2 is held out and never fitted on), by
`python -m bench.sense_weights`, which also reports accuracy on words left out of the fit,
with each weight halved or doubled, and (`--fit dev`) on senses-v1 when it is left out.
With the cues, the nearby-concepts weight fits to zero on these single sentences (local
concepts carry it); it is kept, at that weight, for what a longer document would add.
(A prior, the sense's centrality and label kind, was fitted at weight 0 and
dropped: an exact tie goes to the more significant label kind, then the more linked
sense.) The figures inside each kind of evidence are round-1 settings.
The document (`vocab.annotate_document`) then adds what other occurrences of the same
word say, and an expansion ("clinical trial (CT)") fixes the sense.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from vocab.annotate_cues import Cues, near_score
from vocab.annotate_meaning import Gloss, MeaningEvidence, SenseModel, Vector
from vocab.annotate_words import WeightedStems, WordEvidence
from vocab.model import KIND_RANK, Concept, LabelKind
from vocab.store import ReadStore


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts (log-odds per unit of evidence)."""

    words: float
    meaning: float
    concepts: float
    local: float
    domain: float
    value: float
    local_concepts: float


# --- weights (one screen; fitted on dev + senses-v1 by bench.sense_weights, never per sentence)
WEIGHTS = Weights(
    words=6.65,
    meaning=6.89,
    concepts=0.0,
    local=5.84,
    domain=1.6,
    value=11.9,
    local_concepts=1.93,
)
SAME_CONCEPT = 2.0  # the sense itself found nearby ("clinical trial" near "CT")
LINKED_CONCEPT = 1.0  # a broader, narrower or related concept found nearby
SAME_COLLECTION = 0.25
SAME_DOMAIN = 0.5  # a concept a few words away in a collection of this sense only
GLOSS_CLAUSES = ("warning", "note")  # the owned clauses of notes that join a gloss
MAX_SENSES_SCORED = 64  # beyond this (generated vocabularies) the rest are never chosen


@dataclass(frozen=True)
class Context:
    """What surrounds one ambiguous span: weighted word stems, found concepts, meaning."""

    words: Mapping[str, float]  # stems of its own and neighbouring sentences -> weight
    document: WeightedStems  # the whole document's stems
    concepts: Mapping[str, float]  # concept URI -> weight
    groups: Mapping[frozenset[str], float]  # the same weights, summed by set of collections
    vector: Vector | None  # the unit vector of its sentence and neighbours, if a model is set
    written: str  # the span as written
    key: str  # the span's matching key
    local: WeightedStems | None = None  # the content stems within a few tokens (annotate_cues)
    value: float = 0.0  # a number right after the span (annotate_cues.value_after)
    local_concepts: Mapping[str, float] | None = None  # concepts a few words away -> nearness


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sense to score: the concept and the kind of label the word is for it."""

    concept: Concept
    kind: LabelKind


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence for one sense of one span, by kind (see the module doc)."""

    words: float
    meaning: float
    concepts: float
    local: float = 0.0
    domain: float = 0.0
    value: float = 0.0
    local_concepts: float = 0.0

    def score(self, weights: Weights = WEIGHTS) -> float:
        """Return the sense's score: the weighted sum of its evidence."""
        return weighted_sum(
            weights,
            self.words,
            self.meaning,
            self.concepts,
            self.local,
            self.domain,
            self.value,
            self.local_concepts,
        )


Row = tuple[float, float, float, float, float, float, float]  # an Evidence's fields, in order


def weighted_sum(weights: Weights, *row: float) -> float:
    """Return the weighted sum of evidence given as a `Row` (one expression, so a score is
    the same float whether its evidence was a `Row` or an `Evidence`)."""
    words, meaning, concepts, local, domain, value, local_concepts = row
    return (
        weights.words * words
        + weights.meaning * meaning
        + weights.concepts * concepts
        + weights.local * local
        + weights.domain * domain
        + weights.value * value
        + weights.local_concepts * local_concepts
    )


class SenseChooser:
    """Scores the senses of ambiguous spans against their context (see the module doc)."""

    def __init__(self, store: ReadStore, model: SenseModel | None = None) -> None:
        self.store = store
        self.model = model
        self.words = WordEvidence(store)
        self.meaning = MeaningEvidence(model) if model is not None else None
        self.cues = Cues(store, self.meaning)
        self._lock = threading.Lock()
        self._collections: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}

    def scores(
        self, candidates: Sequence[Candidate], context: Context, weights: Weights = WEIGHTS
    ) -> list[float]:
        """Return each candidate's score; past MAX_SENSES_SCORED, minus infinity."""
        scored = [weighted_sum(weights, *row) for row in self._rows(candidates, context)]
        return scored + [-math.inf] * (len(candidates) - len(scored))

    def evidence(self, candidates: Sequence[Candidate], context: Context) -> list[Evidence]:
        """Return the evidence for each of the first MAX_SENSES_SCORED candidates."""
        return [Evidence(*row) for row in self._rows(candidates, context)]

    def _rows(self, candidates: Sequence[Candidate], context: Context) -> list[Row]:
        """Return `evidence` as rows of floats (no object per sense: at 100k concepts a
        word may have dozens)."""
        scored = candidates[:MAX_SENSES_SCORED]
        senses = {c.concept.id: c.concept for c in scored}
        collections = [self.collections_of(c.concept.uri) for c in scored]
        meanings = [0.0] * len(scored)
        if self.meaning is not None and context.vector is not None:
            among = frozenset(senses)
            glosses = [
                Gloss(c.concept, among, names, self._clauses(c.concept, senses, context.key))
                for c, (_, names) in zip(scored, collections, strict=True)
            ]
            meanings = self.meaning.similarities(context.vector, glosses)
        words, cues = self.words, self.cues
        ctx = words.weighted(context.words)
        common = frozenset[str]().union(*(uris for uris, _ in collections[:1]))
        for uris, _ in collections[1:]:
            common &= uris  # the collections every sense is in tell none apart
        out: list[Row] = []
        for candidate, found, meaning in zip(scored, collections, meanings, strict=True):
            concept = candidate.concept
            profile = words.profile(concept, senses, context.key, found[1])
            local = 0.0
            if context.local is not None:
                local = near_score(profile.weights, profile.scale, context.local)
            out.append(
                (
                    words.score(profile, ctx, context.document),
                    meaning,
                    self._concepts(concept, context),
                    local,
                    cues.domain(concept, found[0] - common, context.vector),
                    context.value if cues.quantity(concept) else 0.0,
                    self._local_concepts(concept, found[0] - common, context),
                )
            )
        return out

    def _local_concepts(
        self, concept: Concept, distinct: frozenset[str], context: Context
    ) -> float:
        """Return the support of the concepts a few words away: one linked to the sense, or
        in a collection that sets it apart from the word's other senses."""
        if not context.local_concepts:
            return 0.0
        links = {*concept.broader, *concept.narrower, *concept.related}
        score = 0.0
        for uri, weight in context.local_concepts.items():
            if uri == concept.uri:
                continue
            if uri in links:
                score += LINKED_CONCEPT * weight
            if distinct and self.collections_of(uri)[0] & distinct:
                score += SAME_DOMAIN * weight
        return score

    def _clauses(
        self, concept: Concept, senses: Mapping[str, Concept], key: str
    ) -> Callable[[], list[str]]:
        if not GLOSS_CLAUSES:
            return list
        return lambda: [
            clause
            for clause, kind in self.words.owned_clauses(concept, senses, key)
            if kind in GLOSS_CLAUSES
        ]

    # --- concepts -------------------------------------------------------------------

    def _concepts(self, concept: Concept, context: Context) -> float:
        nearby = context.concepts
        score = SAME_CONCEPT * nearby.get(concept.uri, 0.0)
        links = (*concept.broader, *concept.narrower, *concept.related)
        if not nearby.keys().isdisjoint(links):  # else each adds 0.0: the same float
            for uri in links:
                if uri != concept.uri:
                    score += (LINKED_CONCEPT - SAME_COLLECTION) * nearby.get(uri, 0.0)
        mine = self.collections_of(concept.uri)[0]
        shared = sum(w for group, w in context.groups.items() if group & mine)
        shared -= nearby.get(concept.uri, 0.0) if mine else 0.0
        return score + SAME_COLLECTION * shared

    def collections_of(self, uri: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """Return the URIs and the names of the collections a concept is in (cached)."""
        found = self._collections.get(uri)
        if found is None:
            collections = self.store.collections_of(uri)
            found = (frozenset(c.uri for c in collections), tuple(c.label() for c in collections))
            with self._lock:
                if len(self._collections) > 65_536:
                    self._collections.clear()
                self._collections[uri] = found
        return found


def tie_order(candidate: Candidate) -> tuple[int, int]:
    """Return the order of senses with equal scores: label kind, then links (most first)."""
    concept = candidate.concept
    links = len(concept.broader) + len(concept.narrower) + len(concept.related)
    return KIND_RANK[candidate.kind], -links


def probabilities(scores: Sequence[float]) -> list[float]:
    """Return the softmax of `scores` (minus infinity becomes 0)."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    whole = sum(exps)
    return [e / whole for e in exps]
