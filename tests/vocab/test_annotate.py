"""Annotation on a tiny fixture vocabulary: offsets, longest match, case, forms, senses, limits."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import vocab.annotate as annotate_module
from tests.conftest import FIXTURES, build_vocabulary
from vocab.annotate import MAX_CHARACTERS, Annotator, annotator_for
from vocab.annotate_text import Segment
from vocab.errors import InvalidInput, TooLarge, UnsafeInput
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(FIXTURES / "annotate.ttl", tmp_path_factory.mktemp("annotate") / "a.db")


@pytest.fixture(scope="module")
def annotator(fixture: Vocabulary) -> Annotator:
    return Annotator(fixture.store)


def found(annotator: Annotator, text: str) -> list[tuple[str, str]]:
    return [(s.text, s.sense.id) for s in annotator.annotate(text).spans]


@pytest.mark.parametrize(
    "text",
    [
        "A CT scanner.",
        "Pædiatric ＣＴ and tumor volumes.",
        "😀 emoji first, then MRI and auto‑contouring",
        "ﬁrst the CT, then auto\u00adcontouring",
        "IR(ME)R\r\napplies to CTs",
    ],
)
def test_every_span_maps_back_exactly_into_the_input(annotator: Annotator, text: str) -> None:
    spans = annotator.annotate(text).spans
    assert spans
    assert [text[s.start : s.end] for s in spans] == [s.text for s in spans]


def test_the_longest_match_wins_over_the_acronym_inside_it(annotator: Annotator) -> None:
    assert found(annotator, "The CT scan was clear.") == [("CT scan", "ct")]


def test_overlapping_matches_resolve_to_the_longest_then_the_leftmost(annotator: Annotator) -> None:
    assert found(annotator, "tumour volume") == [("tumour volume", "tumour")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it is done", []),
        ("It is done", []),
        ("the IT department", [("IT", "it")]),
        ("THE IT DEPARTMENT", [("IT", "it")]),
        ("CTs were taken", [("CTs", "ct")]),
        ("cts were taken", []),
    ],
)
def test_acronyms_match_only_when_written_with_their_capitals(
    annotator: Annotator, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(t, i) for t, i in found(annotator, text) if i != "scanner"] == expected


@pytest.mark.parametrize("text", ["R is a language.", "One of the best.", "r"])
def test_one_letter_and_stop_word_labels_are_never_matched(annotator: Annotator, text: str) -> None:
    assert found(annotator, text) == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("auto-contouring", "label"),
        ("autocontouring", "label"),
        ("Auto Contouring", "label"),
        ("IRMER", "acronym"),
        ("IR(ME)R", "acronym"),
        ("tumor volumes", "inflection"),
        ("randomization", "synonym"),
        ("autocontuoring", "misspelling"),
        ("computed tomography", "label"),
    ],
)
def test_spelling_hyphenation_plural_and_misspelling_say_how_they_matched(
    annotator: Annotator, text: str, match: str
) -> None:
    (span,) = annotator.annotate(text).spans
    assert (span.text, span.match) == (text, match)


@pytest.mark.parametrize(
    ("sentence", "sense"),
    [
        ("The CT scanner rotates around the patient to take X-ray projections.", "ct"),
        ("Participants in the CT were allocated at random to the control arm.", "trial"),
        ("The CT was compared with MRI for imaging the patient.", "ct"),
    ],
)
def test_an_ambiguous_acronym_takes_the_sense_its_sentence_means(
    annotator: Annotator, sentence: str, sense: str
) -> None:
    span = next(s for s in annotator.annotate(sentence).spans if s.text == "CT")
    assert span.sense.id == sense
    assert span.sense.score > span.alternatives[0].score


def test_an_ambiguous_span_lists_the_other_senses_and_the_warning(annotator: Annotator) -> None:
    (span,) = annotator.annotate("CT").spans
    assert span.ambiguous and span.false_friend and span.senses == 2
    assert {span.sense.id, span.alternatives[0].id} == {"ct", "trial"}
    assert span.sense.score + span.alternatives[0].score == pytest.approx(1.0, abs=0.002)
    assert "'CT'" in span.warnings[0]


def test_a_word_that_its_own_warning_quotes_is_a_false_friend(annotator: Annotator) -> None:
    (span,) = annotator.annotate("scan protocol").spans
    assert span.false_friend and not span.ambiguous


def test_a_term_spelt_out_nearby_decides_the_acronym(annotator: Annotator) -> None:
    spans = annotator.annotate("We ran a clinical trial (CT). The CT ran for a year.").spans
    assert [s.sense.id for s in spans] == ["trial", "trial", "trial"]


def test_a_match_never_crosses_a_segment_boundary(annotator: Annotator) -> None:
    text = "computed</b> tomography"
    segments = [Segment(0, 8, 0), Segment(12, len(text), 0)]
    assert [s.text for s in annotator.annotate(text, segments).spans] == []


def test_usage_lists_the_communities_of_the_label_matched(annotator: Annotator) -> None:
    (span,) = annotator.annotate("computed tomography").spans
    assert span.sense.usage == ("clinical",)


def test_text_over_the_limit_is_refused(annotator: Annotator) -> None:
    with pytest.raises(TooLarge, match="limit"):
        annotator.annotate("a" * (MAX_CHARACTERS + 1))


def test_a_lone_surrogate_is_refused(annotator: Annotator) -> None:
    with pytest.raises(InvalidInput, match="Unicode"):
        annotator.annotate("CT \ud800")


def test_annotation_past_its_time_limit_stops(annotator: Annotator) -> None:
    with pytest.raises(UnsafeInput, match="too long"):
        annotator.annotate("CT " * 1000, time_limit=-1)


def test_the_annotator_is_built_once_per_release(fixture: Vocabulary, tmp_path: Path) -> None:
    other = build_vocabulary(FIXTURES / "lifecycle.ttl", tmp_path / "l.db")
    first = annotator_for(fixture.store)
    assert annotator_for(fixture.store) is first
    assert annotator_for(other.store) is not first


def test_a_long_text_is_annotated_without_pausing_for_garbage_collection(
    annotator: Annotator,
) -> None:
    text = "The CT scan and the tumour volume, then auto-contouring in the IT department. " * 500
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()  # the count of new objects starts at zero
    gc.callbacks.append(count)
    try:
        assert annotator.annotate(text).spans
    finally:
        gc.callbacks.remove(count)
    assert collections in ([], [0])  # at most the youngest objects, once, when it resumes
    assert gc.isenabled()


def test_the_garbage_collector_stays_off_if_it_was_off(annotator: Annotator) -> None:
    gc.disable()
    try:
        annotator.annotate("A CT scanner.")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_annotations_never_keep_the_collector_off_for_long(
    annotator: Annotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One annotation running all along (a steady stream of them) holds the pause open; an
    annotation ending after the longest pause collects the cycles made meanwhile."""
    monkeypatch.setattr(annotate_module, "LONGEST_PAUSE_S", 0.0)
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            full.append(info["generation"])

    gc.callbacks.append(count)
    try:
        with annotate_module._collector_paused():  # the long-running one
            annotator.annotate("A CT scanner.")
            assert not gc.isenabled() and full == [2]
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(count)
