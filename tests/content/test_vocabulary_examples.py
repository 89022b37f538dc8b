"""Usage examples for every sense of an ambiguous word (issue 17).

An ambiguous word is a label that two or more active concepts of the shipped vocabulary hold,
compared after the service's normaliser (`normalise_label`: case, spelling variants, plurals,
hyphens). Preferred labels, alternative labels and acronyms count, and so does a hidden label
that another concept shows (the bare "recall" of screening recall beside sensitivity's
"recall"); a hidden label that every holder hides ("precison") is a misspelling, not a word.
The words are computed from the source, so a new shared label is covered as soon as it is
added.

Every sense of such a word has at least five `skos:example` in en-GB that use the word itself
(word for word after the normaliser; plurals and possessives allowed), each a sentence of 12
to 30 words ending with a full stop, none shared with another concept and none copied from a
source text (the eight-word fingerprints of test_vocabulary_content) and none sharing five
words in a row with a sentence of the annotator's development set, which scores the senses
these examples help to choose and must stay a fair measure of them.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.conftest import ROOT
from tests.content.test_vocabulary_content import SOURCE_FINGERPRINTS, fingerprint, shingles
from tests.content.test_vocabulary_search import ACTIVE
from vocab.model import Concept, LabelKind, NoteKind
from vocab.normalize import normalise_label

MIN_EXAMPLES = 5
MIN_WORDS, MAX_WORDS = 12, 30
DEV_SENSES = ROOT / "tests" / "vocab" / "annotate_dev_senses.tsv"
DEV_RUN = 5  # words in a row an example may not share with a development sentence
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def ambiguous_words(concepts: list[Concept]) -> dict[str, set[str]]:
    """Return each ambiguous word (its normalised key) with the ids of the concepts holding it."""
    holders: dict[str, set[str]] = defaultdict(set)
    shown: set[str] = set()
    for c in concepts:
        for label in c.labels:
            key = normalise_label(label.text)
            holders[key].add(c.id)
            if label.kind is not LabelKind.HIDDEN:
                shown.add(key)
    return {key: ids for key, ids in holders.items() if len(ids) > 1 and key in shown}


def uses_word(text: str, key: str) -> bool:
    """Whether `text` uses the normalised word `key` as whole words ("CTs", "CT's" count)."""
    return f" {key} " in f" {normalise_label(_POSSESSIVE.sub('', text))} "


def examples(concept: Concept) -> list[str]:
    return [n.text for n in concept.notes if n.kind is NoteKind.EXAMPLE and n.lang == "en-GB"]


WORDS = ambiguous_words(ACTIVE)
BY_ID = {c.id: c for c in ACTIVE}
SENSES = sorted({(key, cid) for key, ids in WORDS.items() for cid in ids})
WORDS_OF: dict[str, list[str]] = defaultdict(list)
for _key, _cid in SENSES:
    WORDS_OF[_cid].append(_key)


def test_the_ambiguous_words_are_found_from_the_vocabulary() -> None:
    for word in ("ct", "rt", "dsc", "ei", "aia", "cad", "recall", "precision", "validation"):
        assert len(WORDS[word]) >= 2, word
    assert "screening" in WORDS and "model" in WORDS and "labelling" in WORDS
    assert "precison" not in WORDS  # a misspelling that every holder hides


def test_the_word_check_allows_plurals_and_possessives_only() -> None:
    assert uses_word("Two CTs were booked and the CT's report came back.", "ct")
    assert uses_word("The radiographer's notes.", "radiographer")
    assert uses_word("She was FDA-approved.", "fda approved")
    assert not uses_word("The CTA showed a stenosis.", "ct")
    assert not uses_word("She was recalled for assessment.", "recall")


@pytest.mark.parametrize(("word", "concept_id"), SENSES)
def test_every_sense_has_five_examples_using_the_word(word: str, concept_id: str) -> None:
    using = [t for t in examples(BY_ID[concept_id]) if uses_word(t, word)]
    assert len(using) >= MIN_EXAMPLES, (
        f"{concept_id} has {len(using)} example(s) using {word!r}; {MIN_EXAMPLES} needed"
    )


@pytest.mark.parametrize("concept_id", sorted(WORDS_OF))
def test_every_example_of_a_sense_uses_one_of_its_words(concept_id: str) -> None:
    words = WORDS_OF[concept_id]
    assert [t for t in examples(BY_ID[concept_id]) if not any(uses_word(t, w) for w in words)] == []


@pytest.mark.parametrize("concept_id", sorted(WORDS_OF))
def test_examples_are_single_sentences_of_twelve_to_thirty_words(concept_id: str) -> None:
    for text in examples(BY_ID[concept_id]):
        assert text.endswith("."), text
        assert text == text.strip() and text[0].isupper(), text
        assert MIN_WORDS <= len(text.split()) <= MAX_WORDS, text


def test_no_example_is_shared_by_two_concepts() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in ACTIVE:
        for note in c.notes:
            if note.kind is NoteKind.EXAMPLE:
                owners[note.text.casefold()].add(c.id)
    assert {text: ids for text, ids in owners.items() if len(ids) > 1} == {}


def test_examples_are_written_in_our_own_words() -> None:
    copied = [
        (c.id, s)
        for c in ACTIVE
        for n in c.notes
        if n.kind is NoteKind.EXAMPLE
        for s in sorted(shingles(n.text))
        if fingerprint(s) in SOURCE_FINGERPRINTS
    ]
    assert copied == [], f"8 or more words in a row taken from a source: {copied[:3]}"


def test_examples_do_not_echo_the_development_sentences() -> None:
    lines = DEV_SENSES.read_text(encoding="utf-8").splitlines()
    sentences = [ln.split("\t")[0] for ln in lines if ln.strip() and not ln.startswith("#")][1:]
    dev = {s for sentence in sentences for s in shingles(sentence, DEV_RUN)}
    echoed = [
        (c.id, s)
        for c in ACTIVE
        for n in c.notes
        if n.kind is NoteKind.EXAMPLE
        for s in sorted(shingles(n.text, DEV_RUN) & dev)
    ]
    assert echoed == [], f"{DEV_RUN} words in a row from a development sentence: {echoed[:3]}"
