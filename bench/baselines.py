"""Three plain baselines the search engine must beat, built from one exported snapshot.

- substring: the concepts whose label (any kind) holds the query, case-insensitively,
  shortest label first (a whole-label match ranks first);
- WRatio: rapidfuzz `process.extractOne` with `fuzz.WRatio` over every label, with
  rapidfuzz's default processor (lower case, punctuation to spaces);
- BM25: Okapi BM25 (k1 1.5, b 0.75) over one document per concept holding its labels,
  definition and plain-language definition, lower-cased words, no stemming.

Each ranks concept ids for a query; `best_score` is what a cut-off would compare (used
to give the baselines their best possible threshold on the alignment sets).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from vocab.model import Snapshot

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Ranked:
    ids: list[str]  # concept ids, best first, each once
    best_score: float  # the top hit's score in the baseline's own scale (0 when none)


@dataclass
class _Labels:
    texts: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)


def _labels(snapshot: Snapshot) -> _Labels:
    labels = _Labels()
    for concept in snapshot.concepts:
        if not concept.is_active:
            continue
        for label in concept.labels:
            labels.texts.append(label.text)
            labels.owners.append(concept.id)
    return labels


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


class Substring:
    name = "substring"

    def __init__(self, snapshot: Snapshot) -> None:
        labels = _labels(snapshot)
        self.folded = [t.casefold() for t in labels.texts]
        self.owners = labels.owners

    def rank(self, query: str) -> Ranked:
        q = query.casefold().strip()
        found = sorted((len(text), i) for i, text in enumerate(self.folded) if q and q in text)
        ids = _unique([self.owners[i] for _, i in found])
        return Ranked(ids, len(q) / found[0][0] if found else 0.0)


class WRatio:
    name = "WRatio"

    def __init__(self, snapshot: Snapshot) -> None:
        labels = _labels(snapshot)
        self.texts = labels.texts
        self.owners = labels.owners
        self.processed = [utils.default_process(t) for t in self.texts]

    def rank(self, query: str) -> Ranked:
        q = utils.default_process(query)
        one = process.extractOne(q, self.processed, scorer=fuzz.WRatio, processor=None)
        if one is None:
            return Ranked([], 0.0)
        top = process.extract(q, self.processed, scorer=fuzz.WRatio, processor=None, limit=40)
        ids = _unique([self.owners[one[2]]] + [self.owners[i] for _, _, i in top])
        return Ranked(ids, one[1])


class BM25:
    name = "BM25"
    k1, b = 1.5, 0.75

    def __init__(self, snapshot: Snapshot) -> None:
        self.ids: list[str] = []
        docs: list[Counter[str]] = []
        for concept in snapshot.concepts:
            if not concept.is_active:
                continue
            parts = [label.text for label in concept.labels]
            parts += [t.text for t in concept.definitions + concept.plain_definitions]
            docs.append(Counter(_WORD.findall(" ".join(parts).lower())))
            self.ids.append(concept.id)
        self.docs = docs
        self.lengths = [sum(d.values()) for d in docs]
        self.avg = sum(self.lengths) / max(1, len(docs))
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        n = len(docs)
        self.idf = {w: math.log((n - f + 0.5) / (f + 0.5) + 1) for w, f in df.items()}

    def rank(self, query: str) -> Ranked:
        words = _WORD.findall(query.lower())
        scores = []
        for i, doc in enumerate(self.docs):
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg)
            for w in words:
                tf = doc.get(w, 0)
                if tf:
                    score += self.idf[w] * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                scores.append((-score, i))
        scores.sort()
        return Ranked([self.ids[i] for _, i in scores], -scores[0][0] if scores else 0.0)


BASELINES = (Substring, WRatio, BM25)
