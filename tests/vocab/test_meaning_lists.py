"""The semantic stage's lists (`vocab.vector_lists`): a large store reads the concepts of
a few lists instead of every concept's codes. Tested on the shipped vocabulary with the
lists forced on (threshold 0): the lists' answers against the exact scan's."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SOURCE, build_vocabulary
from vocab.store.sqlite_lists import add_vector_lists
from vocab.vector_lists import APPROXIMATE_ABOVE, list_count
from vocab.vocabulary import Vocabulary

QUERIES = (
    "scan with a big magnet and radio waves",
    "the AI confidently makes things up",
    "share of sick people the test picks up",
    "taking names out of patient records",
    "outlining the shape of an organ",
    "a model trained on too little data",
    "radiologist workload",
    "segmentaton of lung nodules",
    "privacy of health records",
    "how sure the model is",
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lists")


@pytest.fixture(scope="module")
def stores(folder: Path) -> tuple[Vocabulary, Vocabulary]:
    """The shipped vocabulary twice: as built (exact scan), and with lists added."""
    exact = build_vocabulary(SOURCE, folder / "exact.db")
    shutil.copy(folder / "exact.db", folder / "lists.db")
    conn = sqlite3.connect(folder / "lists.db")
    added = add_vector_lists(conn, above=0)
    conn.close()
    assert added == {"vector_lists": str(list_count(3 * exact.store.count()))}
    return exact, Vocabulary.open(folder / "lists.db")


def test_a_store_at_or_under_the_threshold_gets_no_lists(
    stores: tuple[Vocabulary, Vocabulary], folder: Path
) -> None:
    exact, _ = stores
    assert exact.store.count() <= APPROXIMATE_ABOVE
    assert exact.store.vector_lists() is None
    assert "vector_lists" not in exact.store.meta
    conn = sqlite3.connect(folder / "exact.db")
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "vector_lists" not in tables
    assert add_vector_lists(conn) == {}  # the default threshold: still none
    conn.close()


def test_every_part_code_is_in_one_list(stores: tuple[Vocabulary, Vocabulary]) -> None:
    exact, approximate = stores
    lists = approximate.store.vector_lists()
    index = exact.store.vector_index()
    assert lists is not None and index is not None
    assert lists.concepts == approximate.store.count() == len(index.codes)
    parts = len(index.parts)
    held: dict[tuple[int, bytes], int] = {}
    for members, codes in zip(lists.members, lists.codes, strict=True):
        assert list(members) == sorted(members.tolist())  # concept order within a list
        for row, code in zip(members.tolist(), codes, strict=True):
            held[(row, code.tobytes())] = held.get((row, code.tobytes()), 0) + 1
    assert sum(held.values()) == parts * lists.concepts
    width = index.codes.shape[1] // parts
    for row, codes in enumerate(index.codes):
        for part in range(parts):
            assert (row, codes[part * width : (part + 1) * width].tobytes()) in held


def test_the_lists_rank_the_nearest_concepts_as_the_exact_scan_does(
    stores: tuple[Vocabulary, Vocabulary],
) -> None:
    exact, approximate = stores
    near, far = exact.searcher.meaning, approximate.searcher.meaning
    lists = far._lists
    assert lists is not None and near._lists is None
    firsts = overlap = 0
    for text in QUERIES:
        vector = near.query_vector(text)
        assert vector is not None
        scanned = [c for c, _ in near.nearest(vector, 10)]
        assert [c for c, _ in far.nearest(vector, 10, exact=True)] == scanned
        found = [c for c, _ in far.nearest(vector, 10)]
        firsts += found[:1] == scanned[:1]
        overlap += len(set(found) & set(scanned))
    assert firsts >= len(QUERIES) - 1  # the nearest concept, but for one query at most
    assert overlap >= 0.8 * 10 * len(QUERIES)


def test_reading_every_list_is_the_exact_scan(stores: tuple[Vocabulary, Vocabulary]) -> None:
    exact, approximate = stores
    for text in QUERIES:
        vector = exact.searcher.meaning.query_vector(text)
        assert vector is not None
        assert approximate.searcher.meaning.nearest(vector, 50, exact=True) == (
            exact.searcher.meaning.nearest(vector, 50)
        )


def test_search_answers_the_same_with_the_lists(stores: tuple[Vocabulary, Vocabulary]) -> None:
    exact, approximate = stores
    for text in QUERIES:
        assert [h.row.concept for h in approximate.searcher.search(text)][:3] == [
            h.row.concept for h in exact.searcher.search(text)
        ][:3], text
