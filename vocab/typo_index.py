"""Candidate corrections for a mistyped word from an index, not a scan of every word.

A symmetric deletion index (SymSpell, Garbe 2012): at snapshot time every word of the
visible labels is stored under itself and each string made by deleting one of its
letters (`variants(word, 1)`); a query word is looked up under itself and its own
deletions. Two words that share a variant are at most one insertion, deletion,
substitution or swap of neighbours apart (each side loses the letter that differs); a
long query word also looks up its two-letter deletions, which meets words one more edit
away. Lookups are index probes, so the cost grows with the query word's length, not
with the vocabulary. rapidfuzz then ranks the few words found.

>>> sorted(variants("scan", 1))
['can', 'san', 'sca', 'scan', 'scn']
>>> bool(variants("recall", 1) & variants("reccal", 1))
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

MIN_INDEXED = 3  # shorter words are never corrected to, nor from
LONG_WORD = 8  # a query word this long also looks up its two-letter deletions


def variants(word: str, depth: int) -> set[str]:
    """Return `word` and every string made by deleting up to `depth` of its letters
    (never shorter than MIN_INDEXED - 1 letters)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {
            w[:i] + w[i + 1 :] for w in frontier for i in range(len(w)) if len(w) >= MIN_INDEXED
        }
        found |= frontier
    return found


def query_variants(word: str) -> set[str]:
    """Return the variants a query word is looked up under."""
    return variants(word, 2 if len(word) >= LONG_WORD else 1)


def variant_rows(words: Iterable[str]) -> list[tuple[str, str]]:
    """Return (variant, the indexed words it stands for, space-separated) for a word list."""
    table: dict[str, list[str]] = defaultdict(list)
    for word in words:
        if len(word) >= MIN_INDEXED:
            for variant in variants(word, 1):
                table[variant].append(word)
    return [(variant, " ".join(sorted(found))) for variant, found in table.items()]
