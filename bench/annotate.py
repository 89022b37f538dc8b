"""Annotation: sense accuracy on sense sets, and speed at the shipped size and at 100k concepts.

    python -m bench.annotate                       # senses + speed (shipped; 100k if built)
    python -m bench.annotate --skip speed          # sense accuracy only
    python -m bench.annotate --skip speed --sets dev,senses-v1   # development sets only
    python -m bench.annotate --db100k bench/out/db/100k.db

**Sense accuracy** reads every `bench/sets/senses-*.tsv` (the blind sets, written by
someone else; columns `sentence`, `word`, `expected` concept id(s) `|`-separated, `note`;
`#` lines are comments) and our own development set `tests/vocab/annotate_dev_senses.tsv`
(not blind), each scored against its own vocabulary (`WRITTEN_FOR`: senses-v1 was written
for vocabulary-v2.ttl, senses-v2 for vocabulary-v3.ttl, senses-v4 for the shipped source as of
2026-12-03; our development set against the shipped source). A row is right when the span
covering `word` in `sentence` (the first whole-word occurrence, case first) is annotated
with an expected concept; a longer term found around the word counts as right when its
concept is narrower than an expected one ("clinical validation" for validation).

**Speed**: a 100 KB document (realistic sentences made from the vocabulary's own labels
and definitions, so terms are as dense as in real prose), annotated in process: the first
time (cold caches: label rows, sense profiles, word vectors), then `RUNS` times, in CPU
time (what the annotation costs, whatever else the machine runs) and wall-clock time
(median and best); spans per second; and the time and memory to build the annotator
(`warm()`, what the server does at startup): CPU and wall seconds, and the growth of
resident and peak memory. The machine is shared: compare CPU times, and wall times only
between runs of one session.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from loaders.turtle_source import read_source
from vocab.annotate import Annotator
from vocab.source import stale_reason, write_store
from vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "bench" / "sets"
DEV = ROOT / "tests" / "vocab" / "annotate_dev_senses.tsv"
OUT = ROOT / "bench" / "out"
SHIPPED = ROOT / "ontology" / "vocabulary"
BASE = "http://127.0.0.1:8000"
DOCUMENT_BYTES = 100_000
RUNS = 9
FILLER = (
    "In this study we looked at how the department used it in practice.",
    "The results were discussed with the team before the next step.",
    "Patients were told what would happen and could ask questions at any time.",
)


def build(source: Path, db: Path) -> Vocabulary:
    """Return a Vocabulary over a store built from `source` at `db` (reused while current)."""
    if stale_reason(db, source, BASE) is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
        result = read_source(source, base=BASE)
        write_store(db, result.snapshot, origin="bench", source=source, base=BASE)
    return Vocabulary.open(db)


def read_set(path: Path) -> list[tuple[str, str, list[str]]]:
    """Return (sentence, word, expected ids) rows of a sense set."""
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")
    ]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t"), strict=False))
        rows.append((cells["sentence"], cells["word"], cells["expected"].split("|")))
    return rows


def score_set(path: Path, vocabulary: Vocabulary) -> tuple[int, int, list[str]]:
    """Return (right, total, lines describing the misses) for one sense set."""
    annotator = Annotator(vocabulary.store)
    right, misses = 0, []
    for sentence, word, expected in read_set(path):
        pattern = rf"\b{re.escape(word)}\b"
        at = re.search(pattern, sentence) or re.search(pattern, sentence, re.IGNORECASE)
        where = at.start() if at else -1
        span = next(
            (s for s in annotator.annotate(sentence).spans if s.start <= where < s.end), None
        )
        got = span.sense.id if span else None
        ok = got in expected
        if not ok and span is not None and got is not None:
            broader = vocabulary.record(got).concept.broader
            ok = any(b.rsplit("/", 1)[-1] in expected for b in broader)
        right += ok
        if not ok:
            misses.append(f"  {word}: expected {'|'.join(expected)}, got {got}  — {sentence[:90]}")
    return right, len(read_set(path)), misses


FITTED = {"senses-v1.tsv"}
"""Sense sets the weights of sense choice are fitted on (bench/sense_weights.py): written
blind, studied since; only the others (senses-v2, senses-v4, senses-v5) still measure sense choice
blind."""

WRITTEN_FOR = {"senses-v1.tsv": "vocabulary-v2.ttl", "senses-v2.tsv": "vocabulary-v3.ttl"}
"""The vocabulary each blind sense set was written for (see bench/sets/senses-README.md);
a set not listed is scored against vocabulary-<its version>.ttl when there is one."""


def vocabulary_for(path: Path) -> Vocabulary:
    """Return the vocabulary a sense set was written for (the shipped one for our own set)."""
    own = SETS / WRITTEN_FOR.get(path.name, f"vocabulary-{path.stem.removeprefix('senses-')}.ttl")
    if path.parent == SETS and own.exists():
        return build(own, OUT / "db" / f"senses-{own.stem}.db")
    return build(SHIPPED, OUT / "db" / "annotate-shipped.db")


def senses(verbose: bool, only: set[str] | None = None) -> None:
    """Print sense accuracy on every sense set, or on those named in `only` ("dev" for our
    development set, "senses-v1" for bench/sets/senses-v1.tsv, ...)."""
    sets = sorted(SETS.glob("senses-*.tsv"))
    if not sets:
        print("No blind sense set yet (bench/sets/senses-*.tsv); scoring the development set only.")
    for path in [*sets, DEV]:
        if only is not None and ("dev" if path == DEV else path.stem) not in only:
            continue
        right, total, misses = score_set(path, vocabulary_for(path))
        label = (
            "development set, NOT blind"
            if path == DEV
            else "written blind; the weights are fitted on it"
            if path.name in FITTED
            else "blind set, held out"
        )
        print(f"sense accuracy {path.name} ({label}): {right}/{total} = {right / total:.3f}")
        if verbose:
            print("\n".join(misses))


def document(vocabulary: Vocabulary, size: int = DOCUMENT_BYTES, seed: int = 7) -> str:
    """Return about `size` bytes of prose that mentions the vocabulary's terms."""
    rng = random.Random(seed)
    concepts = [c for c in vocabulary.store.concepts() if c.is_active][:5000]
    parts: list[str] = []
    length = 0
    while length < size:
        c = rng.choice(concepts)
        labels = [lb.text for lb in c.labels if lb.kind.value != "hidden"]
        sentence = f"We used {rng.choice(labels)} as described: {c.definition()} "
        sentence += rng.choice(FILLER) + " "
        parts.append(sentence)
        length += len(sentence.encode())
    return "".join(parts)[:size]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Return the CPU and wall seconds `run` takes."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def speed(name: str, vocabulary: Vocabulary) -> None:
    annotator = Annotator(vocabulary.store)
    resident, peak = resident_mb(), peak_mb()
    cpu, wall = timed(annotator.warm)
    print(
        f"{name}: annotator built in {cpu:.2f} s CPU ({wall:.2f} s wall), "
        f"{annotator.matcher.labels:,} label forms, +{resident_mb() - resident:.0f} MB resident "
        f"(+{peak_mb() - peak:.0f} MB peak)"
    )
    text = document(vocabulary)
    first_cpu, first_wall = timed(lambda: annotator.annotate(text))
    gc.collect()
    cpus, walls, spans = [], [], 0
    for _ in range(RUNS):
        cpu, wall = timed(lambda: annotator.annotate(text))
        cpus.append(cpu)
        walls.append(wall)
    spans = len(annotator.annotate(text).spans)
    print(
        f"{name}: 100 KB annotated in {statistics.median(cpus) * 1000:.0f} ms CPU median of "
        f"{RUNS} (best {min(cpus) * 1000:.0f}), {statistics.median(walls) * 1000:.0f} ms wall "
        f"median (best {min(walls) * 1000:.0f}); first document {first_cpu * 1000:.0f} ms CPU "
        f"({first_wall * 1000:.0f} wall); {spans:,} spans, "
        f"{spans / statistics.median(walls):,.0f} spans/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", default="", help="comma-separated: senses,speed")
    parser.add_argument("--db100k", type=Path, default=OUT / "db" / "100k.db")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument(
        "--sets",
        default="",
        help="comma-separated sense sets to score (dev, senses-v1, ...); default: all",
    )
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    if "senses" not in skip:
        senses(args.verbose, set(args.sets.split(",")) if args.sets else None)
    if "speed" not in skip:
        speed("shipped", build(SHIPPED, OUT / "db" / "annotate-shipped.db"))
        if args.db100k.exists():
            speed("100k", Vocabulary.open(args.db100k))
        else:
            print(
                f"{args.db100k} is missing: python -m bench.generate --sizes 100k, then vocab build"
            )
    print("reproduce: python -m bench.annotate " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
