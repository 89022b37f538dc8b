"""The label tables search reads on every query, held in memory for a small store.

A typo search reads the label tables about a dozen times (labels by key, by key prefix
and by initials, the words of the labels, the deletion index of `vocab.typo_index`, the
labels of the concepts it ranks), each read a SQLite round trip of 10-60 µs, several times
the dictionary lookup that answers it from memory. A store small enough for search to
compare every label with a query (`vocab.search.FULL_SCAN_MAX_LABELS`) is read once, the
first time it is searched, into `SearchTables`, which answers those reads as `ReadStore`
does: the same rows in the same order (a key range in code point order, which is SQLite's
order for UTF-8 text, then by label number; a concept's labels by kind, then number; words
in the order of the store's `IN` lookups), so every search ranks exactly as it did from
the store. Labels holding some words (the store's FTS5 query, `labels_with_words`) are
found in an index of the labels' normalised words, which are the FTS5 `unicode61` tokens
when every word is [0-9a-z]+, as `vocab.normalize` makes them; the store answers any other
word, and a store holding other words. `closest_labels` is the fuzzy stage's comparison of
the query with every label of a small store (rapidfuzz). A release is immutable: the tables never go stale, and the next release has
its own `Searcher`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Protocol

from rapidfuzz import fuzz, process

from vocab.store import LabelRow, ReadStore, WordCount

KEY_END = "\U0010ffff"  # after every character: where the keys a prefix starts end
WORDS_PER_LOOKUP = 500  # the store looks words up in slices this long, each in word order
_TOKEN = re.compile(r"[0-9a-z]+")  # a word FTS5's unicode61 tokenizer keeps whole


class LabelReads(Protocol):
    """The reads search makes on every query: `ReadStore`'s, or `SearchTables`'."""

    def labels_with_key(self, key: str) -> list[LabelRow]: ...

    def labels_with_initials(self, key: str, limit: int) -> list[LabelRow]: ...

    def labels_with_key_prefix(self, prefix: str, limit: int) -> list[LabelRow]: ...

    def labels_with_words(
        self, groups: Sequence[Sequence[str]], *, prefix: bool, limit: int
    ) -> list[LabelRow]: ...

    def words_named(self, words: Sequence[str]) -> list[WordCount]: ...

    def words_sharing(self, variants: Sequence[str]) -> list[WordCount]: ...

    def labels_of_concepts(self, concepts: Sequence[int]) -> list[LabelRow]: ...


class SearchTables:
    """Every label of a store, indexed as the store indexes them, with its words and
    their deletion variants."""

    def __init__(self, store: ReadStore) -> None:
        table = store.label_table()  # by concept, kind, number: the order of `all_labels`
        self.labels: list[LabelRow] = [t.row for t in table]
        by_number = sorted(table, key=lambda t: t.number)
        by_key = sorted(by_number, key=lambda t: t.key)  # stable: by number within a key
        self._keys = [t.key for t in by_key]
        self._key_rows = [t.row for t in by_key]
        self._by_key: dict[str, list[LabelRow]] = {}
        self._by_initials: dict[str, list[LabelRow]] = {}
        for t in by_number:
            self._by_key.setdefault(t.key, []).append(t.row)
            if t.initials is not None:
                self._by_initials.setdefault(t.initials, []).append(t.row)
        self._by_concept: dict[int, list[LabelRow]] = {}
        for t in table:
            self._by_concept.setdefault(t.row.concept, []).append(t.row)
        self._words = {w.word: w for w in store.word_counts()}
        self._variants = store.word_variants()
        self._store = store
        self._by_number = {t.number: t.row for t in by_number}
        self._postings: dict[str, list[int]] = {}  # word -> numbers of the labels holding it
        for t in by_number:
            for word in dict.fromkeys(t.row.norm.split()):
                self._postings.setdefault(word, []).append(t.number)
        self._tokens = sorted(self._postings)
        self._plain = all(_TOKEN.fullmatch(word) for word in self._tokens)
        compact = [row.norm.replace(" ", "") for row in self.labels]  # as queries' keys
        self._by_length = sorted(range(len(compact)), key=lambda i: len(compact[i]))
        self._compact = [compact[i] for i in self._by_length]  # shortest first
        self._lengths = [len(k) for k in self._compact]

    def labels_with_key(self, key: str) -> list[LabelRow]:
        return list(self._by_key.get(key, ()))

    def labels_with_initials(self, key: str, limit: int) -> list[LabelRow]:
        return self._by_initials.get(key, [])[: max(limit, 0)]

    def labels_with_key_prefix(self, prefix: str, limit: int) -> list[LabelRow]:
        start = bisect_left(self._keys, prefix)
        end = bisect_left(self._keys, prefix + KEY_END, lo=start)
        return self._key_rows[start : min(end, start + max(limit, 0))]

    def labels_with_words(
        self, groups: Sequence[Sequence[str]], *, prefix: bool, limit: int
    ) -> list[LabelRow]:
        """The labels holding a word of every group (with `prefix`, a word starting with
        one), by label number, the first `limit`: the rows of the store's FTS5 query."""
        groups = [g for g in groups if g]
        if not groups:
            return []
        if not self._plain or not all(_TOKEN.fullmatch(w) for g in groups for w in g):
            return self._store.labels_with_words(groups, prefix=prefix, limit=limit)
        found: set[int] | None = None
        for group in groups:
            holding: set[int] = set()
            for word in group:
                for token in self._starting(word) if prefix else (word,):
                    holding.update(self._postings.get(token, ()))
            found = holding if found is None else found & holding
            if not found:
                return []
        return [self._by_number[n] for n in sorted(found or ())[: max(limit, 0)]]

    def _starting(self, start: str) -> list[str]:
        """The labels' words that `start` starts."""
        first = bisect_left(self._tokens, start)
        return self._tokens[first : bisect_left(self._tokens, start + KEY_END, lo=first)]

    def closest_labels(self, key: str, cutoff: int, limit: int) -> list[LabelRow]:
        """Return up to `limit` labels whose compact keys are most similar to `key`
        (rapidfuzz ratio, at least `cutoff`), most similar first, then in `labels`
        order: what `process.extract` over every label's key returns. A ratio is at
        most 200 * shorter / (sum of the lengths), so only keys between about
        cutoff / (200 - cutoff) and its inverse times the query's length are compared
        (7/13 to 13/7 at 70: about half the labels of the shipped vocabulary)."""
        shortest = len(key) * cutoff // (200 - cutoff)  # one shorter: never too few
        longest = len(key) * (200 - cutoff) // cutoff + 1
        first = bisect_left(self._lengths, shortest)
        end = bisect_left(self._lengths, longest + 1, lo=first)
        found = process.extract(
            key,
            self._compact[first:end],
            scorer=fuzz.ratio,
            processor=None,  # keys are normalised once, by vocab.normalize
            score_cutoff=cutoff,
            limit=None,
        )
        ranked = sorted((-score, self._by_length[first + i]) for _, score, i in found)
        return [self.labels[i] for _, i in ranked[:limit]]

    def words_named(self, words: Sequence[str]) -> list[WordCount]:
        unique = list(dict.fromkeys(words))
        found: list[WordCount] = []
        for first in range(0, len(unique), WORDS_PER_LOOKUP):
            chunk = sorted(unique[first : first + WORDS_PER_LOOKUP])
            found += [self._words[w] for w in chunk if w in self._words]
        return found

    def words_sharing(self, variants: Sequence[str]) -> list[WordCount]:
        words = {w for v in variants for w in self._variants.get(v, ())}
        return self.words_named(sorted(words))

    def labels_of_concepts(self, concepts: Sequence[int]) -> list[LabelRow]:
        return [row for c in sorted(set(concepts)) for row in self._by_concept.get(c, ())]
