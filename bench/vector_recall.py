"""Recall and latency of the semantic stage's lists (`vocab.vector_lists`) against the
exact scan of every concept's codes, on a store that has lists.

    python -m bench.vector_recall --db bench/out/db/1M.db --queries bench/out/vocab-1M/queries.json

For each query of the chosen kinds (default: typo and miss, the queries that reach the
meaning stages), the query's vector is ranked both ways (`MeaningIndex.nearest`, with and
without `exact`); reported: the mean share of the exact top 10 that the lists' top 10
hold (top-10 overlap), the share of queries with the same first concept, and each way's
p50/p99 in ms (interleaved, one process).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.latency import percentile
from vocab.meaning import MeaningIndex
from vocab.vocabulary import Vocabulary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--kinds", default="typo,miss,lay,phrase")
    parser.add_argument("--probes", type=int, default=0, help="lists read (0: the default)")
    args = parser.parse_args()
    meaning: MeaningIndex = Vocabulary.open(args.db).searcher.meaning
    lists = meaning._lists
    if lists is None:
        raise SystemExit(f"{args.db} has no vector lists: its semantic stage is exact")
    probes = args.probes or lists.probes
    queries = json.loads(args.queries.read_text())
    overlaps: list[float] = []
    same_first = 0
    timed: dict[str, list[float]] = {"lists": [], "exact": []}
    for kind in args.kinds.split(","):
        for text, _ in queries.get(kind, []):
            vector = meaning.query_vector(text)
            if vector is None:
                continue
            t0 = time.perf_counter()
            lists.probes_default = probes
            try:
                approximate = [c for c, _ in meaning.nearest(vector, 10)]
            finally:
                lists.probes_default = 0
            t1 = time.perf_counter()
            exact = [c for c, _ in meaning.nearest(vector, 10, exact=True)]
            t2 = time.perf_counter()
            timed["lists"].append((t1 - t0) * 1000)
            timed["exact"].append((t2 - t1) * 1000)
            overlaps.append(len(set(approximate) & set(exact)) / max(1, len(exact)))
            same_first += bool(exact) and approximate[:1] == exact[:1]
    searcher, found_same = Vocabulary.open(args.db).searcher, []
    searcher.meaning._lists = lists
    for kind in args.kinds.split(","):
        for text, _ in queries.get(kind, []):
            lists.probes_default = probes
            approximate = [h.row.concept for h in searcher.search(text)]
            lists.probes_default = len(lists.members)  # every list: every concept, exact
            exact = [h.row.concept for h in searcher.search(text)]
            if exact or approximate:  # both empty: nothing to compare
                shared = len(set(approximate) & set(exact))
                found_same.append(shared / max(len(exact), len(approximate)))
    lists.probes_default = 0
    print(
        f"search top-10 overlap {sum(found_same) / len(found_same):.3f} ({len(found_same)} answered)"
    )
    n = len(overlaps)
    print(f"{n} queries ({args.kinds}), {probes} of {len(lists.members)} lists read")
    print(f"top-10 overlap {sum(overlaps) / n:.3f}, same first {same_first / n:.3f}")
    for way, ms in timed.items():
        ms.sort()
        print(f"{way:6} p50 {percentile(ms, 50):7.3f} ms  p99 {percentile(ms, 99):7.3f} ms")


if __name__ == "__main__":
    main()
