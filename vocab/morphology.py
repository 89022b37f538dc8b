"""Word forms: stems (Snowball English, PyStemmer), stop words and compound splitting.

Search and alignment compare a query with labels word by word through their stems, so
inflections and derivations meet: "overfitted" and "overfitting" share the stem
"overfit", "segments" and "segmentation" share "segment". Snowball leaves a few
derivations one or two letters apart ("identifi" from identifies, "identif" from
identification), so `same_stem` also accepts a stem that starts the other when both are
long. A compound written as one word ("autocontours") is split into two known words.

>>> stem("overfitted") == stem("overfitting")
True
>>> same_stem(stem("de-identifies"), stem("de-identification"))
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

import Stemmer

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "etc",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "lets",
        "like",
        "made",
        "make",
        "makes",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "near",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "per",
        "please",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
    ]
)
"""Function words: never the word that decides which concept a query means."""

MIN_PREFIX_STEM = 6  # a stem this long may match a longer stem that it starts
MAX_STEM_GAP = 2  # ... when that stem has at most this many more letters
MIN_COMPOUND_PART = 3

_local = threading.local()  # a Stemmer object is not safe to share between threads


def _stemmer() -> Stemmer.Stemmer:
    stemmer: Stemmer.Stemmer | None = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Return the Snowball English stem of a normalised word."""
    return str(_stemmer().stemWord(word))


def same_stem(a: str, b: str) -> bool:
    """True if two stems name the same word family (equal, or one a long prefix of the other)."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return (
        len(short) >= MIN_PREFIX_STEM
        and len(long) - len(short) <= MAX_STEM_GAP
        and long.startswith(short)
    )


def content_words(words: list[str]) -> list[str]:
    """Return the words that are not stop words (all of them if every word is one)."""
    kept = [w for w in words if w not in STOPWORDS]
    return kept or words


def split_compound(word: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """Return `word` split into two parts that `known` accepts (the left as written, the
    right by its stem), trying the longest left part first; None if there is no such split."""
    for cut in range(len(word) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
        left, right = word[:cut], word[cut:]
        if known(left) and (known(right) or known(stem(right))):
            return left, right
    return None
