"""The deletion index behind typo correction (vocab.typo_index)."""

from __future__ import annotations

import pytest

from vocab.typo_index import query_variants, variant_rows, variants


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("reccal", "recall"),  # a swap of neighbours
        ("segmentaion", "segmentation"),  # a letter left out
        ("radiotherapie", "radiotherapy"),  # a letter changed
        ("mammmography", "mammography"),  # a letter added
        ("hallucinaiton", "hallucination"),  # a swap in a long word
    ],
)
def test_words_one_edit_apart_share_a_variant(typed: str, word: str) -> None:
    assert query_variants(typed) & variants(word, 1)


@pytest.mark.parametrize(("typed", "word"), [("scan", "span"), ("model", "modal")])
def test_short_words_one_letter_apart_meet_too(typed: str, word: str) -> None:
    assert query_variants(typed) & variants(word, 1)


@pytest.mark.parametrize(("typed", "word"), [("scan", "recall"), ("model", "segment")])
def test_unrelated_words_share_no_variant(typed: str, word: str) -> None:
    assert not query_variants(typed) & variants(word, 1)


def test_the_index_files_each_word_under_itself_and_its_deletions() -> None:
    table = dict(variant_rows(["scan", "span", "ct"]))
    assert table["san"] == "scan span"
    assert table["scan"] == "scan"
    assert "ct" not in table  # too short to correct
