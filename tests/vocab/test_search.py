"""Ranked search: stages, match types, tolerance and filters."""

from __future__ import annotations

import pytest

from vocab.errors import InvalidInput
from vocab.search_hits import MATCH_ORDER
from vocab.vocabulary import Vocabulary


def top(vocabulary: Vocabulary, query: str, **filters: object) -> tuple[str, str]:
    hit = vocabulary.search(query, **filters)[0]  # type: ignore[arg-type]
    return hit.row.pref_label, hit.match_type


@pytest.mark.parametrize(
    ("query", "label", "match_type"),
    [
        ("machine learning", "machine learning", "exact"),
        ("ML", "machine learning", "acronym"),
        (
            "Medicines & Healthcare products Regulatory Agency",
            "Medicines and Healthcare products Regulatory Agency",
            "exact",
        ),
        ("Health Education England", "NHS England Workforce, Training and Education", "synonym"),
        ("East Midlands Imaging Network", "East Midlands Radiology Consortium", "synonym"),
        ("machine lea", "machine learning", "prefix"),
        ("learning machine", "machine learning", "prefix"),
        ("machine lerning", "machine learning", "fuzzy"),
        ("deep-learning", "deep learning", "exact"),
        ("artifical inteligence", "artificial intelligence", "fuzzy"),
        ("World Health Organisation", "World Health Organization", "exact"),
        ("quality controls", "quality control", "exact"),
        ("radiographers society", "Society of Radiographers", "prefix"),
    ],
)
def test_search_finds_the_concept_and_says_how(
    shipped: Vocabulary, query: str, label: str, match_type: str
) -> None:
    assert top(shipped, query) == (label, match_type)


def test_results_are_ordered_exact_acronym_synonym_prefix_fuzzy(shipped: Vocabulary) -> None:
    hits = shipped.search("ai", limit=20)
    ranks = [MATCH_ORDER[h.match_type] for h in hits]
    assert ranks == sorted(ranks)
    assert hits[0].row.pref_label == "artificial intelligence"


def test_scores_fall_as_results_go_down(shipped: Vocabulary) -> None:
    scores = [h.score for h in shipped.search("radiographers", limit=10)]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_fuzzy_stage_is_skipped_when_a_prefix_answers(shipped: Vocabulary) -> None:
    assert {h.match_type for h in shipped.search("mach")} == {"prefix"}


def test_deprecated_concepts_are_left_out_unless_asked_for(lifecycle: Vocabulary) -> None:
    assert lifecycle.search("old scanner name") == []
    assert (
        lifecycle.search("old scanner name", include_deprecated=True)[0].row.status == "deprecated"
    )


def test_hidden_labels_are_never_shown_as_the_match(lifecycle: Vocabulary) -> None:
    hit = lifecycle.search("tumour volumme")[0]
    assert hit.matched == "tumour volume"


def test_community_filter_keeps_labels_that_community_uses(lifecycle: Vocabulary) -> None:
    hits = lifecycle.search("CT", community="academic")
    assert [h.row.pref_label for h in hits] == ["clinical trial"]


def test_collection_filter(lifecycle: Vocabulary) -> None:
    hits = lifecycle.search("CT", collection="imaging")
    assert [h.row.pref_label for h in hits] == ["computed tomography"]


def test_language_filter(lifecycle: Vocabulary) -> None:
    assert lifecycle.search("tumor volume", lang="en-US")[0].matched == "tumor volume"
    assert lifecycle.search("tumor volume", lang="fr") == []


@pytest.mark.parametrize(
    "query",
    [
        'neural"',
        "AND",
        "*",
        "NEAR(",
        '"unterminated',
        "a OR b NOT",
        "label:neural",
        "%_%",
        "'; DROP TABLE labels; --",
    ],
)
def test_query_syntax_is_treated_as_text(shipped: Vocabulary, query: str) -> None:
    assert isinstance(shipped.search(query), list)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [({"community": "vendors"}, "community"), ({"collection": "nope"}, "collection")],
)
def test_unknown_filters_say_what_is_allowed(
    shipped: Vocabulary, kwargs: dict[str, str], word: str
) -> None:
    with pytest.raises(InvalidInput, match=f"Unknown {word}"):
        shipped.search("ai", **kwargs)  # type: ignore[arg-type]


def test_the_stage_hook_hears_each_stage_a_computed_search_reaches(shipped: Vocabulary) -> None:
    heard: list[str] = []
    shipped.search("MHRA", limit=3, on_stage=heard.append)
    assert "fuzzy" not in heard and "meaning" not in heard
    heard.clear()
    shipped.search("segmentatonqzv", on_stage=heard.append)
    assert heard[:2] == ["label", "fuzzy"]
    heard.clear()
    shipped.search("segmentatonqzv", on_stage=heard.append)
    assert heard == []  # answered from the cache: nothing was computed


def test_a_stage_hook_that_raises_stops_the_search(shipped: Vocabulary) -> None:
    def refuse(stage: str) -> None:
        if stage == "fuzzy":
            raise InvalidInput("no typo correction for you")

    with pytest.raises(InvalidInput, match="no typo"):
        shipped.search("calibratonqzw", on_stage=refuse)
    assert shipped.search("calibratonqzw") is not None  # not cached as an empty answer
