"""Alignment of vendor terms with a parenthesised part: "X (Y)"."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.vendor_terms import spells
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(FIXTURES / "align-pieces.ttl", tmp_path_factory.mktemp("p") / "v.db")


def test_the_head_outside_parentheses_outranks_what_the_part_names(
    vocabulary: Vocabulary,
) -> None:
    result = vocabulary.align(["Post-market monitoring (AI Act)"])[0]
    assert result.best is not None
    assert result.best.row.pref_label == "post-market monitoring"


def test_an_acronym_spelt_out_as_something_else_is_another_sense(
    vocabulary: Vocabulary,
) -> None:
    result = vocabulary.align(["Medical records integration (MRI)"])[0]
    assert result.status == "unmapped", result


def test_an_acronym_spelt_out_as_its_concept_still_maps(vocabulary: Vocabulary) -> None:
    result = vocabulary.align(["Magnetic resonance imaging (MRI)", "MRI (Siemens)"])
    assert [r.best.row.pref_label if r.best else None for r in result] == [
        "magnetic resonance imaging",
        "magnetic resonance imaging",
    ]


def test_spells_reads_initials_with_or_without_small_words() -> None:
    assert spells("pet", "privacy enhancing technology")
    assert spells("ifu", "instruction for use")
    assert spells("pmcf", "post market clinical follow up") is False
    assert spells("mri", "mri") is False


@pytest.mark.parametrize(
    "term", ["Contouring of organs at risk", "Contouring for organs at risk in the pelvis"]
)
def test_the_head_of_a_term_outranks_a_label_naming_its_qualifiers(
    vocabulary: Vocabulary, term: str
) -> None:
    result = vocabulary.align([term])[0]
    assert result.best is not None, result
    assert result.best.row.pref_label == "contouring"


def test_a_head_naming_nothing_leaves_the_qualifiers_their_match(vocabulary: Vocabulary) -> None:
    result = vocabulary.align(["Designed for organs at risk"])[0]
    assert result.best is not None, result
    assert result.best.row.pref_label == "organ at risk"
