"""Every label of a release in one Aho–Corasick automaton over word keys, and the spans it finds.

Each distinct word key of the labels gets one code point, so a label is a short string of
code points ("computed tomography" is two) and a document is one such string: a single
pass of the automaton (`pyahocorasick`, C) finds every label occurrence, and word
boundaries come for free. Labels written with joined words ("auto-contouring",
"IR(ME)R") are also registered in compact form, so "autocontouring" and "IRMER" match
them; a second pass over the document with hyphenated words joined catches the reverse.

The automaton is built from one light pass over the store's labels (`ReadStore.label_keys`)
and keeps, per pattern, only the numbers of its labels in flat arrays: no object per
label. The rows of the labels a document actually matches are read from the store when
first met and kept in a bounded cache, so 100,000 concepts cost a few seconds and a few
tens of megabytes, not one Python object per label.

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
import threading
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick
import numpy as np

from vocab.annotate_text import Token, alnum, word_keys
from vocab.label_index import STOPWORDS
from vocab.model import LabelKind
from vocab.store import LabelRow, ReadStore

MIN_LETTERS = 2  # one-letter labels ("R") are never matched
MIN_HIDDEN = 5  # a misspelling shorter than this is too likely to be a real word
FORM_CACHE = 32_768  # label forms kept between documents (cleared when full)
_UNKNOWN = "\x01"  # a word no label holds
_BREAK = "\x02"  # between segments: no match crosses it
_JOINED = re.compile(r"[^\W_][^\w\s]+[^\W_]")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&")


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


@dataclass(slots=True)
class Match:
    """Labels found over tokens first..last (inclusive), every one with the same words."""

    first: int
    last: int
    forms: tuple[LabelForm, ...]


class Matcher:
    """The automaton of one release's active labels; build once, share between threads."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self.codes: dict[str, str] = {}
        self.automaton = automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        lengths = array("B")  # words per pattern
        pids, numbers, compact = array("i"), array("i"), bytearray()
        for number, kind, text, norm in store.label_keys(active_only=True):
            keys = norm.split()
            for joined in _forms(kind, text, keys):
                words = ("".join(keys),) if joined else keys
                pattern = "".join([self._code_of(k) for k in words])
                pid = automaton.get(pattern, -1)
                if pid < 0:
                    pid = len(lengths)
                    automaton.add_word(pattern, pid)
                    lengths.append(min(len(words), 255))
                pids.append(pid)
                numbers.append(number)
                compact.append(joined)
        automaton.make_automaton()
        self.patterns = len(lengths)
        # the labels of pattern p are entries starts[p]..starts[p+1]: one sort, three arrays
        by_pattern = np.argsort(np.frombuffer(pids, dtype=np.int32), kind="stable")
        counts = np.bincount(np.frombuffer(pids, dtype=np.int32), minlength=self.patterns)
        self.lengths = lengths
        self._numbers = array("i", np.frombuffer(numbers, dtype=np.int32)[by_pattern].tobytes())
        self._compact = bytes(np.frombuffer(bytes(compact), dtype=np.uint8)[by_pattern])
        self._starts = array("i", np.concatenate([[0], np.cumsum(counts)]).astype(np.int32))
        self._forms: dict[int, LabelForm] = {}
        self._lock = threading.Lock()

    def _code_of(self, key: str) -> str:
        code = self.codes.get(key)
        if code is None:
            code = self.codes[key] = _code(len(self.codes))
        return code

    @property
    def labels(self) -> int:
        """How many label forms the automaton holds."""
        return len(self._numbers)

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Return the non-overlapping matches in `tokens`, in text order (see module doc)."""
        hits = list(self._hits(tokens))
        forms = self._load(hits)
        found: dict[tuple[int, int], list[LabelForm]] = {}
        starts, numbers, compact = self._starts, self._numbers, self._compact
        for first, last, pid in hits:
            for k in range(starts[pid], starts[pid + 1]):
                form = forms[numbers[k] * 2 + compact[k]]
                if form.case is None or _acceptable(form, tokens, first, last):
                    found.setdefault((first, last), []).append(form)
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

    def _load(self, hits: list[tuple[int, int, int]]) -> dict[int, LabelForm]:
        """Return the label forms the hits name (key: label number * 2 + compact), reading
        the rows the cache lacks from the store in one batch."""
        wanted: set[int] = set()
        starts, numbers, compact = self._starts, self._numbers, self._compact
        for pid in {pid for _, _, pid in hits}:
            for k in range(starts[pid], starts[pid + 1]):
                wanted.add(numbers[k] * 2 + compact[k])
        cache = self._forms
        out = {key: form for key in wanted if (form := cache.get(key)) is not None}
        missing = [key for key in wanted if key not in out]
        if missing:
            rows = self.store.labels_by_number(sorted({key >> 1 for key in missing}))
            for key in missing:
                row, compact_form = rows[key >> 1], bool(key & 1)
                case = _case_of(row.kind, row.text)
                if case and compact_form:  # the compact form's letters, as one word
                    case = (alnum(row.text),)
                out[key] = LabelForm(row, compact_form, case)
            with self._lock:
                if len(cache) + len(missing) > FORM_CACHE:
                    cache.clear()
                cache.update((key, out[key]) for key in missing)
        return out

    def _hits(self, tokens: Sequence[Token]) -> Iterator[tuple[int, int, int]]:
        """Yield (first token, last token, pattern id) of every pattern occurrence."""
        streams = [self._stream(tokens, joined=False)]
        if self._joined_words(tokens):
            streams.append(self._stream(tokens, joined=True))
        seen: set[tuple[int, int, int]] = set()
        lengths = self.lengths
        for text, spans in streams:
            for end, pid in self.automaton.iter(text):
                start = end - lengths[pid] + 1
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
        codes = self.codes
        if not joined and all(t.segment == 0 for t in tokens[-1:]):  # one segment: the common case
            return "".join([codes.get(t.key, _UNKNOWN) for t in tokens]), [
                (i, i) for i in range(len(tokens))
            ]
        chars: list[str] = []
        spans: list[tuple[int, int]] = []
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


def _forms(kind: LabelKind, text: str, keys: list[str]) -> Iterator[bool]:
    """Yield the forms under which a label is matched: False for its words, True for its
    compact form (none for stop words, one letter...)."""
    if not keys or STOPWORDS.issuperset(keys):
        return
    letters = sum(map(len, keys))
    if letters < MIN_LETTERS or (kind is LabelKind.HIDDEN and letters < MIN_HIDDEN):
        return
    if len(keys) == 1 and text.isascii() and text.isalnum():  # most labels, every acronym
        yield False
        return
    case = None if text.islower() else _case_of(kind, text)
    if case is None or len(case) == len(keys):
        yield False
    if len(keys) > 1 and not (text.isascii() and text.replace(" ", "").isalnum()):
        if _JOINED.search(text):
            yield True


def _case_of(kind: LabelKind, text: str) -> tuple[str, ...] | None:
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


def _acceptable(form: LabelForm, tokens: Sequence[Token], first: int, last: int) -> bool:
    """True if the text over tokens first..last is written as `form` requires (its case)."""
    assert form.case is not None
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
