"""The Skosmos test vocabularies (see test_external_vocabularies.py): the file-specific
tests of values, schemes and collections, and of what the model cannot hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.skos import read_skos
from tests.conftest import BASE
from tests.loaders.skosmos_files import (
    DATA,
    SK,
    YSO,
    concept,
    imported,
    reasons,
    store,
)
from vocab.model import Status

# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "uri", "value"),
    [
        ("http304.ttl", f"{SK}test/owl", "20181022"),
        ("http304.ttl", f"{SK}test/lizard", "2018-00-00"),
        ("test.ttl", f"{SK}test/ta114", "1986-21-00"),
        ("test-hierarchy.ttl", f"{SK}test-hierarchy/ta114", "1986-21-00"),
        ("test-notation-sort.ttl", f"{SK}test/ta0114", "1986-21-00"),
    ],
)
def test_an_invalid_date_is_reported_and_dropped(name: str, uri: str, value: str) -> None:
    assert concept(name, uri).modified is None
    assert any(
        r.startswith("Invalid date in dct:modified") and f"'{value}'" in r
        for r in reasons(name, uri)
    )


@pytest.mark.parametrize(
    ("uri", "modified"),
    [
        ("cat", "2018-12-13T06:28:14+00:00"),
        ("parrot", "2018-10-22"),
        ("macaw", "2018-10-22T12:34:45"),
        ("sloth", "2018-10-22T12:34:45+05:30"),
        ("dog", None),
    ],
)
def test_valid_dates_next_to_the_invalid_ones_are_kept(uri: str, modified: str | None) -> None:
    assert concept("http304.ttl", f"{SK}test/{uri}").modified == modified


def test_the_file_with_invalid_dates_keeps_both_schemes() -> None:
    assert {s.uri for s in imported("http304.ttl").snapshot.schemes} == {
        f"{SK}test/http304mainconceptscheme",
        f"{SK}test/anotherConceptScheme",
    }


@pytest.mark.parametrize(
    ("name", "uri", "notations"),
    [
        ("test-qualified-notation.ttl", f"{SK}test/qn1b", ("A",)),
        ("test-qualified-notation.ttl", f"{SK}test/qn2", ("B", "C")),
        ("test-notation-sort.ttl", f"{SK}test/ta0112", ("33.1",)),
        ("test.ttl", f"{SK}test/ta112", ("665",)),
    ],
)
def test_notations_are_read_without_their_datatype(
    name: str, uri: str, notations: tuple[str, ...]
) -> None:
    assert concept(name, uri).notations == notations


@pytest.mark.parametrize(
    ("name", "uri", "lost"),
    [
        (
            "test-qualified-notation.ttl",
            f"{SK}test/qn1b",
            "datatype <http://www.skosmos.skos/test>",
        ),
        ("test-qualified-notation.ttl", f"{SK}test/qn2b", "language tag @en"),
        ("test.ttl", f"{SK}test/ta112", "datatype <http://www.skosmos.skos/test/dt>"),
    ],
)
def test_a_notation_qualifier_that_is_lost_is_reported(name: str, uri: str, lost: str) -> None:
    assert any("Notation qualifier not represented" in r and lost in r for r in reasons(name, uri))


def test_a_notation_shared_in_one_scheme_is_reported() -> None:
    assert any(
        "Notation shared within a scheme" in r and f"{SK}test/qn1b" in r
        for r in reasons("test-qualified-notation.ttl", f"{SK}test/qn1")
    )


@pytest.mark.parametrize(
    ("name", "uri", "status", "replaced_by"),
    [
        ("changes.ttl", f"{SK}changes/d4", Status.DEPRECATED, (f"{SK}changes/d3",)),
        ("changes.ttl", f"{SK}changes/d5", Status.WITHDRAWN, ()),
        ("changes.ttl", f"{SK}changes/d3", Status.ACTIVE, ()),
        ("groups.ttl", f"{SK}groups/ta111", Status.WITHDRAWN, ()),
        ("test.ttl", f"{SK}test/ta111", Status.WITHDRAWN, ()),
    ],
)
def test_deprecated_concepts_keep_their_status_in_the_store(
    name: str, uri: str, status: Status, replaced_by: tuple[str, ...], tmp_path: Path
) -> None:
    stored = store(name, tmp_path).record(concept(name, uri).id).concept
    assert (stored.status, stored.replaced_by) == (status, replaced_by)


# --- schemes and collections ---------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
def test_every_scheme_is_kept_with_its_own_top_concept(n: int) -> None:
    snapshot = imported("multiple-schemes.ttl").snapshot
    scheme = f"{SK}multiple-schemes/cs{n}"
    assert snapshot.top_concepts[scheme] == (f"{SK}multiple-schemes/c{n}-in-cs{n}",)
    assert scheme in {s.uri for s in snapshot.schemes}


def test_a_has_top_concept_naming_a_missing_concept_is_reported() -> None:
    assert any(
        "skos:hasTopConcept points outside the file" in r
        for r in reasons("multiple-schemes.ttl", f"{SK}multiple-schemes/cs1")
    )


def test_a_concept_in_two_schemes_keeps_both() -> None:
    assert concept("test-concept-schemes.ttl", "http://exemple.fr/c1").in_schemes == (
        "http://exemple.fr/mt1",
        "http://exemple.fr/thesaurus",
    )


def test_a_file_without_a_scheme_gets_one_and_says_so() -> None:
    assert [s.uri for s in imported("dup.ttl").snapshot.schemes] == [f"{BASE}/scheme"]
    assert any("declares no skos:ConceptScheme" in r for r in reasons("dup.ttl", f"{BASE}/scheme"))


def test_iso_thes_concept_groups_are_collections_listed_once() -> None:
    members = {c.uri: c.members for c in imported("dupgroup.ttl").snapshot.collections}
    assert members == {
        f"{SK}dupgroup/c1": (),
        f"{SK}dupgroup/c2": (f"{SK}dupgroup/c1",),
        f"{SK}dupgroup/species": (f"{SK}dupgroup/animalia",),
        f"{SK}dupgroup/animalia": (f"{SK}dupgroup/ta111",),
        f"{SK}dupgroup/lifesciences": (f"{SK}dupgroup/biology",),
        f"{SK}dupgroup/biology": (f"{SK}dupgroup/ta111",),
    }


def test_a_search_in_a_group_finds_the_members_of_its_nested_groups(tmp_path: Path) -> None:
    hits = store("dupgroup.ttl", tmp_path).search("Tuna", collection="species")
    assert [hit.row.uri for hit in hits] == [f"{SK}dupgroup/ta111"]


def test_a_thesaurus_array_can_hold_another_array() -> None:
    fish = next(
        c for c in imported("groups.ttl").snapshot.collections if c.uri == f"{SK}groups/fish"
    )
    assert fish.members == (f"{SK}groups/sub",)


def test_a_concept_typed_only_through_a_subclass_declared_in_the_file_is_read() -> None:
    turtle = (
        (DATA / "test.ttl")
        .read_text(encoding="utf-8")
        .replace("a skos:Concept, meta:TestClass", "a meta:TestClass")
    )
    snapshot = read_skos(turtle.encode(), "ttl", base=BASE).snapshot
    assert {c.uri for c in snapshot.concepts} == {
        c.uri for c in imported("test.ttl").snapshot.concepts
    }


# --- things the model cannot hold ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "uri", "prop"),
    [
        ("cbd.ttl", f"{SK}cbd/test1", "dc:contributor"),
        ("prefix.ttl", f"{SK}prefix/p1", "<http://example.com/myns#property>"),
        (
            "test-rdf-list.ttl",
            f"{SK}test-rdf-list/mixed",
            "<http://www.skosmos.skos/hasRelatedConcept>",
        ),
        ("yso.ttl", f"{YSO}p1051", "<http://www.yso.fi/onto/yso-meta/singularPrefLabel>"),
    ],
)
def test_a_property_the_model_cannot_hold_is_reported_per_concept(
    name: str, uri: str, prop: str
) -> None:
    assert f"Property {prop} is not represented; its values were dropped." in reasons(name, uri)


def test_a_scheme_property_the_model_cannot_hold_is_reported() -> None:
    assert any(
        "dct:subject" in r for r in reasons("test-concept-schemes.ttl", "http://exemple.fr/mt1")
    )
