"""Alignment quality and speed on our own vendor-term test set.

    python -m bench.alignment            # quality on tests/alignment/vendor_terms.tsv + 10k-term speed

Quality: precision and recall of the best candidate (ambiguous answers count as no
answer), unmapped terms kept unmapped, predicate agreement on correct answers, and
calibration (how often answers in each confidence band are right). Speed: aligning
10,000 terms (the test set's terms with generated variants) against the shipped
vocabulary, and lookup latency over HTTP while such an alignment runs.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_SET = ROOT / "tests" / "alignment" / "vendor_terms.tsv"
BANDS = ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7))


@dataclass(frozen=True)
class Case:
    term: str
    expected: frozenset[str]  # empty: must stay unmapped
    predicate: str


@dataclass
class Quality:
    cases: int = 0
    answered: int = 0
    correct: int = 0
    should_map: int = 0
    should_not_map: int = 0
    kept_unmapped: int = 0
    predicate_agrees: int = 0
    bands: dict[tuple[float, float], list[bool]] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.should_map if self.should_map else 0.0

    def band_accuracy(self, band: tuple[float, float]) -> float:
        hits = self.bands.get(band, [])
        return sum(hits) / len(hits) if hits else 1.0


def load_cases(path: Path = TEST_SET) -> list[Case]:
    rows = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    reader = csv.DictReader(rows, delimiter="\t")
    return [
        Case(
            r["term"],
            frozenset() if r["expected"] == "-" else frozenset(r["expected"].split("|")),
            r["predicate"],
        )
        for r in reader
    ]


def evaluate(vocabulary, cases: list[Case]) -> Quality:  # type: ignore[no-untyped-def]
    """Return the quality of `vocabulary.align` on `cases`."""
    quality = Quality(cases=len(cases))
    alignments = vocabulary.align([c.term for c in cases], community="industry")
    for case, result in zip(cases, alignments, strict=True):
        best = result.best
        if case.expected:
            quality.should_map += 1
        else:
            quality.should_not_map += 1
            if best is None:
                quality.kept_unmapped += 1
        if best is None:
            if case.expected:
                quality.mistakes.append(
                    f"missed      {case.term!r} -> {sorted(case.expected)} ({result.status})"
                )
            continue
        quality.answered += 1
        right = best.row.id in case.expected
        quality.correct += right
        if right and f"{best.predicate.value}" == case.predicate:
            quality.predicate_agrees += 1
        for band in BANDS:
            if band[0] <= best.confidence < band[1]:
                quality.bands.setdefault(band, []).append(right)
        if not right:
            quality.mistakes.append(
                f"wrong       {case.term!r} -> {best.row.id} {best.row.pref_label!r} "
                f"{best.predicate.value} {best.confidence:.2f}; expected {sorted(case.expected) or 'unmapped'}"
            )
    return quality


def report(quality: Quality) -> str:
    lines = [
        f"terms {quality.cases}: {quality.should_map} with a concept, {quality.should_not_map} that must stay unmapped",
        f"precision {quality.precision:.3f}  recall {quality.recall:.3f}  "
        f"unmapped kept unmapped {quality.kept_unmapped}/{quality.should_not_map}  "
        f"predicate agrees on {quality.predicate_agrees}/{quality.correct} correct answers",
    ]
    for band in BANDS:
        hits = quality.bands.get(band, [])
        lines.append(
            f"confidence [{band[0]:.1f}, {min(band[1], 1.0):.1f}): {len(hits):3d} answers, "
            f"{quality.band_accuracy(band):.1%} right"
        )
    return "\n".join(lines)


def variants(cases: list[Case], n: int, seed: int = 7) -> list[str]:
    """Return `n` realistic terms: the test set's terms, re-cased, with typos and product words."""
    rng = random.Random(seed)
    words = ["software", "module", "AI", "v2", "tool", "engine", "pro"]
    out = []
    while len(out) < n:
        term = rng.choice(cases).term
        roll = rng.random()
        if roll < 0.25 and len(term) > 5:
            i = rng.randrange(1, len(term) - 1)
            term = term[:i] + term[i + 1] + term[i] + term[i + 2 :]
        elif roll < 0.45:
            term = f"{term} {rng.choice(words)}"
        elif roll < 0.6:
            term = term.upper()
        out.append(f"{term} {len(out)}" if rng.random() < 0.3 else term)
    return out


def speed(vocabulary, cases: list[Case], n: int = 10_000) -> float:  # type: ignore[no-untyped-def]
    terms = variants(cases, n)
    vocabulary.align(terms[:50])  # build the label index first, as a running server has
    start = time.perf_counter()
    vocabulary.align(terms)
    return time.perf_counter() - start


def lookup_latency_during_alignment(
    db: Path, cases: list[Case], n: int = 10_000
) -> tuple[list[float], list[float]]:
    """Return lookup latencies (ms) over HTTP without and with a 10k-term alignment running."""
    import httpx

    from tests.conftest import free_port

    port = free_port()
    import subprocess

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.main:app_from_env",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--log-level",
            "warning",
        ],
        env={"VOCAB_DB": str(db), "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

        def probe(seconds: float) -> list[float]:
            out = []
            with httpx.Client() as client:
                end = time.monotonic() + seconds
                i = 0
                while time.monotonic() < end:
                    i += 1
                    t = time.perf_counter()
                    client.get(f"{base}/lookup/MHRA?i={i}")  # a new query string: not cached
                    out.append((time.perf_counter() - t) * 1000)
                    time.sleep(0.01)
            return out

        idle = probe(2.0)
        body = "\n".join(variants(cases, n)).encode()
        busy: list[float] = []
        worker = threading.Thread(target=lambda: busy.extend(probe(4.0)))
        worker.start()
        httpx.post(
            f"{base}/align", content=body, headers={"Content-Type": "text/plain"}, timeout=120
        )
        worker.join()
        return idle, busy
    finally:
        server.terminate()
        server.wait(timeout=10)


def percentile(values: list[float], p: float) -> float:
    return (
        statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else (values or [0.0])[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--no-http", action="store_true", help="skip the lookup-latency-under-load run"
    )
    parser.add_argument("--mistakes", action="store_true", help="list every wrong or missed term")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.conftest import BASE, SOURCE, build_vocabulary

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "vocab.db"
        vocabulary = build_vocabulary(SOURCE, db, base=BASE)
        cases = load_cases()
        quality = evaluate(vocabulary, cases)
        print("Alignment quality (tests/alignment/vendor_terms.tsv)")
        print(report(quality))
        if args.mistakes:
            print("\n".join(quality.mistakes))
        seconds = speed(vocabulary, cases)
        print(f"\nAligning 10,000 terms in process: {seconds:.2f} s")
        if not args.no_http:
            idle, busy = lookup_latency_during_alignment(db, cases)
            print(
                f"Lookup over HTTP, idle: p50 {percentile(idle, 50):.2f} ms, p99 {percentile(idle, 99):.2f} ms "
                f"({len(idle)} requests)"
            )
            print(
                f"Lookup over HTTP during a 10,000-term POST /align: p50 {percentile(busy, 50):.2f} ms, "
                f"p99 {percentile(busy, 99):.2f} ms, max {max(busy):.2f} ms ({len(busy)} requests)"
            )
    print("\nReproduce: python -m bench.alignment")


if __name__ == "__main__":
    main()
