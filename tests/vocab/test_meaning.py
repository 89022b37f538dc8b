"""Search by definition and by meaning, on a tiny vocabulary with definitions and notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.meaning import fuse
from vocab.model import MatchType
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def meaning(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(FIXTURES / "meaning.ttl", tmp_path_factory.mktemp("m") / "v.db")


def first(vocabulary: Vocabulary, query: str) -> tuple[str, MatchType]:
    hits = vocabulary.search(query, limit=3)
    assert hits, query
    return hits[0].row.id, hits[0].match_type


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("share of sick people the test picks up", "sens"),
        ("scan with a big magnet and radio waves", "mri"),
        ("the AI confidently makes things up", "hall"),
        ("learns the training examples too closely", "over"),
        ("outlining the shape of an organ", "seg"),
        ("taking names out of patient records", "deid"),
    ],
)
def test_a_question_in_plain_words_finds_the_concept_it_describes(
    meaning: Vocabulary, query: str, concept: str
) -> None:
    assert first(meaning, query)[0] == concept


@pytest.mark.parametrize(
    ("query", "match_type"),
    [("sensitivity", MatchType.EXACT), ("MRI", MatchType.ACRONYM), ("recall", MatchType.SYNONYM)],
)
def test_label_matches_stay_first_and_say_so(
    meaning: Vocabulary, query: str, match_type: MatchType
) -> None:
    assert first(meaning, query)[1] is match_type


def test_a_word_found_only_in_a_definition_is_a_definition_match(meaning: Vocabulary) -> None:
    assert first(meaning, "radio-frequency pulses") == ("mri", MatchType.DEFINITION)


def test_a_scope_note_is_searched_too(meaning: Vocabulary) -> None:
    assert first(meaning, "structures added that are not in the patient")[0] == "hall"


def test_meaning_hits_score_below_label_matches(meaning: Vocabulary) -> None:
    hits = meaning.search("scan with a big magnet", limit=5)
    assert hits[0].match_type in (MatchType.DEFINITION, MatchType.SEMANTIC)
    assert 0 < hits[0].score < 0.9


@pytest.mark.parametrize("query", ["qzxvwp", "blorft snazzle", "zzyzx qqq"])
def test_made_up_words_find_nothing(meaning: Vocabulary, query: str) -> None:
    assert meaning.search(query) == []


def test_deprecated_concepts_are_left_out_of_meaning_hits(meaning: Vocabulary) -> None:
    ids = [h.row.id for h in meaning.search("the area around a strong magnet", limit=10)]
    assert "retired" not in ids


def test_fusion_rewards_concepts_ranked_high_by_several_stages() -> None:
    fused = fuse([[1, 2, 3], [2, 1], [2]], weights=[1.0, 1.0, 1.0], k=1.0)
    assert [concept for concept, _ in fused] == [2, 1, 3]


def test_the_store_holds_a_vector_and_a_text_row_per_concept(
    meaning: Vocabulary, tmp_path: Path
) -> None:
    index = meaning.store.vector_index()
    assert index is not None
    assert index.codes.shape == (meaning.store.count(), len(index.parts) * index.dim // 8)
    assert meaning.store.text_matches(["magnet"], 10)


def test_a_plain_definition_has_a_vector_of_its_own(meaning: Vocabulary) -> None:
    """A lay question is compared with the plain-language definition alone too: averaged
    with the professional definition, its words would be drowned."""
    plain = "Of all the people who really have the illness, the share that the test picks up."
    index = meaning.searcher.meaning
    assert index.model is not None
    [(concept, similarity)] = index.nearest(index.model.embed_one(plain), 1)
    assert meaning.store.labels_of_concepts([concept])[0].id == "sens"
    assert similarity > 0.98  # int8 vectors: nearly 1


@pytest.mark.parametrize(("query", "concept"), [("CLA", "adapt"), ("la", "lock")])
def test_an_acronym_finds_the_labels_whose_initials_it_spells(
    meaning: Vocabulary, query: str, concept: str
) -> None:
    assert first(meaning, query) == (concept, MatchType.ACRONYM)


def test_a_deprecated_concept_is_not_found_by_its_initials(meaning: Vocabulary) -> None:
    assert "retired" not in [h.row.id for h in meaning.search("MSZ", limit=10)]


def test_a_long_query_sharing_one_word_with_a_label_is_answered_by_meaning(
    meaning: Vocabulary,
) -> None:
    hits = meaning.search("a model that learns its training examples too closely", limit=3)
    assert hits[0].row.id == "over"


def test_the_definition_stage_keeps_stop_words_few_texts_hold(meaning: Vocabulary) -> None:
    """bm25 weighs a word by its rarity: "unless" (one concept's texts of nine) and
    "what" (none) are searched, "the" and "is" (most texts) are not; content words
    always are, however common ("tool": three texts)."""
    words = ["what", "the", "tool", "is", "unless"]
    assert meaning.searcher.meaning.text_words(words) == ["what", "tool", "unless"]


def test_a_query_of_common_stop_words_alone_is_searched_whole(meaning: Vocabulary) -> None:
    assert meaning.searcher.meaning.text_words(["the", "is"]) == ["the", "is"]
