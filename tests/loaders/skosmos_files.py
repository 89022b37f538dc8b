"""The Skosmos test vocabularies in tests/fixtures/skosmos/, each read once, and lookups into them.

Used by test_external_vocabularies.py, test_external_hierarchy_and_labels.py and
test_external_values_and_schemes.py.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

from loaders import read_file
from tests.conftest import BASE, ROOT
from vocab.model import Concept
from vocab.problems import ReadResult
from vocab.source import write_store
from vocab.vocabulary import Vocabulary

DATA = ROOT / "tests" / "fixtures" / "skosmos"  # vendored from ../shared/external (see its README)
SK = "http://www.skosmos.skos/"
YSO = "http://www.yso.fi/onto/yso/"


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


def store(name: str, tmp_path: Path) -> Vocabulary:
    write_store(
        tmp_path / "v.db",
        imported(name).snapshot,
        origin=f"import:{name}",
        source=tmp_path / "no-source",
        base=BASE,
    )
    return Vocabulary.open(tmp_path / "v.db")
