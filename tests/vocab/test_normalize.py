"""The one normalisation that lookup and search share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vocab.errors import InvalidInput
from vocab.normalize import clean_query, compact_key, normalise_label


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("optimisation", "optimization"),
        ("tumour", "tumor"),
        ("anonymisation", "anonymization"),
        ("organise", "organize"),
        ("colour", "color"),
        ("paediatric", "pediatric"),
        ("haemorrhage", "hemorrhage"),
        ("oesophagus", "esophagus"),
        ("anaemia", "anemia"),
        ("centre", "center"),
        ("labelling", "labeling"),
        ("modelled", "modeled"),
        ("programme", "program"),
        ("artefact", "artifact"),
        ("Röntgen", "rontgen"),
        ("Sørensen–Dice", "Sorensen-Dice"),
        ("images", "image"),
        ("modalities", "modality"),
        ("biases", "bias"),
        ("analyses", "analysis"),
        ("EIs", "EI"),
        ("OARs", "OAR"),
        ("ＣＮＮ", "CNN"),
        ("CNN\u200b", "CNN"),
        ("ﬁbre", "fibre"),
        ("MEDICINES & Healthcare", "medicines and healthcare"),
    ],
)
def test_spelling_and_form_variants_share_a_key(a: str, b: str) -> None:
    assert normalise_label(a) == normalise_label(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("auto-contouring", "autocontouring"),
        ("IR(ME)R", "IRMER"),
        ("X-ray", "x ray"),
        ("U-Net", "UNet"),
    ],
)
def test_compact_key_ignores_hyphens_and_spacing(a: str, b: str) -> None:
    assert compact_key(a) == compact_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("dose", "does"), ("case", "cas"), ("bias", "bia"), ("class", "clas")]
)
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    assert normalise_label(a) != normalise_label(b)


@pytest.mark.parametrize(
    ("text", "key"),
    [("κ", "κ"), ("Cohen's κ", "cohen κ"), ("ε-greedy", "ε greedy"), ("Σ", "σ"), ("β₂", "β2")],
)
def test_letters_of_any_script_are_kept(text: str, key: str) -> None:
    assert normalise_label(text) == key


@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_label(text)
    assert normalise_label(once) == once


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll"]), max_size=30))
def test_case_does_not_matter(text: str) -> None:
    assert normalise_label(text.upper()) == normalise_label(text.lower()) or not text.isascii()


def test_clean_query_folds_tabs_and_line_breaks_into_spaces() -> None:
    assert clean_query(" MHRA\t\r\n tool ") == "MHRA tool"


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "\x00\x01", "a" * 201, "\ud800", "a\udc80b", "\x1b[2JMHRA", "bell\x07", "\x9b31m"],
)
def test_clean_query_rejects_empty_long_or_invalid_text(bad: str) -> None:
    with pytest.raises(InvalidInput):
        clean_query(bad)


@pytest.mark.parametrize("text", ["00S", "00s", "1990s", "A1s"])
def test_digits_before_an_s_are_not_a_plural_acronym_twice(text: str) -> None:
    once = normalise_label(text)
    assert normalise_label(once) == once


@given(st.text(max_size=60))
def test_the_stores_wordwise_normaliser_agrees_with_normalise_label(text: str) -> None:
    from vocab.store.sqlite_write import _WordwiseNormaliser

    assert _WordwiseNormaliser()(text) == normalise_label(text)
