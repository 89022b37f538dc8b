"""Soft word evidence (vocab.annotate_soft): context words against a sense's words by vector."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.annotate import Annotator
from vocab.annotate_sense import WEIGHTS
from vocab.annotate_soft import DOMAIN, SoftEvidence, SoftProfile, soft_words
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> Annotator:
    vocabulary: Vocabulary = build_vocabulary(
        FIXTURES / "annotate.ttl", tmp_path_factory.mktemp("soft") / "a.db"
    )
    return Annotator(vocabulary.store)


def profiles(annotator: Annotator) -> tuple[SoftEvidence, SoftProfile, SoftProfile]:
    soft = annotator.chooser.soft
    assert soft is not None
    ct, trial = annotator.concept("ct"), annotator.concept("trial")
    assert ct is not None and trial is not None
    senses = {"ct": ct, "trial": trial}
    (ct_in, ct_names), (trial_in, trial_names) = map(
        annotator.chooser.collections_of, (ct.uri, trial.uri)
    )
    return (
        soft,
        soft.profile(ct, senses, "ct", ct_names, ct_in - trial_in),
        soft.profile(trial, senses, "ct", trial_names, trial_in - ct_in),
    )


@pytest.mark.parametrize(
    ("words", "closer"),
    [(["enrolled", "volunteers", "placebo"], "trial"), (["tomogram", "radiograph"], "ct")],
)
def test_words_no_sense_uses_still_point_to_the_sense_they_speak_of(
    annotator: Annotator, words: list[str], closer: str
) -> None:
    soft, ct, trial = profiles(annotator)
    for concept_id in ("ct", "trial"):
        concept = annotator.concept(concept_id)
        assert concept is not None
        text = " ".join([concept.definition() or "", *(lb.text for lb in concept.labels)])
        assert not set(words) & set(soft_words(text))  # no word shared: only meaning links them
    context = soft.context({w: 1.0 for w in words})
    scores = {"ct": soft.score(ct, context), "trial": soft.score(trial, context)}
    assert max(scores, key=scores.__getitem__) == closer


def test_soft_words_are_the_normalised_content_words() -> None:
    text = "The CT of 2 patients, randomised in 2024 to the tumor arm."
    assert soft_words(text) == ["patient", "randomised", "tumour", "arm"]


def test_a_context_without_content_words_gives_no_evidence(annotator: Annotator) -> None:
    soft, ct, _ = profiles(annotator)
    assert soft.context({"the": 1.0, "of": 1.0, "42": 1.0}) is None
    assert soft.score(ct, None) == 0.0


def test_each_context_word_is_compared_with_a_profile_once(annotator: Annotator) -> None:
    soft, ct, _ = profiles(annotator)
    context = soft.context({"gantry": 1.0, "workstation": 0.4})
    first = soft.score(ct, context)
    assert {"gantry", "workstation"} <= set(ct.best)
    assert soft.score(ct, context) == pytest.approx(first)


def test_soft_evidence_decides_a_sentence_the_exact_words_get_wrong(annotator: Annotator) -> None:
    sentence = "Recruitment to the CT closed after 300 patients were randomised."
    chosen = {}
    for name, weights in (("with", WEIGHTS), ("without", dataclasses.replace(WEIGHTS, soft=0.0))):
        document = annotator.document(sentence, deadline=float("inf"))
        document.weights = weights
        document.choose_senses(float("inf"))
        (ranked,) = document.ranked.values()
        chosen[name] = ranked[0][0].id
    assert chosen == {"with": "trial", "without": "ct"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ScanPilot CT release notes.", {"release", "note"}),  # a name the vocabulary never uses
        ("The scanpilot CT release notes.", {"scanpilot", "release", "note"}),
        ("Volunteers joined the CT.", {"volunteer", "joined"}),  # capitalised as first word
        ("ScanPilot: the CT of the Dutch Trials Group.", {"trial"}),  # "trial": known
    ],
)
def test_a_capitalised_word_the_vocabulary_never_uses_is_a_name_and_left_out(
    annotator: Annotator, text: str, words: set[str]
) -> None:
    document = annotator.document(text, deadline=float("inf"))
    (i,) = document.ranked
    soft = document.context(i).soft
    assert soft is not None and set(soft.words) == words


def test_a_senses_domain_joins_its_profile_below_its_own_words(annotator: Annotator) -> None:
    soft = annotator.chooser.soft
    mri, ct = annotator.concept("mri"), annotator.concept("ct")
    assert soft is not None and mri is not None and ct is not None
    imaging = annotator.chooser.collections_of(mri.uri)[0]
    alone = soft.profile(mri, {"mri": mri}, "mri", ("Imaging",))
    among = soft.profile(mri, {"mri": mri, "ct": ct}, "mri", ("Imaging",), imaging)
    assert alone.scale is None and among.scale is not None
    assert len(among.vectors) > len(alone.vectors)  # "scanner", a member of Imaging
    assert set(among.scale.tolist()) == {1.0, DOMAIN}
