"""Text to tokens that remember where they came from: the first step of annotation.

A document is its original text and the segments of it to read (all of it for plain
text; the text nodes for HTML). Each word of a segment becomes a `Token` holding its
matching key from the one normaliser (`vocab.normalize.normalise_label`), its surface
text and its exact character offsets in the original, so that a match over keys maps back
to the input even though normalising changes lengths ("Tumours" -> "tumour", "ﬁ" -> "fi").
Tokens also carry what annotation needs around them: the segment and block they are in,
whether a hyphen joins them to the previous word, and which sentence they belong to.

>>> [(t.key, t.start, t.end) for t in tokenise("CTs & tumors")]
[('ct', 0, 3), ('and', 4, 5), ('tumour', 6, 12)]
>>> [t.key for t in tokenise("the EI's value")]
['the', 'ei', 'value']
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from vocab.normalize import normalise_label

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&", re.UNICODE)
_SPLIT = re.compile(f"({_WORD.pattern})")  # gaps and words, alternately
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_HYPHENS = frozenset("-‐‑")
_POSSESSIVES = ("'s", "’s")  # an acronym's possessive: "EI's" reads as "EI" ("eis" names nothing)
_END_BEFORE_MARKUP = re.compile(r"[.!?…]['\"’”)\]]*<")
_SENTENCE_END = re.compile(r"[.!?…](?:['\"’”)\]]*)\s|\n\s*\n|[\n\r]\s*[-*•]\s")
_BULLET = re.compile(r"[\n\r]\s*[-*•]\s")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the original text to read; segments in one block read as one paragraph.

    When the original writes the stretch differently from how it reads (HTML character
    references: "computed&nbsp;tomography"), `decoded` is the text as read and
    `positions[i]` the offset in the original of its i-th character (one more entry for
    the end), so that offsets still point into the original.
    """

    start: int
    end: int
    block: int = 0
    decoded: str | None = None
    positions: Sequence[int] | None = None


@dataclass(slots=True)  # not frozen: a frozen dataclass takes 10x longer to build, per word
class Token:
    """One word: its matching key, its surface text and its offsets in the original text."""

    key: str
    surface: str
    start: int
    end: int
    segment: int
    sentence: int
    hyphen_before: bool  # joined to the previous word by a hyphen, with no space


@lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[str, ...]:
    """Return the matching keys of one written word (usually one; none for symbols).

    >>> word_keys("Tumors"), word_keys("don't"), word_keys("&")
    (('tumour',), ('dont',), ('and',))
    """
    return tuple(normalise_label(word).split())


def alnum(text: str) -> str:
    """Return the letters and digits of `text`, in NFKC form, case kept.

    >>> alnum("IR(ME)R")
    'IRMER'
    """
    if text.isascii():  # NFKC changes nothing there
        return text if text.isalnum() else "".join(ch for ch in text if ch.isalnum())
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def whole(text: str) -> list[Segment]:
    """Return the one segment that reads the whole of `text`."""
    return [Segment(0, len(text), 0)]


class Tokens(Sequence[Token]):
    """The tokens of a text as columns, one list per field (no object per word: a 100 KB
    text has some 16,000); indexing or iterating gives `Token`s, built when asked for."""

    __slots__ = ("ends", "hyphens", "keys", "segments", "sentences", "starts", "surfaces")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.surfaces: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.segments: list[int] = []
        self.sentences: list[int] = []
        self.hyphens: list[bool] = []

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        return Token(
            self.keys[index],
            self.surfaces[index],
            self.starts[index],
            self.ends[index],
            self.segments[index],
            self.sentences[index],
            self.hyphens[index],
        )

    def __iter__(self) -> Iterator[Token]:
        columns = (self.keys, self.surfaces, self.starts, self.ends, self.segments)
        return map(Token, *columns, self.sentences, self.hyphens)


