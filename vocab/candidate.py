"""A proposed mapping of a vendor term to a concept, with the evidence that proposed it."""

from __future__ import annotations

from dataclasses import dataclass

from vocab.model import MatchKind
from vocab.store import LabelRow

JUSTIFICATION = {
    "lexical match": "semapv:LexicalMatching",
    "synonym": "semapv:LexicalMatching",
    "word forms": "semapv:LexicalMatching",
    "lexical similarity": "semapv:LexicalSimilarityThresholdMatching",
    "definition": "semapv:LexicalSimilarityThresholdMatching",
    "semantic similarity": "semapv:SemanticSimilarityThresholdMatching",
}
"""Each reason a candidate is proposed, as the SEMAPV justification of an SSSOM row."""
LABEL_EVIDENCE = frozenset({"lexical match", "synonym", "word forms", "lexical similarity"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed mapping of an input term to a concept."""

    row: LabelRow  # the label that matched (the preferred label for meaning evidence)
    predicate: MatchKind
    confidence: float
    reason: str  # a key of JUSTIFICATION: which evidence proposed it

    @property
    def matched(self) -> str:
        return self.row.shown

    @property
    def usage(self) -> tuple[str, ...]:
        return self.row.shown_usage

    @property
    def justification(self) -> str:
        return JUSTIFICATION[self.reason]

    @property
    def on_label(self) -> bool:
        """True if a label matched; False when the definitions or the meaning did."""
        return self.reason in LABEL_EVIDENCE


def scaled(candidate: Candidate, factor: float, predicate: MatchKind, reason: str) -> Candidate:
    """Return the candidate with its confidence scaled (at most 0.99) and a new predicate."""
    return Candidate(
        candidate.row, predicate, round(min(0.99, candidate.confidence * factor), 3), reason
    )
