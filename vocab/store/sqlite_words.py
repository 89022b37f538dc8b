"""Which labels hold a word of every group: `SQLiteStore.labels_with_words`, bounded.

The plain FTS5 query (`"w1"* AND ("w2" OR "w3")`, the first `limit` rowids) pays for
every term's whole doclist before it answers: a prefix term of four or more letters is
the merge of the doclists of every word it starts, built in full even when another term
matches nothing. At 1M concepts a common word ("deep*", "imaging*") costs about 10 ms a
call, and a typo query makes several such calls. So a query whose words are all
[0-9a-z]+ (the `unicode61` tokens of the labels' normalised words, as
`vocab.search_tables` relies on too) is first resolved against the `words` table (every
token of every label, with how many times the labels use it):

1. each group becomes the label words it stands for (itself, or with `prefix` every word
   it starts: a range scan of `words`); a group standing for no word answers nothing, at
   once;
2. when the rarest group's words are used at most `verify_max` times, that group's
   doclist alone is read from FTS5 (a few hundred rows, in rowid order) with each label's
   normalised text, and the other groups are checked against its words here;
3. otherwise FTS5 answers, each group written as its exact words (lazy doclists FTS5 can
   skip through) unless it stands for more than `expand_max` words, which stays a prefix
   term (a two- or three-letter one is read from the prefix index).

Every path returns the same rowids as the plain query: the first `limit` rowids, in
rowid order, of the labels holding a token of every group (`tests/vocab/test_label_words.py`
compares them on every path).
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from collections.abc import Sequence

EXPAND_MAX = 64  # a prefix standing for more words stays an FTS5 prefix term
VERIFY_MAX = 3000  # the rarest group's uses up to which its rows are checked here
INDEXED_PREFIXES = (2, 3)  # the lengths of `labels_fts`' prefix index (`sqlite_schema`)
KEY_END = "\U0010ffff"  # after every character: the end of the words a prefix starts
_TOKEN = re.compile(r"[0-9a-z]+")  # a word FTS5's unicode61 tokenizer keeps whole
_HEAD = re.compile(r"[0-9a-z]*")
Heads = tuple[tuple[str, ...], frozenset[str]]  # `unplain_heads`: sorted, and as a set


def fts_query(groups: Sequence[Sequence[str]], *, prefix: bool) -> str:
    """The FTS5 query for labels holding (with `prefix`, starting) a word of every group."""
    star = "*" if prefix else ""
    return " AND ".join(
        "(" + " OR ".join(f'"{_fts_word(w)}"{star}' for w in group) + ")" for group in groups
    )


def plain_rowids(
    conn: sqlite3.Connection, groups: Sequence[Sequence[str]], *, prefix: bool, limit: int
) -> list[int]:
    """The first `limit` rowids, in rowid order, of the plain FTS5 query: the reference."""
    rows = conn.execute(
        "SELECT rowid FROM labels_fts WHERE labels_fts MATCH ? ORDER BY rowid LIMIT ?",
        (fts_query(groups, prefix=prefix), limit),
    )
    return [rowid for (rowid,) in rows]


def matching_rowids(
    conn: sqlite3.Connection,
    groups: Sequence[Sequence[str]],
    *,
    prefix: bool,
    limit: int,
    heads: Heads,
    verify_max: int = VERIFY_MAX,
    expand_max: int = EXPAND_MAX,
) -> list[int]:
    """The rowids `plain_rowids` returns, found without reading a common word's doclist
    when a rarer group decides (see the module docstring). `groups` are non-empty;
    `heads` are the store's `unplain_heads`."""
    if limit <= 0:
        return []
    if not all(_TOKEN.fullmatch(w) for group in groups for w in group) or _near(
        [w for group in groups for w in group], heads
    ):
        return plain_rowids(conn, groups, prefix=prefix, limit=limit)
    stands: list[tuple[int, frozenset[str] | None, Sequence[str]]] = []
    for group in groups:
        words, uses = _words_of(conn, group, prefix=prefix, most=expand_max)
        if words is not None and not words:
            return []  # no label holds a word of this group
        stands.append((uses, words, group))
    stands.sort(key=lambda s: s[0])
    rarest_uses, rarest, _ = stands[0]
    if rarest is not None and rarest_uses <= verify_max:
        return _checked(conn, rarest, [(w, g) for _, w, g in stands[1:]], prefix, limit)
    query = " AND ".join(
        fts_query([group], prefix=True)
        if words is None
        else "(" + " OR ".join(f'"{w}"' for w in sorted(words)) + ")"
        for _, words, group in stands
    )
    rows = conn.execute(
        "SELECT rowid FROM labels_fts WHERE labels_fts MATCH ? ORDER BY rowid LIMIT ?",
        (query, limit),
    )
    return [rowid for (rowid,) in rows]


