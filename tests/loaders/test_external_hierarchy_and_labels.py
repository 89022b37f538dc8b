"""The Skosmos test vocabularies (see test_external_vocabularies.py): the file-specific
tests of hierarchy and labels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from tests.loaders.skosmos_files import (
    SK,
    YSO,
    concept,
    imported,
    rdflib_graph,
    reasons,
    store,
)
from vocab.model import Label, LabelKind

# --- hierarchy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("ta2", ["ta2", "ta2"]),  # ta2 skos:narrower ta2
        ("ta3", ["ta3", "ta4", "ta3"]),
        ("ta4", ["ta4", "ta3", "ta4"]),
    ],
)
def test_a_broader_cycle_is_reported_naming_the_concepts_on_it(uri: str, path: list[str]) -> None:
    expected = " → ".join(f"<{SK}cycle/{step}>" for step in path)
    assert any(
        "Hierarchy cycle" in r and expected in r for r in reasons("cycle.ttl", f"{SK}cycle/{uri}")
    )


def test_a_cycle_is_kept_and_the_top_concept_is_not_on_it() -> None:
    assert reasons("cycle.ttl", f"{SK}cycle/ta1") == []
    assert set(concept("cycle.ttl", f"{SK}cycle/ta3").broader) == {
        f"{SK}cycle/ta1",
        f"{SK}cycle/ta4",
    }


def test_a_cyclic_vocabulary_still_answers_lookup(tmp_path: Path) -> None:
    assert store("cycle.ttl", tmp_path).lookup("Concept 4").hits[0].row.uri == f"{SK}cycle/ta4"


@pytest.mark.parametrize(
    ("name", "uri", "prop", "target"),
    [
        ("dupgroup.ttl", f"{SK}dupgroup/ta111", "skos:broader", f"{SK}dupgroup/ta1"),
        ("test.ttl", f"{SK}test/ta1", "skos:narrower", f"{SK}test/ta113"),
        ("test-notation-sort.ttl", f"{SK}test/ta0123", "skos:broader", f"{SK}test/ta119"),
    ],
)
def test_a_link_to_a_concept_the_file_does_not_hold_is_kept_and_reported(
    name: str, uri: str, prop: str, target: str
) -> None:
    assert any(
        r.startswith(f"{prop} points outside the file") and target in r for r in reasons(name, uri)
    )
    assert target in concept(name, uri).broader + concept(name, uri).narrower


def test_a_concept_with_two_broader_concepts_keeps_both() -> None:
    broader = concept("test-qualified-broader.ttl", f"{SK}test/qb3").broader
    assert set(broader) == {f"{SK}test/qb1", f"{SK}test/qb2"}


# --- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize("uri", ["no1", "no2", "no3"])
def test_labels_without_a_language_are_kept_and_reported(uri: str) -> None:
    found = concept("nolang.ttl", f"{SK}nolang/{uri}")
    assert [label.lang for label in found.labels] == [""]
    assert any("without a language tag" in r for r in reasons("nolang.ttl", found.uri))


@pytest.mark.parametrize(("uri", "other"), [("d1", "d2"), ("d2", "d1"), ("d3", "d6"), ("d6", "d3")])
def test_a_pref_label_shared_by_two_concepts_is_reported_naming_the_other(
    uri: str, other: str
) -> None:
    assert any(
        "Same prefLabel as another concept" in r and f"<{SK}dup/{other}>" in r
        for r in reasons("dup.ttl", f"{SK}dup/{uri}")
    )


def test_both_homonyms_answer_lookup(tmp_path: Path) -> None:
    hits = store("dup.ttl", tmp_path).lookup("Identical label").hits
    assert {hit.row.uri for hit in hits} == {f"{SK}dup/d1", f"{SK}dup/d2"}


def test_skos_xl_labels_are_read_as_plain_labels() -> None:
    found = concept("xl.ttl", f"{SK}xl/c1")
    assert found.labels == (
        Label("Concept", "en", LabelKind.PREF),
        Label("Conceptual entity", "en", LabelKind.ALT),
    )
    assert any(
        "SKOS-XL labels read as plain labels" in r and f"{SK}xl/l1" in r
        for r in reasons("xl.ttl", found.uri)
    )


def test_a_skos_xl_label_only_in_skos_xl_becomes_a_plain_pref_label() -> None:
    assert Label("historjá", "se", LabelKind.PREF) in concept("yso.ttl", f"{YSO}p1780").labels


def test_skos_xl_label_resources_are_not_read_as_concepts() -> None:
    assert [c.uri for c in imported("yso.ttl").snapshot.concepts if "#sme_" in c.uri] == []


def test_a_skos_xl_label_the_extract_does_not_describe_is_reported() -> None:
    assert any(
        "SKOS-XL label not described in the file" in r for r in reasons("yso.ttl", f"{YSO}p183")
    )


def test_a_sub_property_of_hidden_label_declared_in_the_file_gives_a_hidden_label(
    tmp_path: Path,
) -> None:
    hit = store("sub.ttl", tmp_path).lookup("Do not show this").hits[0]
    assert (hit.tier, hit.matched) == ("hidden", "Has a hidden property")


@pytest.mark.parametrize(
    ("name", "uri", "label"),
    [
        ("subtag.ttl", f"{SK}subtag/p1", Label("Neighbour", "en-GB", LabelKind.PREF)),
        ("groups.ttl", f"{SK}groups/ta114", Label("Guppy", "en-GB", LabelKind.PREF)),
        ("hash.ttl", "http://www.skosmos.skos/hash#c1", Label("#", "en", LabelKind.ALT)),
        ("hash.ttl", "http://www.skosmos.skos/hash#c1", Label("number symbol", "", LabelKind.ALT)),
        ("altlabel.ttl", f"{SK}altlabel/c1", Label("Oleskelupaikka", "fi", LabelKind.ALT)),
    ],
)
def test_labels_keep_their_language_subtags_and_kind(name: str, uri: str, label: Label) -> None:
    assert label in concept(name, uri).labels


def test_many_alt_labels_are_all_kept() -> None:
    uri = f"{SK}altlabel/c1"
    in_file = set(rdflib_graph("altlabel.ttl").objects(URIRef(uri), SKOS.altLabel))
    assert {(label.text, label.lang) for label in concept("altlabel.ttl", uri).alt_labels} == {
        (str(t), t.language) for t in in_file
    }


def test_a_definition_given_as_a_resource_keeps_its_rdf_value() -> None:
    assert concept("xl.ttl", f"{SK}xl/c1").definition("en") == "Unit of thought"
