"""One score per candidate of search's meaning path, from every stage's evidence at once.

When no label answers a query confidently (a question, a pasted phrase, a word the labels
lack), search gathers candidates from three stages: labels that match part of the query
(prefix, fuzzy), the concept texts (FTS5 bm25 over labels, definitions, plain-language
definitions, notes) and the concept vectors (cosine). Fusing their ranks throws away how
far apart the candidates are; instead each candidate is scored on all the evidence:

    score = TEXT * bm25 / best bm25 + MEANING * cosine + LABEL * label cover + LEXICAL * lexical

- bm25 is relative to the best candidate's, so it says how this text evidence compares
  with the best there is; cosine is absolute (the best of the concept's label and
  definition vectors);
- label cover (`label_cover`): of the concept's labels, the best product of the share of
  the query's content words the label holds and the share of the label's words the query
  holds, word forms compared by stem: "machine that gives radiotherapy" holds the whole
  label "radiotherapy", but that label holds a third of the query. A label holding less
  than half of the query's content words (`MIN_QUERY_SHARE`) covers nothing: "AI that
  signs off normal chest x-rays with no doctor looking" is not about the label "X-ray"
  it holds, and its definitions and meaning decide;
- lexical: the prefix or fuzzy stage's score, when it found the concept.

How much each kind of evidence counts depends on the query (`weights`): a short query
names a thing, so its labels count most; a long one describes it, so the definitions and
the meaning do. The weights were set on our development sets (`bench/dev-queries.tsv`,
`bench/dev-queries-v2.tsv`), never on the frozen evaluation sets.

>>> label_cover(["radiotherapi"], [["machin", "give", "radiotherapi"]])
0.3333
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from vocab.morphology import STOPWORDS, same_stem, stem

# --- weights ------------------------------------------------------------------------------
TEXT, MEANING, LABEL, LEXICAL = 1.0, 2.0, 0.3, 0.25  # for a descriptive query
SHORT_WORDS = 2  # a query of at most this many content words names a thing...
SHORT_LABEL, SHORT_LEXICAL = 0.6, 1.0  # ... so its label evidence counts this much
LABELLED = 20  # candidates whose labels are read for label cover (the best so far)
MIN_QUERY_SHARE = 0.5  # a label holding less of the query's content words covers nothing


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts for one query."""

    text: float
    meaning: float
    label: float
    lexical: float

    @property
    def most(self) -> float:
        """The highest score any candidate can reach."""
        return self.text + self.meaning + self.label + self.lexical


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate concept with its evidence and its score."""

    concept: int
    score: float
    text: float  # bm25 relative to the best candidate's, 0 when its texts hold no word
    cosine: float


def weights(content: Sequence[str]) -> Weights:
    """Return the weights for a query of these content words."""
    if len(content) <= SHORT_WORDS:
        return Weights(TEXT, MEANING, SHORT_LABEL, SHORT_LEXICAL)
    return Weights(TEXT, MEANING, LABEL, LEXICAL)


def stems_of(words: Iterable[str]) -> list[str]:
    """Return the stems of the content words among normalised `words`, each once."""
    return list(dict.fromkeys(stem(w) for w in words if w not in STOPWORDS))


def label_cover(
    query: Sequence[str],
    labels: Iterable[Sequence[str]],
    weight: Mapping[str, float] | None = None,
) -> float:
    """Return the best, over `labels` (each a list of stems), of the share of the query's
    stems the label holds times the share of the label's stems the query holds; 0 for a
    label holding less than `MIN_QUERY_SHARE` of the query's stems.

    With `weight` (per query stem: how much it says, `MeaningIndex.word_weights`), the query's
    share is weighed: "overfit model" is about overfitting more than about the label
    "model", which holds its commonest word.

    >>> label_cover(["sign", "normal", "chest", "x", "ray", "doctor"], [["x", "ray"]])
    0.0
    >>> label_cover(["overfit", "model"], [["model"]], {"overfit": 3.0, "model": 1.0})
    0.0
    """
    wanted = list(dict.fromkeys(query))
    total = sum(weight.get(q, 1.0) for q in wanted) if weight else len(wanted)
    best = 0.0
    for label in labels:
        if not label or not wanted:
            continue
        held = sum(1 for s in label if any(same_stem(s, q) for q in wanted))
        matched = [q for q in wanted if any(same_stem(s, q) for s in label)]
        share = (sum(weight.get(q, 1.0) for q in matched) if weight else len(matched)) / total
        if share >= MIN_QUERY_SHARE:
            best = max(best, min(1.0, share) * (held / len(label)))
    return round(best, 4)


def query_share(
    query: Sequence[str], label: Sequence[str], weight: Mapping[str, float], unknown: Set[str]
) -> float:
    """Return the share of the query's stems, weighed by `weight`, that `label`'s stems
    hold, leaving out the `unknown` ones (words no text holds: typos, which the fuzzy
    stage judged); 1.0 if every stem is unknown."""
    known = [q for q in dict.fromkeys(query) if q not in unknown]
    total = sum(weight.get(q, 1.0) for q in known)
    if not total:
        return 1.0
    held = sum(weight.get(q, 1.0) for q in known if any(same_stem(s, q) for s in label))
    return held / total


def score(
    w: Weights,
    text: dict[int, float],
    cosine: dict[int, float],
    lexical: dict[int, float],
) -> list[Scored]:
    """Return every candidate scored without label cover, best first."""
    best_text = max(text.values(), default=0.0) or 1.0
    out = []
    for concept in {*text, *cosine, *lexical}:
        relative = text.get(concept, 0.0) / best_text
        similarity = cosine.get(concept, 0.0)
        value = w.text * relative + w.meaning * similarity + w.lexical * lexical.get(concept, 0.0)
        out.append(Scored(concept, value, relative, similarity))
    out.sort(key=lambda s: (-s.score, s.concept))
    return out


def with_labels(
    w: Weights,
    scored: list[Scored],
    query: Sequence[str],
    labels: dict[int, list[list[str]]],
    weight: Mapping[str, float] | None = None,
) -> list[Scored]:
    """Return the candidates with label cover added to their scores, best first."""
    out = [
        Scored(
            s.concept,
            s.score + w.label * label_cover(query, labels.get(s.concept, ()), weight),
            s.text,
            s.cosine,
        )
        for s in scored
    ]
    out.sort(key=lambda s: (-s.score, s.concept))
    return out
