"""In-process latency of `Vocabulary.lookup` and `Vocabulary.search`, and search quality.

    python -m bench.latency --db bench/out/db/100k.db --queries bench/out/vocab-100k/queries.json

Runs in a fresh process (bench.run starts one per store), so the figures include opening
the store; the first lookup and first search are reported apart (the first search loads
the word list), then every query of every kind is timed once, after a warm-up pass.
Search is timed on the engine (`vocabulary.searcher.search`), not through the service's
result cache, which would answer a repeated query in microseconds.
Quality: the share of queries whose intended concept is the first hit, or in the top ten.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

from vocab.vocabulary import Vocabulary


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0-100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p99": percentile(ms, 99),
        "mean": sum(ms) / len(ms) if ms else float("nan"),
        "max": ms[-1] if ms else float("nan"),
    }


def measure(db: Path, queries: dict[str, list[list[str | None]]]) -> dict[str, Any]:
    """Return latency summaries (ms) by method and kind, and search quality by kind."""
    start = time.perf_counter()
    vocabulary = Vocabulary.open(db)
    opened = time.perf_counter() - start
    first = next(iter(queries.values()))[0][0] or "x"
    start = time.perf_counter()
    vocabulary.lookup(first)
    first_lookup = time.perf_counter() - start
    start = time.perf_counter()
    vocabulary.searcher.search(first)
    first_search = time.perf_counter() - start
    for items in queries.values():  # warm-up: the OS page cache and SQLite's own cache
        for query, _ in items[::4]:
            vocabulary.searcher.search(query or "x")
    result: dict[str, Any] = {
        "open_ms": opened * 1000,
        "first_lookup_ms": first_lookup * 1000,
        "first_search_ms": first_search * 1000,
        "lookup": {},
        "search": {},
        "quality": {},
    }
    all_times: dict[str, list[float]] = {"lookup": [], "search": []}
    for kind, items in queries.items():
        times: dict[str, list[float]] = {"lookup": [], "search": []}
        top1 = top10 = 0
        for query, expected in items:
            assert query is not None
            t0 = time.perf_counter()
            vocabulary.lookup(query)
            t1 = time.perf_counter()
            hits = vocabulary.searcher.search(query)  # the engine itself: not the result cache
            t2 = time.perf_counter()
            times["lookup"].append((t1 - t0) * 1000)
            times["search"].append((t2 - t1) * 1000)
            found = [h.row.pref_label for h in hits]
            if expected is None:
                top1 += not found
                top10 += not found
            else:
                top1 += bool(found) and found[0] == expected
                top10 += expected in found
        for method, ms in times.items():
            result[method][kind] = summary(ms)
            all_times[method] += ms
        result["quality"][kind] = {"top1": top1 / len(items), "top10": top10 / len(items)}
    for method, ms in all_times.items():
        result[method]["all"] = summary(ms)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    result = measure(args.db, json.loads(args.queries.read_text()))
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"open {result['open_ms']:.1f} ms, first lookup {result['first_lookup_ms']:.2f} ms, "
        f"first search {result['first_search_ms']:.1f} ms"
    )
    for method in ("lookup", "search"):
        for kind, s in result[method].items():
            print(
                f"{method:6} {kind:8} p50 {s['p50']:7.3f} ms  p99 {s['p99']:7.3f} ms  "
                f"max {s['max']:7.2f} ms"
            )
    for kind, q in result["quality"].items():
        print(f"search {kind:8} top-1 {q['top1']:.0%}  top-10 {q['top10']:.0%}")
    print(f"reproduce: python -m bench.latency --db {args.db} --queries {args.queries}")


if __name__ == "__main__":
    main()
