"""The meaning stages of search: concept texts (definition) and concept vectors (semantic).

- definition: the query's content words against each concept's labels, definitions,
  plain-language definitions, scope notes and examples (FTS5, Porter stems, bm25). FTS5
  scores every text holding any word, so a long query of common words would score most of
  a large store: only the texts holding one of its rarest words are scored (about
  `SCORED_TEXTS` at most), on all its words (`MeaningIndex.scored_words`);
- semantic: the query's vector (`vocab.embedding`) against each concept's vectors. The
  sign bits of every vector are scanned in memory (Hamming distance, 96 bytes a concept),
  then the `RESCORE` nearest concepts are rescored with their int8 vectors (cosine), held
  in memory for a store of at most `HELD_VECTORS` concepts, else read per query;
- `fuse`: reciprocal rank fusion of several rankings (Cormack et al., 2009).

>>> fuse([[1, 2, 3], [3, 1]], weights=[1.0, 1.0], k=1)[0][0]
1
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from vocab.embedding import EmbeddingError, EmbeddingModel, load_model
from vocab.morphology import STOPWORDS, split_compound, stem
from vocab.store import ReadStore
from vocab.store.rows import ConceptVectors

RESCORE = 128  # concepts rescored exactly after the Hamming scan (at most twice this on ties)
COMMON_SHARE = 0.2  # a stop word in more than this share of concepts' texts is not searched
SCORED_TEXTS = 3000  # an any-word definition query scores about this many texts at most
SPLIT_PART = 4  # least letters of each part a query word is split into (not "tiw" + "avy")
COUNTS_KEPT = 50_000  # words whose text counts are remembered (then forgotten all at once)
HELD_VECTORS = 5_000  # a store of at most this many concepts keeps their int8 vectors in
# memory (768 bytes a concept with the shipped model's three 256-dimension parts): a read
# of a query's 128-256 nearest concepts costs 0.2-0.35 ms
Ranking = list[tuple[int, float]]  # (concept key, score), best first


class MeaningIndex:
    """The meaning stages over one store; loads the model and the vector codes eagerly.

    Raises EmbeddingError if the store has vectors from another model or the model
    cannot be loaded: a store without its semantic stage must not be served silently.
    """

    def __init__(
        self,
        store: ReadStore,
        model: EmbeddingModel | None = None,
        *,
        scored_texts: int = SCORED_TEXTS,
    ) -> None:
        self.store = store
        self.scored_texts = scored_texts
        self._counts: dict[str, int] = {}  # word -> texts holding it, up to half of them
        self._held: dict[str, bool] = {}  # word -> whether any text holds it
        # one text row per concept; the count the build recorded, read without a scan
        self._concepts = int(store.meta.get("concepts") or store.count())
        self.index = store.vector_index()
        self.model: EmbeddingModel | None = None
        self._vectors: HeldVectors | None = None  # every concept's vectors, for a small store
        if self.index is None:
            return
        self.model = model or load_model()
        if self.index.model != self.model.name or self.index.dim != self.model.dim:
            raise EmbeddingError(
                f"The store's concept vectors come from {self.index.model}, but this service "
                f"embeds queries with {self.model.name}; rebuild the store with `vocab build`."
            )
        self._parts = len(self.index.parts)
        codes = np.ascontiguousarray(self.index.codes).view(np.uint64)
        self.index = replace(self.index, codes=None)  # the copy below is all we keep
        self._coded = len(codes)  # concepts 1..coded (row i: concept i + 1)
        self._lists = store.vector_lists()  # a large store's inverted file, else None
        if self._lists is not None and self._lists.concepts == self._coded:
            self._columns = codes[:0].T  # the lists hold every code: no scan
            return
        self._lists = None
        # one row per 64-bit word of the codes, one column per concept: each numpy step
        # below then runs over one contiguous row (4x faster than row-major at 100k)
        self._columns = codes.T.copy()
        if self._coded <= HELD_VECTORS:
            self._vectors = HeldVectors(store, self._columns, self._parts)

    @property
    def has_vectors(self) -> bool:
        return self.model is not None

    def by_definition(
        self,
        words: Sequence[str],
        limit: int,
        weights: Sequence[float] | None = None,
        *,
        every: bool = False,
    ) -> Ranking:
        """Return concepts whose texts hold any of `words` (with `every`, all of them), by
        bm25 relevance (`weights` per text: labels, definitions, plain definitions, notes);
        any of them: bounded by `scored_words`."""
        if every:
            return self.store.text_matches(words, limit, weights, every=True)
        scored, some = self.scored_words(words)
        return self.store.text_matches(scored, limit, weights, some=some)

    def scored_words(self, words: Sequence[str]) -> tuple[list[str], list[str] | None]:
        """Return the words of an any-word query to score, and the rarest of them, of
        which a text must hold one to be scored (None: no such bound).

        FTS5's bm25 gives a word held by n of N texts idf = ln((N - n + 0.5) / (n + 0.5)),
        at least 1e-6. A word in half the texts or more (idf 1e-6) is not scored: the
        texts found rank as before, with scores at most 2.2e-6 a word lower (bm25 adds at
        most 2.2 idf a word), and the texts holding nothing but such words, as good as no
        match, are not found. Then, rarest first, words are bound while the texts holding
        them add up to no more than `scored_texts` (always the rarest); if some are left
        unbound, only the texts holding a bound word are scored, each on every word as
        before (`ReadStore.text_matches` with `some`). Left out (the bounded difference):
        texts holding only the commoner words, each scoring at most 2.2 times the sum of
        their idfs, all lower than any bound word's.
        """
        unique = list(dict.fromkeys(w for w in words if w))
        if len(unique) <= 1:
            return unique, None
        counts = {w: self._count(w) for w in unique}
        scored = [w for w in unique if counts[w] * 2 < self._concepts] or unique
        ranking = sorted(scored, key=counts.__getitem__)  # stable: ties in query order
        bound = ranking[:1]
        texts = counts[ranking[0]]
        for word in ranking[1:]:
            texts += counts[word]
            if texts > self.scored_texts:
                return scored, bound
            bound.append(word)
        return scored, None

    def _count(self, word: str) -> int:
        """Return how many concepts' texts hold `word`, counting up to half of them."""
        count = self._counts.get(word)
        if count is None:
            if len(self._counts) >= COUNTS_KEPT:
                self._counts.clear()
            half = (self._concepts + 1) // 2
            count = self._counts[word] = self.store.texts_counting(word, half)
        return count

    def text_words(self, words: Sequence[str]) -> list[str]:
        """Return the words of a query that the definition stage looks for: every content
        word, and the stop words that few concepts' texts hold.

        bm25 weighs a word by its rarity, so a stop word that carries meaning where it
        occurs ("not", "without", "after", "when" opening a plain definition) helps rank
        the concepts that hold it; one that nearly every text holds ("the", "is") adds
        nothing but the cost of reading every concept's entry, and is left out.
        """
        kept = [w for w in words if w not in STOPWORDS or not self._is_common(w)]
        return kept or list(words)

    def word_weights(self, words: Sequence[str]) -> tuple[dict[str, float], set[str]]:
        """Return how much each of `words` says, by its stem: BM25's idf over the concepts'
        texts (`informativeness`), the rarer the more; and the stems of the words no text
        holds (typos, or words the vocabulary lacks)."""
        said: dict[str, float] = {}
        known: set[str] = set()
        for word in words:
            holding, key = self._count(word), stem(word)
            said[key] = max(said.get(key, 0.0), informativeness(holding, self._concepts))
            if holding:
                known.add(key)
        return said, set(said) - known

    def split_unknown(self, words: Sequence[str]) -> list[str]:
        """Return `words` with each that no text holds but that splits into two words
        texts hold (`split_compound`) split: "finetuned" -> "fine", "tuned"."""
        out: list[str] = []
        for word in words:
            parts = None if self.holds(word) else split_compound(word, self._known_part)
            out += parts if parts else [word]
        return out

    def _known_part(self, word: str) -> bool:
        return len(word) >= SPLIT_PART and word not in STOPWORDS and self.holds(word)

    def holds(self, word: str) -> bool:
        """True if some concept's texts hold `word` (stemmed): its count if known, else
        a look for one such text (no count of a common word's texts)."""
        count = self._counts.get(word)
        if count is not None:
            return count > 0
        held = self._held.get(word)
        if held is None:
            if len(self._held) >= COUNTS_KEPT:
                self._held.clear()
            held = self._held[word] = bool(self.store.texts_holding([word], None))
        return held

    def _is_common(self, word: str) -> bool:
        return self._count(word) >= int(self._concepts * COMMON_SHARE) + 1

    def by_meaning(self, text: str, limit: int) -> Ranking:
        """Return the concepts nearest to `text` in meaning, by cosine similarity."""
        query = self.query_vector(text)
        return self.nearest(query, limit) if query is not None else []

    def query_vector(self, text: str) -> np.ndarray[Any, Any] | None:
        """Return the unit vector of `text`, or None without vectors or tokens."""
        if self.model is None or not self._coded:
            return None
        query = self.model.embed_one(text)
        return query if query.any() else None

    def nearest(self, query: np.ndarray[Any, Any], limit: int, *, exact: bool = False) -> Ranking:
        """Return the concepts nearest to a query vector, by cosine similarity: for a
        store with lists (`vocab.vector_lists`), among the concepts of the lists nearest
        to it, unless `exact` (every concept's codes scanned: slow, for measuring)."""
        if self._lists is not None:  # the lists pack the query's signs per part themselves
            rows, distance = self._lists.part_distances(query, every=exact)
            if exact:  # each concept's least distance over its parts, as the scan below
                rows, distance = self._lists.least_distances(rows, distance)
                closest = rows[_closest(distance, RESCORE)] + 1
            else:  # the closest part codes' concepts (a concept's other parts are farther)
                closest = np.unique(rows[_closest(distance, RESCORE)]) + 1
            return self.similarities(query, closest.tolist())[:limit]
        probe = np.packbits(np.tile(query > 0, self._parts)).view(np.uint64)
        per_part = len(self._columns) // self._parts
        if self._vectors is not None:  # a few hundred concepts: a handful of numpy steps
            nearest = self._vectors.hamming(probe, per_part)
            return self.similarities(query, (_closest(nearest, RESCORE) + 1).tolist())[:limit]
        nearest = np.full(self._columns.shape[1], np.iinfo(np.int16).max, dtype=np.int16)
        distance = np.empty_like(nearest)
        bits = np.empty(self._columns.shape[1], dtype=np.uint64)
        for part in range(self._parts):  # row by row: small buffers, reused
            distance[:] = 0
            for word in range(part * per_part, (part + 1) * per_part):
                np.bitwise_xor(self._columns[word], probe[word], out=bits)
                distance += np.bitwise_count(bits)
            np.minimum(nearest, distance, out=nearest)
        return self.similarities(query, (_closest(nearest, RESCORE) + 1).tolist())[:limit]

    def similarities(self, query: np.ndarray[Any, Any], concepts: Sequence[int]) -> Ranking:
        """Return the cosine similarity of a query vector to each of `concepts` that has
        vectors (the best of its parts), most similar first."""
        if self._vectors is not None:
            found, values, scales = self._vectors.vectors(concepts)
        else:
            stored = self.store.concept_vectors(concepts)
            found = [f.concept for f in stored]
            values = np.frombuffer(b"".join(f.values for f in stored), dtype=np.int8)
            scales = np.frombuffer(b"".join(f.scales for f in stored), dtype=np.float32)
        if not found:
            return []
        similarity = (values.reshape(len(found), self._parts, -1).astype(np.float32) @ query) * (
            scales.reshape(len(found), self._parts)
        )
        best = similarity.max(axis=1)
        order = np.argsort(-best, kind="stable")
        return [(found[i], float(best[i])) for i in order]


