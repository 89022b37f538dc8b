"""Word forms: stems, stop words, compounds; and how product sheets word a term."""

from __future__ import annotations

import pytest

from vocab.morphology import content_words, same_stem, split_compound, stem
from vocab.vendor_terms import is_negated, pieces, tail_words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("overfitted", "overfitting"),
        ("de-identifies", "de-identification"),
        ("segments", "segmentation"),
        ("generalises", "generalisability"),
        ("calibrated", "calibration"),
        ("classifier", "classification"),
        ("contours", "contouring"),
    ],
)
def test_inflections_and_derivations_share_a_stem(a: str, b: str) -> None:
    assert same_stem(stem(a), stem(b))


@pytest.mark.parametrize(("a", "b"), [("mode", "model"), ("data", "date"), ("bias", "basis")])
def test_different_words_keep_different_stems(a: str, b: str) -> None:
    assert not same_stem(stem(a), stem(b))


@pytest.mark.parametrize(
    ("word", "parts"),
    [("autocontours", ("auto", "contours")), ("autosegmentation", ("auto", "segmentation"))],
)
def test_a_compound_splits_into_known_words(word: str, parts: tuple[str, str]) -> None:
    known = {"auto", "contour", "contouring", "segmentation", "segment"}
    assert split_compound(word, known.__contains__) == parts


def test_a_word_without_known_parts_is_not_split() -> None:
    assert split_compound("prostate", {"auto", "contour"}.__contains__) is None


def test_stop_words_are_dropped_unless_they_are_all_there_is() -> None:
    assert content_words(["the", "test", "that", "catches"]) == ["test", "catches"]
    assert content_words(["the", "a"]) == ["the", "a"]


@pytest.mark.parametrize(
    ("term", "texts"),
    [
        ("SaMD (Software as a Medical Device)", ["SaMD", "Software as a Medical Device"]),
        ("No continuous learning (locked)", ["locked"]),
        ("Non-adaptive model", []),
        ("Learning stops without approval", []),
        ("Auto-contouring", ["Auto-contouring"]),
    ],
)
def test_a_term_is_matched_by_its_pieces_never_a_negated_one(term: str, texts: list[str]) -> None:
    assert [p.text for p in pieces(term)] == texts


@pytest.mark.parametrize(
    ("text", "negated"),
    [("No continuous learning", True), ("Artefact-free images", True), ("Noise reduction", False)],
)
def test_negations_are_recognised(text: str, negated: bool) -> None:
    assert is_negated(text) is negated


def test_qualifiers_follow_the_first_preposition() -> None:
    assert tail_words("flag suspicious finding on chest x ray") == {"chest", "x", "ray"}
    assert tail_words("lung nodule detection") == frozenset()
