"""One normalisation for every label and query: the key that lookup and search compare.

`normalise_label` folds what readers treat as the same word: Unicode forms and width,
case, diacritics, punctuation and hyphens, en-US versus en-GB spelling (-ize/-ise,
-or/-our, -er/-re, ae/e, oe/e, -ll-/-l-), and regular plurals. The result is a matching
key, not something to show: "Tumours" and "tumor" both become "tumour".

>>> normalise_label("Optimization of Tumor-Volumes")
'optimisation of tumour volume'
>>> normalise_label("Pædiatric  CTs")
'paediatric ct'
>>> compact_key("auto-contouring") == compact_key("Autocontouring")
True
"""

from __future__ import annotations

import functools
import re
import unicodedata

from vocab.errors import InvalidInput

MAX_QUERY_LENGTH = 200
"""Longest query text accepted by lookup, search and suggest (characters)."""

# Invisible characters that change nothing a reader sees: zero-width, bidi controls, soft hyphen.
_INVISIBLE = dict.fromkeys(
    [
        173,
        8203,
        8204,
        8205,
        8206,
        8207,
        8288,
        65279,
        *list(range(8234, 8239)),
        *list(range(8294, 8298)),
    ],
    None,
)
# Letters that NFKD does not decompose into a base letter plus a mark.
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_WORD = re.compile(r"[\W_]+")  # any letter or digit of any script is kept: "κ", "ε"
_ACRONYM_PLURAL = re.compile(r"^(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,}s$")  # "CTs", "OARs"; not "00s"
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# en-US spellings folded onto en-GB ones (whole words, singular forms).
_US_TO_GB: dict[str, str] = {
    "tumor": "tumour",
    "color": "colour",
    "behavior": "behaviour",
    "favor": "favour",
    "labor": "labour",
    "honor": "honour",
    "humor": "humour",
    "neighbor": "neighbour",
    "rumor": "rumour",
    "vapor": "vapour",
    "odor": "odour",
    "harbor": "harbour",
    "center": "centre",
    "fiber": "fibre",
    "liter": "litre",
    "theater": "theatre",
    "millimeter": "millimetre",
    "centimeter": "centimetre",
    "program": "programme",
    "catalog": "catalogue",
    "analog": "analogue",
    "dialog": "dialogue",
    "licence": "license",
    "defense": "defence",
    "offense": "offence",
    "practise": "practice",
    "gray": "grey",
    "aging": "ageing",
    "judgment": "judgement",
    "acknowledgment": "acknowledgement",
    "artifact": "artefact",
    "modeling": "modelling",
    "modeled": "modelled",
    "modeler": "modeller",
    "labeling": "labelling",
    "labeled": "labelled",
    "traveling": "travelling",
    "traveled": "travelled",
    "canceled": "cancelled",
    "canceling": "cancelling",
    "signaling": "signalling",
    "counseling": "counselling",
    "fueled": "fuelled",
    "leveled": "levelled",
    "channeling": "channelling",
    "enroll": "enrol",
    "enrollment": "enrolment",
    "fulfill": "fulfil",
    "fulfillment": "fulfilment",
    "skillful": "skilful",
    "mold": "mould",
    "aluminum": "aluminium",
    "cozy": "cosy",
    "plow": "plough",
    "draft": "draught",
    "check": "check",
    "esthetic": "aesthetic",
    "maneuver": "manoeuvre",
}
# Where en-GB writes ae/oe and en-US writes e: word starts, distinctive stems, -aemia.
_AE_OE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("hemo", "haemo"),
    ("hema", "haema"),
    ("anesth", "anaesth"),
    ("anem", "anaem"),
    ("estrog", "oestrog"),
    ("estrad", "oestrad"),
    ("fetus", "foetus"),
    ("fetal", "foetal"),
    ("cesarean", "caesarean"),
    ("cesium", "caesium"),
    ("archeo", "archaeo"),
    ("etiol", "aetiol"),
    ("fecal", "faecal"),
)
_AE_OE_STEMS: tuple[tuple[str, str], ...] = (
    ("pediat", "paediat"),
    ("orthoped", "orthopaed"),
    ("encycloped", "encyclopaed"),
    ("esophag", "oesophag"),
    ("edema", "oedema"),
    ("gynec", "gynaec"),
    ("ischem", "ischaem"),
    ("diarrhea", "diarrhoea"),
    ("dyspnea", "dyspnoea"),
    ("apnea", "apnoea"),
)
_IZE = re.compile(r"^(\w{3,}?)(i|y)z(e|es|ed|er|ers|ing|ation|ations|able)$")

