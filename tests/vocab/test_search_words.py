"""Search weighs a query's words by what they say, and reads texts as it reads queries.

- a rare word the concepts' texts use is not a typo, even when the whole query is close
  to a label ("pretrained model" is not "trained model");
- a label holding only a query's common word ("model") neither covers the query nor
  lends it much of its label match ("overfit model" is about overfitting);
- the texts are indexed under the same normalisation as queries, so a query's "women"
  (normalised to "woman") finds a definition's "women".
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.model import MatchType
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(
        FIXTURES / "informative-words.ttl", tmp_path_factory.mktemp("words") / "v.db"
    )


def first(vocabulary: Vocabulary, query: str) -> str:
    return vocabulary.search(query)[0].row.id


def test_a_word_the_texts_use_is_not_a_typo_of_a_label(vocabulary: Vocabulary) -> None:
    assert first(vocabulary, "pretrained model") == "pretraining"


def test_a_word_far_from_the_label_word_it_replaces_is_not_a_typo(
    vocabulary: Vocabulary,
) -> None:
    """ "semantic segmentation" is close to "automatic segmentation" as a whole, but
    "semantic" is no misspelling of "automatic"."""
    assert first(vocabulary, "semantic segmentation") == "segmentation"


def test_a_label_holding_every_word_but_the_stop_words_answers(vocabulary: Vocabulary) -> None:
    hit = vocabulary.search("what is a model card")[0]
    assert (hit.row.id, hit.match_type) == ("card", MatchType.PREFIX)


def test_a_typo_is_still_answered_by_the_label_it_misspells(vocabulary: Vocabulary) -> None:
    hit = vocabulary.search("trainde model")[0]
    assert (hit.row.id, hit.match_type) == ("model", MatchType.FUZZY)


def test_one_edit_from_a_label_word_is_a_typo_though_the_texts_know_its_stem(
    vocabulary: Vocabulary,
) -> None:
    """ "fining" stems to "fine", which "fine-tuning" holds, but it is one letter from
    "finding"."""
    hit = vocabulary.search("fining")[0]
    assert (hit.row.id, hit.match_type) == ("finding", MatchType.FUZZY)


def test_the_rare_word_of_a_query_decides_over_a_label_of_its_common_one(
    vocabulary: Vocabulary,
) -> None:
    assert first(vocabulary, "overfit model") == "overfitting"


def test_a_compound_no_text_holds_is_searched_as_its_two_words(vocabulary: Vocabulary) -> None:
    """ "autocontours" is in no text, "auto" and "contouring" are."""
    assert first(vocabulary, "autocontours of an image") == "autocontouring"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("screening for women", "breast"), ("screening for men", "aaa")],
)
def test_irregular_plurals_in_definitions_meet_the_query(
    vocabulary: Vocabulary, query: str, expected: str
) -> None:
    assert first(vocabulary, query) == expected
