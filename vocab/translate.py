"""Translation between communities: what another community calls the concept a term names.

`translate` recognises the term with the aligner's matching (so typos and product wording
work), then lists the labels the target community uses for each concept found, with the
FHIR `$translate` relationship and any false-friend warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vocab.align import MAPPED_AT, Aligner
from vocab.errors import InvalidInput
from vocab.model import COMMUNITIES, KIND_RANK, LabelKind, MatchKind
from vocab.normalize import clean_query, normalise_label
from vocab.store import LabelRow


@dataclass(frozen=True)
class Translation:
    """The labels a community uses for the concept a term names (FHIR $translate style)."""

    term: str
    to: str
    matches: tuple[TranslationMatch, ...]
    warning: str | None

    @property
    def result(self) -> bool:
        return any(m.relationship != "not-related-to" for m in self.matches)


@dataclass(frozen=True)
class TranslationMatch:
    row: LabelRow  # how the input term was recognised (its concept and label)
    labels: tuple[
        tuple[str, tuple[str, ...]], ...
    ]  # (label, communities) the target community uses
    relationship: str  # FHIR ConceptMap relationship
    confidence: float
    note: str = ""


FHIR_RELATIONSHIP = {
    MatchKind.EXACT: "equivalent",
    MatchKind.CLOSE: "related-to",
    MatchKind.BROAD: "source-is-narrower-than-target",
    MatchKind.NARROW: "source-is-broader-than-target",
    MatchKind.RELATED: "related-to",
}
"""SKOS mapping predicate -> FHIR R5 ConceptMap relationship (standards-checklist FHIR-03)."""


def translate(
    aligner: Aligner,
    term: str,
    to: str,
    *,
    source_community: str | None = None,
    warnings_of: Callable[[str], list[str]] = lambda concept_id: [],
) -> Translation:
    """Return what community `to` calls the concept(s) `term` names, with any false-friend warning.

    `source_community` is the community the term comes from, if known; it resolves false
    friends. `warnings_of(concept_id)` supplies the concept's curated usage warnings.
    Raises InvalidInput for a bad term or community.
    """
    for community in (to, source_community):
        if community is not None and community not in COMMUNITIES:
            raise InvalidInput(
                f"Unknown community '{community}'; use one of: {', '.join(COMMUNITIES)}."
            )
    text = clean_query(term)
    candidates, status = aligner.candidates(normalise_label(text), source_community)
    candidates = [c for c in candidates if c.confidence >= MAPPED_AT or status == "ambiguous"]
    matches = []
    notes: list[str] = []
    for candidate in candidates:
        labels = community_labels(aligner, candidate.row.concept, to)
        note = (
            "" if labels else f"No label is recorded as {to} usage; the preferred label is given."
        )
        matches.append(
            TranslationMatch(
                candidate.row,
                labels or ((candidate.row.pref_label, ()),),
                FHIR_RELATIONSHIP[candidate.predicate],
                candidate.confidence,
                note,
            )
        )
        notes += warnings_of(candidate.row.id)
    if len({c.row.id for c in candidates}) > 1:
        senses = "; ".join(
            f"{c.row.pref_label} ({', '.join(c.usage) or 'no community recorded'})"
            for c in candidates
        )
        notes.insert(0, f"'{text}' names different concepts in different communities: {senses}.")
    return Translation(text, to, tuple(matches), " ".join(dict.fromkeys(notes)) or None)


def community_labels(
    aligner: Aligner, concept: int, community: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (label, communities) for each visible label of `concept` that `community` uses."""
    found = [
        (KIND_RANK[label.row.kind], label.row.text, label.row.usage)
        for label in aligner.index.of_concept(concept)
        if community in label.row.usage and label.row.kind is not LabelKind.HIDDEN
    ]
    return tuple((text, usage) for _, text, usage in sorted(found))
