"""Label cover in the meaning path's reranking (`vocab.rerank`)."""

from __future__ import annotations

from vocab.rerank import label_cover, query_share, stems_of


def cover(query: str, *labels: str) -> float:
    return label_cover(stems_of(query.split()), [stems_of(label.split()) for label in labels])


def test_a_label_naming_a_small_part_of_a_description_covers_nothing() -> None:
    """A lay question holding a short label ("x-ray") among many other words is not
    about that label: its definitions and meaning decide."""
    assert cover("ai that signs off normal chest x rays with no doctor looking", "x ray") == 0.0


def test_a_label_holding_half_the_query_or_more_covers_it() -> None:
    assert cover("radiotherapy machine", "radiotherapy") == 0.5
    assert cover("overfitted models", "overfitting") == 0.5
    assert cover("overfitted model", "model overfitting") == 1.0


def test_a_label_holding_only_the_common_word_of_a_query_covers_nothing() -> None:
    """Weighed by how much each word says, "model" is a small part of "overfit model"."""
    said = {"overfit": 3.0, "model": 0.5}
    assert label_cover(["overfit", "model"], [["model"]], said) == 0.0
    assert label_cover(["overfit", "model"], [["overfit"]], said) > 0.8


def test_a_label_match_lends_the_share_of_the_query_it_holds() -> None:
    said = {"overseen": 4.0, "ai": 1.0, "system": 1.0}
    assert query_share(["overseen", "ai", "system"], ["ai", "system"], said, set()) == 2 / 6
    # a word no text holds (a typo) is left to the fuzzy stage's judgement
    assert query_share(["overseen", "ai", "system"], ["ai", "system"], said, {"overseen"}) == 1.0
