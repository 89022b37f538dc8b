"""Label cover in the meaning path's reranking (`vocab.rerank`)."""

from __future__ import annotations

from vocab.rerank import label_cover, stems_of


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
