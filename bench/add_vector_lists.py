"""Add the semantic stage's lists (`vocab.vector_lists`) to a store built without them,
in place, instead of rebuilding it (a 1M-concept store takes minutes to build).

    python -m bench.add_vector_lists bench/out/db/1M.db
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from vocab.store.sqlite_lists import add_vector_lists
from vocab.vector_lists import APPROXIMATE_ABOVE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--above", type=int, default=APPROXIMATE_ABOVE, help="least concepts")
    args = parser.parse_args()
    conn = sqlite3.connect(args.db)
    start = time.perf_counter()
    added = add_vector_lists(conn, args.above)
    conn.close()
    took = time.perf_counter() - start
    print(f"{args.db}: {added or 'no lists (a small store keeps the exact scan)'} in {took:.1f} s")


if __name__ == "__main__":
    main()
