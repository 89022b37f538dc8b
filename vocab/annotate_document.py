"""One document being annotated: what each ambiguous span sees, and one sense per document.

For each span whose word names several concepts, the document gathers its context (the
stems and the vector of its sentence and neighbours, the concepts found nearby) and has
the `SenseChooser` score the senses. Then it applies what a reader knows about documents:

- **an expansion fixes the sense**: "clinical trial (CT)" or "CT (clinical trial)" defines
  CT for the whole document, the way writers define an acronym once and then use it;
- **one sense per document** (Gale, Church and Yarowsky, 1992): the other occurrences of
  the same word give a prior over its senses, the mean of their probabilities weighted
  by nearness, smoothed by one pseudo-occurrence spread over the senses; it is added to
  the span's own scores as a log prior. Being a probability it is bounded: ten confident
  occurrences move a span by log(21) ≈ 3 at most, so a span whose own context is weak
  ("LungAssist CT 3.0") follows the document, while one whose context clearly switches
  keeps its sense;
- **nearby ambiguous spans help each other**: scoring runs twice, the second time
  counting the senses of nearby ambiguous spans at their first-pass probabilities ("a
  planning CT for RT").
"""

from __future__ import annotations

import operator
import re
import time
from collections.abc import Callable, Iterable
from itertools import compress, repeat
from operator import is_not
from typing import cast

import numpy as np

from vocab.annotate_cues import local_concepts, local_stems, value_after
from vocab.annotate_match import Match, by_concept
from vocab.annotate_meaning import Vector, context_vector
from vocab.annotate_sense import (
    WEIGHTS,
    Candidate,
    Context,
    SenseChooser,
    Weights,
    probabilities,
    tie_order,
)
from vocab.annotate_text import Tokens, sentence_bounds
from vocab.annotate_words import STOP, WeightedStems, content_stems, token_stems
from vocab.errors import UnsafeInput
from vocab.model import Concept

SENSE_PASSES = 2
SENTENCE, NEIGHBOUR_SENTENCE = 1.0, 0.4  # context weights by distance, for words and meaning
NEARBY_CONCEPT, DOCUMENT_CONCEPT = 1.0, 0.3  # a concept found within a sentence, or anywhere
DOCUMENT_MEANING = 0.3  # the document's topic, against the span's own passage (1)
EXPANDED = 0.7  # the words of a nearby term's preferred label, times its weight
CONSISTENCY = 1.0  # the weight of the document's sense prior (a log prior: 1)
SMOOTHING = 1.0  # the prior's pseudo-occurrence, spread evenly over the senses (add-one)
PARAGRAPH = 5  # occurrences this many sentences apart or closer count fully, others half
DEFINED = 20.0  # the score an expansion gives its sense: certainty
_OPEN = re.compile(r"\s*\(\s*")
_CLOSE = re.compile(r"\s*\)")
_TAG = re.compile(r"<[^>]*>")

Senses = list[tuple[Concept, float]]  # concepts with their probabilities


