"""Uncached typo search in process: this checkout, and another beside it (`--before`).

    python -m bench.typo_search                                  # this code, shipped store
    python -m bench.typo_search --before /tmp/before --rounds 3  # and another, alternating

Each measurement runs in a fresh interpreter whose `PYTHONPATH` is the checkout measured:
it opens the store, searches once to warm up, then times `Vocabulary.search` over `--count`
new misspellings of the store's preferred labels (two random letters replaced, as the
`bench.routes` typo script makes them; none searched before, so no cache answers). Figures:
the median wall milliseconds of a search, and the CPU milliseconds per search over the
batch (what a server's throughput pays). Each round draws its own misspellings and gives
the same ones to both checkouts, this one first, then the other.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.routes import SHIPPED_DB, ensure_shipped

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = """
import json, random, statistics, sys, time
from vocab.vocabulary import Vocabulary

db, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
vocabulary = Vocabulary.open(db)
labels = [r.pref_label for r in vocabulary.store.concept_refs_sorted()]
labels = [label for label in labels if label.isascii() and len(label) >= 6][:400]
rng = random.Random(seed)
queries = []
for _ in range(count):
    text = rng.choice(labels)
    for _ in range(2):
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
    queries.append(text)
vocabulary.search("warm up")
times = []
cpu = time.process_time()
for text in queries:
    start = time.perf_counter()
    vocabulary.search(text)
    times.append(time.perf_counter() - start)
cpu = time.process_time() - cpu
print(json.dumps({"median_ms": 1000 * statistics.median(times), "cpu_ms": 1000 * cpu / count}))
"""


def measure(code: Path, db: Path, count: int, seed: int) -> dict[str, float]:
    """Median wall ms and CPU ms per search of `code`'s search over new misspellings."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(db.resolve()), str(count), str(seed)],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=SHIPPED_DB)
    parser.add_argument("--count", type=int, default=1000, help="misspellings per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout, measured beside this one")
    args = parser.parse_args()
    db = ensure_shipped(args.db) if args.db == SHIPPED_DB else args.db
    codes = [("this", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    rows: list[dict[str, Any]] = []
    for round_ in range(args.rounds):
        seed = random.randrange(1 << 30)
        for name, code in codes:
            figures = measure(code, db, args.count, seed)
            rows.append({"round": round_ + 1, "code": name, **figures})
            print(
                f"round {round_ + 1} {name:6} median {figures['median_ms']:.3f} ms  "
                f"CPU {figures['cpu_ms']:.3f} ms a search  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    for name, _ in codes:
        mine = [r for r in rows if r["code"] == name]
        print(
            f"{name:6} median {min(r['median_ms'] for r in mine):.3f}-"
            f"{max(r['median_ms'] for r in mine):.3f} ms, CPU "
            f"{min(r['cpu_ms'] for r in mine):.3f}-{max(r['cpu_ms'] for r in mine):.3f} ms a search"
        )
    print(
        f"reproduce: python -m bench.typo_search --db {args.db} --count {args.count} "
        f"--rounds {args.rounds}" + (f" --before {args.before}" if args.before else "")
    )


if __name__ == "__main__":
    main()
