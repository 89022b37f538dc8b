"""The head of a vendor term and its qualifiers: "Automatic contouring of organs at risk".

The words after a term's first preposition qualify its head (`vocab.vendor_terms.tail_words`).
A label naming only those qualifiers is a weaker answer than one naming the head: it loses
TAIL_PENALTY when found by label (`qualifier_only`), and whatever the meaning stages make
of it, it ranks below the best mapped candidate that shares a word with the head
(`head_first`). A head that names nothing ("Aligned with ...", "Trained with ...") changes
nothing: then the qualifiers are what the term is about.
"""

from __future__ import annotations

from vocab.candidate import Candidate
from vocab.model import MatchKind
from vocab.morphology import same_stem, stem
from vocab.vendor_terms import PRODUCT_WORDS, tail_words

TAIL_PENALTY = 0.1  # a label found only among the qualifiers ("... on chest X-ray")
PREPOSITIONS_IN_LABELS = frozenset({"of", "at", "in", "on", "for", "and", "the", "a", "as"})


def _names_qualifiers(candidate: Candidate, tail_stems: list[str]) -> bool:
    words = [w for w in candidate.row.norm.split() if w not in PREPOSITIONS_IN_LABELS]
    return bool(words) and all(any(same_stem(stem(w), t) for t in tail_stems) for w in words)


def head_first(candidates: list[Candidate], norm: str, mapped_at: float) -> list[Candidate]:
    """Return the candidates, each whose label names only the term's qualifiers held just
    below the best one whose label shares a word with the term's head, when that one maps:
    "Automatic contouring of organs at risk" names a contouring, whatever the meaning
    stages make of "organs at risk". A head naming nothing ("Aligned with ...") changes
    nothing."""
    tail = tail_words(norm)
    if not tail:
        return candidates
    tail_stems = [stem(w) for w in tail]
    head = [w for w in norm.split() if w not in tail and w not in PRODUCT_WORDS]
    # a participle ("Trained with ...", "Selected for ...") says what was done, not what it is
    head_stems = [stem(w) for w in head if w not in PREPOSITIONS_IN_LABELS and not w.endswith("ed")]
    qualifiers = {
        c.row.id
        for c in candidates
        if c.predicate is not MatchKind.EXACT and _names_qualifiers(c, tail_stems)
    }
    top = max(
        (
            c.confidence
            for c in candidates
            if c.row.id not in qualifiers
            and any(same_stem(stem(w), h) for w in c.row.norm.split() for h in head_stems)
        ),
        default=0.0,
    )
    if top < mapped_at:
        return candidates
    return [
        Candidate(c.row, c.predicate, round(min(c.confidence, top - 0.01), 3), c.reason)
        if c.row.id in qualifiers
        else c
        for c in candidates
    ]


def qualifier_only(candidate: Candidate, tail: frozenset[str]) -> Candidate:
    """Return the candidate, less confident if its label names only the term's qualifiers."""
    if candidate.predicate is MatchKind.EXACT:
        return candidate
    tail_stems = [stem(w) for w in tail]
    words = [w for w in candidate.row.norm.split() if w not in PREPOSITIONS_IN_LABELS]
    if not words or not all(any(same_stem(stem(w), t) for t in tail_stems) for w in words):
        return candidate
    value = round(max(0.0, candidate.confidence - TAIL_PENALTY), 3)
    return Candidate(candidate.row, candidate.predicate, value, candidate.reason)
