"""Label forms: a label as the matcher knows it, the case its words must be written in,
and the runs of forms one hash holds (the matcher is `vocab.annotate_match`).

A case-significant label word (an acronym, or a word with capitals after its first
letter: "CT", "mpMRI", "EU") must be written with those capitals (or in all capitals, with
an optional plural or possessive s): "it" is not "IT", "mL" is not "ML".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vocab.annotate_text import Tokens, alnum, word_keys
from vocab.model import COMMUNITIES, LabelKind
from vocab.store import LabelRow

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&")


@dataclass(frozen=True, slots=True)
class LabelForm:
    """A label as the matcher knows it: the row, its form, and its case-significant words."""

    row: LabelRow
    compact: bool
    case: tuple[str, ...] | None  # per word: the letters that must match, '' if any case will do
    words: str  # the words a window must hold, as the label's key ("autocontouring" compact)
    usage: tuple[
        str, ...
    ]  # the communities that use the label, in COMMUNITIES order; none if hidden


Bundles = tuple[tuple[LabelForm, ...], ...]
"""The label forms of one hash, in order, in runs that share their words, case and form:
at 100k concepts one acronym ("MS") may be the label of dozens of concepts, and a window
checks each run once."""


def bundled(forms: list[LabelForm]) -> Bundles:
    """Return the forms of one hash in runs of equal words, case and form (see `Bundles`)."""
    runs: list[list[LabelForm]] = []
    for form in forms:
        head = runs[-1][0] if runs else None
        if head and (head.words, head.case, head.compact) == (form.words, form.case, form.compact):
            runs[-1].append(form)
        else:
            runs.append([form])
    return tuple(tuple(run) for run in runs)


def label_form(row: LabelRow, compact: bool) -> LabelForm:
    """Return a label row as the matcher knows it, in its words or (`compact`) joined."""
    case = case_of(row.kind, row.text)
    if case and compact:  # the compact form's letters, as one word
        case = (alnum(row.text),)
    words = row.norm.replace(" ", "") if compact else row.norm
    usage = () if row.kind is LabelKind.HIDDEN else row.usage
    return LabelForm(row, compact, case, words, tuple(c for c in COMMUNITIES if c in usage))


def case_of(kind: LabelKind, text: str) -> tuple[str, ...] | None:
    """Return, per word key, the letters that must match exactly; None if case never matters."""
    if text.lower() == text:
        return None
    acronym = kind is LabelKind.ACRONYM
    case: list[str] = []
    for raw in _WORDS.findall(text):
        letters = raw if raw.isascii() and raw.isalnum() else alnum(raw)
        significant = acronym or letters[1:].lower() != letters[1:]
        case.extend([letters if significant else ""] * len(word_keys(raw)))
    return tuple(case) if any(case) else None


def acceptable(form: LabelForm, tokens: Tokens, first: int, last: int) -> bool:
    """True if the text over tokens first..last is written as `form` requires (its case)."""
    assert form.case is not None
    written = tokens.surfaces
    if form.compact:
        starts = tokens.starts[first : last + 1]
        surfaces = dict.fromkeys(zip(starts, written[first : last + 1], strict=True))
        return same_case("".join(alnum(s) for _, s in surfaces), form.case[0])
    return all(
        not wanted or same_case(alnum(written[first + k]), wanted)
        for k, wanted in enumerate(form.case)
    )


def same_case(written: str, wanted: str) -> bool:
    """True if `written` is `wanted` as written, or in capitals, with an optional plural s."""
    for text in (written, written[:-1] if written[-1:] in "s" and wanted[-1:] not in "sS" else ""):
        if text and (
            text == wanted or (not any(c.islower() for c in text) and text == wanted.upper())
        ):
            return True
    return False


def unique(forms: list[LabelForm]) -> tuple[LabelForm, ...]:
    """Return the forms without repeats of one label (found by both passes, say)."""
    if len(forms) == 1:
        return (forms[0],)
    seen: set[tuple[int, str, LabelKind]] = set()
    out = []
    for form in forms:
        key = (form.row.concept, form.row.text, form.row.kind)
        if key not in seen:
            seen.add(key)
            out.append(form)
    return tuple(out)
