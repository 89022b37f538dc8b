"""Exact lookup in visible tiers, over the shipped vocabulary and a fixture."""

from __future__ import annotations

import pytest

from loaders.glossary import read_glossary
from tests.conftest import SEED
from vocab.lookup import LOOKUP_TIERS
from vocab.vocabulary import Vocabulary

GLOSSARY = read_glossary(SEED.read_text(encoding="utf-8"))
ACRONYM_FORMS = sorted(
    {a for e in GLOSSARY for a in e.acronyms} | {e.plural_of for e in GLOSSARY if e.plural_of}
)


def test_the_glossary_has_39_acronym_forms() -> None:
    assert len(ACRONYM_FORMS) == 39
    assert {"QA", "QC", "EI", "EIs", "UKIO"} <= set(ACRONYM_FORMS)


SEED_CONCEPT = {a: e.name for e in GLOSSARY for a in (*e.acronyms, e.plural_of) if a}


@pytest.mark.parametrize("acronym", ACRONYM_FORMS)
def test_every_glossary_acronym_answers_with_its_seed_concept(
    shipped: Vocabulary, acronym: str
) -> None:
    result = shipped.lookup(acronym)
    assert result.hits[0].tier in ("acronym", "alternative")
    names = {shipped.record(h.row.id).concept.pref_label() for h in result.hits}
    alt_names = {lb.text for h in result.hits for lb in shipped.record(h.row.id).concept.labels}
    assert SEED_CONCEPT[acronym] in names | alt_names


@pytest.mark.parametrize(
    ("acronym", "senses"),
    [("EI", 2), ("GPAI", 2), ("CT", 2), ("CV", 2), ("DRL", 2), ("AIA", 2), ("CAD", 2), ("RT", 2)],
)
def test_acronym_clashes_answer_every_sense(shipped: Vocabulary, acronym: str, senses: int) -> None:
    assert len(shipped.lookup(acronym).hits) == senses


@pytest.mark.parametrize("form", ["MHRA", "mhra", "Mhra", " MHRA ", "M.H.R.A."])
def test_lookup_ignores_case_spacing_and_punctuation(shipped: Vocabulary, form: str) -> None:
    assert (
        shipped.lookup(form).hits[0].row.pref_label
        == "Medicines and Healthcare products Regulatory Agency"
    )


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("computed tomography", "preferred"),
        ("CT", "acronym"),
        ("tumour size", "alternative"),
        ("tumour volumme", "hidden"),
    ],
)
def test_each_tier_answers_its_kind_of_label(lifecycle: Vocabulary, text: str, tier: str) -> None:
    assert lifecycle.lookup(text).hits[0].tier == tier


def test_tiers_are_preferred_acronym_alternative_hidden() -> None:
    assert [name for name, _ in LOOKUP_TIERS] == ["preferred", "acronym", "alternative", "hidden"]


def test_an_ambiguous_acronym_answers_every_sense(lifecycle: Vocabulary) -> None:
    result = lifecycle.lookup("ct")
    assert result.ambiguous
    assert {h.row.pref_label for h in result.hits} == {"computed tomography", "clinical trial"}


def test_a_hidden_label_match_shows_the_preferred_label(lifecycle: Vocabulary) -> None:
    assert lifecycle.lookup("tumour volumme").hits[0].matched == "tumour volume"


def test_spelling_variants_find_the_same_concept(lifecycle: Vocabulary) -> None:
    assert lifecycle.lookup("Tumor Volumes").hits[0].row.id == "tumour"


def test_lower_case_plural_acronym_falls_back_to_the_singular(shipped: Vocabulary) -> None:
    assert shipped.lookup("eis").hits[0].row.pref_label == "education institution"


def test_no_match_has_no_hits(shipped: Vocabulary) -> None:
    assert shipped.lookup("zzzz").hits == ()


def test_deprecated_concepts_still_answer_lookup(lifecycle: Vocabulary) -> None:
    hit = lifecycle.lookup("old scanner name").hits[0]
    assert hit.row.status == "deprecated"
