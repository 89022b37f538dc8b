"""Sense choice on the tiny fixture vocabulary: meaning, expansions, one sense per document."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.annotate import Annotator
from vocab.annotate_text import sentence_bounds, tokenise
from vocab.embedding import load_model
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> Annotator:
    vocabulary: Vocabulary = build_vocabulary(
        FIXTURES / "annotate.ttl", tmp_path_factory.mktemp("senses") / "a.db"
    )
    return Annotator(vocabulary.store)


def senses(annotator: Annotator, text: str) -> list[str]:
    return [s.sense.id for s in annotator.annotate(text).spans if s.text == "CT"]


def test_a_store_with_concept_vectors_gets_the_embedding_model(annotator: Annotator) -> None:
    assert annotator.chooser.model is load_model()


@pytest.mark.parametrize(
    ("sentence", "sense"),
    [
        ("The CT machine spins around the body to picture thin slices.", "ct"),
        ("Volunteers were split into two groups and followed up for a year in the CT.", "trial"),
    ],
)
def test_meaning_decides_when_no_word_is_shared_with_either_sense(
    annotator: Annotator, sentence: str, sense: str
) -> None:
    assert senses(annotator, sentence) == [sense]


@pytest.mark.parametrize(
    "text",
    [
        "We ran a clinical trial (CT). The CT scanner rotates around the patient.",
        "The CT (clinical trial) ran for a year. The CT scanner rotates around the patient.",
        "The CT scanner rotates around the patient. Later we ran a clinical trial (CT).",
    ],
)
def test_an_expansion_fixes_the_sense_for_the_whole_document(
    annotator: Annotator, text: str
) -> None:
    assert senses(annotator, text) == ["trial", "trial"]


def test_an_occurrence_with_little_context_follows_the_rest_of_the_document(
    annotator: Annotator,
) -> None:
    alone = "CT 2.0 release notes."
    text = (
        f"{alone}\n\nThis page lists what changed.\n\nThe CT scanner rotates around the "
        "patient to take X-ray projections. The CT images are reconstructed by the scanner."
    )
    assert senses(annotator, alone) == ["trial"]
    assert senses(annotator, text) == ["ct", "ct", "ct"]


def test_an_occurrence_whose_context_clearly_switches_keeps_its_own_sense(
    annotator: Annotator,
) -> None:
    text = (
        "The CT scanner rotates around the patient to take X-ray projections. The CT images "
        "show the tumour volume. Later, participants in the CT were allocated at random to "
        "the control arm."
    )
    assert senses(annotator, text) == ["ct", "ct", "trial"]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("A precision of 0.82 and a recall of 0.77 on the test set.", 1),
        ("See e.g.the list. Then more.", 2),
        ("One ends here. Two ends here.\n\nthree starts a paragraph", 3),
    ],
)
def test_a_full_stop_ends_a_sentence_only_before_a_space_or_markup(
    text: str, sentences: int
) -> None:
    assert len(sentence_bounds(tokenise(text))) == sentences
