"""Search and alignment quality on query sets written blind, against three baselines.

    python -m bench.quality                       # the frozen v1 sets (bench/sets/)
    python -m bench.quality --json                # the same figures as JSON
    python -m bench.quality --search bench/dev-queries.tsv --mistakes   # our own dev set
    python -m bench.quality --vocabulary bench/sets/vocabulary-v2.ttl \
        --search bench/dev-queries-v2.tsv --vendor bench/dev-vendor-v2.tsv --no-old-vendor --mistakes

A store is built from the vocabulary each set was written for (`bench/sets/vocabulary-v1.ttl`
for the v1 sets, the shipped `ontology/vocabulary` for `tests/alignment/vendor_terms.tsv`).
Every query goes through `Vocabulary.search`, every vendor term through `Vocabulary.align`,
and, in the same run over the same exported snapshot, through three baselines
(`bench/baselines.py`: substring, rapidfuzz WRatio, BM25 over labels and definitions).

Search: top-1 accuracy per kind and overall; a query whose expected column lists several
ids with `|` is right when any of them is first, except `ambiguous` rows, which are right
when every listed sense is in the top 3. Alignment: precision and recall of the best
candidate (an ambiguous answer counts as no answer), out-of-domain terms kept unmapped,
accuracy (right concept or rightly unmapped, over all terms) and calibration per
confidence band. The baselines get the best cut-off for "unmapped" that the set allows
(an oracle: their figures are an upper bound).

Failing queries are listed (`--mistakes`) for development sets only: never for the
held-out sets (`bench/sets/*-v3.*`, `bench/sets/senses-v2.tsv`), which judge the engine
and are not for tuning it. The v1 and v2 sets were held out once; they are development
sets now.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "bench" / "sets"
V1_VOCABULARY = SETS / "vocabulary-v1.ttl"
SHIPPED = ROOT / "ontology" / "vocabulary"
OLD_VENDOR = ROOT / "tests" / "alignment" / "vendor_terms.tsv"
BASE = "http://127.0.0.1:8000"
HELD_OUT = (
    "*-v3.*",
    "senses-v2.tsv",
    "senses-v4.tsv",
    "senses-v5.tsv",
    "senses-v6.tsv",
)  # under bench/sets/: no --mistakes
BANDS = ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7))
KIND_ORDER = (
    "acronym",
    "typo",
    "spelling",
    "synonym",
    "lay",
    "inflection",
    "word_order",
    "ambiguous",
    "phrase",
)


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    expected: tuple[str, ...]


@dataclass
class SearchScore:
    right: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    mistakes: list[str] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)

    def accuracy(self, kind: str | None = None) -> float:
        hits = [r for k, rs in self.right.items() if kind in (None, k) for r in rs]
        return sum(hits) / len(hits) if hits else 0.0


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and x[0] != "#"]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_queries(path: Path) -> list[Query]:
    return [Query(r["query"], r["kind"], tuple(r["expected"].split("|"))) for r in _rows(path)]


def held_out(path: Path) -> bool:
    """True for a held-out set, whose failures are never listed."""
    path = path.resolve()
    return path.parent == SETS and any(path.match(pattern) for pattern in HELD_OUT)


def is_right(query: Query, ranked: list[str]) -> bool:
    if query.kind == "ambiguous":
        return set(query.expected) <= set(ranked[:3])
    return bool(ranked) and ranked[0] in query.expected


def score_search(rank: Any, queries: list[Query], timed: bool = False) -> SearchScore:
    """Return the accuracy of `rank(text) -> [concept id, ...]` on `queries`."""
    score = SearchScore()
    for q in queries:
        start = time.perf_counter()
        ranked = rank(q.text)
        if timed:
            score.millis.append((time.perf_counter() - start) * 1000)
        right = is_right(q, ranked)
        score.right[q.kind].append(right)
        if not right:
            score.mistakes.append(f"{q.kind:10} {q.text!r} -> {ranked[:3]}; expected {q.expected}")
    return score


def engine_ranker(vocabulary: Any) -> Any:
    def rank(text: str) -> list[str]:
        return [hit.row.id for hit in vocabulary.searcher.search(text, limit=10)]

    return rank


# --- alignment --------------------------------------------------------------------------


@dataclass
class AlignScore:
    cases: int = 0
    should_map: int = 0
    should_not_map: int = 0
    answered: int = 0
    correct: int = 0
    kept_unmapped: int = 0
    bands: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    reasons: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    mistakes: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "terms": self.cases,
            "accuracy": round((self.correct + self.kept_unmapped) / max(1, self.cases), 3),
            "precision": round(self.correct / max(1, self.answered), 3),
            "recall": round(self.correct / max(1, self.should_map), 3),
            "kept_unmapped": f"{self.kept_unmapped}/{self.should_not_map}",
            "bands": {
                band: f"{sum(v)}/{len(v)} = {sum(v) / len(v):.1%}" if v else "0 answers"
                for band, v in self.bands.items()
            },
            "reasons": {
                reason: f"{sum(v)}/{len(v)} right" for reason, v in sorted(self.reasons.items())
            },
        }


def _band(confidence: float) -> str:
    for low, high in BANDS:
        if low <= confidence < high:
            return f"[{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}"
    return "below 0.5"


def score_alignment(vocabulary: Any, path: Path) -> AlignScore:
    rows = _rows(path)
    score = AlignScore(cases=len(rows))
    results = vocabulary.align([r["term"] for r in rows], community="industry")
    for r, result in zip(rows, results, strict=True):
        expected = set() if r["expected"] == "-" else set(r["expected"].split("|"))
        best = result.best
        score.should_map += bool(expected)
        score.should_not_map += not expected
        if best is None:
            score.kept_unmapped += not expected
            if expected:
                score.mistakes.append(
                    f"missed {r['term']!r} ({result.status}); expected {expected}"
                )
            continue
        score.answered += 1
        right = best.row.id in expected
        score.correct += right
        score.bands[_band(best.confidence)].append(right)
        score.reasons[f"{best.reason} {_band(best.confidence)}"].append(right)
        if not right:
            score.mistakes.append(
                f"wrong  {r['term']!r} -> {best.row.id} {best.row.pref_label!r} "
                f"{best.confidence:.2f}; expected {expected or 'unmapped'}"
            )
    return score


def baseline_alignment(baseline: Any, path: Path) -> dict[str, Any]:
    """Return a baseline's alignment figures at the best cut-off the set allows (an oracle)."""
    rows = _rows(path)
    answers = []
    for r in rows:
        expected = set() if r["expected"] == "-" else set(r["expected"].split("|"))
        ranked = baseline.rank(r["term"])
        top = ranked.ids[0] if ranked.ids else None
        answers.append((ranked.best_score, top in expected, bool(expected)))
    best: tuple[float, float, int, int] = (-1.0, 0.0, 0, 0)
    for cut in sorted({s for s, _, _ in answers} | {float("inf")}):
        answered = [(ok, should) for s, ok, should in answers if s >= cut and s > 0]
        correct = sum(ok for ok, _ in answered)
        kept = sum(1 for s, _, should in answers if not should and not (s >= cut and s > 0))
        accuracy = (correct + kept) / len(rows)
        if accuracy > best[0]:
            best = (accuracy, cut, correct, len(answered))
    should_map = sum(1 for _, _, should in answers if should)
    accuracy, cut, correct, answered = best
    return {
        "accuracy": round(accuracy, 3),
        "precision": round(correct / max(1, answered), 3),
        "recall": round(correct / max(1, should_map), 3),
        "cut_off": cut,
    }


