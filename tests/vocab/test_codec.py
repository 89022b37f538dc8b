"""The store's lossless JSON for domain objects (vocab/codec.py) round-trips every field."""

from __future__ import annotations

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, FIXTURES
from vocab.codec import (
    collection_from_dict,
    collection_to_dict,
    concept_from_dict,
    concept_to_dict,
    scheme_from_dict,
    scheme_to_dict,
)

SNAPSHOT = read_source(FIXTURES / "lifecycle.ttl", base=BASE).snapshot


@pytest.mark.parametrize("concept", SNAPSHOT.concepts, ids=lambda c: c.id)
def test_every_concept_round_trips(concept: object) -> None:
    assert concept_from_dict(concept_to_dict(concept)) == concept  # type: ignore[arg-type]


@pytest.mark.parametrize("collection", SNAPSHOT.collections, ids=lambda c: c.id)
def test_every_collection_round_trips(collection: object) -> None:
    assert collection_from_dict(collection_to_dict(collection)) == collection  # type: ignore[arg-type]


def test_the_scheme_round_trips() -> None:
    assert scheme_from_dict(scheme_to_dict(SNAPSHOT.scheme)) == SNAPSHOT.scheme
