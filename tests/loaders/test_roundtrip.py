"""Every export re-imports to the same vocabulary: parametrised over every writer."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from loaders import FORMATS, RDF_FORMATS, READERS, WRITERS
from loaders.rdf_input import DEFAULT_LIMITS
from tests.conftest import BASE
from vocab.model import Snapshot
from vocab.vocabulary import Vocabulary

RDFLIB_PARSER = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}


def reimport(snapshot: Snapshot, fmt: str) -> Snapshot:
    data = WRITERS[fmt](snapshot)
    return READERS[fmt](data, BASE, f"export.{fmt}", DEFAULT_LIMITS).snapshot


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_rdf_export_parses_with_rdflib(shipped: Vocabulary, fmt: str) -> None:
    graph = Graph().parse(data=WRITERS[fmt](shipped.snapshot()), format=RDFLIB_PARSER[fmt])
    assert len(graph) > 500


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_import_export_gives_an_isomorphic_graph(shipped: Vocabulary, fmt: str) -> None:
    first = WRITERS[fmt](shipped.snapshot())
    second = WRITERS[fmt](reimport(shipped.snapshot(), fmt))
    parser = RDFLIB_PARSER[fmt]
    assert isomorphic(
        Graph().parse(data=first, format=parser), Graph().parse(data=second, format=parser)
    )


@pytest.mark.parametrize("fmt", sorted(set(READERS) & set(WRITERS)))
def test_import_of_an_export_gives_back_the_same_concepts(shipped: Vocabulary, fmt: str) -> None:
    original = shipped.snapshot()
    assert reimport(original, fmt).concepts == original.concepts


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_exports_keep_scheme_collections_and_top_concepts(
    lifecycle: Vocabulary, fmt: str
) -> None:
    original = lifecycle.snapshot()
    again = reimport(original, fmt)
    assert (again.schemes, again.collections, again.top_concepts) == (
        original.schemes,
        original.collections,
        original.top_concepts,
    )


def test_formats_are_registered_once_with_media_types() -> None:
    assert set(READERS) == {"ttl", "rdf", "jsonld", "nt", "csv"}
    assert set(WRITERS) == set(READERS) | {"sssom"}
    assert {FORMATS[f].media_type for f in RDF_FORMATS} == {
        "text/turtle",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-triples",
    }
