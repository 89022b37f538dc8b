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
   it starts: a range scan of `words`), with how many times labels use them; a group
   standing for no word answers nothing, at once;
2. the rarest groups are found by FTS5, each written as its exact words (lazy doclists
   FTS5 can skip through), and the others are checked here on each found label's
   normalised text, when few labels are expected to be read (`WALK_MAX`: the groups
   taken as independent; read more than twice that and the plain query answers after
   all);
3. otherwise FTS5 answers, each group written as its exact words unless a word starts
   more than `EXPAND_MAX` words or only two or three letters, which stays a prefix term
   (read from the prefix index for two or three letters).

A query word that a head of a label word outside [0-9a-z]+ starts, or that starts one
(`unplain_heads`), takes the plain query: FTS5 may fold such a word into its own token.
Every path returns the same rowids as the plain query: the first `limit` rowids, in
rowid order, of the labels holding a token of every group (`tests/vocab/test_label_words.py`
compares them on every path).
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from collections.abc import Sequence
from typing import NamedTuple

EXPAND_MAX = 64  # a prefix standing for more words stays an FTS5 prefix term
WALK_MAX = 300  # labels expected to hold the rarer groups, up to which the rest are checked
INDEXED_PREFIXES = (2, 3)  # the lengths of `labels_fts`' prefix index (`sqlite_schema`)
KEY_END = "\U0010ffff"  # after every character: the end of the words a prefix starts
_TOKEN = re.compile(r"[0-9a-z]+")  # a word FTS5's unicode61 tokenizer keeps whole
UNBOUNDED = 1 << 62  # the uses of a group too wide to count
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
    labels: int,
    walk_max: int = WALK_MAX,
    expand_max: int = EXPAND_MAX,
) -> list[int]:
    """The rowids `plain_rowids` returns, found without reading a common word's doclist
    when rarer groups decide (see the module docstring). `groups` are non-empty;
    `heads` are the store's `unplain_heads`, `labels` how many labels it holds."""
    if limit <= 0:
        return []
    if not all(_TOKEN.fullmatch(w) for group in groups for w in group) or _near(
        [w for group in groups for w in group], heads
    ):
        return plain_rowids(conn, groups, prefix=prefix, limit=limit)
    stands: list[_Stand] = []
    for group in groups:
        words, uses = _words_of(conn, group, prefix=prefix, most=expand_max)
        if words is not None and not words:
            return []  # no label holds a word of this group
        stands.append(_Stand(uses, words, tuple(group)))
    stands.sort(key=lambda s: s.uses)
    driving = _driving(stands, labels, limit, walk_max)
    if driving:
        checked = [s for s in stands if s not in driving]
        found = _checked(conn, driving, checked, limit, most=2 * walk_max)
        if found is not None:
            return found
    rows = conn.execute(
        "SELECT rowid FROM labels_fts WHERE labels_fts MATCH ? ORDER BY rowid LIMIT ?",
        (_match(stands), limit),
    )
    return [rowid for (rowid,) in rows]


class _Stand(NamedTuple):
    """A group, the label words it stands for (None: kept a prefix) and their uses."""

    uses: int
    words: frozenset[str] | None
    group: tuple[str, ...]


def _match(stands: Sequence[_Stand]) -> str:
    """The FTS5 query for labels holding a word of every group, each written as its
    words, or as its prefixes when they were kept."""
    return " AND ".join(
        fts_query([s.group], prefix=True)
        if s.words is None
        else "(" + " OR ".join(f'"{_fts_word(w)}"' for w in sorted(s.words)) + ")"
        for s in stands
    )


def _driving(stands: list[_Stand], labels: int, limit: int, walk_max: int) -> list[_Stand]:
    """The groups whose labels FTS5 finds, the others checked on those labels: the
    fewest rarest listed groups such that at most `walk_max` labels are expected to be
    read (every label holding them, or until `limit` of them pass the checks, when every
    checked group's uses are known); none (the
    plain query) when no group would be left to check or no choice reads few enough."""
    listed = [s for s in stands if s.words is not None]  # by uses, rarest first
    for count in range(1, len(listed) + 1):
        driving, checked = listed[:count], [s for s in stands if s not in listed[:count]]
        if not checked:
            break
        walk = _expected(driving, labels)
        if all(s.uses < UNBOUNDED for s in checked):  # the share passing the checks
            walk = min(walk, limit * labels / max(_expected(checked, labels), 1e-9))
        if walk <= walk_max:
            return driving
    return []


def _expected(stands: Sequence[_Stand], labels: int) -> float:
    """How many labels hold a word of every group, were the groups independent."""
    share = 1.0
    for s in stands:
        share *= min(1.0, s.uses / max(labels, 1))
    return share * labels


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
    `prefix`, None for the words when a word starts more than `most` words, or is as long
    as the prefixes FTS5 indexes (a lazy doclist already), and the group stands for some
    word; the uses are then summed over the words it starts, or unbounded for a prefix of
    one to three letters (too many words to sum)."""
    found: dict[str, int] = {}
    kept = 0
    for word in dict.fromkeys(group):
        if prefix:
            most_here = 0 if len(word) in INDEXED_PREFIXES else most
            rows = conn.execute(
                "SELECT word, count FROM words WHERE word >= ? AND word < ? LIMIT ?",
                (word, word + KEY_END, most_here + 1),
            ).fetchall()
            if len(rows) > most_here:
                kept += _prefix_uses(conn, word)
                continue
        else:
            rows = conn.execute("SELECT word, count FROM words WHERE word = ?", (word,)).fetchall()
        found.update(rows)
    if kept:
        return None, kept + sum(found.values())
    return frozenset(found), sum(found.values())


def _prefix_uses(conn: sqlite3.Connection, word: str) -> int:
    """How many times labels use the words `word` starts; unbounded when it is shorter
    than four letters."""
    if len(word) <= max(INDEXED_PREFIXES):
        return UNBOUNDED
    row = conn.execute(
        "SELECT sum(count) FROM words WHERE word >= ? AND word < ?", (word, word + KEY_END)
    ).fetchone()
    return int(row[0] or 0) or UNBOUNDED


def _checked(
    conn: sqlite3.Connection,
    driving: list[_Stand],
    checked: list[_Stand],
    limit: int,
    *,
    most: int,
) -> list[int] | None:
    """The labels holding a word of every driving group (FTS5, in rowid order), that hold
    a word of every checked group too (checked here on their normalised text; a kept
    prefix, by a word starting with one of the group's), the first `limit`; None when
    more than `most` labels were read before the last (the groups are not independent:
    the plain query is cheaper)."""
    rows = conn.execute(
        "SELECT f.rowid, l.norm FROM labels_fts f JOIN labels l ON l.rowid = f.rowid "
        "WHERE labels_fts MATCH ? ORDER BY f.rowid",
        (_match(driving),),
    )
    sets = [s.words for s in checked if s.words is not None]
    starts = [s.group for s in checked if s.words is None]
    found: list[int] = []
    for read, (rowid, norm) in enumerate(rows):
        if read >= most:
            return None
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