def tokenise(text: str, segments: Sequence[Segment] | None = None) -> Tokens:
    """Return the tokens of `text` (or of its `segments`), with sentence numbers.

    A sentence ends at . ! ? followed by space and a capital or digit, at a blank line or
    bullet, and at the end of a block; segments of one block continue one sentence.
    """
    tokens = Tokens()
    sentence = 0
    previous_end = -1  # end of the previous word within the current block, -1 if none
    previous_block: int | None = None
    for index, segment in enumerate(segments if segments is not None else whole(text)):
        if previous_block is not None and segment.block != previous_block:
            sentence += 1 if tokens.keys else 0
            previous_end = -1
        previous_block = segment.block
        starts, ends, surfaces, gaps = _words(text, segment)
        if not surfaces:
            continue
        # the first word: the gap before it runs from the segment's start, and the word
        # before it (if any) is the previous segment's last
        start, first = starts[0], surfaces[0]
        marks: dict[int, int] = {}  # word -> 1 a sentence ends before it, 4 a hyphen joins it
        if previous_end >= 0 and not (start - previous_end == 1 and text[previous_end] == " "):
            gap = text[segment.start : start]
            step = 1 if gap and _ends_sentence(gap, first) else 0
            if previous_end == start - 1 and text[start - 1] in _HYPHENS:
                step |= 4
            if step:
                marks[0] = step
        # the others: the gap before each is the text since the previous word ends; most
        # gaps are one space, and the rest are few distinct strings, classified once
        classes = _GAP_CLASSES
        for gap in set(gaps).difference(classes):
            classes[gap] = _gap_class(gap)
        kinds = list(map(classes.__getitem__, gaps))
        for k in itertools.compress(range(1, len(surfaces)), kinds):  # the few gaps that do
            kind = kinds[k - 1]
            if kind == 2:  # a full stop: a sentence ends if a capital or digit follows
                initial = surfaces[k][:1]
                kind = 1 if initial.isupper() or initial.isdigit() else 0
            if kind:
                marks[k] = kind
        if len(classes) > 4096:
            classes.clear()
        sentence = _append(tokens, surfaces, starts, ends, marks, index, sentence)
        previous_end = ends[-1]
    return tokens


def _append(
    tokens: Tokens,
    surfaces: list[str],
    starts: list[int],
    ends: list[int],
    marks: dict[int, int],
    segment: int,
    sentence: int,
) -> int:
    """Append the tokens of one segment's words: their keys, and the sentence each is in
    (`marks`, in word order: 1 where a sentence ends before a word, 4 where a hyphen
    joins it); return the sentence number after them."""
    global _SURFACES
    distinct = set(surfaces)  # a text's words are few distinct, and most met before
    known, single = _SURFACES
    if len(known) > SURFACE_CACHE:  # replaced, never cleared: other threads keep theirs
        known, single = _SURFACES = ({}, {})
    for word in distinct.difference(known):
        keys = known[word] = _surface_keys(word)
        if len(keys) == 1:
            single[word] = keys[0]
    if distinct.issubset(single):  # one key per word: the columns are the words'
        tokens.keys += map(single.__getitem__, surfaces)
        tokens.surfaces += surfaces
        tokens.starts += starts
        tokens.ends += ends
        tokens.segments += [segment] * len(surfaces)
        hyphens = [False] * len(surfaces)
        numbers = tokens.sentences
        done = 0
        for k, step in marks.items():
            if step & 4:
                hyphens[k] = True
            if step & 1:
                numbers += [sentence] * (k - done)
                done, sentence = k, sentence + 1
        numbers += [sentence] * (len(surfaces) - done)
        tokens.hyphens += hyphens
        return sentence
    # a word with several keys ("3D"?) or none: one token per key, the hyphen on the first
    for k, (surface, start, end) in enumerate(zip(surfaces, starts, ends, strict=True)):
        step = marks.get(k, 0)
        sentence += step & 1
        hyphen = bool(step & 4)
        for key in known[surface]:
            tokens.keys.append(key)
            tokens.surfaces.append(surface)
            tokens.starts.append(start)
            tokens.ends.append(end)
            tokens.segments.append(segment)
            tokens.sentences.append(sentence)
            tokens.hyphens.append(hyphen)
            hyphen = False
    return sentence


