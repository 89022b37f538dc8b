"""Every Skosmos test vocabulary imports: read, stored, looked up, exported and re-imported.

The 32 files in tests/fixtures/skosmos/ (from ../shared/external; see its README) each exercise
an edge case of real-world SKOS. The tests parametrised over all files check that each
one imports and that every report names its resource and a reason; the file-specific
tests pin the reports and readings that matter. `python -m tests.test_external_vocabularies`
prints a per-file summary.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from loaders import read_file
from loaders.skos import read_skos, write_skos
from tests.conftest import BASE, ROOT
from vocab.model import Concept, Label, LabelKind, Status
from vocab.problems import Problem, ReadResult
from vocab.source import write_store
from vocab.vocabulary import Vocabulary

DATA = ROOT / "tests" / "fixtures" / "skosmos"  # vendored from ../shared/external (see its README)
FILES = sorted(path.name for path in DATA.glob("*.ttl"))
EMPTY = ("default_graph.ttl", "myns-ontology.ttl", "test-marc.ttl")  # ontology or scheme only
WITH_CONCEPTS = [name for name in FILES if name not in EMPTY]
RDFLIB_PARSER = {  # the syntaxes write_skos writes
    "ttl": "turtle",
    "rdf": "xml",
    "jsonld": "json-ld",
    "nt": "nt",
}
SK = "http://www.skosmos.skos/"
YSO = "http://www.yso.fi/onto/yso/"
CONCEPTS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* skos:Concept FILTER(isIRI(?c)) }
"""
SAYS_WHAT_WAS_DONE = re.compile(
    r"\b(kept|dropped|added|read|created|ignored|put|shown|skipped|stored|empty)\b", re.IGNORECASE
)


@cache
def imported(name: str) -> ReadResult:
    return read_file(DATA / name, base=BASE)


@cache
def rdflib_graph(name: str) -> Graph:
    return Graph().parse(DATA / name, format="turtle")


def concept(name: str, uri: str) -> Concept:
    return next(c for c in imported(name).snapshot.concepts if c.uri == uri)


def reasons(name: str, subject: str) -> list[str]:
    return [i.message for i in imported(name).problems if i.subject == subject]


def errors(name: str) -> list[Problem]:
    return [i for i in imported(name).problems if i.severity == "error"]


def store(name: str, tmp_path: Path) -> Vocabulary:
    write_store(
        tmp_path / "v.db",
        imported(name).snapshot,
        origin=f"import:{name}",
        source=tmp_path / "no-source",
        base=BASE,
    )
    return Vocabulary.open(tmp_path / "v.db")


# --- every file --------------------------------------------------------------------------


def test_the_folder_holds_the_32_skosmos_files() -> None:
    assert len(FILES) == 32


@pytest.mark.parametrize("name", FILES)
def test_every_file_reads_as_many_concepts_as_rdflib_counts(name: str) -> None:
    expected = {str(row[0]) for row in rdflib_graph(name).query(CONCEPTS_QUERY)}
    assert {c.uri for c in imported(name).snapshot.concepts} == expected


@pytest.mark.parametrize("name", WITH_CONCEPTS)
def test_every_file_imports_into_a_store_that_looks_up_a_preferred_label(
    name: str, tmp_path: Path
) -> None:
    snapshot = imported(name).snapshot
    first = next(c for c in snapshot.concepts if c.labels_of(LabelKind.PREF))
    vocabulary = store(name, tmp_path)
    result = vocabulary.lookup(first.labels_of(LabelKind.PREF)[0].text)
    assert vocabulary.snapshot() == snapshot
    assert first.uri in {hit.row.uri for hit in result.hits + result.other_senses}


@pytest.mark.parametrize("name", EMPTY)
def test_a_file_without_concepts_imports_as_an_empty_vocabulary_and_says_so(
    name: str, tmp_path: Path
) -> None:
    vocabulary = store(name, tmp_path)
    assert vocabulary.snapshot().concepts == ()
    assert any("holds no skos:Concept" in i.message for i in imported(name).problems)


