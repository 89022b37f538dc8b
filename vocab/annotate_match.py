"""Every label of a release as a hashed sequence of word codes, and the spans a text holds.

Each distinct word key of the labels gets a number (its code), so a label is a short
sequence of codes ("computed tomography" is two) and a document is one such sequence. A
label is stored as the 64-bit polynomial hash of its codes, in one sorted array beside
the numbers of its labels: no object per label, a few bytes each (`ReadStore.label_keys`
gives the labels in one light pass). A document is matched with numpy, one vectorised
pass per label length: every window of that many known words is hashed and looked up in
the sorted array. A hash hit is then checked against the label's own words, so a
collision can cost time but never a wrong match. Labels written with joined words
("auto-contouring", "IR(ME)R") are also stored in compact form, so "autocontouring" and
"IRMER" match them; the stretch around each hyphenated run of words is matched again with
the run joined, for the reverse.

The rows of the labels a document actually matches are read from the store when first met
and kept in a bounded cache, as label forms (`vocab.annotate_forms`): 100,000 concepts cost
a second or two and about 15 MB. The windows hit are taken longest first, and a window's
labels are checked only when no longer match has taken its words.

Matches are filtered and resolved predictably:

- a label whose words are all stop words, or shorter than two letters, is never matched;
- a case-significant label word (an acronym, or a word with capitals after its first
  letter: "CT", "mpMRI", "EU") must be written with those capitals (or in all capitals,
  with an optional plural or possessive s): "it" is not "IT", "mL" is not "ML";
- a misspelling (hidden label) matches only when it is at least `MIN_HIDDEN` letters;
- the longest match (in words, then characters) wins; of equally long overlapping
  matches the leftmost wins.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from vocab.annotate_forms import (
    Bundles,
    LabelForm,
    acceptable,
    bundled,
    case_of,
    label_form,
    unique,
)
from vocab.annotate_text import Tokens
from vocab.label_index import STOPWORDS
from vocab.model import KIND_RANK, LabelKind
from vocab.store import ReadStore

MIN_LETTERS = 2  # one-letter labels ("R") are never matched
MIN_HIDDEN = 5  # a misspelling shorter than this is too likely to be a real word
FORM_CACHE = 32_768  # label forms kept between documents (cleared when full)
_MULTIPLIER = 0x9E3779B97F4A7C15  # odd: the hash of codes c1..cn is sum (ci + 1) * M^(n-i)
_MASK = (1 << 64) - 1
_JOINED = re.compile(r"[^\W_][^\w\s]+[^\W_]")

Windows = dict[tuple[int, int], tuple[tuple[int, str | None], ...]]
"""Windows of tokens (first, last) that a label's hash hits -> per hit, the hash's first
entry and the window's words as labels hold them (None: its tokens' keys, joined)."""
Codes = np.ndarray[Any, np.dtype[np.int64]]  # one word code per position, -1 for no label word


@dataclass(slots=True)
class Match:
    """Labels found over tokens first..last (inclusive), every one with the same words."""

    first: int
    last: int
    forms: tuple[LabelForm, ...]


class Matcher:
    """The hashed labels of one release's active concepts; build once, share between threads."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self.codes: dict[str, int] = {}
        hashes, numbers, compact, lengths = array("Q"), array("i"), bytearray(), bytearray()
        code_of = self.codes.setdefault
        for number, kind, text, norm in store.label_keys(active_only=True):
            keys = norm.split()
            for joined in _forms(kind, text, keys):
                words = ("".join(keys),) if joined else keys
                value = 0
                for key in words:
                    value = (value * _MULTIPLIER + code_of(key, len(self.codes)) + 1) & _MASK
                hashes.append(value)
                numbers.append(number)
                compact.append(joined)
                lengths.append(min(len(words), 255))
        order = np.argsort(np.frombuffer(hashes, dtype=np.uint64), kind="stable")
        self._hashes = np.frombuffer(hashes, dtype=np.uint64)[order]
        # per entry: its label's number * 2 + 1 for the compact form (an array: no objects)
        forms = np.frombuffer(numbers, dtype=np.int32).astype(np.int64) * 2
        forms += np.frombuffer(bytes(compact), dtype=np.uint8)
        self._entries = array("q", forms[order].tobytes())
        found = np.frombuffer(bytes(lengths), dtype=np.uint8)
        self.lengths = sorted(int(n) for n in np.unique(found))  # the label lengths, in words
        self.longest = max(self.lengths, default=1)
        self._groups: dict[int, Bundles] = {}  # entries low.. -> their forms, bundled
        self._cached = 0  # label forms in _groups
        self._lock = threading.Lock()

    @property
    def labels(self) -> int:
        """How many label forms the matcher holds."""
        return len(self._entries)

    def find(self, tokens: Tokens) -> list[Match]:
        """Return the non-overlapping matches in `tokens`, in text order (see module doc).

        The windows a label's hash hits are taken longest first; a window's labels are
        checked (their words, their case) only when no longer match has taken its words
        already: at 100k concepts most hits are the words of a longer match."""
        windows: Windows = {}
        ranges: dict[int, int] = {}
        self._hits(tokens, windows, ranges)
        groups = self._load(ranges)
        keys, starts, ends = tokens.keys, tokens.starts, tokens.ends
        cased: dict[tuple[tuple[str, ...], bool, int, int], bool] = {}  # case checks made
        taken = bytearray(len(tokens))
        chosen: list[Match] = []
        for first, last in sorted(
            windows, key=lambda s: (-(s[1] - s[0]), -(ends[s[1]] - starts[s[0]]), s[0])
        ):
            if any(taken[first : last + 1]):
                continue
            accepted: list[LabelForm] = []
            for low, words in windows[(first, last)]:
                if words is None:  # a window of the whole pass: its tokens' keys
                    words = " ".join(keys[first : last + 1])
                for bundle in groups[low]:
                    form = bundle[0]
                    if form.words != words:
                        continue
                    if form.case is not None:  # many labels of a large vocabulary share a case
                        check = (form.case, form.compact, first, last)
                        ok = cased.get(check)
                        if ok is None:
                            ok = cased[check] = acceptable(form, tokens, first, last)
                        if not ok:
                            continue
                    accepted += bundle
            if accepted:
                taken[first : last + 1] = b"\x01" * (last - first + 1)
                chosen.append(Match(first, last, unique(accepted)))
        chosen.sort(key=lambda m: m.first)
        return chosen

    def _load(self, ranges: dict[int, int]) -> dict[int, Bundles]:
        """Return the label forms of the entries low..high-1 of each range (low -> high),
        by low, in bundles (`bundled`), reading the rows the cache lacks from the store
        in one batch."""
        cache = self._groups
        out = {low: found for low in ranges if (found := cache.get(low)) is not None}
        missing = [low for low in ranges if low not in out]
        if missing:
            entries = self._entries
            wanted = {entries[k] for low in missing for k in range(low, ranges[low])}
            rows = self.store.labels_by_number(sorted({key >> 1 for key in wanted}))
            made = {key: label_form(rows[key >> 1], bool(key & 1)) for key in wanted}
            for low in missing:
                out[low] = bundled([made[entries[k]] for k in range(low, ranges[low])])
            with self._lock:
                if self._cached + len(wanted) > FORM_CACHE:
                    cache.clear()
                    self._cached = 0
                cache.update((low, out[low]) for low in missing)
                self._cached += len(wanted)
        return out

    def _hits(self, tokens: Tokens, windows: Windows, ranges: dict[int, int]) -> None:
        """Add to `windows` every window whose hash some label has, and to `ranges` the
        entries low..high of each hash (low -> high): over the whole document, and over
        the stretch around each hyphenated run that, joined, holds a label word."""
        codes = self.codes
        n = len(tokens)
        whole = np.fromiter(map(codes.get, tokens.keys, itertools.repeat(-1)), np.int64, n)
        of = tokens.segments  # never decreasing: one segment (plain text) if first and last agree
        segments = np.array(of, dtype=np.int64) if n and of[0] != of[-1] else None
        self._windows(tokens, whole, segments, None, windows, ranges)
        reach = 3 * self.longest  # tokens either side: a label's words, and some to spare
        stretches: list[list[int]] = []
        for first, last in self._joined_runs(tokens):
            low, high = max(0, first - reach), min(len(tokens), last + 1 + reach)
            if stretches and low <= stretches[-1][1]:
                stretches[-1][1] = high
            else:
                stretches.append([low, high])
        if stretches:  # all in one pass, a word no label holds between stretches
            keys, spans = [], []
            for low, high in stretches:
                more_keys, more_spans = _joined(tokens, low, high)
                keys += [*more_keys, ""]
                spans += [*more_spans, (high - 1, high - 1)]
            found = np.fromiter((codes.get(k, -1) if k else -1 for k in keys), np.int64, len(keys))
            where = np.fromiter((of[i] for i, _ in spans), np.int64, len(spans))
            self._windows(tokens, found, where, spans, windows, ranges)

    def _windows(
        self,
        tokens: Tokens,
        codes: Codes,
        segments: Codes | None,
        spans: list[tuple[int, int]] | None,
        windows: Windows,
        ranges: dict[int, int],
    ) -> None:
        """Add the hits among the windows of `codes` (position i stands for the tokens
        spans[i], or token i without `spans`) to `windows` and `ranges`; a window with an
        unknown word or across segments (None: all in one) is never a label. With `spans`,
        only windows holding a joined run are read: the others are windows of the whole
        pass, met already."""
        n = len(codes)
        hashes = self._hashes
        known = codes >= 0
        shifted = (codes + 1).astype(np.uint64)
        joined = None  # joined[i]: how many positions before i stand for several tokens
        if spans is not None:
            several = np.fromiter((a < b for a, b in spans), np.int64, len(spans))
            joined = np.concatenate(([0], np.cumsum(several)))
        lengths = set(self.lengths)
        value, every = shifted, known  # per window of `length` words: its hash, all known
        for length in range(1, min(self.longest, n) + 1):
            count = n - length + 1
            if length > 1:  # the hash of a window is the shorter one's, times M, plus a code
                value = value[:count] * np.uint64(_MULTIPLIER) + shifted[length - 1 :]
                every = every[:count] & known[length - 1 :]
                if not every.any():
                    break
            if length not in lengths:
                continue
            valid = (
                every.copy()
                if segments is None
                else every & (segments[:count] == segments[length - 1 :])
            )
            if joined is not None:
                valid &= joined[length:] > joined[:count]
            starts = np.flatnonzero(valid)
            if not len(starts):
                continue
            wanted = value[starts]
            low = np.searchsorted(hashes, wanted, side="left")
            some = hashes[np.minimum(low, len(hashes) - 1)] == wanted  # few windows are labels
            wanted, low = wanted[some], low[some]
            high = np.searchsorted(hashes, wanted, side="right")
            firsts, lows = starts[some].tolist(), low.tolist()
            ranges.update(zip(lows, high.tolist(), strict=True))
            if spans is None:  # one hash per window; its words are its tokens' keys, joined
                # when needed (None): window (i, i + length - 1) -> ((low, None),)
                ends = map(operator.add, firsts, itertools.repeat(length - 1))
                hits = (((lo, None),) for lo in lows)
                windows.update(zip(zip(firsts, ends, strict=True), hits, strict=True))
                continue
            for i, lo in zip(firsts, lows, strict=True):
                first, last = spans[i][0], spans[i + length - 1][1]
                found = windows.get((first, last), ())
                if all(lo != other for other, _ in found):  # the whole pass met some already
                    windows[(first, last)] = (*found, (lo, _words(tokens, spans[i : i + length])))

    def _joined_runs(self, tokens: Tokens) -> list[tuple[int, int]]:
        """Return the hyphenated runs of words (first, last token) that, joined from their
        first word on, make a label word."""
        runs: list[list[int]] = []
        for k in itertools.compress(range(1, len(tokens)), tokens.hyphens[1:]):
            if runs and runs[-1][1] == k - 1:
                runs[-1][1] = k
            else:
                runs.append([k - 1, k])
        out = []
        for first, last in runs:
            keys = tokens.keys[first : last + 1]
            if any("".join(keys[: n + 1]) in self.codes for n in range(1, len(keys))):
                out.append((first, last))
        return out