# Plurals that the suffix rules would get wrong.
_IRREGULAR_PLURALS: dict[str, str] = {
    "analyses": "analysis",
    "diagnoses": "diagnosis",
    "prognoses": "prognosis",
    "hypotheses": "hypothesis",
    "metastases": "metastasis",
    "syntheses": "synthesis",
    "biases": "bias",
    "atlases": "atlas",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "appendices": "appendix",
    "apices": "apex",
    "cortices": "cortex",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "ganglia": "ganglion",
    "women": "woman",
    "men": "man",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "radii": "radius",
    "foci": "focus",
    "nuclei": "nucleus",
    "stimuli": "stimulus",
    "bronchi": "bronchus",
    "emboli": "embolus",
    "thrombi": "thrombus",
    "calculi": "calculus",
    "vertebrae": "vertebra",
    "maxillae": "maxilla",
    "bacteria": "bacterium",
}
_KEEP_FINAL_S = ("ss", "us", "is")
_WORDS_ENDING_IN_AS = frozenset(
    {"bias", "atlas", "pancreas", "gas", "canvas", "alias", "has", "was"}
)


def clean_query(text: str, *, max_length: int = MAX_QUERY_LENGTH) -> str:
    """Return `text` with its spacing collapsed; raise InvalidInput saying what to fix.

    A lone surrogate, NUL or any other control character (tab and line breaks aside) is
    refused rather than dropped: it is never part of a term, so the input is broken.

    >>> clean_query(" MHRA\\t ")
    'MHRA'
    """
    bad = _BROKEN.search(text)
    if bad:
        raise InvalidInput(_broken_message(bad.group()))
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("The query is empty; give a term or acronym, for example 'MHRA'.")
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"The query is {len(cleaned)} characters long; the limit is {max_length}."
        )
    return cleaned


_BROKEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _broken_message(char: str) -> str:
    if "\ud800" <= char <= "\udfff":
        code = f"U+{ord(char):04X}"
        return f"The text holds a lone surrogate ({code}), which is not valid Unicode; send UTF-8."
    name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
    return f"The text holds a control character ({name}); remove it and send the text again."


def find_broken(text: str) -> str | None:
    """Return what is wrong with `text` (a lone surrogate or control character), or None."""
    bad = _BROKEN.search(text)
    return _broken_message(bad.group()) if bad else None


def normalise_label(text: str) -> str:
    """Return the matching key of a label or query (see the module docstring).

    >>> normalise_label("Organizations' Licences & Centers")
    'organisation license and centre'
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    words: list[str] = []
    for raw in _WORDS.findall(text.replace("&", " and ")):
        words += _word_keys(raw)
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 16)
def _word_keys(raw: str) -> tuple[str, ...]:
    """Return the keys of one word as written (remembered: lookups, searches and builds
    meet the same few thousand words again and again)."""
    plural_acronym = bool(_ACRONYM_PLURAL.match(raw))
    word = _fold(raw)
    if plural_acronym:
        word = word[:-1]
    return tuple(_canonical_word(p) for p in _NON_WORD.split(_APOSTROPHES.sub("", word)) if p)


_MINOR_WORDS = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "with"})


def initials(norm: str) -> str | None:
    """Return the initials of a normalised label of two or more words, minor words left
    out (the acronym it could be written as), or None for a single word.

    >>> initials("picture archiving and communication system"), initials("radiotherapy")
    ('pacs', None)
    """
    words = [w for w in norm.split() if w not in _MINOR_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def compact_key(text: str) -> str:
    """Return the key with spaces removed, so hyphenation and spacing do not matter.

    >>> compact_key("IR(ME)R") == compact_key("IRMER")
    True
    """
    return normalise_label(text).replace(" ", "")


def _fold(word: str) -> str:
    """Return `word` case-folded, without diacritics and with ligatures expanded."""
    word = word.casefold().translate(_FOLD_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _canonical_word(word: str) -> str:
    """Return the singular, en-GB spelling of one lower-case word."""
    word = _singular(word)
    if word in _US_TO_GB:
        return _US_TO_GB[word]
    match = _IZE.match(word)
    if match:
        stem, vowel, suffix = match.groups()
        return f"{stem}{vowel}s{suffix}"
    for us_prefix, gb_prefix in _AE_OE_PREFIXES:
        if word.startswith(us_prefix):
            return gb_prefix + word[len(us_prefix) :]
    for us_stem, gb_stem in _AE_OE_STEMS:
        if us_stem in word and gb_stem not in word:
            return word.replace(us_stem, gb_stem, 1)
    if word.endswith("emia") and not word.endswith("aemia"):
        return word[:-4] + "aemia"
    return word


def _singular(word: str) -> str:
    """Return a regular singular form; short words and -ss/-us/-is words are left alone."""
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_KEEP_FINAL_S):
        return word
    if word in _WORDS_ENDING_IN_AS:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses", "zzes")):
        return word[:-2]
    return word[:-1]
