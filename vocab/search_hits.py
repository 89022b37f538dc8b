"""How the lexical stages of search score a label they found: the hit, its score and rank.

Every stage's score sits in its own band (exact 0.9-1.0; initials 0.8; prefix 0.55-0.85;
fuzzy up to 0.75), so a later stage never outranks an exact match, and ties are broken by
match type, label length and preferred label (`rank`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from vocab.model import LabelKind, MatchType
from vocab.store import LabelRow

EXACT_SCORES: dict[LabelKind, tuple[MatchType, float]] = {
    LabelKind.PREF: (MatchType.EXACT, 1.0),
    LabelKind.ACRONYM: (MatchType.ACRONYM, 0.97),
    LabelKind.ALT: (MatchType.SYNONYM, 0.94),
    LabelKind.HIDDEN: (MatchType.SYNONYM, 0.9),
}
PREFIX_BASE, PREFIX_SPAN = 0.6, 0.25  # key prefix: base + span * share of the label typed
WORD_PREFIX_BASE, WORD_PREFIX_SPAN = 0.55, 0.25  # every query word starts a label word
FUZZY_SCALE = 0.75  # fuzzy score = scale * similarity in [0, 1]
FUZZY_CUTOFF = 70  # least rapidfuzz similarity (0-100) for a fuzzy hit
MODIFIER_PENALTY = 0.05  # a label holding the query's last word other than as its head
_JOINING = frozenset({"and", "or"})
INITIALS_SCORE = 0.8  # a short query spelling a label's initials: below every exact hit
INITIALS_OTHER_LABEL = 0.01  # ... less when the label is not the concept's preferred one
MATCH_ORDER: dict[MatchType, int] = {t: i for i, t in enumerate(MatchType)}

# Search stops after the exact stage once it fills the page, which is right only while
# every later stage scores below every exact match:
assert max(
    PREFIX_BASE + PREFIX_SPAN, WORD_PREFIX_BASE + WORD_PREFIX_SPAN, FUZZY_SCALE, INITIALS_SCORE
) < min(score for _, score in EXACT_SCORES.values())


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A concept found by search: which label matched, how, and how well (0-1)."""

    row: LabelRow
    match_type: MatchType
    score: float

    @property
    def matched(self) -> str:
        """The matched label; hidden labels (misspellings) are shown as the preferred label."""
        return self.row.shown


Scorer = Callable[[LabelRow], SearchHit | None]


def rank(hit: SearchHit) -> tuple[float, int, int, str]:
    return (
        -round(hit.score, 4),
        MATCH_ORDER[hit.match_type],
        len(hit.row.text),
        hit.row.pref_label.casefold(),
    )


def exact(row: LabelRow) -> SearchHit:
    match_type, score = EXACT_SCORES[row.kind]
    return SearchHit(row, match_type, score)


def initials(row: LabelRow) -> SearchHit:
    """Score a label whose initials the query spells; a concept's preferred label first
    (it is the name an acronym abbreviates), then its other labels."""
    other = INITIALS_OTHER_LABEL if row.kind is not LabelKind.PREF else 0.0
    return SearchHit(row, MatchType.ACRONYM, INITIALS_SCORE - other)


def _share(key: str, row: LabelRow) -> float:
    return min(1.0, len(key) / max(1, len(row.norm.replace(" ", ""))))


def prefix(
    key: str, base: float = PREFIX_BASE, span: float = PREFIX_SPAN, norm: str = ""
) -> Scorer:
    """Score a label that `key` starts: `base` plus `span` times the share of it typed,
    less `MODIFIER_PENALTY` if it holds the last word of the query `norm` (normalised)
    other than as its head."""
    last = norm.rsplit(" ", 1)[-1]

    def score(row: LabelRow) -> SearchHit:
        penalty = _hidden_penalty(row) + (MODIFIER_PENALTY if _as_modifier(last, row) else 0.0)
        return SearchHit(row, MatchType.PREFIX, base + span * _share(key, row) - penalty)

    return score


def word_prefix(key: str, norm: str = "") -> Scorer:
    """Score a label each of whose words a query word starts (in any order)."""
    return prefix(key, WORD_PREFIX_BASE, WORD_PREFIX_SPAN, norm)


def _as_modifier(word: str, row: LabelRow) -> bool:
    """True if the label holds `word` as a whole word, but not as the head (the last
    word) of the label or of one of its parts joined by "and" or "or": English compounds
    end with what they name, so "therapeutic radiographer" is a radiographer and
    "radiographer comment" a comment; "image interpretation and reporting" is both."""
    words = row.norm.split()
    if not word or word not in words:
        return False
    heads = {w for w, after in pairwise(words) if after in _JOINING}
    return word != words[-1] and word not in heads


def fuzzy(norm: str, words: list[str]) -> Scorer:
    similarity_to = _WordSimilarity(words)

    def score(row: LabelRow) -> SearchHit | None:
        similarity = max(fuzz.ratio(norm, row.norm), similarity_to(row.norm.split())) / 100
        if similarity * 100 < FUZZY_CUTOFF:
            return None
        return SearchHit(row, MatchType.FUZZY, FUZZY_SCALE * similarity - _hidden_penalty(row))

    return score


class _WordSimilarity:
    """Mean best similarity of each query word to a label word, scaled by label coverage.

    The similarities of the query's words to each label word are computed once a query:
    a long query's few hundred candidate labels share most of their words.
    """

    def __init__(self, query_words: list[str]) -> None:
        self.query_words = query_words
        self._to: dict[str, list[float]] = {}  # label word -> its ratio to each query word

    def __call__(self, label_words: list[str]) -> float:
        if not self.query_words or not label_words:
            return 0.0
        columns = [self._ratios(w) for w in label_words]
        best: list[float] = [max(ratios) for ratios in zip(*columns, strict=True)]
        coverage = min(1.0, len(self.query_words) / len(label_words))
        return sum(best) / len(best) * (0.7 + 0.3 * coverage)

    def _ratios(self, word: str) -> list[float]:
        ratios = self._to.get(word)
        if ratios is None:
            ratios = self._to[word] = [fuzz.ratio(q, word) for q in self.query_words]
        return ratios


def _hidden_penalty(row: LabelRow) -> float:
    return 0.02 if row.kind is LabelKind.HIDDEN else 0.0
