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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from vocab.normalize import normalise_label

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&", re.UNICODE)
_SPLIT = re.compile(f"({_WORD.pattern})")  # gaps and words, alternately
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_HYPHENS = frozenset("-‐‑")
_POSSESSIVES = ("'s", "’s")  # an acronym's possessive: "EI's" reads as "EI" ("eis" names nothing)
_END_BEFORE_MARKUP = re.compile(r"[.!?…]['\"’”)\]]*<")
_SENTENCE_END = re.compile(r"[.!?…](?:['\"’”)\]]*)\s|\n\s*\n|[\n\r]\s*[-*•]\s")


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


def tokenise(text: str, segments: Sequence[Segment] | None = None) -> list[Token]:
    """Return the tokens of `text` (or of its `segments`), with sentence numbers.

    A sentence ends at . ! ? followed by space and a capital or digit, at a blank line or
    bullet, and at the end of a block; segments of one block continue one sentence.
    """
    tokens: list[Token] = []
    append = tokens.append
    known: dict[str, tuple[str, ...]] = {}  # surface -> its keys, for this text
    sentence = 0
    previous_end = -1  # end of the previous token within the current block, -1 if none
    previous_block: int | None = None
    for index, segment in enumerate(segments if segments is not None else whole(text)):
        if previous_block is not None and segment.block != previous_block:
            sentence += 1 if tokens else 0
            previous_end = -1
        previous_block = segment.block
        gap_start = segment.start
        starts, ends, surfaces = _words(text, segment)
        for start, end, surface in zip(starts, ends, surfaces, strict=True):
            hyphen = False
            if previous_end >= 0 and not (start - previous_end == 1 and text[previous_end] == " "):
                gap = text[gap_start:start]  # anything but one space may end a sentence
                if gap and _ends_sentence(gap, surface):
                    sentence += 1
                hyphen = previous_end == start - 1 and text[start - 1] in _HYPHENS
            surface_keys = known.get(surface)
            if surface_keys is None:
                surface_keys = known[surface] = _surface_keys(surface)
            for key in surface_keys:
                append(Token(key, surface, start, end, index, sentence, hyphen))
                hyphen = False
            previous_end = end
            gap_start = end
    return tokens


def _surface_keys(surface: str) -> tuple[str, ...]:
    """Return the matching keys of a written word; an acronym's possessive ("EI's") reads
    as the acronym."""
    if surface[-2:] in _POSSESSIVES and surface[:-2].isupper():
        return word_keys(surface[:-2])
    return word_keys(surface)


def _ends_sentence(gap: str, next_word: str) -> bool:
    """True if the text between two words ends a sentence before `next_word`: a full stop
    needs a space or markup after it, so "0.82" and "e.g." inside a word do not."""
    if not _SENTENCE_END.search(gap) and not _END_BEFORE_MARKUP.search(gap):
        return False
    if "\n" in gap and gap.count("\n") >= 2:
        return True
    first = next_word[:1]
    return first.isupper() or first.isdigit() or bool(re.search(r"[\n\r]\s*[-*•]\s", gap))


def _words(text: str, segment: Segment) -> tuple[list[int], list[int], list[str]]:
    """Return the starts, ends and surfaces of the words of a segment; invisible characters
    are skipped.

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
        return offsets[1:last:2], offsets[2 : last + 1 : 2], pieces[1::2]
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
    return starts, ends, surfaces


def sentence_bounds(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Return, for each sentence number, the (first, last + 1) token indices it spans.

    >>> sentence_bounds(tokenise("One two. Three."))
    [(0, 2), (2, 3)]
    """
    numbers = [t.sentence for t in tokens]  # never decreasing
    count = numbers[-1] + 1 if numbers else 0
    starts = [bisect.bisect_left(numbers, n) for n in range(count + 1)]
    return list(itertools.pairwise(starts))
