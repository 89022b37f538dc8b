"""What annotation returns: spans, the senses they may mean, and how each matched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vocab.annotate_forms import LabelForm
from vocab.annotate_text import alnum, word_keys
from vocab.model import COMMUNITIES, Concept, LabelKind, NoteKind

HOW: dict[LabelKind, str] = {
    LabelKind.PREF: "label",
    LabelKind.ACRONYM: "acronym",
    LabelKind.ALT: "synonym",
    LabelKind.HIDDEN: "misspelling",
}
"""How a span matched, by the kind of label; "inflection" when the text is a plural or
spelling variant of a preferred label or synonym."""


@dataclass(frozen=True, slots=True)
class Sense:
    """A concept a span may mean, with the label it matched and its probability."""

    id: str
    uri: str
    pref_label: str
    label: str  # the label matched (a misspelling shows the preferred label)
    kind: LabelKind
    usage: tuple[str, ...]  # the communities that use that label
    score: float


@dataclass(frozen=True, slots=True)
class Span:
    """A mention of a concept in the text: offsets into the input, and the sense chosen."""

    start: int
    end: int
    text: str
    match: str  # label, acronym, synonym, misspelling or inflection
    sense: Sense
    alternatives: tuple[Sense, ...] = ()
    senses: int = 1  # how many concepts the word names
    warnings: tuple[str, ...] = ()
    false_friend: bool = False

    @property
    def ambiguous(self) -> bool:
        return self.senses > 1


@dataclass(frozen=True)
class Annotation:
    """The spans found in one text, in order, and what it took."""

    spans: tuple[Span, ...]
    characters: int
    words: int
    seconds: float


def sense_of(forms: list[LabelForm], score: float) -> Sense:
    row = forms[0].row
    if len(forms) == 1:
        usage = forms[0].usage
    else:
        usage = tuple(c for c in COMMUNITIES if any(c in f.usage for f in forms))
    return Sense(
        id=row.id,
        uri=row.uri,
        pref_label=row.pref_label,
        label=row.shown,
        kind=row.kind,
        usage=usage,
        score=round(score, 3),
    )


def how_matched(forms: list[LabelForm], written: str) -> str:
    """Return how the text matched: by the label it equals, else as an inflection of it."""
    same = _letters(written)
    for form in forms:
        if _letters(form.row.text) == same:
            return HOW[form.row.kind]
    kind = forms[0].row.kind
    return "inflection" if kind in (LabelKind.PREF, LabelKind.ALT) else HOW[kind]


@lru_cache(maxsize=65536)
def _letters(text: str) -> str:
    return alnum(text).casefold()


_QUOTED = re.compile(r"'([^']{1,80})'|‘([^’]{1,80})’|\"([^\"]{1,80})\"|“([^”]{1,80})”")


@lru_cache(maxsize=4096)
def quoted(warning: str) -> frozenset[str]:
    """Return the matching keys of the words a warning quotes ('CT', 'precision')."""
    return frozenset(
        " ".join(k for raw in phrase.split() for k in word_keys(raw))
        for match in _QUOTED.finditer(warning)
        for phrase in match.groups()
        if phrase
    )


def warnings_of(concept: Concept | None) -> tuple[str, ...]:
    if concept is None:
        return ()
    return tuple(n.text for n in concept.notes if n.kind is NoteKind.WARNING)
