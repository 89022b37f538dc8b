"""The public JSON both edges send (loaders/views.py), on the tiny lifecycle vocabulary."""

from __future__ import annotations

import pytest

from loaders.views import concept_json, lookup_json, search_json, suggest_json, translation_json
from tests.conftest import BASE
from vocab.vocabulary import Vocabulary


def test_concept_json_lists_labels_with_their_communities(lifecycle: Vocabulary) -> None:
    data = concept_json(lifecycle, lifecycle.record("ct").concept)
    assert data["prefLabel"] == {"en-GB": "computed tomography"}
    assert data["acronym"] == ["CT"]
    assert {"label": "CT", "lang": "en-GB", "type": "acronym", "usage": ["clinical"]} in data[
        "labels"
    ]


def test_concept_json_resolves_relations_to_labels(lifecycle: Vocabulary) -> None:
    data = concept_json(lifecycle, lifecycle.record("tumour").concept)
    assert data["broader"] == [
        {"uri": f"{BASE}/terms/ct", "id": "ct", "prefLabel": "computed tomography"}
    ]


def test_concept_json_of_a_replaced_concept_names_its_replacement(lifecycle: Vocabulary) -> None:
    data = concept_json(lifecycle, lifecycle.record("old").concept)
    assert data["status"] == "deprecated"
    assert [r["id"] for r in data["replacedBy"]] == ["ct"]


def test_hidden_labels_are_never_shown_as_the_match(lifecycle: Vocabulary) -> None:
    [hit] = lifecycle.search("tumour volumme", limit=1)
    result = search_json("tumour volumme", [hit])["results"][0]
    assert result["matched"] == "tumour volume"
    assert result["usage"] == []


@pytest.mark.parametrize("query", ["CT", "ct", "C.T."])
def test_lookup_json_answers_every_sense_of_an_ambiguous_acronym(
    lifecycle: Vocabulary, query: str
) -> None:
    data = lookup_json(lifecycle, lifecycle.lookup(query))
    assert data["ambiguous"] is True
    assert sorted(r["id"] for r in data["results"]) == ["ct", "trial"]


def test_suggest_json_names_how_each_suggestion_matched(lifecycle: Vocabulary) -> None:
    data = suggest_json("tumor", lifecycle.search("tumor", limit=3))
    assert data["suggestions"][0]["id"] == "tumour"
    assert data["suggestions"][0]["match_type"] in {"synonym", "prefix"}


def test_translation_json_gives_the_target_communitys_label(lifecycle: Vocabulary) -> None:
    data = translation_json(lifecycle.translate("clinical trial", "academic"), None)
    assert data["result"] is True
    assert "clinical trial" in [lb["label"] for lb in data["matches"][0]["labels"]]
