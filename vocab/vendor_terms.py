"""How product sheets word a term: parenthesised expansions, negations, marketing words.

A vendor writes "SaMD (Software as a Medical Device)", "No continuous learning
(locked)", "AI-powered auto-contouring module v2". The aligner matches each piece of such
a term on its own (`pieces`): the text outside parentheses and each parenthesised part.
A piece that a negation governs ("no continuous learning", "non-adaptive") names the
opposite of its words, so it is never matched. Marketing and packaging words
(`PRODUCT_WORDS`) are dropped before comparing words.

>>> [p.text for p in pieces("No continuous learning (locked)")]
['locked']
>>> [p.text for p in pieces("SaMD (Software as a Medical Device)")]
['SaMD', 'Software as a Medical Device']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRODUCT_WORDS = frozenset(
    [
        "software",
        "tool",
        "tools",
        "solution",
        "solutions",
        "module",
        "modules",
        "platform",
        "app",
        "application",
        "product",
        "feature",
        "features",
        "engine",
        "suite",
        "package",
        "powered",
        "based",
        "driven",
        "smart",
        "intelligent",
        "advanced",
        "cloud",
        "technology",
        "functionality",
        "function",
        "service",
        "kit",
        "ai",
        "ml",
        "dl",
        "tm",
        "pro",
        "plus",
        "new",
        "v1",
        "v2",
        "v3",
        "automated",
        "automatic",
        "automatically",
        "fully",
        "one",
        "click",
        "instant",
        "seamless",
        "seamlessly",
        "robust",
        "enterprise",
        "native",
        "integrated",
        "integration",
        "enabled",
        "assisted",
        "proprietary",
        "patented",
        "cutting",
        "edge",
        "next",
        "generation",
        "state",
        "art",
        "leading",
        "innovative",
        "premium",
        "certified",
        "support",
        "supports",
        "option",
        "optional",
        "included",
        "includes",
        "capability",
        "capabilities",
        "workflow",
        "dashboard",
        "legacy",
        "standard",
        "basic",
        "version",
        "edition",
    ]
)
"""Marketing and packaging words: they say how a product is sold, not what it does."""

NEGATIONS = frozenset({"no", "non", "not", "without", "never", "none", "nor"})
_PARENS = re.compile(r"\(([^()]*)\)")
_NEGATED_PREFIX = re.compile(r"^(?:non|un|anti)-", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of a vendor term matched on its own: the whole, outside or inside parentheses."""

    text: str
    role: str  # "whole", "outside" or "inside"


def is_negated(text: str) -> bool:
    """True if a negation governs the text: 'No X', 'without X', 'non-X', 'X-free'."""
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text.lower())
    if not words:
        return False
    return (
        words[0] in NEGATIONS
        or any(w in ("without", "not", "non") for w in words)
        or bool(_NEGATED_PREFIX.match(words[0]))
        or any(w.endswith("-free") for w in words)
    )


def pieces(term: str) -> list[Piece]:
    """Return the pieces of a term worth matching, most telling first; negated ones dropped."""
    inside = [part.strip() for part in _PARENS.findall(term) if part.strip()]
    outside = " ".join(_PARENS.sub(" ", term).split())
    if not inside:
        return [] if is_negated(term) else [Piece(term, "whole")]
    found = [Piece(outside, "outside")] if outside and not is_negated(outside) else []
    found += [Piece(part, "inside") for part in inside if not is_negated(part)]
    return found


PREPOSITIONS = frozenset(
    [
        "of",
        "on",
        "in",
        "for",
        "from",
        "with",
        "across",
        "before",
        "after",
        "to",
        "using",
        "via",
        "at",
        "by",
        "into",
        "within",
        "between",
    ]
)
"""Words that end the head of a noun phrase: 'localisation of fractures' is a localisation."""


def tail_words(norm: str) -> frozenset[str]:
    """Return the words after the first preposition of a normalised term (its qualifiers),
    or nothing when the term has no preposition after its first word."""
    words = norm.split()
    for i, word in enumerate(words[1:], start=1):
        if word in PREPOSITIONS:
            return frozenset(words[i + 1 :]) - set(words[:i])
    return frozenset()


_NUMBER = re.compile(r"(?<![\w.,])\d{3,}(?![\w.,%])")
_YEAR = re.compile(r"(?:19|20)\d\d")


def numbers(text: str) -> frozenset[str]:
    """Return the numbers of three digits or more standing as words, years aside: the
    numbers that name a standard, regulation or rule ("ISO/IEC 27001:2022" -> 27001), not
    a version glued to a word ("HL7", "R4"), a measure ("95%", "0.97") or an edition."""
    return frozenset(n for n in _NUMBER.findall(text) if not _YEAR.fullmatch(n))


def spells(acronym: str, expansion: str) -> bool:
    """True if a normalised one-word acronym is the initials of a normalised expansion's
    words, small words aside or not ("pet" for "privacy enhancing technology")."""
    words = expansion.split()
    if " " in acronym or len(acronym) < 2 or len(words) < 2:
        return False
    initials = "".join(w[0] for w in words)
    major = "".join(w[0] for w in words if w not in _SMALL_WORDS)
    return acronym in (initials, major)


_SMALL_WORDS = frozenset({"of", "and", "for", "the", "a", "an", "in", "on", "to", "as"})


def core_words(words: list[str]) -> list[str]:
    """Return the words that are not product words (all of them if every word is one)."""
    kept = [w for w in words if w not in PRODUCT_WORDS]
    return kept or words
