"""Annotate a document: every span that names a concept, linked, with the sense it means.

`Annotator(store).annotate(text)` tokenises the text keeping offsets
(`vocab.annotate_text`), finds every label in one automaton pass
(`vocab.annotate_match`), and for a word that names several concepts chooses the sense
the sentence means (`vocab.annotate_sense`), keeping the others as scored alternatives.
A span whose word is a false friend (several senses, or a usage warning about that very
word) carries the warning. Offsets are character offsets (Python `str` indices, Unicode
code points) into the text as given, so `text[span.start:span.end] == span.text`.

The annotator of a release is built once, on first use, and shared (`annotator_for`,
keyed on the release digest); it holds the label automaton and a bounded cache of sense
profiles.

>>> annotation = annotator_for(store).annotate("A planning CT for RT.")  # doctest: +SKIP
>>> [(s.text, s.sense.pref_label) for s in annotation.spans]                # doctest: +SKIP
[('CT', 'computed tomography'), ('RT', 'radiotherapy')]
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence

from vocab.annotate_match import LabelForm, Match, Matcher
from vocab.annotate_result import (
    Annotation,
    Sense,
    Span,
    how_matched,
    quoted,
    sense_of,
    warnings_of,
)
from vocab.annotate_sense import (
    DOCUMENT_CONCEPT,
    EXPANDED,
    NEARBY_CONCEPT,
    NEIGHBOUR_SENTENCE,
    SENTENCE,
    STOP,
    Candidate,
    Context,
    DocumentWords,
    SenseChooser,
    SenseModel,
    content_stems,
    stem,
)
from vocab.annotate_text import Segment, Token, sentence_bounds, tokenise
from vocab.errors import InvalidInput, TooLarge, UnsafeInput
from vocab.model import KIND_RANK, Concept
from vocab.store import ReadStore

MAX_CHARACTERS = 1_000_000
"""The longest text annotated in one call (characters; the HTTP edge also caps bytes)."""
TIME_LIMIT_S = 20.0
"""Annotation that takes longer is stopped (it takes about 0.1 s per 100 KB)."""
MAX_ALTERNATIVES = 5
"""Other senses listed per span, best first."""
SENSE_PASSES = 2
"""Rankings of the ambiguous spans: the second uses the first's for nearby ambiguous spans."""


class Annotator:
    """Annotates texts against one release; thread-safe, built lazily."""

    def __init__(self, store: ReadStore, model: SenseModel | None = None) -> None:
        self.store = store
        self.chooser = SenseChooser(store, model)
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._concepts: OrderedDict[str, Concept] = OrderedDict()

    @property
    def matcher(self) -> Matcher:
        """The release's label automaton, built on first use."""
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = Matcher(self.store.all_labels(active_only=True))
        return self._matcher

    def warm(self) -> None:
        """Build the automaton and the word rarities now rather than on the first request."""
        _ = self.matcher
        self.chooser.idf()

    def annotate(
        self,
        text: str,
        segments: Sequence[Segment] | None = None,
        *,
        time_limit: float = TIME_LIMIT_S,
    ) -> Annotation:
        """Return the spans of `text` (or of its `segments`) that name concepts.

        Raises TooLarge past MAX_CHARACTERS, InvalidInput for text that is not valid Unicode,
        UnsafeInput past the time limit.
        """
        began = time.perf_counter()
        _check(text)
        tokens = tokenise(text, segments)
        matches = self.matcher.find(tokens)
        document = _Document(self, text, tokens, matches)
        document.choose_senses(began + time_limit)
        spans = [document.span(i) for i in range(len(matches))]
        return Annotation(tuple(spans), len(text), len(tokens), time.perf_counter() - began)

    def concept(self, concept_id: str) -> Concept | None:
        """Return an active concept by id, from a small cache."""
        with self._lock:
            found = self._concepts.get(concept_id)
            if found is not None:
                return found
        record = self.store.concept(concept_id)
        if record is None:
            return None
        with self._lock:
            self._concepts[concept_id] = record.concept
            while len(self._concepts) > 8192:
                self._concepts.popitem(last=False)
        return record.concept