SURFACE_CACHE = 32_768  # written words whose keys are kept between texts (a few MB)
_SURFACES: tuple[dict[str, tuple[str, ...]], dict[str, str]] = ({}, {})
"""Written words -> their keys, and -> their one key for those with one (most)."""


def _surface_keys(surface: str) -> tuple[str, ...]:
    """Return the matching keys of a written word; an acronym's possessive ("EI's") reads
    as the acronym."""
    if surface[-2:] in _POSSESSIVES and surface[:-2].isupper():
        return word_keys(surface[:-2])
    return word_keys(surface)


def _ends_sentence(gap: str, next_word: str) -> bool:
    """True if the text between two words ends a sentence before `next_word`: a full stop
    needs a space or markup after it, so "0.82" and "e.g." inside a word do not."""
    kind = _gap_class(gap)
    if kind == 2:
        first = next_word[:1]
        return first.isupper() or first.isdigit()
    return kind == 1


def _gap_class(gap: str) -> int:
    """Return what the text between two words does: 4 joins them (a hyphen), 1 ends a
    sentence (a blank line, a bullet), 2 ends one if the next word opens with a capital
    or a digit (a full stop and a space), 0 nothing."""
    if len(gap) == 1 and gap in _HYPHENS:
        return 4
    if not (_SENTENCE_END.search(gap) or _END_BEFORE_MARKUP.search(gap)):
        return 0
    return 1 if gap.count("\n") >= 2 or _BULLET.search(gap) else 2


_GAP_CLASSES: dict[str, int] = {"": 0, " ": 0}  # gap -> _gap_class(gap), shared by texts


def _words(text: str, segment: Segment) -> tuple[list[int], list[int], list[str], list[str]]:
    """Return the starts, ends and surfaces of the words of a segment, and the text of the
    original between each word and the next; invisible characters are skipped.

    A soft hyphen or zero-width character inside a word does not split it: the word is read
    without it, and its offsets still cover the original characters.
    """
    if segment.decoded is not None and segment.positions is not None:
        piece, where = segment.decoded, segment.positions
    else:
        piece, where = text[segment.start : segment.end], None
    base = segment.start
    if where is None and not _INVISIBLE.search(piece):  # the common case, kept fast
        # one split gives gaps and words alternately; offsets are their summed lengths
        pieces = _SPLIT.split(piece)
        offsets = list(itertools.accumulate(map(len, pieces), initial=base))
        last = len(pieces) - 1  # pieces end with a gap
        return offsets[1:last:2], offsets[2 : last + 1 : 2], pieces[1::2], pieces[2:last:2]
    kept: list[int] | None = None
    if _INVISIBLE.search(piece):
        kept = [i for i, ch in enumerate(piece) if not _INVISIBLE.match(ch)]
        piece = "".join(piece[i] for i in kept)
    starts, ends, surfaces = [], [], []
    for match in _WORD.finditer(piece):
        first, last = match.start(), match.end() - 1
        if kept is not None:
            first, last = kept[first], kept[last]
        if where is None:
            starts.append(base + first)
            ends.append(base + last + 1)
        else:
            starts.append(where[first])
            ends.append(where[last + 1])
        surfaces.append(match.group())
    gaps = [text[a:b] for a, b in zip(ends[:-1], starts[1:], strict=True)]
    return starts, ends, surfaces, gaps


def sentence_bounds(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Return, for each sentence number, the (first, last + 1) token indices it spans.

    >>> sentence_bounds(tokenise("One two. Three."))
    [(0, 2), (2, 3)]
    """
    numbers = tokens.sentences if isinstance(tokens, Tokens) else [t.sentence for t in tokens]
    count = numbers[-1] + 1 if numbers else 0
    starts = [bisect.bisect_left(numbers, n) for n in range(count + 1)]
    return list(itertools.pairwise(starts))
