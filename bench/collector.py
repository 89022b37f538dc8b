"""How long a full garbage collection holds the server, with the release's heap frozen or not.

    python -m bench.collector                       # the shipped vocabulary
    python -m bench.collector --db bench/out/db/100k.db

The app is started as `vocab serve` starts it (lifespan: the annotator warmed, then
`api.heap.settle`) and answers a few requests; then full collections (`gc.collect()`, the
GIL held throughout, so no request is answered meanwhile) are timed with the heap thawed
(what the server did before `api.heap`) and frozen (what it does now). Medians of 5.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from loaders.turtle_source import read_source
from vocab.source import write_store
from vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8000"


def full_collections(rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        gc.collect()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def shipped(db: Path) -> Path:
    source = ROOT / "ontology" / "vocabulary"
    write_store(
        db, read_source(source, base=BASE).snapshot, origin="bench", source=source, base=BASE
    )
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a built store (default: the shipped vocabulary)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or shipped(Path(folder) / "vocab.db")
        with TestClient(create_app(Vocabulary.open(db, BASE), base=BASE)) as client:
            for path in ("/lookup/MHRA", "/search?q=recall", "/terms/t0133?format=json"):
                client.get(path)
            frozen = gc.get_freeze_count()
            gc.unfreeze()
            thawed_ms = full_collections(args.rounds)
            gc.freeze()
            frozen_ms = full_collections(args.rounds)
    print(f"store: {db if args.db else 'shipped vocabulary'}; objects frozen at start: {frozen:,}")
    print(f"full collection, heap thawed (before api.heap): {thawed_ms:8.2f} ms")
    print(f"full collection, heap frozen (now):             {frozen_ms:8.2f} ms")
    print(f"reproduce: python -m bench.collector{' --db ' + str(args.db) if args.db else ''}")


if __name__ == "__main__":
    main()
