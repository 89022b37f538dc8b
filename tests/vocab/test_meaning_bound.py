"""The definition stage's bound (`MeaningIndex.scored_words`): an any-word query never
scores a word in half the texts or more, and scores only the texts holding one of its
rarest words, up to a number of texts, each on all its words as before."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.meaning import MeaningIndex
from vocab.search import Searcher
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(FIXTURES / "meaning.ttl", tmp_path_factory.mktemp("b") / "v.db")


def concepts(ranking: list[tuple[int, float]]) -> list[int]:
    return [concept for concept, _ in ranking]


def test_a_word_in_half_the_texts_is_not_scored_and_the_rest_rank_as_before(
    vocabulary: Vocabulary,
) -> None:
    meaning = vocabulary.searcher.meaning
    words = ["the", "strong", "magnet", "learning"]  # "the": 7 of the 9 concepts' texts
    assert meaning.store.texts_counting("the", 100) * 2 >= meaning.store.count()
    assert meaning.scored_words(words) == (["strong", "magnet", "learning"], None)
    every_text = meaning.store.text_matches(words, 20)
    meaningful = [(c, s) for c, s in every_text if s > 1e-5]
    assert len(meaningful) < len(every_text)  # texts holding only "the" are left out
    bounded = meaning.by_definition(words, 20)
    assert concepts(bounded) == concepts(meaningful)
    for (_, score), (_, before) in zip(bounded, meaningful, strict=True):
        assert score == pytest.approx(before, abs=1e-5)


def test_under_the_cap_every_word_is_scored_as_before(vocabulary: Vocabulary) -> None:
    meaning = vocabulary.searcher.meaning
    words = ["strong", "magnet", "learning", "patient"]
    assert meaning.scored_words(words) == (words, None)  # 2 texts each, well under the cap
    assert meaning.by_definition(words, 20) == meaning.store.text_matches(words, 20)


def test_over_the_cap_only_texts_holding_a_rare_word_are_scored_on_every_word(
    vocabulary: Vocabulary,
) -> None:
    store = vocabulary.searcher.store
    counts = {w: store.texts_counting(w, 100) for w in ("ai", "imaging", "magnet", "tool")}
    assert counts == {"ai": 3, "imaging": 3, "magnet": 2, "tool": 3}
    words = list(counts)
    assert MeaningIndex(store, scored_texts=5).scored_words(words) == (words, ["magnet", "ai"])
    capped = MeaningIndex(store, scored_texts=1)
    assert capped.scored_words(words) == (words, ["magnet"])  # the rarest, even over the cap
    every_text = dict(store.text_matches(words, 20))
    bounded = capped.by_definition(words, 20)
    holding = {c for c, _ in store.text_matches(["magnet"], 20)}
    assert {c for c, _ in bounded} == holding
    assert set(every_text) > holding  # texts holding only the commoner words: left out
    for concept, score in bounded:  # the texts found score as on every word, in order
        assert score == pytest.approx(every_text[concept], abs=1e-9)
    assert concepts(bounded) == [c for c in every_text if c in holding]
    assert capped.by_definition(words, 20, every=True) == store.text_matches(
        words, 20, every=True
    )  # an every-word query is never bounded


def test_a_lay_question_finds_its_concept_under_a_tight_cap(vocabulary: Vocabulary) -> None:
    store = vocabulary.searcher.store
    searcher = Searcher(store, MeaningIndex(store, scored_texts=2))
    hits = searcher.search("scan with a big magnet and radio waves", limit=3)
    assert hits[0].row.id == "mri"