class _Document:
    """One text being annotated: its tokens, matches and the context each span sees."""

    def __init__(
        self, annotator: Annotator, text: str, tokens: list[Token], matches: list[Match]
    ) -> None:
        self.annotator = annotator
        self.text = text
        self.tokens = tokens
        self.matches = matches
        self.sentences = sentence_bounds(tokens)
        self._stems: list[str | None] | None = None
        self.by_concept = [_by_concept(m) for m in matches]
        self._document_words: DocumentWords | None = None
        self._document_concepts: dict[str, float] | None = None
        self._sentence_concepts: dict[int, list[str]] = {}
        self.ambiguous = [i for i, forms in enumerate(self.by_concept) if len(forms) > 1]
        self._sentence_ambiguous: dict[int, list[int]] = {}
        for i in self.ambiguous:
            self._sentence_ambiguous.setdefault(tokens[matches[i].first].sentence, []).append(i)
        self.ranked: dict[int, list[tuple[Concept, float]]] = {}
        self.in_ambiguous = bytearray(len(tokens))  # words of ambiguous spans count by their senses
        for i in self.ambiguous:
            self.in_ambiguous[matches[i].first : matches[i].last + 1] = b"\x01" * (
                matches[i].last - matches[i].first + 1
            )
        self._labels = {
            f[0].row.uri: f[0].row.pref_label for m in self.by_concept for f in m.values()
        }

    @property
    def stems(self) -> list[str | None]:
        """The content stem of each token (None for stop words), computed when first needed."""
        if self._stems is None:
            self._stems = [
                None if t.key in STOP or len(t.key) < 2 else stem(t.key) for t in self.tokens
            ]
        return self._stems

    def choose_senses(self, deadline: float) -> None:
        """Rank the senses of every ambiguous span, twice: the second time, nearby ambiguous
        spans count with the probabilities of the first ("a planning CT for RT": each
        acronym's likely sense supports the other's). Raises UnsafeInput past `deadline`."""
        for _ in range(SENSE_PASSES):
            ranked: dict[int, list[tuple[Concept, float]]] = {}
            for n, i in enumerate(self.ambiguous):
                if n % 64 == 0 and time.perf_counter() > deadline:
                    raise UnsafeInput(
                        "Annotating this text took too long; send a shorter text or split it."
                    )
                ranked[i] = self._rank(i)
            self.ranked = ranked

    def span(self, i: int) -> Span:
        match = self.matches[i]
        first, last = self.tokens[match.first], self.tokens[match.last]
        written = self.text[first.start : last.end]
        forms = self.by_concept[i]
        if len(forms) == 1:
            (concept_forms,) = forms.values()
            ranked = [(concept_forms[0].row.id, 1.0)]
        else:
            ranked = [(c.id, p) for c, p in self.ranked[i]]
        best_id = ranked[0][0]
        concept = self.annotator.concept(best_id)
        key = " ".join(t.key for t in self.tokens[match.first : match.last + 1])
        warnings = warnings_of(concept)
        mentioned = any(key in quoted(w) for w in warnings)
        sense = sense_of(forms[best_id], ranked[0][1])
        surfaces = dict.fromkeys(
            (t.start, t.surface) for t in self.tokens[match.first : match.last + 1]
        )
        return Span(
            start=first.start,
            end=last.end,
            text=written,
            match=how_matched(forms[best_id], " ".join(s for _, s in surfaces)),
            sense=sense,
            alternatives=tuple(sense_of(forms[c], p) for c, p in ranked[1 : 1 + MAX_ALTERNATIVES]),
            senses=len(forms),
            warnings=warnings if len(forms) > 1 or mentioned else (),
            false_friend=len(forms) > 1 or (mentioned and bool(warnings)),
        )

    def _rank(self, i: int) -> list[tuple[Concept, float]]:
        match = self.matches[i]
        forms = self.by_concept[i]
        written = self.text[self.tokens[match.first].start : self.tokens[match.last].end]
        candidates = []
        for concept_id, concept_forms in forms.items():
            concept = self.annotator.concept(concept_id)
            if concept is not None:
                candidates.append(Candidate(concept, concept_forms[0].row.kind))
        sentence = self.tokens[match.first].sentence
        words: dict[str, float] = {}
        for number, weight in (
            (sentence - 1, NEIGHBOUR_SENTENCE),
            (sentence + 1, NEIGHBOUR_SENTENCE),
            (sentence, SENTENCE),
        ):
            if 0 <= number < len(self.sentences):
                start, end = self.sentences[number]
                for j in range(start, end):
                    s = self.stems[j]
                    if s is not None and not self.in_ambiguous[j]:
                        words[s] = weight
        nearby = self._nearby(i, sentence)
        for uri, weight in nearby.items():  # a nearby term also counts for its words ("RT")
            if weight > DOCUMENT_CONCEPT:
                for s in content_stems(self._labels.get(uri, "")):
                    words[s] = max(words.get(s, 0.0), weight * EXPANDED)
        start, end = self.sentences[sentence]
        context = Context(
            words=words,
            document=self.document_words(),
            concepts=nearby,
            sentence=self.text[self.tokens[start].start : self.tokens[end - 1].end],
            written=written,
            key=" ".join(t.key for t in self.tokens[match.first : match.last + 1]),
        )
        return self.annotator.chooser.rank(candidates, context)

    def document_words(self) -> DocumentWords:
        if self._document_words is None:
            stems = [s for s in self.stems if s is not None]
            self._document_words = self.annotator.chooser.document_words(stems)
        return self._document_words

    def _nearby(self, i: int, sentence: int) -> dict[str, float]:
        """Return the concepts found in the document, weighted by nearness (and, for the
        senses of other ambiguous spans nearby, by their probability so far)."""
        if self._document_concepts is None:
            self._document_concepts, self._sentence_concepts = {}, {}
            for match, forms in zip(self.matches, self.by_concept, strict=True):
                if len(forms) == 1:
                    uri = next(iter(forms.values()))[0].row.uri
                    self._document_concepts[uri] = DOCUMENT_CONCEPT
                    number = self.tokens[match.first].sentence
                    self._sentence_concepts.setdefault(number, []).append(uri)
        nearby = dict(self._document_concepts)
        for number in (sentence - 1, sentence, sentence + 1):
            for uri in self._sentence_concepts.get(number, ()):
                nearby[uri] = NEARBY_CONCEPT
            for j in self._sentence_ambiguous.get(number, ()):
                if j == i:
                    continue
                if j in self.ranked:
                    senses = [(c.uri, p) for c, p in self.ranked[j]]
                else:
                    forms = self.by_concept[j]
                    senses = [(f[0].row.uri, 1 / len(forms)) for f in forms.values()]
                for uri, p in senses:
                    nearby[uri] = max(nearby.get(uri, 0.0), NEARBY_CONCEPT * p)
        return nearby