def unplain_heads(conn: sqlite3.Connection) -> Heads:
    """The heads of the labels' words that are not [0-9a-z]+ (each up to its first other
    character), sorted: FTS5 may fold such a word ("łodz") into a token another word
    names ("lodz"), so a query word a head starts, or that starts a head, is answered by
    the plain query. Read once per store: a scan of `words`."""
    rows = conn.execute("SELECT word FROM words WHERE word GLOB '*[^0-9a-z]*'")
    found = {_HEAD.match(word).group() for (word,) in rows}  # type: ignore[union-attr]
    return tuple(sorted(found)), frozenset(found)


def _near(words: Sequence[str], heads: Heads) -> bool:
    """True if a head starts one of `words`, or one of them starts a head."""
    ordered, held = heads
    for word in words:
        if any(word[:i] in held for i in range(len(word) + 1)):
            return True
        at = bisect_left(ordered, word)
        if at < len(ordered) and ordered[at].startswith(word):
            return True
    return False


def _words_of(
    conn: sqlite3.Connection, group: Sequence[str], *, prefix: bool, most: int
) -> tuple[frozenset[str] | None, int]:
    """The label words a group stands for and how many times labels use them. With
    `prefix`, None for the words (and an unbounded count) when a word starts more than
    `most` words, or is as long as the prefixes FTS5 indexes (a lazy doclist already),
    and the group stands for some word."""
    found: dict[str, int] = {}
    kept = False
    for word in dict.fromkeys(group):
        if prefix:
            most_here = 0 if len(word) in INDEXED_PREFIXES else most
            rows = conn.execute(
                "SELECT word, count FROM words WHERE word >= ? AND word < ? LIMIT ?",
                (word, word + KEY_END, most_here + 1),
            ).fetchall()
            if len(rows) > most_here:
                kept = True
                continue
        else:
            rows = conn.execute("SELECT word, count FROM words WHERE word = ?", (word,)).fetchall()
        found.update(rows)
    if kept:
        return None, 1 << 62
    return frozenset(found), sum(found.values())


def _checked(
    conn: sqlite3.Connection,
    rarest: frozenset[str],
    others: list[tuple[frozenset[str] | None, Sequence[str]]],
    prefix: bool,
    limit: int,
) -> list[int]:
    """The rarest group's labels, in rowid order, that hold a word of every other group
    (with `prefix`, one starting with a word of a group whose words were not listed)."""
    rows = conn.execute(
        "SELECT l.rowid, l.norm FROM labels l WHERE l.rowid IN "
        "(SELECT rowid FROM labels_fts WHERE labels_fts MATCH ?) ORDER BY l.rowid",
        ("(" + " OR ".join(f'"{w}"' for w in sorted(rarest)) + ")",),
    )
    starts = [tuple(group) for words, group in others if words is None]
    sets = [words for words, _ in others if words is not None]
    found: list[int] = []
    for rowid, norm in rows:
        tokens = norm.split()
        if all(not words.isdisjoint(tokens) for words in sets) and all(
            any(t.startswith(start) for t in tokens) for start in starts
        ):
            found.append(rowid)
            if len(found) >= limit:
                break
    return found


def _fts_word(word: str) -> str:
    """A word as an FTS5 string: normalised words are [0-9a-z]+, but never trust a caller."""
    return word.replace('"', '""')
