"""An inverted file over the concept vectors' sign codes: the semantic stage of a large
store reads a few lists of concepts instead of scanning every concept's codes.

Every concept has one sign code per vector part (`vocab.store.sqlite_meaning`); the
semantic stage ranks concepts by their least Hamming distance, over their parts, to the
query's signs. Above `APPROXIMATE_ABOVE` concepts that scan grows past the latency budget,
so the build also clusters every part code (as a vector of +1/-1) into `list_count` lists
by spherical k-means (`build_lists`), each list holding the concepts with a part in it.
A query is compared with the lists' centroids (cosine), and only the concepts of the
`probe_count` nearest lists are scanned (`VectorLists.candidates`); those are then ranked
exactly as the full scan ranks them. Smaller stores keep the exact scan, and have no lists.

The k-means is seeded (`SEED`): the same codes give the same lists.

Measured at 1M concepts (2048 lists, 61 read; `python -m bench.vector_recall`): the
semantic neighbours' top 10 share 0.82 of the exact scan's (same first 0.88), but the
searches' top 10 share 0.97 (the meaning stages fuse them with the text stage and rescore
every candidate's cosine exactly); the stage itself takes p50 5.3 ms instead of 104 ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

APPROXIMATE_ABOVE = 200_000  # a store with more concepts gets lists; at most this, none
PROBE_SHARE = 0.03  # share of the lists a query reads (at least `MIN_PROBES`)
MIN_PROBES = 8
ROUNDS = 8  # k-means rounds, on a sample of `SAMPLE_PER_LIST` part codes a list
SAMPLE_PER_LIST = 48
CHUNK = 16_384  # part codes compared with every centroid at once (memory: 64 MB at 1024)
SEED = 20_261_203


def list_count(vectors: int) -> int:
    """Return how many lists to cluster `vectors` part codes into: about their square
    root, a power of two from 64 to 4096."""
    return int(min(4096, max(64, 2 ** round(math.log2(max(1.0, math.sqrt(vectors)))))))


def _signs(codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Return packed sign bits (rows of dim / 8 bytes) as unit rows of +1/-1 (float32)."""
    bits = np.unpackbits(codes, axis=1).astype(np.float32)
    signs: np.ndarray[Any, Any] = (bits * 2 - 1) / np.sqrt(np.float32(bits.shape[1]))
    return signs


def _nearest_centroid(
    codes: np.ndarray[Any, Any], centroids: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Return, for each packed code, the index of the most similar centroid."""
    out = np.empty(len(codes), dtype=np.int32)
    for start in range(0, len(codes), CHUNK):
        chunk = _signs(codes[start : start + CHUNK])
        out[start : start + len(chunk)] = np.argmax(chunk @ centroids.T, axis=1)
    return out


def build_lists(
    codes: np.ndarray[Any, Any], parts: int
) -> tuple[np.ndarray[Any, Any], list[np.ndarray[Any, Any]], list[np.ndarray[Any, Any]]]:
    """Cluster the part codes of `codes` (uint8, one row a concept, `parts` codes a row)
    and return the unit centroids (float32, one row a list) and, per list, the concept
    row (0-based, int32, ascending) of each part code in it, and those codes (uint8)."""
    concepts = len(codes)
    width = codes.shape[1] // parts
    flat = np.ascontiguousarray(codes).reshape(concepts * parts, width)
    count = list_count(len(flat))
    rng = np.random.default_rng(SEED)
    sample = flat[np.sort(rng.choice(len(flat), min(len(flat), count * SAMPLE_PER_LIST), False))]
    signs = _signs(sample)
    centroids = signs[rng.choice(len(signs), count, replace=False)].copy()
    for _ in range(ROUNDS):
        assigned = np.argmax(signs @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assigned, signs)
        norms = np.linalg.norm(sums, axis=1)
        empty = norms == 0
        sums[empty] = signs[rng.choice(len(signs), int(empty.sum()), replace=False)]
        norms[empty] = 1.0
        centroids = (sums / norms[:, None]).astype(np.float32)
    assigned = _nearest_centroid(flat, centroids)
    order = np.argsort(assigned, kind="stable")  # flat order is concept order: kept
    rows = (order // parts).astype(np.int32)
    bounds = np.searchsorted(assigned[order], np.arange(count + 1))
    members = [rows[bounds[i] : bounds[i + 1]] for i in range(count)]
    held = [flat[order[bounds[i] : bounds[i + 1]]] for i in range(count)]
    return centroids, members, held


@dataclass
class VectorLists:
    """The lists of a store, held in memory: centroids, and each list's part codes with
    the concept row of each."""

    centroids: np.ndarray[Any, Any]  # float32 (lists, dim), unit rows
    members: list[np.ndarray[Any, Any]]  # per list, int32 concept rows (0-based), ascending
    codes: list[np.ndarray[Any, Any]]  # per list, uint64 (len(members), dim / 64)
    concepts: int  # concept rows coded
    probes_default: int = 0  # lists a query reads; 0: `PROBE_SHARE` of them

    @property
    def probes(self) -> int:
        """Return how many lists a query reads: `PROBE_SHARE` of them, at least
        `MIN_PROBES` (or `probes_default` if set)."""
        share = max(MIN_PROBES, round(len(self.members) * PROBE_SHARE))
        return min(len(self.members), self.probes_default or share)

    def part_distances(
        self, query: np.ndarray[Any, Any], every: bool = False
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Return the concept row (0-based) of each part code in the lists whose centroids
        are most similar to `query` (a unit vector; with `every`, all lists: every part
        code of every concept), and its Hamming distance to the query's signs."""
        count = len(self.members) if every else self.probes
        if count < len(self.members):
            similarity = self.centroids @ query.astype(np.float32)
            probed = np.sort(np.argpartition(-similarity, count)[:count])
        else:
            probed = np.arange(len(self.members))
        rows = np.concatenate([self.members[i] for i in probed.tolist()])
        codes = np.concatenate([self.codes[i] for i in probed.tolist()])
        probe = np.packbits(query > 0).view(np.uint64)
        np.bitwise_xor(codes, probe, out=codes)
        bits = np.bitwise_count(codes)
        distance = bits[:, 0].astype(np.int16)
        for word in range(1, bits.shape[1]):
            distance += bits[:, word]
        return rows, distance

    def least_distances(
        self, rows: np.ndarray[Any, Any], distance: np.ndarray[Any, Any]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Return the concept rows among `rows` (ascending, each once) and each one's
        least distance among `distance` (one per row)."""
        least = np.full(self.concepts, np.iinfo(np.int16).max, dtype=np.int16)
        np.minimum.at(least, rows, distance)
        found = np.flatnonzero(least < np.iinfo(np.int16).max)
        return found, least[found]
