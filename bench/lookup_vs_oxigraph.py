"""In-process exact lookup beside Oxigraph's indexed literal match, on the same data.

    python -m bench.lookup_vs_oxigraph                      # shipped, 100k
    python -m bench.lookup_vs_oxigraph --sizes shipped,100k,1M

Needs the stores of `python -m bench.build` (ours in bench/out/db/, Oxigraph's in
bench/out/oxigraph/) for the same sizes. The queries are 400 labels drawn (seeded) from
the store, preferred labels and acronyms alike, written exactly as stored, each with its
language tag. Ours: `Vocabulary.lookup(text)` (normalise the text, find every label with
its key, split the tiers, resolve each concept's IRI, preferred label and status).
Oxigraph: a SPARQL query binding the literal (text and language) against the four label
properties, returning concept and property: an index lookup on the object. Both run
in this process, interleaved round by round after a warm-up pass; every call is timed.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.generate import OUT, SEED, parse_size, size_name
from bench.oxigraph import label_matchers
from vocab.vocabulary import Vocabulary

QUERIES = 400


def sample_labels(db: Path, count: int = QUERIES) -> list[tuple[str, str]]:
    """Return (text, language) of `count` preferred labels and acronyms of the store."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT max(rowid) FROM labels").fetchone()[0]
        rng = random.Random(SEED)
        found: list[tuple[str, str]] = []
        while len(found) < count:
            row = conn.execute(
                "SELECT text, lang FROM labels WHERE rowid = ? AND kind IN (0, 1)",
                (rng.randint(1, total),),
            ).fetchone()
            if row:
                found.append(row)
        return found
    finally:
        conn.close()


def time_calls(call: Callable[[str], object], queries: list[str]) -> tuple[list[float], int]:
    """Return the milliseconds of each call and how many answered something."""
    times, answered = [], 0
    for text in queries:
        start = time.perf_counter()
        found = call(text)
        times.append((time.perf_counter() - start) * 1000)
        answered += bool(found)
    return times, answered


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(name: str, rounds: int) -> dict[str, object]:
    db, store = OUT / "db" / f"{name}.db", OUT / "oxigraph" / name
    labels = sample_labels(db)
    vocabulary = Vocabulary.open(db)
    matchers = label_matchers(store)
    by_text = dict(labels)
    contenders: dict[str, Callable[[str], object]] = {
        "ours": lambda text: vocabulary.lookup(text).hits,
        "oxigraph": lambda text: matchers["sparql"](text, by_text[text]),
        "oxigraph-pattern": lambda text: matchers["pattern"](text, by_text[text]),
    }
    texts = [text for text, _ in labels]
    times: dict[str, list[float]] = {who: [] for who in contenders}
    answered: dict[str, int] = {}
    for call in contenders.values():
        time_calls(call, texts)  # warm-up: pages, caches, query plans
    for _ in range(rounds):
        for who, call in contenders.items():
            took, answered[who] = time_calls(call, texts)
            times[who] += took
    result: dict[str, object] = {"name": name}
    for who, took in times.items():
        result[who] = {
            "p50": statistics.median(took),
            "p99": percentile(took, 0.99),
            "mean": statistics.fmean(took),
            "answered": f"{answered[who]}/{len(texts)}",
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,100k")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for text in args.sizes.split(","):
        name = text if text == "shipped" else size_name(parse_size(text))
        r = measure(name, args.rounds)
        for who in ("ours", "oxigraph", "oxigraph-pattern"):
            f = r[who]
            assert isinstance(f, dict)
            print(
                f"{name:>8} {who:<16} p50 {f['p50']:.3f} ms, p99 {f['p99']:.3f} ms, "
                f"mean {f['mean']:.3f} ms, answered {f['answered']}"
            )
        ours, peer, bare = r["ours"], r["oxigraph"], r["oxigraph-pattern"]
        assert isinstance(ours, dict) and isinstance(peer, dict) and isinstance(bare, dict)
        print(
            f"{name:>8} Oxigraph SPARQL p50 / ours p50: {peer['p50'] / ours['p50']:.2f}x; "
            f"Oxigraph pattern p50 / ours p50: {bare['p50'] / ours['p50']:.2f}x",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"reproduce: python -m bench.lookup_vs_oxigraph {' '.join(sys.argv[1:])}".rstrip())


if __name__ == "__main__":
    main()
