"""Meaning evidence for sense choice: the sentence's vector against each sense's gloss vector.

The model is the service's static embedding model (`vocab.embedding`, WordLlama), plugged
in as a `SenseModel`: anything that turns texts into unit vectors. A sense's gloss is its
labels, definition, plain-language definition, scope notes and examples, and the names of
its collections; the context is the content words of the span's sentence and, with less
weight, of its neighbours, less the ambiguous words themselves (every sense shares them).
Both are read without stop words, which in an averaged static embedding pull every text
towards the same common direction. The evidence is the cosine of the two.

Gloss vectors are computed when a sense is first met and kept (bounded); sentence vectors
once per document, in one batch.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from vocab.annotate_words import STOP
from vocab.model import Concept, LabelKind, NoteKind

Vector = npt.NDArray[np.float32]
GLOSS_CACHE = 8192  # sense glosses and labels kept
WORD_CACHE = 20_000  # word vectors kept (float16: about 12 MB)
_NOTE_KINDS = (NoteKind.SCOPE, NoteKind.EXAMPLE)
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class SenseModel(Protocol):
    """Meaning similarity for sense choice: texts as unit vectors, compared by dot product."""

    def embed(self, texts: list[str]) -> npt.NDArray[Any]:
        """Return one unit vector per text (a zero vector for a text with no words)."""
        ...


def content_text(text: str) -> str:
    """Return the words of `text` that are not stop words, space-separated."""
    return " ".join(w for w in _RAW_WORD.findall(text) if w.lower() not in STOP)


@dataclass(frozen=True)
class Gloss:
    """A sense to compare: the concept among the other senses of its word, its collections'
    names, and (computed when first needed) the clauses of the senses' notes that describe it."""

    concept: Concept
    among: frozenset[str]  # the ids of every sense of the word
    collections: Sequence[str]
    clauses: Callable[[], Sequence[str]]


def gloss_text(concept: Concept, collections: Sequence[str], clauses: Sequence[str]) -> str:
    """Return what a sense means, in words: labels, definitions, notes, collection names."""
    parts = [label.text for label in concept.labels if label.kind is not LabelKind.HIDDEN]
    parts += [t.text for t in (*concept.definitions, *concept.plain_definitions)]
    parts += [note.text for note in concept.notes if note.kind in _NOTE_KINDS]
    parts += [*collections, *clauses]
    return content_text(" ; ".join(parts))


class MeaningEvidence:
    """Gloss vectors of senses (cached) and the cosine of a context vector with them."""

    def __init__(self, model: SenseModel) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._glosses: OrderedDict[tuple[str, frozenset[str]], Vector] = OrderedDict()
        self._labels: dict[str, tuple[Vector, int]] = {}
        self._words: dict[str, npt.NDArray[np.float16]] = {}
        self.dim = int(np.asarray(model.embed(["model"])).shape[1])

    def vectors(self, texts: list[str]) -> Vector:
        """Return the unit vectors of `texts`: the mean of their content words' vectors."""
        return self.bags([content_text(t).split() for t in texts])

    def bags(self, split: list[list[str]]) -> Vector:
        """Return the unit vectors of bags of words (words as `content_text` gives them)."""
        unique = list(dict.fromkeys(w for words in split for w in words))
        out: Vector = np.zeros((len(split), self.dim), dtype=np.float32)
        filled = [k for k, words in enumerate(split) if words]
        if filled:
            column = {w: k for k, w in enumerate(unique)}
            index = [column[w] for k in filled for w in split[k]]
            starts = np.cumsum([0] + [len(split[k]) for k in filled[:-1]])
            gathered = self._word_vectors(unique)[index]
            out[filled] = np.add.reduceat(gathered, starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def _word_vectors(self, words: list[str]) -> Vector:
        """Return the unit vector of each word, from a bounded cache (the model embeds the
        words it has not seen, in one batch): a document's words are mostly known ones."""
        cache = self._words
        known: dict[str, npt.NDArray[np.float16]] = {}
        for word in words:
            found = cache.get(word)
            if found is not None:
                known[word] = found
        missing = [w for w in words if w not in known]
        if missing:
            embedded = np.asarray(self.model.embed(missing), dtype=np.float16)
            known.update(zip(missing, embedded, strict=True))
            with self._lock:
                if len(cache) + len(missing) > WORD_CACHE:
                    cache.clear()
                cache.update(zip(missing, embedded, strict=True))
        if not words:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[w] for w in words]).astype(np.float32)

    def label(self, text: str) -> tuple[Vector, int]:
        """Return the unit vector of a label and its number of content words (cached)."""
        found = self._labels.get(text)
        if found is None:
            words = content_text(text)
            found = (self.vectors([words])[0], len(words.split()))
            with self._lock:
                if len(self._labels) > GLOSS_CACHE:
                    self._labels.clear()
                self._labels[text] = found
        return found

    def topic(self, labels: Sequence[str]) -> Vector:
        """Return the unit vector of these labels' vectors, each weighted by its number of
        content words (a bag of their words), or a zero vector: a document's topic."""
        topic: Vector = np.zeros(self.dim, dtype=np.float32)
        if labels:  # one reduction over the rows in order: the sum, bit for bit, of adding each
            found = [self.label(text) for text in labels]
            rows = np.stack([vector for vector, _ in found])
            rows *= np.array([count for _, count in found], dtype=np.float32)[:, None]
            np.add.reduce(rows, axis=0, out=topic, initial=0.0)
        norm = float(np.linalg.norm(topic))
        return topic / norm if norm > 0 else topic

    def similarities(self, context: Vector, glosses: Sequence[Gloss]) -> list[float]:
        """Return the cosine of `context` with each sense's gloss."""
        return [float(self._gloss(gloss) @ context) for gloss in glosses]

    def _gloss(self, gloss: Gloss) -> Vector:
        key = (gloss.concept.id, gloss.among)
        with self._lock:
            found = self._glosses.get(key)
            if found is not None:
                self._glosses.move_to_end(key)
                return found
        text = gloss_text(gloss.concept, gloss.collections, gloss.clauses())
        vector: Vector = self.vectors([text])[0]
        with self._lock:
            self._glosses[key] = vector
            while len(self._glosses) > GLOSS_CACHE:
                self._glosses.popitem(last=False)
        return vector


def context_vector(rows: Vector, weights: Sequence[float]) -> Vector | None:
    """Return the unit vector of the weighted sum of sentence vectors, or None if it is zero."""
    total = np.asarray(weights, dtype=np.float32) @ rows
    norm = float(np.linalg.norm(total))
    return total / norm if norm > 0 else None
