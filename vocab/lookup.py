"""Exact lookup by label in visible tiers: preferred, acronym, alternative, hidden.

The query and every label are compared by their normalised compact key (case, accents,
spelling variants, plurals, spacing and hyphens folded; see `vocab.normalize`). The first
tier with hits wins and lists every concept it found there: an ambiguous acronym answers
all its senses. Concepts that the same text names in lower tiers are kept as
`other_senses`, so a word that means different things to different communities shows
every meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from vocab.model import KIND_RANK, LabelKind
from vocab.normalize import clean_query, compact_key
from vocab.store import LabelRow, ReadStore

LOOKUP_TIERS: tuple[tuple[str, LabelKind], ...] = (
    ("preferred", LabelKind.PREF),
    ("acronym", LabelKind.ACRONYM),
    ("alternative", LabelKind.ALT),
    ("hidden", LabelKind.HIDDEN),
)
"""Tier name and label kind, most significant first; the first tier with hits wins."""
assert [kind for _, kind in LOOKUP_TIERS] == sorted(LabelKind, key=KIND_RANK.__getitem__)

TIER_OF_KIND: dict[LabelKind, str] = {kind: name for name, kind in LOOKUP_TIERS}


@dataclass(frozen=True, slots=True)
class LookupHit:
    """A concept found by lookup, with the label that matched and its tier."""

    row: LabelRow
    tier: str

    @property
    def matched(self) -> str:
        """The label that matched; a hidden label (a misspelling) is never shown."""
        return self.row.shown


@dataclass(frozen=True)
class LookupResult:
    query: str
    hits: tuple[LookupHit, ...]
    other_senses: tuple[LookupHit, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.hits) > 1


def lookup(store: ReadStore, text: str) -> LookupResult:
    """Return the concepts whose label equals `text` once normalised, by tier.

    Raises InvalidInput for an empty, over-long or non-Unicode query.
    """
    query = clean_query(text)
    key = compact_key(query)
    rows = store.labels_with_key(key) if key else []
    if not rows and len(key) > 2 and key.endswith("s"):
        rows = store.labels_with_key(key[:-1])  # "cts", "eis": lower-case plural acronyms
    return LookupResult(query, *_tiered(rows))


def _tiered(rows: list[LabelRow]) -> tuple[tuple[LookupHit, ...], tuple[LookupHit, ...]]:
    best: dict[int, LookupHit] = {}
    for row in sorted(
        rows, key=lambda r: (KIND_RANK[r.kind], not r.is_active, r.pref_label.casefold())
    ):
        if row.concept not in best:
            best[row.concept] = LookupHit(row, TIER_OF_KIND[row.kind])
    if not best:
        return (), ()
    hits = list(best.values())
    live = [h for h in hits if h.row.is_active] or hits
    winning = live[0].tier
    chosen = tuple(h for h in live if h.tier == winning)
    concepts = {h.row.concept for h in chosen}  # a set: an acronym may have hundreds of senses
    return chosen, tuple(h for h in hits if h.row.concept not in concepts)
