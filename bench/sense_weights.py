"""Fit the weights of sense choice on the development sets (never the held-out senses-v4).

    python -m bench.sense_weights              # fit on dev + senses-v1 + senses-v2
    python -m bench.sense_weights --fit dev    # on dev only: how far the fit carries
    python -m bench.sense_weights --drop soft  # with a kind held at 0

Each ambiguous span of tests/vocab/annotate_dev_senses.tsv (and of bench/sets/senses-v1.tsv
and senses-v2.tsv, each scored against the vocabulary it was written for) gives, for each
candidate sense,
its evidence by kind (`vocab.annotate_sense.Evidence`: words, meaning, concepts, and the
cues of `vocab.annotate_cues`: local words, domain, value, local concepts). A
conditional logit model (McFadden, 1974) — a sense's probability is the softmax of the
weighted sum of its evidence — is fitted by maximum likelihood with Newton's method, on
evidence standardised to unit spread and a mild Gaussian prior (`PRIOR`) on the
standardised weights. The evidence of a span depends a little on the weights through the
second scoring pass (nearby ambiguous spans), so evidence and fit alternate `ROUNDS` times.

It prints the fitted weights, the accuracy they give, the accuracy on each set when it is
left out of the fit (fitted on the other two: how far the weights carry to a set written by
someone else, in another style), the same with each left-out sentence cut to `--short`
words either side of the word (a context as sparse as a heading or a short sentence), the
weights of each such fold (a kind whose weight swings is fitted to a style), the accuracy
on each word when it is left out, and with each weight halved or doubled.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from bench.annotate import DEV, SETS, read_set, vocabulary_for
from vocab.annotate import Annotator
from vocab.annotate_sense import WEIGHTS, Weights

DROPPED: set[str] = set()  # kinds held at weight 0 (--drop)
PRIOR = 1.0  # precision of the Gaussian prior on the standardised weights
ROUNDS = 3
KINDS = [f.name for f in fields(Weights)]

Row = tuple[str, np.ndarray, int]  # word, evidence (senses x kinds), index of the right sense


def shortened(
    rows: list[tuple[str, str, list[str]]], reach: int
) -> list[tuple[str, str, list[str]]]:
    """Return the rows with each sentence cut to the `reach` words either side of its word:
    a context as sparse as a heading, a short sentence or a clause with modest cues."""
    out = []
    for sentence, word, expected in rows:
        words, first = sentence.split(), word.split()[0]
        at = next(
            (k for k, w in enumerate(words) if re.search(rf"\b{re.escape(first)}\b", w)), None
        )
        if at is not None:
            cut = words[max(0, at - reach) : at + len(word.split()) + reach]
            out.append((" ".join(cut), word, expected))
    return out


def evidence(annotator: Annotator, weights: Weights, path: Path = DEV, reach: int = 0) -> list[Row]:
    """Return, for each row of a sense set whose word is ambiguous, its evidence matrix
    (each sentence cut to `reach` words either side of the word, if given)."""
    rows = []
    read = read_set(path)
    for sentence, word, expected in shortened(read, reach) if reach else read:
        pattern = rf"\b{re.escape(word)}\b"
        at = re.search(pattern, sentence) or re.search(pattern, sentence, re.IGNORECASE)
        where = at.start() if at else -1
        document = annotator.document(sentence, deadline=time.perf_counter() + 10)
        document.weights = weights
        document.choose_senses(time.perf_counter() + 10)
        tokens = document.tokens
        hit = [
            i
            for i in document.ranked
            if tokens[document.matches[i].first].start
            <= where
            < tokens[document.matches[i].last].end
        ]
        if not hit:
            continue
        i = hit[0]
        candidates = document.candidates(i)
        right = [k for k, c in enumerate(candidates) if c.concept.id in expected]
        if not right:
            continue
        found = annotator.chooser.evidence(candidates, document.context(i))
        matrix = np.array([[getattr(e, k) for k in KINDS] for e in found])
        rows.append((word.lower(), matrix, right[0]))
    return rows


def fit(rows: list[Row]) -> np.ndarray:
    """Return the maximum a posteriori weights of the conditional logit model, none negative
    (each kind of evidence is support for a sense: a negative weight would be noise)."""
    free = np.array([k not in DROPPED for k in KINDS])
    while True:
        w = _fit(rows, free)
        if (w >= 0).all():
            return w
        free &= w > 0


def _fit(rows: list[Row], free: np.ndarray) -> np.ndarray:
    centred = [(x - x.mean(axis=0), y) for _, x, y in rows]
    scale = np.sqrt(np.mean(np.concatenate([x for x, _ in centred]) ** 2, axis=0)) + 1e-9
    w = np.zeros(len(KINDS))
    k = int(free.sum())
    for _ in range(50):
        gradient, hessian = -PRIOR * w[free], -PRIOR * np.eye(k)
        for x, y in centred:
            z = (x / scale)[:, free]
            s = z @ w[free]
            p = np.exp(s - s.max())
            p /= p.sum()
            mean = p @ z
            gradient += z[y] - mean
            hessian -= (z * p[:, None]).T @ z - np.outer(mean, mean)
        step = np.linalg.solve(hessian, gradient)
        w[free] -= step
        if np.abs(step).max() < 1e-8:
            break
    return w / scale


def accuracy(rows: list[Row], w: np.ndarray) -> float:
    return float(np.mean([int(np.argmax(x @ w)) == y for _, x, y in rows]))


SETS_FITTED = {"dev": DEV, "v1": SETS / "senses-v1.tsv", "v2": SETS / "senses-v2.tsv"}
"""The sets the weights may be fitted on: our development sentences, senses-v1 and senses-v2
(blind when written, now studied: development sets). senses-v4 is held out, never read here."""


def cross_sets(by_set: dict[str, list[Row]], short: dict[str, list[Row]]) -> None:
    """Print leave-one-set-out figures: fit on the other sets, score the one left out (and
    its sentences cut short), and the weights of each fold (a kind whose weight swings
    across folds is fitted to a style)."""
    right = total = right_short = total_short = 0.0
    for name, held in by_set.items():
        train = [r for n, rows in by_set.items() if n != name for r in rows]
        w = fit(train)
        a, b = accuracy(held, w), accuracy(short[name], w) if short.get(name) else 0.0
        right, total = right + a * len(held), total + len(held)
        right_short += b * len(short.get(name, ()))
        total_short += len(short.get(name, ()))
        print(
            f"left out {name}: {a:.3f} on {len(held)} rows"
            + (f", cut short {b:.3f}" if short.get(name) else "")
            + ", fitted on the others: "
            + ", ".join(f"{k}={v:.3g}" for k, v in zip(KINDS, w, strict=True))
        )
    print(
        f"leave-one-set-out accuracy, all rows: {right / total:.3f}"
        + (f"; cut short: {right_short / total_short:.3f}" if total_short else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fit",
        default="dev,v1,v2",
        help="comma-separated sets to fit on: dev, v1, v2 (default all)",
    )
    parser.add_argument(
        "--drop",
        default="local_concepts,domain",
        help="comma-separated kinds held at weight 0 (default: the two whose weight swings "
        "most across the leave-one-set-out folds and whose dropping costs nothing there)",
    )
    parser.add_argument(
        "--short",
        type=int,
        default=3,
        help="also score each left-out set with its sentences cut to this many words either "
        "side of the word (0: not)",
    )
    args = parser.parse_args()
    DROPPED.update(k for k in args.drop.split(",") if k)
    if DROPPED - set(KINDS):
        parser.error(f"--drop takes some of: {', '.join(KINDS)}")
    names = [n for n in args.fit.split(",") if n]
    if not names or any(n not in SETS_FITTED for n in names):
        parser.error(f"--fit takes some of: {', '.join(SETS_FITTED)}")
    annotators = {name: Annotator(vocabulary_for(path).store) for name, path in SETS_FITTED.items()}
    weights = WEIGHTS
    by_set: dict[str, list[Row]] = {}
    for round_ in range(ROUNDS):
        by_set = {n: evidence(annotators[n], weights, p) for n, p in SETS_FITTED.items()}
        rows = [r for n in names for r in by_set[n]]
        w = fit(rows)
        weights = Weights(*(float(v) for v in w))
        print(
            f"round {round_ + 1}: fitted on {'+'.join(names)}, {len(rows)} ambiguous rows, "
            "weights " + ", ".join(f"{k}={v:.3g}" for k, v in asdict(weights).items())
        )
    shipped = np.array(list(asdict(WEIGHTS).values()))
    for name, set_rows in by_set.items():
        fitted = "in the fit" if name in names else "NOT in the fit"
        print(
            f"{name} ({fitted}, ambiguous rows, own evidence): {accuracy(set_rows, w):.3f}; "
            f"with the shipped WEIGHTS: {accuracy(set_rows, shipped):.3f}"
        )
    short = {}
    if args.short:
        short = {n: evidence(annotators[n], weights, p, args.short) for n, p in SETS_FITTED.items()}
    cross_sets(by_set, short)
    words = sorted({word for word, _, _ in rows})
    held = []
    for word in words:
        train = [r for r in rows if r[0] != word]
        test = [r for r in rows if r[0] == word]
        held.append((word, accuracy(test, fit(train)), len(test)))
    right = sum(a * n for _, a, n in held)
    print(
        f"leave-one-word-out accuracy: {right / len(rows):.3f}  "
        + "  ".join(f"{word}:{a:.2f}" for word, a, _ in held)
    )
    for k, kind in enumerate(KINDS):
        for factor in (0.5, 2.0):
            changed = w.copy()
            changed[k] *= factor
            print(f"  {kind} x{factor}: {accuracy(rows, changed):.3f}", end="")
        without = w.copy()
        without[k] = 0
        only = np.zeros_like(w)
        only[k] = 1.0
        print(
            f"  without {kind}: {accuracy(rows, without):.3f}  {kind} alone: {accuracy(rows, only):.3f}"
        )
    print("reproduce: python -m bench.sense_weights " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