@pytest.mark.parametrize("name", FILES)
def test_every_issue_names_a_resource_of_the_file_and_says_what_was_done(name: str) -> None:
    snapshot = imported(name).snapshot
    resources = (
        {str(s) for s in rdflib_graph(name).subjects()}
        | {s.uri for s in snapshot.schemes}
        | {c.uri for c in snapshot.concepts}
        | {c.uri for c in snapshot.collections}
    )
    issues = imported(name).problems
    assert [
        i for i in issues if i.severity not in ("error", "warning") or i.subject not in resources
    ] == []
    assert [i.message for i in issues if not SAYS_WHAT_WAS_DONE.search(i.message)] == []


@pytest.mark.parametrize("fmt", list(RDFLIB_PARSER))
@pytest.mark.parametrize("name", FILES)
def test_every_export_parses_with_rdflib_and_reimports_to_an_equal_snapshot(
    name: str, fmt: str
) -> None:
    snapshot = imported(name).snapshot
    data = write_skos(snapshot, fmt)
    graph = Graph().parse(data=data, format=RDFLIB_PARSER[fmt])
    assert len(graph) >= len(snapshot.concepts)
    assert read_skos(data, fmt, base=BASE).snapshot == snapshot


# --- integrity conditions: repaired and reported ------------------------------------------


@pytest.mark.parametrize(
    ("name", "uri", "clash"),
    [
        ("test.ttl", f"{SK}test/ta127", "without a language tag (S14)"),
        ("test-hierarchy.ttl", f"{SK}test-hierarchy/ta127", "without a language tag (S14)"),
        ("dup.ttl", f"{SK}dup/d6", "in 'en' (S14)"),  # its dup:subPrefLabel is a skos:prefLabel
        ("yso.ttl", f"{YSO}p1464", "in 'se' (S14)"),  # a SKOS-XL prefLabel beside a plain one
        ("yso.ttl", f"{YSO}p7785", "in 'se' (S14)"),
    ],
)
def test_a_second_pref_label_in_one_language_is_an_s14_error_and_kept_as_an_alt_label(
    name: str, uri: str, clash: str
) -> None:
    found = concept(name, uri)
    assert any(f"More than one prefLabel {clash}" in r for r in reasons(name, uri))
    assert len({label.lang for label in found.labels_of(LabelKind.PREF)}) == len(
        found.labels_of(LabelKind.PREF)
    )


UNTAGGED_S14 = "More than one prefLabel without a language tag (S14)"
EXPECTED_ERRORS = {  # file -> (subject, kind of error); every other file has none
    "test.ttl": {(f"{SK}test/ta127", UNTAGGED_S14)},
    "test-hierarchy.ttl": {(f"{SK}test-hierarchy/ta127", UNTAGGED_S14)},
    "test-hierarchy-without-top-concepts.ttl": {(f"{SK}test-hierarchy/ta127", UNTAGGED_S14)},
    "dup.ttl": {(f"{SK}dup/d6", "More than one prefLabel in 'en' (S14)")},
    "yso.ttl": {
        (f"{YSO}p1464", "More than one prefLabel in 'se' (S14)"),
        (f"{YSO}p7785", "More than one prefLabel in 'se' (S14)"),
    },
}


@pytest.mark.parametrize("name", FILES)
def test_the_only_integrity_errors_are_the_known_s14_clashes(name: str) -> None:
    found = {(i.subject, i.message.split(";")[0]) for i in errors(name)}
    assert found == EXPECTED_ERRORS.get(name, set())


def test_an_xl_pref_label_that_is_also_an_alt_label_stays_only_an_alt_label() -> None:
    labels = concept("yso.ttl", f"{YSO}p1464").labels
    assert [label.kind for label in labels if (label.text, label.lang) == ("láhka", "se")] == [
        LabelKind.ALT
    ]


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


# --- a summary for people ------------------------------------------------------------------


def summary() -> str:
    """Return one line per file: concepts, collections, schemes, errors and warnings read."""
    lines = [
        f"{'file':42} {'concepts':>8} {'colls':>5} {'schemes':>7} {'errors':>6} {'warnings':>8}"
    ]
    for name in FILES:
        result = imported(name)
        n_errors = len(errors(name))
        lines.append(
            f"{name:42} {len(result.snapshot.concepts):8} {len(result.snapshot.collections):5} "
            f"{len(result.snapshot.schemes):7} {n_errors:6} {len(result.problems) - n_errors:8}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