class HeldVectors:
    """Every concept's int8 vectors and scales, and its sign codes row by row, in memory.

    `vectors` gives what the store's `concept_vectors` reads (by concept number, each
    once, those that have vectors), as the arrays `MeaningIndex.similarities` computes
    on; `hamming` the distances `MeaningIndex.nearest` computes a word column at a time.
    """

    def __init__(self, store: ReadStore, columns: np.ndarray[Any, Any], parts: int) -> None:
        coded = columns.shape[1]
        stored: list[ConceptVectors] = [
            v
            for first in range(1, coded + 1, 500)  # under SQLite's limit on parameters
            for v in store.concept_vectors(range(first, min(first + 500, coded + 1)))
        ]
        self.has = np.zeros(coded + 1, dtype=bool)  # by concept number
        width = len(stored[0].values) if stored else 0
        self.values = np.zeros((coded + 1, width), dtype=np.int8)
        self.scales = np.zeros((coded + 1, parts), dtype=np.float32)
        for v in stored:
            self.has[v.concept] = True
            self.values[v.concept] = np.frombuffer(v.values, dtype=np.int8)
            self.scales[v.concept] = np.frombuffer(v.scales, dtype=np.float32)
        self.rows = columns.T.copy()  # the sign codes, one row a concept (row i: concept i + 1)

    def vectors(self, concepts: Sequence[int]) -> tuple[list[int], Any, Any]:
        """Return the concepts among `concepts` that have vectors, ascending, each once,
        with their int8 values and float32 scales, one row each."""
        found = [c for c in sorted(set(concepts)) if 0 < c < len(self.has) and self.has[c]]
        return found, self.values[found], self.scales[found]

    def hamming(self, probe: np.ndarray[Any, Any], per_part: int) -> np.ndarray[Any, Any]:
        """Return each concept's least Hamming distance, over its parts, to `probe`."""
        bits = np.bitwise_count(self.rows ^ probe).reshape(len(self.rows), -1, per_part)
        least: np.ndarray[Any, Any] = bits.sum(axis=2, dtype=np.int16).min(axis=1)
        return least


def informativeness(texts_holding: int, concepts: int) -> float:
    """Return how much a word says from how many of the concepts' texts hold it: BM25's
    idf, ln((N - n + 0.5) / (n + 0.5) + 1), always positive."""
    return math.log((concepts - texts_holding + 0.5) / (texts_holding + 0.5) + 1)


def _closest(distance: np.ndarray[Any, Any], count: int) -> np.ndarray[Any, Any]:
    """Return the indices of about `count` smallest distances (small integers): every index
    at or under the distance where the running count reaches `count`."""
    if len(distance) <= count:
        return np.arange(len(distance))
    cumulative = np.cumsum(np.bincount(distance))
    limit = int(np.searchsorted(cumulative, count))
    return np.flatnonzero(distance <= limit)[: count * 2]


def fuse(rankings: Sequence[Sequence[int]], weights: Sequence[float], k: float) -> Ranking:
    """Return concepts by weighted reciprocal rank fusion: sum of weight / (k + rank)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, concept in enumerate(ranking, start=1):
            scores[concept] = scores.get(concept, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])
