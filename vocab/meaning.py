"""The meaning stages of search: concept texts (definition) and concept vectors (semantic).

- definition: the query's content words against each concept's labels, definitions,
  plain-language definitions, scope notes and examples (FTS5, Porter stems, bm25);
- semantic: the query's vector (`vocab.embedding`) against each concept's vectors. The
  sign bits of every vector are scanned in memory (Hamming distance, 64 bytes a concept),
  then the `RESCORE` nearest concepts are rescored with their int8 vectors (cosine);
- `fuse`: reciprocal rank fusion of several rankings (Cormack et al., 2009).

>>> fuse([[1, 2, 3], [3, 1]], weights=[1.0, 1.0], k=1)[0][0]
1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vocab.embedding import EmbeddingError, EmbeddingModel, load_model
from vocab.store import ReadStore

RESCORE = 256  # concepts rescored exactly after the Hamming scan
Ranking = list[tuple[int, float]]  # (concept key, score), best first


class MeaningIndex:
    """The meaning stages over one store; loads the model and the vector codes eagerly.

    Raises EmbeddingError if the store has vectors from another model or the model
    cannot be loaded: a store without its semantic stage must not be served silently.
    """

    def __init__(self, store: ReadStore, model: EmbeddingModel | None = None) -> None:
        self.store = store
        self.index = store.vector_index()
        self.model: EmbeddingModel | None = None
        if self.index is None:
            return
        self.model = model or load_model()
        if self.index.model != self.model.name or self.index.dim != self.model.dim:
            raise EmbeddingError(
                f"The store's concept vectors come from {self.index.model}, but this service "
                f"embeds queries with {self.model.name}; rebuild the store with `vocab build`."
            )
        codes = np.ascontiguousarray(self.index.codes)
        self._parts = len(self.index.parts)
        self._words = codes.view(np.uint64) if codes.shape[1] % 8 == 0 else codes

    @property
    def has_vectors(self) -> bool:
        return self.model is not None

    def by_definition(self, words: Sequence[str], limit: int) -> Ranking:
        """Return concepts whose texts hold any of `words`, by bm25 relevance."""
        return self.store.text_matches(words, limit)

    def by_meaning(self, text: str, limit: int) -> Ranking:
        """Return the concepts nearest to `text` in meaning, by cosine similarity."""
        if self.model is None or not len(self._words):
            return []
        query = self.model.embed_one(text)
        if not query.any():
            return []
        bits = np.packbits(np.tile(query > 0, self._parts))
        probe = bits.view(self._words.dtype)
        distance = np.bitwise_count(self._words ^ probe)
        per_part = distance.reshape(len(distance), self._parts, -1).sum(axis=2, dtype=np.int32)
        nearest = per_part.min(axis=1)
        count = min(RESCORE, len(nearest))
        chosen = np.argpartition(nearest, count - 1)[:count] if count < len(nearest) else None
        keys = (chosen + 1 if chosen is not None else np.arange(1, len(nearest) + 1)).tolist()
        found = self.store.concept_vectors(keys)
        if not found:
            return []
        values = np.frombuffer(b"".join(f.values for f in found), dtype=np.int8)
        scales = np.frombuffer(b"".join(f.scales for f in found), dtype=np.float32)
        similarity = (values.reshape(len(found), self._parts, -1).astype(np.float32) @ query) * (
            scales.reshape(len(found), self._parts)
        )
        best = similarity.max(axis=1)
        order = np.argsort(-best, kind="stable")[:limit]
        return [(found[i].concept, float(best[i])) for i in order]


def fuse(rankings: Sequence[Sequence[int]], weights: Sequence[float], k: float) -> Ranking:
    """Return concepts by weighted reciprocal rank fusion: sum of weight / (k + rank)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, concept in enumerate(ranking, start=1):
            scores[concept] = scores.get(concept, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])