def _joined(tokens: Tokens, low: int, high: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Return the word keys of tokens low..high-1 with each hyphen-joined run as one word,
    and the tokens each key stands for."""
    keys: list[str] = []
    spans: list[tuple[int, int]] = []
    words, hyphens, segments = tokens.keys, tokens.hyphens, tokens.segments
    i = low
    while i < high:
        j = i
        while j + 1 < high and hyphens[j + 1] and segments[j + 1] == segments[i]:
            j += 1
        keys.append(words[i] if i == j else "".join(words[i : j + 1]))
        spans.append((i, j))
        i = j + 1
    return keys, spans


def _words(tokens: Tokens, spans: list[tuple[int, int]]) -> str:
    """Return the words of a window as a label's matching key holds them."""
    keys = tokens.keys
    return " ".join("".join(keys[a : b + 1]) for a, b in spans)


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
    case = None if text.islower() else case_of(kind, text)
    if case is None or len(case) == len(keys):
        yield False
    plain = text.isascii() and text.replace(" ", "").isalnum()  # no joining mark: skip the regex
    if len(keys) > 1 and not plain and _JOINED.search(text):
        yield True


Forms = dict[str, list[LabelForm]]  # concept id -> its label forms, most significant first


def by_concept(match: Match) -> Forms:
    """Return the label forms of a match by concept id, most significant label first."""
    if len(match.forms) == 1:  # most matches: nothing to order
        form = match.forms[0]
        return {form.row.id: [form]}
    out: Forms = {}
    for form in sorted(match.forms, key=lambda f: KIND_RANK[f.row.kind]):
        out.setdefault(form.row.id, []).append(form)
    return out