class Document:
    """The tokens and matches of one text, and the sense ranking of its ambiguous spans."""

    def __init__(
        self,
        text: str,
        tokens: Tokens,
        matches: list[Match],
        chooser: SenseChooser,
        concept: Callable[[str], Concept | None],
        weights: Weights = WEIGHTS,
    ) -> None:
        self.text, self.tokens, self.matches = text, tokens, matches
        self.chooser, self.concept, self.weights = chooser, concept, weights
        self.sentences = sentence_bounds(tokens)
        self.by_concept = [by_concept(m) for m in matches]
        self.ambiguous = [i for i, forms in enumerate(self.by_concept) if len(forms) > 1]
        self.ranked: dict[int, Senses] = {}
        self._senses: dict[int, Senses] = {}  # so far: even at first, then as ranked
        self.in_ambiguous = bytearray(len(tokens))  # words of ambiguous spans count by senses
        for i in self.ambiguous:
            m = matches[i]
            self.in_ambiguous[m.first : m.last + 1] = b"\x01" * (m.last - m.first + 1)
        numbers = tokens.sentences
        self._sentence = [numbers[m.first] for m in matches]
        # the one concept of each unambiguous match (None for an ambiguous one)
        self._uris = [
            next(iter(forms.values()))[0].row.uri if len(forms) == 1 else None
            for forms in self.by_concept
        ]
        self._labels = {
            f[0].row.uri: f[0].row.pref_label for forms in self.by_concept for f in forms.values()
        }
        self._by_sentence: dict[int, list[int]] = {}  # sentence -> matches in it
        for i, number in enumerate(self._sentence):
            self._by_sentence.setdefault(number, []).append(i)
        self._known = {uri: DOCUMENT_CONCEPT for uri in self._uris if uri is not None}
        self._known_place = {uri: k for k, uri in enumerate(self._known)}
        self._known_groups: dict[frozenset[str], float] = {}
        self._stems: list[str | None] | None = None
        self._document: WeightedStems | None = None
        self._passages: dict[int, dict[str, float]] = {}  # sentence -> stems around it
        self._vectors: dict[int, tuple[Vector, int]] = {}  # sentence -> (unit vector, words)
        self._topic: Vector | None = None  # the document's terms, as one unit vector
        self._local: dict[int, tuple[WeightedStems, float]] = {}  # match -> local words, value
        self._stems_of: dict[str, list[str]] = {}  # concept URI -> its label's content stems
        self._keys: dict[int, str] = {}  # match -> its matching key

    def key(self, i: int) -> str:
        """Return the matching key of match i ("ct" for "CTs")."""
        found = self._keys.get(i)
        if found is None:
            m = self.matches[i]
            found = self._keys[i] = " ".join(self.tokens.keys[m.first : m.last + 1])
        return found

    # --- choosing ---------------------------------------------------------------------------

    def choose_senses(self, deadline: float) -> None:
        """Rank the senses of every ambiguous span (see the module doc).

        Raises UnsafeInput past `deadline`."""
        candidates = {i: self.candidates(i) for i in self.ambiguous}
        candidates = {i: c for i, c in candidates.items() if len(c) > 1}
        self._senses = {i: [(c.concept, 1 / len(cs)) for c in cs] for i, cs in candidates.items()}
        for uri, weight in self._known.items():
            group = self.chooser.collections_of(uri)[0]
            self._known_groups[group] = self._known_groups.get(group, 0.0) + weight
        defined = self._definitions(candidates)
        self._embed_sentences()
        own: dict[int, list[float]] = {}
        for round_ in range(SENSE_PASSES):
            for n, i in enumerate(candidates):
                if n % 64 == 0 and time.perf_counter() > deadline:
                    raise UnsafeInput(
                        "Annotating this text took too long; send a shorter text or split it."
                    )
                if round_ == 0 or self._neighbours(i, candidates):  # else nothing changed
                    own[i] = self.chooser.scores(candidates[i], self.context(i), self.weights)
            ranked = {}
            for i, scores in self._consistent(own, candidates, defined).items():
                pairs = zip(candidates[i], probabilities(scores), strict=True)
                order = sorted(pairs, key=lambda cp: (-cp[1], tie_order(cp[0])))
                ranked[i] = [(c.concept, p) for c, p in order]
            self.ranked = self._senses = ranked

    def _neighbours(self, i: int, candidates: dict[int, list[Candidate]]) -> bool:
        """True if another ambiguous span is within a sentence of match i."""
        sentence = self._sentence[i]
        return any(
            j != i and j in candidates
            for n in (sentence - 1, sentence, sentence + 1)
            for j in self._by_sentence.get(n, ())
        )

    def candidates(self, i: int) -> list[Candidate]:
        """Return the senses of match i (the active concepts its label forms name)."""
        out = []
        for concept_id, forms in self.by_concept[i].items():
            concept = self.concept(concept_id)
            if concept is not None:
                out.append(Candidate(concept, forms[0].row.kind))
        return out

    def context(self, i: int) -> Context:
        """Return what ambiguous match i sees around it."""
        m = self.matches[i]
        sentence = self._sentence[i]
        near = range(max(0, sentence - 1), min(len(self.sentences), sentence + 2))
        words = dict(self._passage(sentence, near))
        concepts, groups, closer = self._nearby(i, near)
        for uri, weight in closer:  # a nearby term also counts for its words ("RT")
            for s in self._label_stems(uri):
                words[s] = max(words.get(s, 0.0), weight * EXPANDED)
        bounds = self.sentences[sentence]
        local = self._local.get(i)
        if local is None:  # the same in both passes
            stems = local_stems(self.tokens, self.stems, self.in_ambiguous, m.first, m.last, bounds)
            local = self._local[i] = (
                self.chooser.words.weighted(stems),
                value_after(self.tokens, m.last, bounds),
            )
        return Context(
            words=words,
            document=self.document_stems(),
            concepts=concepts,
            groups=groups,
            vector=self._meaning(i, near, sentence),
            written=self.text[self.tokens.starts[m.first] : self.tokens.ends[m.last]],
            key=self.key(i),
            local=local[0],
            value=local[1],
            local_concepts=local_concepts(
                self.matches, self._by_sentence.get(sentence, ()), i, self._uris_of
            ),
        )

    def _label_stems(self, uri: str) -> list[str]:
        """Return the content stems of a found concept's preferred label (once per document)."""
        found = self._stems_of.get(uri)
        if found is None:
            found = self._stems_of[uri] = content_stems(self._labels.get(uri, ""))
        return found

    def _uris_of(self, j: int) -> list[tuple[str, float]]:
        """Return the concept of match j, or its senses at their probabilities so far."""
        uri = self._uris[j]
        return [(uri, 1.0)] if uri is not None else self._sense_uris(j)

    def _passage(self, sentence: int, near: range) -> dict[str, float]:
        """Return the stems of a sentence and (less) its neighbours, less ambiguous words."""
        found = self._passages.get(sentence)
        if found is None:
            found = {}
            stems, ambiguous = self.stems, self.in_ambiguous
            for number in near:
                weight = SENTENCE if number == sentence else NEIGHBOUR_SENTENCE
                start, end = self.sentences[number]
                for j in range(start, end):
                    s = stems[j]
                    if s is not None and not ambiguous[j] and found.get(s, 0.0) < weight:
                        found[s] = weight
            self._passages[sentence] = found
        return found

    def _meaning(self, i: int, near: range, sentence: int) -> Vector | None:
        """Return the context vector of a span: the bag of words of its sentence and (less)
        its neighbours, where another ambiguous word reads as its senses' preferred labels
        at their probabilities so far, plus the document's topic at DOCUMENT_MEANING of
        their weight."""
        meaning = self.chooser.meaning
        if self._topic is None or meaning is None:
            return None
        rows, weights, mass = [], [], 0.0
        for n in near:
            weight = SENTENCE if n == sentence else NEIGHBOUR_SENTENCE
            if n in self._vectors:
                vector, count = self._vectors[n]
                rows.append(vector * count)
                weights.append(weight)
                mass += weight * count
            for j in self._by_sentence.get(n, ()):
                if j != i and j in self._senses:
                    for concept, p in self._senses[j]:
                        vector, count = meaning.label(concept.pref_label())
                        rows.append(vector * (count * p))
                        weights.append(weight)
                        mass += weight * count * p
        if not rows:
            return None
        rows.append(self._topic * mass)
        weights.append(DOCUMENT_MEANING)
        return context_vector(np.stack(rows), weights)

    def _nearby(
        self, i: int, near: range
    ) -> tuple[dict[str, float], dict[frozenset[str], float], list[tuple[str, float]]]:
        """Return the concepts found in the document, weighted by nearness (the senses of other
        ambiguous spans nearby by their probability so far), their summed weight by the
        set of collections they are in, and those weighing more than the document's (in the
        order of the first). The sense itself spelt out in the same passage counts
        only as document topic: a writer who means it defines the acronym, and one who
        writes both forms side by side usually means the other sense."""
        own = {forms[0].row.uri for forms in self.by_concept[i].values()}
        known = self._known
        closer: dict[str, float] = {}  # concepts nearer than the document: URI -> weight
        for number in near:
            for j in self._by_sentence.get(number, ()):
                if j == i:
                    continue
                uri = self._uris[j]
                senses = [(uri, 1.0)] if uri is not None else self._sense_uris(j)
                for uri, p in senses:
                    weight = NEARBY_CONCEPT * p
                    if uri not in own and weight > max(closer.get(uri, 0.0), known.get(uri, 0.0)):
                        closer[uri] = weight
        nearby = {**known, **closer}
        groups = dict(self._known_groups)
        for uri, weight in closer.items():
            group = self.chooser.collections_of(uri)[0]
            groups[group] = groups.get(group, 0.0) + weight - known.get(uri, 0.0)
        place, last = self._known_place, len(self._known_place)
        strong = [(uri, w) for uri, w in closer.items() if w > DOCUMENT_CONCEPT]
        strong.sort(key=lambda item: place.get(item[0], last))  # stable: as `nearby` orders
        return nearby, groups, strong

    def _sense_uris(self, j: int) -> list[tuple[str, float]]:
        if j in self._senses:
            return [(c.uri, p) for c, p in self._senses[j]]
        forms = self.by_concept[j]
        return [(f[0].row.uri, 1 / len(forms)) for f in forms.values()]

    # --- document-level evidence ------------------------------------------------------------

    def _definitions(self, candidates: dict[int, list[Candidate]]) -> dict[str, str]:
        """Return the senses the document defines: matching key -> concept id, from an
        expansion next to the span ("clinical trial (CT)", "CT (clinical trial)")."""
        defined: dict[str, str] = {}
        for i, senses in candidates.items():
            ids = {c.concept.id for c in senses}
            for j in (i - 1, i + 1):
                if 0 <= j < len(self.matches) and self._parenthesised(min(i, j), max(i, j)):
                    common = ids & set(self.by_concept[j])
                    if len(common) == 1:
                        defined[self.key(i)] = common.pop()
        return defined

    def _parenthesised(self, first: int, second: int) -> bool:
        """True if match `second` follows match `first` in brackets: "A (B)"."""
        a, b = self.matches[first], self.matches[second]
        starts, ends = self.tokens.starts, self.tokens.ends
        between = _TAG.sub("", self.text[ends[a.last] : starts[b.first]])
        after = _TAG.sub("", self.text[ends[b.last] : ends[b.last] + 12])
        return bool(_OPEN.fullmatch(between) and _CLOSE.match(after))

    def _consistent(
        self,
        own: dict[int, list[float]],
        candidates: dict[int, list[Candidate]],
        defined: dict[str, str],
    ) -> dict[int, list[float]]:
        """Return each span's scores with the other occurrences' and any definition added."""
        groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for i in own:
            ids = tuple(c.concept.id for c in candidates[i])
            groups.setdefault((self.key(i), ids), []).append(i)
        out: dict[int, list[float]] = {}
        for (key, ids), members in groups.items():
            scores = np.array([own[i] for i in members])
            if len(members) > 1:
                where = np.array([self._sentence[i] for i in members])
                apart = np.abs(where[:, None] - where[None, :])
                nearness = np.where(apart <= PARAGRAPH, 1.0, 0.5)
                np.fill_diagonal(nearness, 0.0)
                chances = np.exp(scores - scores.max(axis=1, keepdims=True))
                chances /= chances.sum(axis=1, keepdims=True)
                prior = (SMOOTHING / len(ids) + nearness @ chances) / (
                    SMOOTHING + nearness.sum(axis=1, keepdims=True)
                )
                scores = scores + CONSISTENCY * np.log(prior)
            if key in defined:
                scores = scores + np.array([DEFINED if c == defined[key] else 0.0 for c in ids])
            out.update(zip(members, scores.tolist(), strict=True))
        return out

    # --- words and vectors ------------------------------------------------------------------

    @property
    def stems(self) -> list[str | None]:
        """The content stem of each token (None for stop words), computed when first needed."""
        if self._stems is None:
            self._stems = token_stems(self.tokens.keys)
        return self._stems

    def document_stems(self) -> WeightedStems:
        if self._document is None:
            content = cast(
                Iterable[str], compress(self.stems, map(is_not, self.stems, repeat(None)))
            )
            stems = dict.fromkeys(content, 1.0)  # in order of first use
            self._document = self.chooser.words.weighted(stems)
        return self._document

    def _embed_sentences(self) -> None:
        """Embed, in one batch, every sentence within one of an ambiguous span, without the
        ambiguous words (each vector kept with its number of words: a bag of words), and
        the document's topic: the preferred labels of the unambiguous terms it uses."""
        meaning = self.chooser.meaning
        if meaning is None or not self.ambiguous:
            return
        wanted = sorted(
            {
                n
                for i in self.ambiguous
                for n in (self._sentence[i] - 1, self._sentence[i], self._sentence[i] + 1)
                if 0 <= n < len(self.sentences)
            }
        )
        bags, counts = [], []
        for number in wanted:  # what content_text keeps of the words: not its stop words
            words = self._words(*self.sentences[number])
            bags.append([w for w in words if w.lower() not in STOP])
            counts.append(len(words))
        rows = meaning.bags(bags)
        self._vectors = {n: (rows[k], counts[k]) for k, n in enumerate(wanted) if counts[k]}
        self._topic = meaning.topic([self._labels[uri] for uri in self._uris if uri is not None])

    def _words(self, start: int, end: int) -> list[str]:
        """Return the content words of tokens start..end-1, less the ambiguous ones."""
        at, tokens = slice(start, end), self.tokens
        content = map(is_not, self.stems[at], repeat(None))
        kept = map(operator.and_, content, map(operator.not_, self.in_ambiguous[at]))
        pairs = zip(tokens.starts[at], tokens.surfaces[at], strict=True)
        return [surface for _, surface in dict.fromkeys(compress(pairs, kept))]
