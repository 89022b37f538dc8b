"""Annotate a document: every span that names a concept, linked, with the sense it means.

`Annotator(store).annotate(text)` tokenises the text keeping offsets
(`vocab.annotate_text`), finds every label in one automaton pass
(`vocab.annotate_match`), and for a word that names several concepts chooses the sense
the sentence means (`vocab.annotate_sense`), keeping the others as scored alternatives.
A span whose word is a false friend (several senses, or a usage warning about that very
word) carries the warning. Offsets are character offsets (Python `str` indices, Unicode
code points) into the text as given, so `text[span.start:span.end] == span.text`.

The annotator of a release is built once and shared (`annotator_for`, keyed on the
release digest): the server builds it at startup and before switching release (`warm`),
so no request waits for it; elsewhere it is built on first use. It holds the hashed
labels (`vocab.annotate_match`) and bounded caches of label rows, sense profiles and
word vectors.

>>> annotation = annotator_for(store).annotate("A planning CT for RT.")  # doctest: +SKIP
>>> [(s.text, s.sense.pref_label) for s in annotation.spans]                # doctest: +SKIP
[('CT', 'computed tomography'), ('RT', 'radiotherapy')]
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from vocab.annotate_document import Document
from vocab.annotate_forms import LabelForm
from vocab.annotate_match import Match, Matcher
from vocab.annotate_meaning import SenseModel
from vocab.annotate_result import (
    Annotation,
    Sense,
    Span,
    how_matched,
    quoted,
    sense_of,
    warnings_of,
)
from vocab.annotate_sense import SenseChooser
from vocab.annotate_text import Segment, tokenise
from vocab.embedding import load_model
from vocab.errors import InvalidInput, TooLarge
from vocab.model import Concept
from vocab.store import ReadStore

MAX_CHARACTERS = 1_000_000
"""The longest text annotated in one call (characters; the HTTP edge also caps bytes)."""
TIME_LIMIT_S = 20.0
"""Annotation that takes longer is stopped (it takes about 0.1 s per 100 KB)."""
MAX_ALTERNATIVES = 5
"""Other senses listed per span, best first."""


class Annotator:
    """Annotates texts against one release; thread-safe. `warm()` builds what it needs."""

    def __init__(self, store: ReadStore, model: SenseModel | None = None) -> None:
        """Without `model`, a store built with concept vectors gets the service's embedding
        model (raises EmbeddingError if it cannot be loaded); one without gets none."""
        if model is None and store.meta.get("embedding_model"):
            model = load_model()
        self.store = store
        self.chooser = SenseChooser(store, model)
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._concepts: OrderedDict[str, Concept] = OrderedDict()

    @property
    def matcher(self) -> Matcher:
        """The release's label matcher, built on first use unless `warm()` built it."""
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = Matcher(self.store)
        return self._matcher

    @property
    def ready(self) -> bool:
        """True once the label matcher is built (`warm()`, or a first annotation)."""
        return self._matcher is not None

    def warm(self) -> None:
        """Build the label matcher, the word rarities and the collections' domain glosses
        now rather than on the first request."""
        _ = self.matcher
        self.chooser.words.idf()
        self.chooser.cues.warm()

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
        with _collector_paused():
            document = self.document(text, segments, deadline=began + time_limit)
            spans = tuple(_Spans(document, self.concept).all())
            words = len(document.tokens)
            del document  # freed now: the collector, back on, finds only the spans young
        return Annotation(spans, len(text), words, time.perf_counter() - began)

    def document(
        self, text: str, segments: Sequence[Segment] | None = None, *, deadline: float
    ) -> Document:
        """Return `text` read, matched and with its senses ranked (raises as `annotate`)."""
        _check(text)
        tokens = tokenise(text, segments)
        document = Document(text, tokens, self.matcher.find(tokens), self.chooser, self.concept)
        document.choose_senses(deadline)
        return document

    def concept(self, concept_id: str) -> Concept | None:
        """Return an active concept by id, from a small cache."""
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