# --- running ----------------------------------------------------------------------------


def build(source: Path, workdir: Path) -> Any:
    from tests.conftest import build_vocabulary

    return build_vocabulary(source, workdir / f"{source.stem}.db", base=BASE)


def search_table(
    scores: dict[str, SearchScore], queries: list[Query]
) -> tuple[str, dict[str, Any]]:
    kinds = [k for k in KIND_ORDER if any(q.kind == k for q in queries)]
    kinds += sorted({q.kind for q in queries} - set(kinds))
    counts = {k: sum(q.kind == k for q in queries) for k in kinds}
    head = "| kind | queries | " + " | ".join(scores) + " |"
    lines = [head, "| --- | ---: | " + " | ".join("---:" for _ in scores) + " |"]
    data: dict[str, Any] = {}
    for kind in [*kinds, None]:
        name = kind or "**overall**"
        count = counts[kind] if kind else len(queries)
        cells = [f"{s.accuracy(kind):.3f}" for s in scores.values()]
        lines.append(f"| {name} | {count} | " + " | ".join(cells) + " |")
        data[kind or "overall"] = {n: round(s.accuracy(kind), 3) for n, s in scores.items()}
    return "\n".join(lines), data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--search", type=Path, default=SETS / "search-v1.tsv")
    parser.add_argument("--vendor", type=Path, default=SETS / "vendor-v1.tsv")
    parser.add_argument("--vocabulary", type=Path, default=V1_VOCABULARY)
    parser.add_argument("--no-old-vendor", action="store_true", help="skip vendor_terms.tsv")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--mistakes", action="store_true", help="list failures (dev sets only)")
    args = parser.parse_args()
    for name in ("search", "vendor", "vocabulary"):
        setattr(args, name, getattr(args, name).resolve())
    sys.path.insert(0, str(ROOT))
    from bench.baselines import BASELINES

    out: dict[str, Any] = {}
    text: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        vocabulary = build(args.vocabulary, Path(tmp))
        build_s = time.perf_counter() - start
        snapshot = vocabulary.snapshot()
        queries = load_queries(args.search)
        engine_ranker(vocabulary)(queries[0].text)  # load the lazily built indexes first
        scores = {"engine": score_search(engine_ranker(vocabulary), queries, timed=True)}
        baselines = [cls(snapshot) for cls in BASELINES]
        for baseline in baselines:
            scores[baseline.name] = score_search(lambda t, b=baseline: b.rank(t).ids, queries)
        table, out["search"] = search_table(scores, queries)
        millis = sorted(scores["engine"].millis)
        out["search_ms"] = {
            "p50": round(statistics.median(millis), 3),
            "p99": round(millis[int(len(millis) * 0.99) - 1], 3),
        }
        text += [
            f"## Search: top-1 accuracy ({args.search.relative_to(ROOT)}, {len(queries)} queries)",
            "",
            table,
            "",
            f"Engine latency on this set: p50 {out['search_ms']['p50']} ms, "
            f"p99 {out['search_ms']['p99']} ms; store built in {build_s:.2f} s.",
        ]
        sets = [(args.vendor, vocabulary, baselines)]
        if not args.no_old_vendor:
            shipped = build(SHIPPED, Path(tmp))
            shipped_baselines = [cls(shipped.snapshot()) for cls in BASELINES]
            sets.append((OLD_VENDOR, shipped, shipped_baselines))
        out["alignment"] = {}
        for path, vocab, bases in sets:
            name = str(path.relative_to(ROOT))
            align = score_alignment(vocab, path)
            figures = {"engine": align.figures()}
            for baseline in bases:
                figures[baseline.name] = baseline_alignment(baseline, path)
            out["alignment"][name] = figures
            text += ["", f"## Alignment ({name}, {align.cases} terms)", ""]
            text += ["| ranker | accuracy | precision | recall | kept unmapped |"]
            text += ["| --- | ---: | ---: | ---: | --- |"]
            for ranker, f in figures.items():
                kept = f.get("kept_unmapped", f"(cut-off {f.get('cut_off', '')})")
                text.append(
                    f"| {ranker} | {f['accuracy']:.3f} | {f['precision']:.3f} | "
                    f"{f['recall']:.3f} | {kept} |"
                )
            text += [
                "",
                "Engine calibration: "
                + "; ".join(
                    f"{band}: {v}"
                    for band, v in sorted(figures["engine"]["bands"].items(), reverse=True)
                ),
            ]
            text.append(
                "Engine answers by evidence: "
                + "; ".join(f"{k}: {v}" for k, v in figures["engine"]["reasons"].items())
            )
            if args.mistakes and not held_out(path):
                text += ["", *align.mistakes]
        if args.mistakes and not held_out(args.search):
            text += ["", "Search mistakes:", *scores["engine"].mistakes]
    text += ["", "Reproduce: python -m bench.quality " + " ".join(sys.argv[1:])]
    print(json.dumps(out, indent=1) if args.json else "\n".join(text))


if __name__ == "__main__":
    main()
