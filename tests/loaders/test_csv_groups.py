"""The CSV carries the scheme, the collections and the source titles (issue 16): export ->
import -> export keeps everything the RDF exports carry, and no title is made up."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from loaders.csv_table import read_csv, write_csv
from loaders.skos import write_skos
from tests.conftest import BASE
from tests.loaders.test_csv_table import cells, concept, snapshot_of
from vocab.errors import ParseError
from vocab.model import Collection, LangText, Snapshot, canonical
from vocab.vocabulary import Vocabulary


def graph(snapshot: Snapshot) -> Graph:
    return Graph().parse(data=write_skos(snapshot, "ttl"), format="turtle")


def again(snapshot: Snapshot, name: str = "in.csv") -> Snapshot:
    return read_csv(write_csv(snapshot), base=BASE, source_name=name).snapshot


def part(g: Graph, subjects: set[URIRef]) -> Graph:
    """The triples about `subjects` (the scheme, or the collections)."""
    found = Graph()
    for s, p, o in g:
        if s in subjects:
            found.add((s, p, o))
    return found


def test_the_shipped_vocabulary_round_trips_through_csv_isomorphically(
    shipped: Vocabulary,
) -> None:
    original = shipped.snapshot()
    assert isomorphic(graph(original), graph(again(original)))


def test_the_scheme_part_of_the_graph_survives_csv(shipped: Vocabulary) -> None:
    original, first = shipped.snapshot(), graph(shipped.snapshot())
    schemes = set(first.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(part(first, schemes)) > 10  # title, description, licence, publisher, dates...
    assert isomorphic(part(first, schemes), part(graph(again(original)), schemes))


def test_the_collections_part_of_the_graph_survives_csv(shipped: Vocabulary) -> None:
    original, first = shipped.snapshot(), graph(shipped.snapshot())
    collections = set(first.subjects(RDF.type, SKOS.Collection))
    assert len(collections) == 8
    assert isomorphic(part(first, collections), part(graph(again(original)), collections))


def test_export_import_export_gives_the_same_csv(shipped: Vocabulary) -> None:
    data = write_csv(shipped.snapshot())
    assert write_csv(read_csv(data, base=BASE).snapshot) == data


def test_the_source_titles_survive_csv(shipped: Vocabulary) -> None:
    assert again(shipped.snapshot()).bibliography == shipped.snapshot().bibliography


def test_a_csv_without_a_scheme_row_never_takes_its_title_from_the_file_name() -> None:
    data = b"uri,prefLabel\r\n" + f"{BASE}/terms/a,alpha\r\n".encode()
    result = read_csv(data, base=BASE, source_name="in.csv")
    assert result.snapshot.scheme.titles == ()
    assert "in.csv" not in result.snapshot.scheme.title()


def test_an_ordered_collection_keeps_its_order_and_its_label() -> None:
    members = (f"{BASE}/terms/c1", f"{BASE}/collections/inner")
    snapshot = Snapshot(
        schemes=snapshot_of().schemes,
        concepts=(concept("alpha"),),
        collections=(
            Collection(
                "steps",
                f"{BASE}/collections/steps",
                (LangText("Steps", "en-GB"), LangText("Schritte", "de")),
                (LangText("In order.", "en-GB"),),
                members[::-1],
                ordered=True,
            ),
            Collection("inner", f"{BASE}/collections/inner", members=(f"{BASE}/terms/c1",)),
        ),
        top_concepts=snapshot_of().top_concepts,
    )
    assert again(snapshot).collections == canonical(snapshot).collections


def test_companion_rows_follow_the_concept_rows() -> None:
    rows = cells(write_csv(snapshot_of(concept("alpha"))))
    types = [row[rows[0].index("type")] for row in rows[1:]]
    assert types == ["", "ConceptScheme"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Thing,http://x/a,a", "Unknown row type 'Thing'"),
        ("ConceptScheme,,a", "A ConceptScheme row needs exactly one 'uri'"),
    ],
)
def test_a_bad_companion_row_is_refused_with_its_line(row: str, message: str) -> None:
    data = "type,uri,prefLabel\r\n," + f"{BASE}/terms/a,alpha\r\n" + row + "\r\n"
    with pytest.raises(ParseError, match=message) as caught:
        read_csv(data.encode(), base=BASE)
    assert caught.value.line == 3
