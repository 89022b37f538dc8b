"""How the label stages rank labels.

- a label that ends with the query's word names a kind of it; one that holds the word as
  a modifier names something else ("classification accuracy" is an accuracy);
- an acronym spelling the initials of labels lists preferred labels before others.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    return build_vocabulary(FIXTURES / "label-heads.ttl", tmp_path_factory.mktemp("heads") / "v.db")


def ids(vocabulary: Vocabulary, query: str) -> list[str]:
    return [hit.row.id for hit in vocabulary.search(query)]


def test_a_label_headed_by_the_query_ranks_above_one_it_modifies(vocabulary: Vocabulary) -> None:
    found = ids(vocabulary, "classification")
    assert found[:2] == ["classification", "denovo"]
    assert set(found[2:]) == {"accuracy", "threshold"}


def test_each_part_of_a_label_joined_by_and_has_its_own_head(vocabulary: Vocabulary) -> None:
    """ "image interpretation and reporting" is an image interpretation too."""
    assert ids(vocabulary, "image interpretation")[0] == "reporting"


def test_an_acronym_spelling_preferred_labels_lists_them_before_other_labels(
    vocabulary: Vocabulary,
) -> None:
    """ "SR" spells "structured reporting" and "screening recall", names, before "scan
    report", another name of the radiology report."""
    found = ids(vocabulary, "SR")
    assert found[0] == "dsr"
    assert set(found[1:3]) == {"structured", "recall"}
