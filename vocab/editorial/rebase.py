"""The git route's three-way step: carry a pull request's changes onto the editorial head.

A pull request edits the curated source as it was at its base; the editorial head may have
moved since (approved changes wait for the next release). `rebase(head, base, edited)`
returns the head with only the concepts the pull request changed (base -> edited) taken
from it, so the proposals it gives never undo what others changed meanwhile; a concept
both sides changed is a Conflict naming it.

>>> from vocab.model import Concept, Snapshot
>>> a, b = Concept("t1", "http://x/terms/t1"), Concept("t2", "http://x/terms/t2")
>>> b2 = Concept("t2", "http://x/terms/t2", notations=("2",))
>>> [c.notations for c in rebase(Snapshot((), (a, b)), Snapshot((), (a, b)), Snapshot((), (a, b2))).concepts]
[(), ('2',)]
"""

from __future__ import annotations

from dataclasses import replace

from vocab.diff import ChangeKind, diff_snapshots, memberships
from vocab.editorial.errors import Conflict
from vocab.model import Snapshot


def rebase(head: Snapshot, base: Snapshot, edited: Snapshot) -> Snapshot:
    """Return `head` with the concepts changed from `base` to `edited` replaced; raise Conflict."""
    changes = diff_snapshots(base, edited)
    changed = {c.id for c in changes.changes if c.kind is not ChangeKind.REMOVED}
    current = {c.id: c for c in head.concepts}
    before = {c.id: c for c in base.concepts}
    clashes = sorted(i for i in changed if i in before and current.get(i) != before[i])
    if clashes:
        raise Conflict(
            f"Concepts {', '.join(clashes)} changed in the editorial store since the base of "
            "these edits; update the branch from the latest source and propose again.",
            {"concepts": clashes},
        )
    new = {c.id: c for c in edited.concepts if c.id in changed}
    concepts = tuple(new.get(c.id, c) for c in head.concepts) + tuple(
        c for i, c in new.items() if i not in current
    )
    wanted = memberships(edited)
    uris = {c.uri for c in new.values()}
    collections = []
    for col in head.collections:
        members = [m for m in col.members if m not in uris]
        members += [u for u in sorted(uris) if col.id in wanted.get(u, ())]
        collections.append(replace(col, members=tuple(members)))
    return replace(head, concepts=concepts, collections=tuple(collections))
