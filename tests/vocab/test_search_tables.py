"""A small store's label tables and vectors, held in memory, answer as the store does.

Search ranks by the rows it reads and, on ties, by their order: the held tables
(`vocab.search_tables`) and the held vectors (`vocab.meaning`) must give the same rows in
the same order as the SQLite reads they replace, and a typo search of a small store must
then make none of those reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from tests.conftest import FIXTURES, build_vocabulary
from vocab.search_tables import SearchTables
from vocab.typo_index import query_variants
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module", params=["meaning.ttl", "lifecycle.ttl"])
def vocabulary(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Vocabulary:
    source: Path = FIXTURES / request.param
    return build_vocabulary(source, tmp_path_factory.mktemp("tables") / "v.db")


def test_the_held_tables_answer_every_read_as_the_store(vocabulary: Vocabulary) -> None:
    store = vocabulary.store
    tables = SearchTables(store)
    assert tables.labels == store.all_labels(active_only=False)
    keys = {t.key for t in store.label_table()}
    for key in [*sorted(keys), "", "zz", "a", "sensitivityy"]:
        assert tables.labels_with_key(key) == store.labels_with_key(key)
        for end in range(len(key) + 1):
            for limit in (1, 2, 300):
                assert tables.labels_with_key_prefix(key[:end], limit) == (
                    store.labels_with_key_prefix(key[:end], limit)
                ), (key[:end], limit)
    for initials in {t.initials for t in store.label_table() if t.initials} | {"xy"}:
        for limit in (1, 10):
            assert tables.labels_with_initials(initials, limit) == (
                store.labels_with_initials(initials, limit)
            )
    words = [w.word for w in store.word_counts()]
    assert tables.words_named([*words, "nosuchword"]) == store.words_named([*words, "nosuchword"])
    for word in [*words, "sensitivty", "halucination", "imgaing", "xyzzy"]:
        assert tables.words_named([word]) == store.words_named([word])
        variants = sorted(query_variants(word))
        assert tables.words_sharing(variants) == store.words_sharing(variants)
    for group in [*([w] for w in words), [w[:2] for w in words], ["x-ray", "ct"], ["é"], []]:
        for prefix in (True, False):
            for limit in (1, 3, 300):
                assert tables.labels_with_words([group], prefix=prefix, limit=limit) == (
                    store.labels_with_words([group], prefix=prefix, limit=limit)
                ), (group, prefix, limit)
    for first, second in zip(words, reversed(words), strict=True):
        for groups in ([[first], [second]], [[first[:3]], [second[:1], "zz"]], [[first], []]):
            for prefix in (True, False):
                assert tables.labels_with_words(groups, prefix=prefix, limit=300) == (
                    store.labels_with_words(groups, prefix=prefix, limit=300)
                ), (groups, prefix)
    concepts = sorted({row.concept for row in tables.labels})
    for chosen in (concepts, concepts[::-2], [concepts[-1], concepts[0], concepts[0], 10_000]):
        assert tables.labels_of_concepts(chosen) == store.labels_of_concepts(chosen)


def test_the_closest_labels_are_those_of_a_scan_of_every_label(vocabulary: Vocabulary) -> None:
    """Comparing only keys of a length that can reach the cutoff finds what comparing
    every label's key finds, in the same order (ties in label order)."""
    tables = SearchTables(vocabulary.store)
    keys = [row.norm.replace(" ", "") for row in tables.labels]
    queries = [k[:end] + edit for k in keys for end in (2, 5, len(k) - 1) for edit in ("", "x")]
    for query in [*queries, *(k + k[:3] for k in keys), "a", "zzzzzzzzzzzzzzzzzzzzzzz"]:
        for limit in (1, 3, 30):
            scanned = process.extract(
                query, keys, scorer=fuzz.ratio, processor=None, score_cutoff=70, limit=limit
            )
            assert tables.closest_labels(query, 70, limit) == (
                [tables.labels[i] for _, _, i in scanned]
            ), (query, limit)


def test_the_held_vectors_are_the_stored_ones(vocabulary: Vocabulary) -> None:
    meaning = vocabulary.searcher.meaning
    assert meaning.has_vectors  # every built store embeds its concepts
    held = meaning._vectors
    assert held is not None
    count = vocabulary.store.count()
    for chosen in ([1, 2, 3], [count, 1, 1, count + 5], list(range(count, 0, -1)), [7]):
        stored = vocabulary.store.concept_vectors(chosen)
        found, values, scales = held.vectors(chosen)
        assert found == [v.concept for v in stored]
        assert values.tobytes() == b"".join(v.values for v in stored)
        assert scales.tobytes() == b"".join(v.scales for v in stored)


def test_a_typo_search_of_a_small_store_reads_no_label_table(vocabulary: Vocabulary) -> None:
    vocabulary.search("warm up")  # holds the tables
    statements: list[str] = []
    vocabulary.store._conn().set_trace_callback(statements.append)
    try:
        for query in ("sensitivty", "magnetic resonanse imaging", "pilot deploymnt", "zzz qqq"):
            vocabulary.search(query)
    finally:
        vocabulary.store._conn().set_trace_callback(None)
    read = " ".join(statements)
    assert statements  # the stages over concept texts still read the store
    read_tables = (
        "l.key",
        "l.initials",
        "labels_fts",
        "l.concept IN",
        "FROM words",
        "word_variants",
    )
    for table in (*read_tables, "vectors"):
        assert table not in read, table


def test_a_typo_no_text_holds_asks_the_texts_for_no_concept_holding_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A label answer of one fuzzy hit is followed by the concepts whose texts hold every
    query word; when a word is in no text (the typo itself), none can, and the texts are
    not searched for them."""
    vocabulary = build_vocabulary(FIXTURES / "meaning.ttl", tmp_path_factory.mktemp("t") / "v.db")
    statements: list[str] = []
    vocabulary.store._conn().set_trace_callback(statements.append)
    try:
        for query in ("sensitivty", "halucination", "segmentaton"):
            assert [hit.match_type for hit in vocabulary.search(query)] == ["fuzzy"]
    finally:
        vocabulary.store._conn().set_trace_callback(None)
    assert statements  # whether the typo is in some text is asked
    assert not [s for s in statements if "bm25" in s]
