"""A label answer with few hits is followed by the concepts whose texts use the term."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.model import MatchType
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(
        FIXTURES / "named-in-texts.ttl", tmp_path_factory.mktemp("fill") / "v.db"
    )


def found(vocabulary: Vocabulary, query: str) -> list[tuple[str, MatchType]]:
    return [(hit.row.id, hit.match_type) for hit in vocabulary.search(query)]


def test_an_alternative_label_is_followed_by_the_concepts_whose_texts_use_it(
    vocabulary: Vocabulary,
) -> None:
    hits = found(vocabulary, "regulatory sandbox")
    assert hits[0] == ("sandbox", MatchType.SYNONYM)
    assert ("airlock", MatchType.DEFINITION) in hits[1:]


def test_the_texts_must_hold_every_word_and_deprecated_concepts_stay_out(
    vocabulary: Vocabulary,
) -> None:
    ids = [concept for concept, _ in found(vocabulary, "regulatory sandbox")]
    assert "device" not in ids  # holds neither word
    assert "old" not in ids  # deprecated


def test_a_preferred_label_is_answered_by_its_concept_alone(vocabulary: Vocabulary) -> None:
    assert found(vocabulary, "medical device") == [("device", MatchType.EXACT)]
