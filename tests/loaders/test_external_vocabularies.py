"""Every Skosmos test vocabulary imports: read, stored, looked up, exported and re-imported.

The 32 files in tests/fixtures/skosmos/ (from ../shared/external; see its README) each exercise
an edge case of real-world SKOS. The tests parametrised over all files check that each
one imports and that every report names its resource and a reason; the file-specific
tests pin the reports and readings that matter.
`python -m tests.loaders.test_external_vocabularies` prints a per-file summary.

This file holds the tests over every file, the integrity conditions and the summary.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from loaders.skos import read_skos, write_skos
from tests.conftest import BASE
from tests.loaders.skosmos_files import (
    DATA,
    SK,
    YSO,
    concept,
    imported,
    rdflib_graph,
    reasons,
    store,
)
from vocab.model import LabelKind
from vocab.problems import Problem

FILES = sorted(path.name for path in DATA.glob("*.ttl"))
EMPTY = ("default_graph.ttl", "myns-ontology.ttl", "test-marc.ttl")  # ontology or scheme only
WITH_CONCEPTS = [name for name in FILES if name not in EMPTY]
RDFLIB_PARSER = {  # the syntaxes write_skos writes
    "ttl": "turtle",
    "rdf": "xml",
    "jsonld": "json-ld",
    "nt": "nt",
}


CONCEPTS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* skos:Concept FILTER(isIRI(?c)) }
"""
SAYS_WHAT_WAS_DONE = re.compile(
    r"\b(kept|dropped|added|read|created|ignored|put|shown|skipped|stored|empty)\b", re.IGNORECASE
)


def errors(name: str) -> list[Problem]:
    return [i for i in imported(name).problems if i.severity == "error"]


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
