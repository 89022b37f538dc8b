"""What the semantic stage costs in resident memory, cold start and one query.

    python -m bench.memory --db bench/out/db/100k.db

Each figure comes from a fresh process, so nothing is shared between them: the resident
set (VmRSS) after importing the store and lexical search with and without numpy, the
model and the vector codes, and after a few hundred semantic queries.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys, time
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
out = {"python": rss()}
start = time.perf_counter()
import numpy
out["numpy"] = rss()
from vocab.store import SQLiteStore
from vocab.meaning import MeaningIndex
store = SQLiteStore(sys.argv[1])
out["store"] = rss()
loaded = time.perf_counter()
meaning = MeaningIndex(store)
out["load_ms"] = (time.perf_counter() - loaded) * 1000
out["model_and_codes"] = rss()
queries = ["scan with a big magnet", "share of sick people the test catches",
           "machine that improves with examples", "qohoh sewaze"] * 50
t = time.perf_counter()
for q in queries:
    meaning.by_meaning(q, 50)
out["query_ms"] = (time.perf_counter() - t) * 1000 / len(queries)
out["after_queries"] = rss()
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(args.db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(done.stdout)
    added = r["after_queries"] - r["python"] - (r["store"] - r["numpy"])
    print(
        f"resident memory (MB): python {r['python']:.1f}, + numpy {r['numpy'] - r['python']:.1f}, "
        f"+ store module and connection {r['store'] - r['numpy']:.1f}, "
        f"+ model and vector codes {r['model_and_codes'] - r['store']:.1f}, "
        f"after {200} semantic queries {r['after_queries']:.1f}"
    )
    print(f"the semantic stage adds {added:.1f} MB (numpy, model, codes, query buffers)")
    print(
        f"loading the model and codes: {r['load_ms']:.0f} ms; one semantic query: {r['query_ms']:.2f} ms"
    )
    print(f"reproduce: python -m bench.memory --db {args.db}")


if __name__ == "__main__":
    main()
