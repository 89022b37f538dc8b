"""Alignment of vendor terms that carry the number of a standard, regulation or rule."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.vendor_terms import numbers
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(FIXTURES / "align-numbers.ttl", tmp_path_factory.mktemp("n") / "v.db")


@pytest.mark.parametrize(
    "term",
    ["ISO/IEC 27001 certified", "ISO/IEC 27001:2022 certified", "ISO 27001 information security"],
)
def test_a_term_with_another_standards_number_stays_unmapped(
    standards: Vocabulary, term: str
) -> None:
    result = standards.align([term])[0]
    assert result.status == "unmapped", result


@pytest.mark.parametrize(
    ("term", "label"),
    [
        ("ISO 13485:2016 certified", "ISO 13485"),
        ("Aligned with ISO/IEC 22989", "ISO/IEC 22989"),
        ("HL7 v2 messages", "HL7"),
    ],
)
def test_a_term_with_the_same_number_or_none_still_maps(
    standards: Vocabulary, term: str, label: str
) -> None:
    result = standards.align([term])[0]
    assert result.best is not None, result
    assert result.best.row.pref_label == label


def test_numbers_are_identifiers_not_versions_measures_or_years() -> None:
    assert numbers("ISO/IEC 27001:2022 certified") == {"27001"}
    assert numbers("IEC 60601-1") == {"60601"}
    assert numbers("HL7 FHIR R4, AUC 0.97, 95% at 250,000 studies, since 2019") == set()