class _Spans:
    """The spans of one document, with what its spans share computed once: the senses of
    each label form set and score, each concept's warnings, and all that a span of a word
    with one sense takes from its label forms and written words."""

    def __init__(self, document: Document, concept: Callable[[str], Concept | None]) -> None:
        self.document, self.concept = document, concept
        self._senses: dict[tuple[int, float], Sense] = {}
        self._warnings: dict[str, tuple[str, ...]] = {}
        self._plain: dict[tuple[object, str], tuple[str, Sense, tuple[str, ...], bool]] = {}

    def all(self) -> list[Span]:
        ranked, by_concept = self.document.ranked, self.document.by_concept
        return [
            self.span(i) if i in ranked or len(by_concept[i]) > 1 else self.plain(i)
            for i in range(len(by_concept))
        ]

    def written(self, match: Match) -> str:
        """Return the words of a match as written, one space apart."""
        tokens = self.document.tokens
        if match.first == match.last:
            return tokens.surfaces[match.first]
        at = slice(match.first, match.last + 1)
        words = dict.fromkeys(zip(tokens.starts[at], tokens.surfaces[at], strict=True))
        return " ".join(s for _, s in words)

    def plain(self, i: int) -> Span:
        """Return match i, whose word names one concept, as a span: `span(i)`, with what
        its label forms and written words decide computed once per document."""
        document = self.document
        match = document.matches[i]
        start, end = document.tokens.starts[match.first], document.tokens.ends[match.last]
        written = self.written(match)
        (forms,) = document.by_concept[i].values()
        key = (id(forms[0]) if len(forms) == 1 else tuple(map(id, forms)), written)
        found = self._plain.get(key)
        if found is None:
            warnings = self.warnings(forms[0].row.id)
            mentioned = bool(warnings) and any(document.key(i) in quoted(w) for w in warnings)
            found = self._plain[key] = (
                how_matched(forms, written),
                self.sense(forms, 1.0),
                warnings if mentioned else (),
                mentioned,
            )
        how, sense, warnings, false_friend = found
        return Span(
            start=start,
            end=end,
            text=document.text[start:end],
            match=how,
            sense=sense,
            senses=1,
            warnings=warnings,
            false_friend=false_friend,
        )

    def sense(self, forms: list[LabelForm], score: float) -> Sense:
        """Return `sense_of(forms, score)`, once per label form set (the document holds its
        forms: their ids stay theirs) and score."""
        if len(forms) > 1:  # rare (one concept matched by several labels): no memo
            return sense_of(forms, score)
        key = (id(forms[0]), score)
        found = self._senses.get(key)
        if found is None:
            found = self._senses[key] = sense_of(forms, score)
        return found

    def warnings(self, concept_id: str) -> tuple[str, ...]:
        found = self._warnings.get(concept_id)
        if found is None:
            found = self._warnings[concept_id] = warnings_of(self.concept(concept_id))
        return found

    def span(self, i: int) -> Span:
        """Return match i of the document as a span, with its sense and alternatives."""
        document = self.document
        match = document.matches[i]
        tokens = document.tokens
        start, end = tokens.starts[match.first], tokens.ends[match.last]
        forms = document.by_concept[i]
        if i in document.ranked:
            ranked = [(c.id, p) for c, p in document.ranked[i]]
        else:
            ranked = [(next(iter(forms)), 1.0)]
        best_id = ranked[0][0]
        warnings = self.warnings(best_id)
        mentioned = bool(warnings) and any(document.key(i) in quoted(w) for w in warnings)
        written = self.written(match)
        return Span(
            start=start,
            end=end,
            text=document.text[start:end],
            match=how_matched(forms[best_id], written),
            sense=self.sense(forms[best_id], ranked[0][1]),
            alternatives=tuple(
                self.sense(forms[c], p) for c, p in ranked[1 : 1 + MAX_ALTERNATIVES]
            ),
            senses=len(forms),
            warnings=warnings if len(forms) > 1 or mentioned else (),
            false_friend=len(forms) > 1 or (mentioned and bool(warnings)),
        )


_PAUSES = 0  # annotations running with the cyclic garbage collector paused by them
_PAUSE_LOCK = threading.Lock()
LONGEST_PAUSE_S = 1.0  # overlapping annotations never keep cycles uncollected for longer


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while annotating: a 100 KB text makes tens of
    thousands of short-lived objects (tokens, spans) and no reference cycles, and the
    collections they trigger scan the whole heap, about a fifth of the time. Memory is
    still freed as usual (by reference counts); the collector resumes when the last
    annotation running ends, if it was on when the first began. Under a steady stream of
    overlapping annotations that moment may not come, so an annotation ending more than
    `LONGEST_PAUSE_S` after the pause began collects once itself (the rest of the process
    makes cycles meanwhile)."""
    global _PAUSES, _RESUME, _PAUSED_AT
    with _PAUSE_LOCK:
        if _PAUSES == 0:
            _RESUME = gc.isenabled()
            _PAUSED_AT = time.monotonic()
            gc.disable()
        _PAUSES += 1
    try:
        yield
    finally:
        overdue = False
        with _PAUSE_LOCK:
            _PAUSES -= 1
            if _PAUSES == 0 and _RESUME:
                gc.enable()
            elif _PAUSES and _RESUME and time.monotonic() - _PAUSED_AT > LONGEST_PAUSE_S:
                overdue, _PAUSED_AT = True, time.monotonic()
        if overdue:
            gc.collect()


_RESUME = True  # whether the collector was on when the running annotations paused it
_PAUSED_AT = 0.0  # when the running pause began, or its last collection ran


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

_ANNOTATORS: OrderedDict[tuple[str, str], Annotator] = OrderedDict()
_ANNOTATORS_LOCK = threading.Lock()
KEEP_RELEASES = 2  # the release being served and the one it replaced


def annotator_for(store: ReadStore, model: SenseModel | None = None) -> Annotator:
    """Return the shared annotator of the release `store` holds (built once per digest and
    file: a copy of the same release elsewhere, perhaps damaged, has an annotator of its own)."""
    key = (store.digest, str(getattr(store, "path", id(store))))
    with _ANNOTATORS_LOCK:
        found = _ANNOTATORS.get(key)
        if found is None or (model is not None and found.chooser.model is not model):
            found = _ANNOTATORS[key] = Annotator(store, model)
        _ANNOTATORS.move_to_end(key)
        while len(_ANNOTATORS) > KEEP_RELEASES:
            _ANNOTATORS.popitem(last=False)
        return found
