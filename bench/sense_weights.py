"""Fit the weights of sense choice on the development sets (never the held-out senses-v2).

    python -m bench.sense_weights              # fit on the development sentences + senses-v1
    python -m bench.sense_weights --fit dev    # without senses-v1: how far the fit carries

Each ambiguous span of tests/vocab/annotate_dev_senses.tsv (and of bench/sets/senses-v1.tsv,
scored against the vocabulary it was written for) gives, for each candidate sense,
its evidence by kind (`vocab.annotate_sense.Evidence`: words, meaning, concepts, and the
cues of `vocab.annotate_cues`: local words, domain, value, local concepts). A
conditional logit model (McFadden, 1974) — a sense's probability is the softmax of the
weighted sum of its evidence — is fitted by maximum likelihood with Newton's method, on
evidence standardised to unit spread and a mild Gaussian prior (`PRIOR`) on the
standardised weights. The evidence of a span depends a little on the weights through the
second scoring pass (nearby ambiguous spans), so evidence and fit alternate `ROUNDS` times.

It prints the fitted weights, the accuracy they give, the accuracy on each word when it
is left out of the fit (how far the weights carry to words they were not fitted on), and
the accuracy with each weight halved or doubled (how fragile the choice is).
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

PRIOR = 1.0  # precision of the Gaussian prior on the standardised weights
ROUNDS = 3
KINDS = [f.name for f in fields(Weights)]

Row = tuple[str, np.ndarray, int]  # word, evidence (senses x kinds), index of the right sense


def evidence(annotator: Annotator, weights: Weights, path: Path = DEV) -> list[Row]:
    """Return, for each row of a sense set whose word is ambiguous, its evidence matrix."""
    rows = []
    for sentence, word, expected in read_set(path):
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
    free = np.ones(len(KINDS), dtype=bool)
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


SETS_FITTED = {"dev": DEV, "v1": SETS / "senses-v1.tsv"}
"""The sets the weights may be fitted on: our development sentences and senses-v1 (blind
when written, now studied: a development set). senses-v2 is held out and never read here."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fit", default="dev,v1", help="comma-separated sets to fit on: dev, v1 (default both)"
    )
    args = parser.parse_args()
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
