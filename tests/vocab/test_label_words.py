"""The bounded word search of a store (`vocab.store.sqlite_words`) finds the plain FTS5
query's labels, in its order, on every path.

A large store answers `labels_with_words` by resolving each group against the `words`
table first, checking the commonest groups in Python on the labels the rarer ones find, and
rewriting prefixes as their words; small stores' groups never reach the bounds. Here the bounds are lowered (and
raised) through `matching_rowids`' parameters, so each path runs on a small store, and
each must return the rowids of the plain query.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, build_vocabulary
from vocab.store import sqlite_words
from vocab.store.sqlite_read import SQLiteStore
from vocab.vocabulary import Vocabulary

BOUNDS = [  # (walk_max, expand_max): every path, and the shipped bounds
    (0, 0),  # FTS5, every prefix kept a prefix term
    (0, 2),  # FTS5, prefixes of at most two words written as those words
    (0, 10_000),  # FTS5, every prefix written as its words
    (1, 0),  # the rarest group found by FTS5, the others checked here, often given up
    (3, 3),  # ... the rarer groups, until at most three labels are expected
    (10**9, 0),  # the rarest group found by FTS5, the others checked here
    (10**9, 10_000),  # ... every prefix written as its words
    (sqlite_words.WALK_MAX, sqlite_words.EXPAND_MAX),
]
ACCENTED = """@prefix : <terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
<scheme> a skos:ConceptScheme ; dct:title "Accented"@en .
:a a skos:Concept ; skos:prefLabel "Łódź imaging"@en ; skos:altLabel "lodz scan"@en .
:b a skos:Concept ; skos:prefLabel "Ørsted imaging model"@en ; skos:hiddenLabel "orsted scan"@en .
:c a skos:Concept ; skos:prefLabel "deep imaging model"@en ; skos:altLabel "deep learning"@en .
:d a skos:Concept ; skos:prefLabel "deeper scan of models"@en .
:e a skos:Concept ; skos:prefLabel "statκ deep test"@en ; skos:altLabel "stat test"@en .
"""


@pytest.fixture(scope="module", params=["shipped", "meaning.ttl", "accented"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    if request.param == "shipped":
        vocabulary: Vocabulary = request.getfixturevalue("shipped")
    else:
        folder = tmp_path_factory.mktemp("words")
        source: Path = FIXTURES / request.param
        if request.param == "accented":
            source = folder / "accented.ttl"
            source.write_text(ACCENTED, encoding="utf-8")
        vocabulary = build_vocabulary(source, folder / "v.db")
    assert isinstance(vocabulary.store, SQLiteStore)
    return vocabulary.store


def _groups(store: SQLiteStore) -> list[list[list[str]]]:
    """Queries of one to three groups: whole words, their starts, typos and strays."""
    counts = sorted(store.word_counts(), key=lambda w: (-w.labels, w.word))
    words = [w.word for w in counts]
    common, rare = words[:15], words[-15:]
    starts = sorted({w[:n] for w in common + rare for n in (1, 2, 3, 4) if len(w) > n})
    strays = ["zzq", "lodz", "lod", "orsted", "ørsted", "x-ray", "imagng", "l", "o"]
    strays += ["stat", "sta", "statistic"]
    singles = [[w] for w in [*common, *rare, *starts, *strays]]
    pairs = [[[a], [b]] for a, b in zip(common + starts[:10], rare + strays, strict=False)]
    ors = [[[a, b]] for a, b in zip(common, rare, strict=False)]
    triples = [
        [[a], [b, c], [d]]
        for a, b, c, d in zip(common, rare, starts, reversed(common), strict=False)
    ]
    return [[s] for s in singles] + pairs + ors + triples + [[[common[0]], ["zzq"]]]


def test_every_path_finds_the_rows_of_the_plain_query(store: SQLiteStore) -> None:
    conn = store._conn()
    heads = sqlite_words.unplain_heads(conn)
    labels = int(store.meta["labels"])
    for groups in _groups(store):
        for prefix in (True, False):
            for limit in (1, 2, 300):
                plain = sqlite_words.plain_rowids(conn, groups, prefix=prefix, limit=limit)
                for walk_max, expand_max in BOUNDS:
                    found = sqlite_words.matching_rowids(
                        conn,
                        groups,
                        prefix=prefix,
                        limit=limit,
                        heads=heads,
                        labels=labels,
                        walk_max=walk_max,
                        expand_max=expand_max,
                    )
                    assert found == plain, (groups, prefix, limit, walk_max, expand_max)


def test_the_store_answers_with_the_rows_in_rowid_order(store: SQLiteStore) -> None:
    conn = store._conn()
    for groups in _groups(store)[:60]:
        rows = store.labels_with_words(groups, prefix=True, limit=300)
        plain = sqlite_words.plain_rowids(conn, groups, prefix=True, limit=300)
        assert [row.norm for row in rows] == [
            store.labels_by_number([rowid])[rowid].norm for rowid in plain
        ]


def test_a_store_of_other_words_knows_their_heads(store: SQLiteStore) -> None:
    heads = sqlite_words.unplain_heads(store._conn())
    if "statκ" in {w.word for w in store.word_counts()}:
        assert heads == (("stat",), frozenset({"stat"}))


def test_a_query_near_a_word_fts5_may_fold_takes_the_plain_path() -> None:
    """Heads "" (of "łodz"), "l" (of "lødz") and "or" (of "orß")."""
    heads = (("", "l", "or"), frozenset({"", "l", "or"}))
    for word in ("lodz", "lo", "l", "orsted", "o", "xyz"):
        assert sqlite_words._near([word], heads)  # "" starts every word
    no_empty = (("l", "or"), frozenset({"l", "or"}))
    assert sqlite_words._near(["lodz"], no_empty) and sqlite_words._near(["o"], no_empty)
    assert not sqlite_words._near(["xyz", "model"], no_empty)
