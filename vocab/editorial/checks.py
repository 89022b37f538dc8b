"""Input checks on what people propose: clean text, clean labels, no look-alike labels.

- text must be valid Unicode (no lone surrogates) with no control characters;
- labels may not hold zero-width or bidirectional control characters (any Unicode
  "format" character), which make one word look like another or reorder what is shown;
- a new label whose `skeleton` (NFKC, case folding, common homoglyphs mapped to Latin,
  marks and spacing folded) equals another concept's label but whose text differs is a
  look-alike, refused as a Conflict naming that concept. The same text on two concepts
  is a homonym, which the quality gate asks to be told apart.

>>> skeleton("ＣＮＮ") == skeleton("cnn") == skeleton("СNN")  # fullwidth, Latin, Cyrillic С
True
>>> skeleton("naïve  Bayes") == skeleton("naive bayes")
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from vocab.editorial.errors import Conflict
from vocab.errors import InvalidInput
from vocab.model import Concept

MAX_LABEL_LENGTH = 300
MAX_TEXT_LENGTH = 5000

# Letters from other scripts that render like Latin ones (after case folding), from the
# Unicode confusables data (UTS #39) for the Cyrillic and Greek letters people actually mix in.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "ѕ": "s",
        "т": "t",
        "у": "y",
        "х": "x",
        "ԝ": "w",
        "ү": "y",
        "ѵ": "v",
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ϲ": "c",
        "ϳ": "j",
        "ı": "i",
        "ȷ": "j",
        "ɡ": "g",
        "ɑ": "a",
        "ℓ": "l",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
    }
)


def check_text(value: str, what: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Return `value` stripped; raise InvalidInput for bad Unicode, control characters or size."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} holds a lone surrogate; send valid UTF-8 text.") from None
    bad = sorted(
        {
            f"U+{ord(ch):04X}"
            for ch in value
            if unicodedata.category(ch) == "Cc" and ch not in "\n\t"
        }
    )
    if bad:
        raise InvalidInput(f"{what} holds control characters ({', '.join(bad)}); remove them.")
    value = value.strip()
    if not value:
        raise InvalidInput(f"{what} is empty.")
    if len(value) > max_length:
        raise InvalidInput(f"{what} is {len(value)} characters long; the limit is {max_length}.")
    return value


def check_label(text: str) -> str:
    """Return a label's text; raise InvalidInput for invisible, bidi or control characters."""
    text = check_text(text, f"Label '{text[:60]}'", max_length=MAX_LABEL_LENGTH)
    hidden = sorted(
        {
            f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()
            for ch in text
            if unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp")
        }
    )
    if hidden:
        raise InvalidInput(
            f"Label '{text[:60]}' holds invisible or bidirectional control characters "
            f"({', '.join(hidden)}); type the label without them."
        )
    return " ".join(text.split())


@lru_cache(maxsize=65_536)
def skeleton(text: str) -> str:
    """Return the look-alike key of a label: what it looks like, not what it spells
    (remembered: every proposal compares its labels with every label of the head)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_HOMOGLYPHS).split())


def check_confusables(
    edited: Iterable[tuple[Concept | None, Concept]], others: Iterable[Concept]
) -> None:
    """Raise Conflict if a label an edit adds looks like, but is not, another concept's label.

    `edited` holds (before, after) pairs; `others` is every concept as it would be, the
    edited ones included (a concept is never compared with itself).
    """
    index: dict[str, list[tuple[str, str]]] = {}
    for concept in others:
        for label in concept.labels:
            index.setdefault(skeleton(label.text), []).append((concept.id, label.text))
    for before, after in edited:
        old = {label.text for label in before.labels} if before else set()
        for label in after.labels:
            if label.text in old:
                continue
            for owner, text in index.get(skeleton(label.text), []):
                if owner != after.id and text != label.text:
                    raise Conflict(
                        f"Label '{label.text}' looks like '{text}' of concept {owner}; "
                        f"if it is the same word, spell it exactly as {owner} does."
                    )
