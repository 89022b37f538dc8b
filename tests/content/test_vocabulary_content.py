"""The shipped vocabulary's content: complete, sourced, in our own words, readable.

"Our own words" is checked against the project's source texts (the two seed documents and
the notes of reference/terms.tsv) through hashes of every run of eight words in them, kept
in tests/fixtures/source-shingles.txt so that no source text is copied into the repository.
Refresh them, with ../shared beside the checkout, by running this module:

    python -m tests.test_vocabulary_content
"""

from __future__ import annotations

import csv
import hashlib
import re
import statistics

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.content.test_vocabulary_search import ACTIVE, SNAPSHOT
from vocab.model import Concept, LabelKind

SHARED = ROOT.parent / "shared"
SHINGLE_HASHES = FIXTURES / "source-shingles.txt"
COLLECTIONS = {
    "organisations",
    "ai-methods",
    "data",
    "evaluation",
    "regulation",
    "imaging-practice",
    "radiotherapy-practice",
    "ethics-people",
}
IDS = [c.id for c in ACTIVE]
BY_ID = {c.id: c for c in ACTIVE}
SHINGLE = 8  # words in a row that may not be shared with a source document


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def fingerprint(shingle: str) -> str:
    return hashlib.sha256(shingle.encode()).hexdigest()[:16]


def source_fingerprints() -> set[str]:
    """Hash every eight-word run of the source texts in ../shared (for refreshing the fixture)."""
    found: set[str] = set()
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        found |= shingles(seed.read_text(encoding="utf-8"))
    with open(SHARED / "reference" / "terms.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            found |= shingles(row["conflicting_senses"])
    return {fingerprint(s) for s in found}


SOURCE_FINGERPRINTS = frozenset(SHINGLE_HASHES.read_text().split())


def syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level (US school grade; a reading age of about 12 is grade 7)."""
    sentences = max(1, len(re.findall(r"[.!?]+(\s|$)", text)))
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return 0.39 * len(words) / sentences + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def test_eight_collections_and_every_concept_in_one() -> None:
    assert {c.id for c in SNAPSHOT.collections} == COLLECTIONS
    members = {m for c in SNAPSHOT.collections for m in c.members}
    assert [c.id for c in ACTIVE if c.uri not in members] == []


@pytest.mark.parametrize("concept_id", IDS)
def test_every_concept_is_complete(concept_id: str) -> None:
    c: Concept = BY_ID[concept_id]
    assert [lb.lang for lb in c.labels_of(LabelKind.PREF)] == ["en-GB"]
    assert c.definition("en-GB") and c.plain_definitions
    assert any(s.startswith(("https://", "http://")) for s in c.sources)
    assert all(lb.usage for lb in c.labels if lb.kind is not LabelKind.HIDDEN), (
        "every shown label names its communities"
    )


@pytest.mark.parametrize("concept_id", IDS)
def test_definitions_are_written_in_our_own_words(concept_id: str) -> None:
    c = BY_ID[concept_id]
    texts = [t.text for t in c.definitions + c.plain_definitions]
    shared = {s for t in texts for s in shingles(t) if fingerprint(s) in SOURCE_FINGERPRINTS}
    assert shared == set(), (
        f"{SHINGLE} or more words in a row taken from a source: {sorted(shared)[:3]}"
    )


def test_the_fingerprints_would_catch_a_copied_sentence() -> None:
    copied = (
        "Definition: "
        + "the society of radiographers sor is a professional body and membership organisation"
    )
    assert any(fingerprint(s) in SOURCE_FINGERPRINTS for s in shingles(copied))


@pytest.mark.parametrize("concept_id", IDS)
def test_professional_definitions_are_one_to_three_sentences(concept_id: str) -> None:
    text = BY_ID[concept_id].definition("en-GB")
    assert 1 <= len(re.findall(r"[.!?](\s|$)", text)) <= 3


@pytest.mark.parametrize("concept_id", IDS)
def test_plain_definitions_use_short_sentences(concept_id: str) -> None:
    text = BY_ID[concept_id].plain_definitions[0].text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    assert [s for s in sentences if len(s.split()) > 25] == []
    assert reading_grade(text) <= 12


def test_plain_definitions_read_at_about_age_twelve() -> None:
    grades = [reading_grade(c.plain_definitions[0].text) for c in ACTIVE]
    assert statistics.median(grades) <= 8.0


if __name__ == "__main__":
    SHINGLE_HASHES.write_text("\n".join(sorted(source_fingerprints())) + "\n")
    print(f"wrote {SHINGLE_HASHES}")
