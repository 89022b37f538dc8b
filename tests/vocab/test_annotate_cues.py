"""Sense cues (vocab/annotate_cues.py) on tiny fixture vocabularies: local words, the value
after a quantity word, the domain of a sense's collections, possessive acronyms."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.annotate import Annotator
from vocab.annotate_cues import QUANTITY, local_stems, value_after
from vocab.annotate_text import sentence_bounds, tokenise, word_keys
from vocab.annotate_words import stem
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(
        FIXTURES / "annotate-cues.ttl", tmp_path_factory.mktemp("cues") / "a.db"
    )


@pytest.fixture(scope="module")
def annotator(vocabulary: Vocabulary) -> Annotator:
    annotator = Annotator(vocabulary.store)
    annotator.warm()
    return annotator


def chance(annotator: Annotator, text: str, word: str, sense: str) -> float:
    """Return the probability the annotator gives `sense` for the span `word` in `text`."""
    spans = [s for s in annotator.annotate(text).spans if s.text == word]
    assert len(spans) == 1, spans
    span = spans[0]
    found = {span.sense.id: span.sense.score} | {a.id: a.score for a in span.alternatives}
    return found[sense]


def test_a_word_next_to_the_span_counts_more_than_the_same_word_further_away(
    annotator: Annotator,
) -> None:
    near = chance(
        annotator, "Cancer RT was planned while the software reported a long delay.", "RT", "rt"
    )
    far = chance(
        annotator, "RT was planned while the software for cancer reported a long delay.", "RT", "rt"
    )
    assert near > far + 0.1


def test_a_number_after_the_word_favours_the_sense_that_is_a_quantity(
    annotator: Annotator,
) -> None:
    valued = "Repeated measurements of the phantom gave a precision of 0.9."
    plain = "Repeated measurements of the phantom gave a good precision."
    assert (
        chance(annotator, valued, "precision", "ppv")
        > chance(annotator, plain, "precision", "ppv") + 0.05
    )


def test_a_quantity_is_a_sense_whose_definition_opens_with_a_quantity_noun(
    annotator: Annotator, vocabulary: Vocabulary
) -> None:
    cues = annotator.chooser.cues
    assert cues.quantity(vocabulary.record("ppv").concept)  # "The proportion of ..."
    assert not cues.quantity(vocabulary.record("repeatability").concept)
    assert "proportion" in QUANTITY


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a DSC 0.85 overall", 1.0),
        ("a DSC of 0.85 overall", 0.5),
        ("a DSC on the test set of 0.85", 0.0),  # too far
        ("the DSC. 0.85 was the next", 0.0),  # another sentence
        ("the DSC in COVID-19 cases", 0.0),  # a number joined to a name is not a value
        ("the DSC in 85% of cases", 0.5),
    ],
)
def test_the_value_cue_reads_a_number_right_after_the_word(text: str, value: float) -> None:
    tokens = tokenise(text)
    at = next(k for k, t in enumerate(tokens) if t.surface == "DSC")
    bounds = sentence_bounds(tokens)[tokens[at].sentence]
    assert value_after(tokens, at, bounds) == value


def test_local_words_fall_with_distance_and_stop_at_the_sentence() -> None:
    tokens = tokenise("Earlier text here. Palliative RT to the spine relieved pain quickly.")
    stems = [None if t.key in {"to", "the"} else stem(t.key) for t in tokens]
    at = next(k for k, t in enumerate(tokens) if t.surface == "RT")
    bounds = sentence_bounds(tokens)[tokens[at].sentence]
    local = local_stems(tokens, stems, bytearray(len(tokens)), at, at, bounds)
    assert local[stem("palliative")] == 1.0
    assert local[stem("spine")] == pytest.approx(1 / 3)
    assert stem("relieved") in local and stem("quickly") not in local  # beyond LOCAL tokens
    assert stem("earlier") not in local  # another sentence


def test_the_domain_of_a_sense_is_its_collections_members(
    annotator: Annotator, vocabulary: Vocabulary
) -> None:
    meaning = annotator.chooser.meaning
    assert meaning is not None
    context = meaning.vectors(["daily fractions on the linear accelerator"])[0]
    cues = annotator.chooser.cues
    rt, realtime = vocabulary.record("rt").concept, vocabulary.record("realtime").concept
    of = annotator.chooser.collections_of
    treatment = cues.domain(rt, of(rt.uri)[0], context)
    computing = cues.domain(realtime, of(realtime.uri)[0], context)
    assert treatment > computing
    assert cues.domain(rt, frozenset(), context) == 0.0  # no collection of its own: no cue
    assert np.isfinite(treatment)


def test_a_possessive_acronym_is_annotated_like_the_acronym(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    vocabulary = build_vocabulary(
        FIXTURES / "annotate.ttl", tmp_path_factory.mktemp("possessive") / "a.db"
    )
    annotation = Annotator(vocabulary.store).annotate("The CT's slices were thin. The CT’s dose.")
    spans = [(s.text, s.sense.id) for s in annotation.spans if s.text.startswith("CT")]
    assert spans == [("CT's", "ct"), ("CT’s", "ct")]


def test_only_an_acronym_loses_its_possessive_before_matching() -> None:
    keys = [t.key for t in tokenise("the EI's team, Bayes's rule, the patient's scan")]
    assert keys == ["the", "ei", "team", *word_keys("Bayes's"), "rule", "the", "patient", "scan"]