def _by_concept(match: Match) -> dict[str, list[LabelForm]]:
    """Return the label forms of a match by concept id, most significant label first."""
    out: dict[str, list[LabelForm]] = {}
    for form in sorted(match.forms, key=lambda f: KIND_RANK[f.row.kind]):
        out.setdefault(form.row.id, []).append(form)
    return out


def _check(text: str) -> None:
    if len(text) > MAX_CHARACTERS:
        raise TooLarge(
            f"The text is {len(text):,} characters long; the limit is {MAX_CHARACTERS:,}. "
            "Split it into parts."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "The text holds characters that are not valid Unicode (a lone surrogate); send UTF-8."
        ) from None


__all__ = ["MAX_CHARACTERS", "Annotation", "Annotator", "Sense", "Span", "annotator_for"]

_ANNOTATORS: OrderedDict[str, Annotator] = OrderedDict()
_ANNOTATORS_LOCK = threading.Lock()
KEEP_RELEASES = 2  # the release being served and the one it replaced


def annotator_for(store: ReadStore, model: SenseModel | None = None) -> Annotator:
    """Return the shared annotator of the release `store` holds (built once per digest)."""
    key = store.digest
    with _ANNOTATORS_LOCK:
        found = _ANNOTATORS.get(key)
        if found is None or (model is not None and found.chooser.model is not model):
            found = _ANNOTATORS[key] = Annotator(store, model)
        _ANNOTATORS.move_to_end(key)
        while len(_ANNOTATORS) > KEEP_RELEASES:
            _ANNOTATORS.popitem(last=False)
        return found
