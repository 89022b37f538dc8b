"""Every label of a release in one Aho–Corasick automaton over word keys, and the spans it finds.

Each distinct word key of the labels gets one code point, so a label is a short string of
code points ("computed tomography" is two) and a document is one such string: a single
pass of the automaton (`pyahocorasick`, C) finds every label occurrence, and word
boundaries come for free. Labels written with joined words ("auto-contouring",
"IR(ME)R") are also registered in compact form, so "autocontouring" and "IRMER" match
them; a second pass over the document with hyphenated words joined catches the reverse.

Matches are then filtered and resolved predictably:

- a label whose words are all stop words, or shorter than two letters, is never matched;
- a case-significant label word (an acronym, or a word with capitals after its first
  letter: "CT", "mpMRI", "EU") must be written with those capitals (or in all capitals,
  with an optional plural or possessive s): "it" is not "IT", "mL" is not "ML";
- a misspelling (hidden label) matches only when it is at least `MIN_HIDDEN` letters;
- the longest match (in words, then characters) wins; of equally long overlapping
  matches the leftmost wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick

from vocab.annotate_text import Token, alnum, word_keys
from vocab.label_index import STOPWORDS
from vocab.model import LabelKind
from vocab.store import LabelRow

MIN_LETTERS = 2  # one-letter labels ("R") are never matched
MIN_HIDDEN = 5  # a misspelling shorter than this is too likely to be a real word
_UNKNOWN = "\x01"  # a word no label holds
_BREAK = "\x02"  # between segments: no match crosses it
_JOINED = re.compile(r"[^\W_][^\w\s]+[^\W_]")
_SPLIT, _COMPACT = 0, 1


def _code(n: int) -> str:
    """Return the n-th code point used for word keys (skipping controls and surrogates)."""
    point = 0x100 + n
    return chr(point if point < 0xD800 else point + 0x800)


@dataclass(frozen=True, slots=True)
class LabelForm:
    """A label as the automaton knows it: the row, its form, and its case-significant words."""

    row: LabelRow
    compact: bool
    case: tuple[str, ...] | None  # per word: the letters that must match, '' if any case will do


@dataclass(frozen=True, slots=True)
class Match:
    """Labels found over tokens first..last (inclusive), every one with the same words."""

    first: int
    last: int
    forms: tuple[LabelForm, ...]


class Matcher:
    """The automaton of one release's active labels; build once, share between threads."""

    def __init__(self, rows: Sequence[LabelRow]) -> None:
        self.codes: dict[str, str] = {}
        self.forms: list[tuple[LabelForm, ...]] = []
        self.lengths: list[int] = []
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        patterns: dict[str, int] = {}
        by_pattern: list[list[LabelForm]] = []
        for row in rows:
            for form in _forms(row):
                keys = ("".join(row.norm.split()),) if form.compact else tuple(row.norm.split())
                pattern = "".join(self._code_of(k) for k in keys)
                pid = patterns.setdefault(pattern, len(patterns))
                if pid == len(by_pattern):
                    by_pattern.append([])
                    self.lengths.append(len(keys))
                by_pattern[pid].append(form)
        for pattern, pid in patterns.items():
            self.automaton.add_word(pattern, pid)
        self.forms = [tuple(forms) for forms in by_pattern]
        self.automaton.make_automaton()

    def _code_of(self, key: str) -> str:
        code = self.codes.get(key)
        if code is None:
            code = self.codes[key] = _code(len(self.codes))
        return code

    @property
    def patterns(self) -> int:
        return len(self.forms)

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Return the non-overlapping matches in `tokens`, in text order (see module doc)."""
        found: dict[tuple[int, int], list[LabelForm]] = {}
        for first, last, pid in self._hits(tokens):
            valid = [f for f in self.forms[pid] if _acceptable(f, tokens, first, last)]
            if valid:
                found.setdefault((first, last), []).extend(valid)
        taken = bytearray(len(tokens))
        chosen: list[Match] = []
        for first, last in sorted(
            found, key=lambda s: (-(s[1] - s[0]), -(tokens[s[1]].end - tokens[s[0]].start), s[0])
        ):
            if any(taken[first : last + 1]):
                continue
            taken[first : last + 1] = b"\x01" * (last - first + 1)
            chosen.append(Match(first, last, _unique(found[(first, last)])))
        chosen.sort(key=lambda m: m.first)
        return chosen

    def _hits(self, tokens: Sequence[Token]) -> Iterator[tuple[int, int, int]]:
        """Yield (first token, last token, pattern id) of every pattern occurrence."""
        streams = [self._stream(tokens, joined=False)]
        if self._joined_words(tokens):
            streams.append(self._stream(tokens, joined=True))
        seen: set[tuple[int, int, int]] = set()
        for text, spans in streams:
            for end, pid in self.automaton.iter(text):
                start = end - self.lengths[pid] + 1
                hit = (spans[start][0], spans[end][1], pid)
                if hit not in seen:
                    seen.add(hit)
                    yield hit

    def _joined_words(self, tokens: Sequence[Token]) -> bool:
        """True if some hyphenated run of words, written as one word, is a label word."""
        run: list[str] = []
        for token in tokens:
            if token.hyphen_before and run:
                run.append(token.key)
                if "".join(run) in self.codes:
                    return True
            else:
                run = [token.key]
        return False

    def _stream(
        self, tokens: Sequence[Token], *, joined: bool
    ) -> tuple[str, list[tuple[int, int]]]:
        """Return the document as code points, and the token range each code point stands for.

        With `joined`, each run of hyphen-joined words stands as one compact word.
        """
        chars: list[str] = []
        spans: list[tuple[int, int]] = []
        codes = self.codes
        segment = -1
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            if token.segment != segment:
                if segment >= 0:
                    chars.append(_BREAK)
                    spans.append((i, i))
                segment = token.segment
            j = i
            if joined:
                while j + 1 < n and tokens[j + 1].hyphen_before:
                    j += 1
            key = token.key if j == i else "".join(t.key for t in tokens[i : j + 1])
            chars.append(codes.get(key, _UNKNOWN))
            spans.append((i, j))
            i = j + 1
        return "".join(chars), spans


def _forms(row: LabelRow) -> Iterator[LabelForm]:
    """Yield the forms under which a label is matched (none for stop words, one letter...)."""
    keys = row.norm.split()
    if not keys or all(k in STOPWORDS for k in keys):
        return
    if len("".join(keys)) < MIN_LETTERS:
        return
    if row.kind is LabelKind.HIDDEN and len("".join(keys)) < MIN_HIDDEN:
        return
    case = _case_of(row)
    if case is None or len(case) == len(keys):
        yield LabelForm(row, False, case)
    if len(keys) > 1 and _JOINED.search(row.text):
        yield LabelForm(row, True, (alnum(row.text),) if case else None)


def _case_of(row: LabelRow) -> tuple[str, ...] | None:
    """Return, per word key, the letters that must match exactly; None if case never matters."""
    if not any(ch.isupper() for ch in row.text):
        return None
    acronym = row.kind is LabelKind.ACRONYM
    case: list[str] = []
    for raw in re.findall(r"[^\W_]+(?:['’][^\W_]+)*|&", row.text):
        letters = alnum(raw)
        significant = acronym or any(ch.isupper() for ch in letters[1:])
        case.extend([letters if significant else ""] * len(word_keys(raw)))
    return tuple(case) if any(case) else None


def _acceptable(form: LabelForm, tokens: Sequence[Token], first: int, last: int) -> bool:
    """True if the text over tokens first..last is written as `form` requires (its case)."""
    if form.case is None:
        return True
    if form.compact:
        surfaces = dict.fromkeys((t.start, t.surface) for t in tokens[first : last + 1])
        return _same_case("".join(alnum(s) for _, s in surfaces), form.case[0])
    return all(
        not wanted or _same_case(alnum(tokens[first + k].surface), wanted)
        for k, wanted in enumerate(form.case)
    )


def _same_case(written: str, wanted: str) -> bool:
    """True if `written` is `wanted` as written, or in capitals, with an optional plural s."""
    for text in (written, written[:-1] if written[-1:] in "s" and wanted[-1:] not in "sS" else ""):
        if text and (
            text == wanted or (not any(c.islower() for c in text) and text == wanted.upper())
        ):
            return True
    return False


def _unique(forms: list[LabelForm]) -> tuple[LabelForm, ...]:
    """Return the forms without repeats of one label (found by both passes, say)."""
    seen: set[tuple[int, str, LabelKind]] = set()
    out = []
    for form in forms:
        key = (form.row.concept, form.row.text, form.row.kind)
        if key not in seen:
            seen.add(key)
            out.append(form)
    return tuple(out)
