"""Edits as pure functions: keep relations two-way, apply edits to a Snapshot, and turn an
edited Snapshot (a pull request on the Turtle source) into draft proposals.

>>> from vocab.model import Concept
>>> a, b = Concept("t1", "http://x/terms/t1"), Concept("t2", "http://x/terms/t2")
>>> head = {c.uri: HeadConcept(c, 1) for c in (a, b)}
>>> edit = ConceptEdit("t1", 1, a, Concept("t1", a.uri, broader=(b.uri,)))
>>> [(e.concept_id, e.after.narrower) for e in with_inverses([edit], head)]
[('t1', ()), ('t2', ('http://x/terms/t1',))]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from vocab.diff import ChangeKind, diff_snapshots, memberships
from vocab.editorial.model import ConceptEdit, HeadConcept, ProposalKind
from vocab.errors import InvalidInput
from vocab.model import Concept, Snapshot, Status

INVERSE = {"broader": "narrower", "narrower": "broader", "related": "related"}

KIND_BY_FIELDS: tuple[tuple[ProposalKind, frozenset[str]], ...] = (
    (ProposalKind.EDIT_LABELS, frozenset({"labels"})),
    (ProposalKind.EDIT_DEFINITIONS, frozenset({"definitions"})),
    (ProposalKind.EDIT_PLAIN_DEFINITIONS, frozenset({"plain_definitions"})),
    (ProposalKind.EDIT_SOURCES, frozenset({"sources", "citations", "pages"})),
    (ProposalKind.EDIT_RELATIONS, frozenset({"broader", "narrower", "related"})),
    (ProposalKind.EDIT_MAPPINGS, frozenset({"mappings"})),
    (ProposalKind.EDIT_USAGE_WARNINGS, frozenset({"usage_warnings"})),
)
"""The narrowest kind whose fields cover what a changed concept changed, first match wins."""

STATUS_KIND = {
    Status.DEPRECATED: ProposalKind.DEPRECATE,
    Status.MERGED: ProposalKind.MERGE,
    Status.WITHDRAWN: ProposalKind.WITHDRAW,
}


def with_inverses(
    edits: Iterable[ConceptEdit], head: Mapping[str, HeadConcept]
) -> list[ConceptEdit]:
    """Return the edits plus the far side of every relation they add or drop.

    `head` is keyed by URI. A target that is edited already is patched in place; a head
    concept gains an edit from its current version. Targets outside the head are left
    to the quality gate (a dangling link). Edits that end up changing nothing are dropped.
    """
    by_uri: dict[str, ConceptEdit] = {e.after.uri: e for e in edits}
    for edit in list(by_uri.values()):
        for field, inverse in INVERSE.items():
            old = set(getattr(edit.before, field)) if edit.before else set()
            new = set(getattr(edit.after, field))
            for target in sorted(new ^ old):
                if target in by_uri:
                    far = by_uri[target]
                elif target in head:
                    hc = head[target]
                    far = ConceptEdit(
                        hc.concept.id,
                        hc.version,
                        hc.concept,
                        hc.concept,
                        hc.collections,
                        hc.collections,
                    )
                else:
                    continue
                values = tuple(v for v in getattr(far.after, inverse) if v != edit.after.uri)
                if target in new:
                    values += (edit.after.uri,)
                by_uri[target] = replace(far, after=_with(far.after, inverse, values))
    return [
        e
        for e in by_uri.values()
        if e.before != e.after or e.collections_before != e.collections_after
    ]


def _with(concept: Concept, field: str, values: tuple[str, ...]) -> Concept:
    """Return `concept` with one tuple-of-URIs field replaced."""
    return replace(concept, **{field: values})  # type: ignore[arg-type]


def apply_edits(snapshot: Snapshot, edits: Iterable[ConceptEdit]) -> Snapshot:
    """Return `snapshot` with each edit's concept and collection membership in place."""
    edits = list(edits)
    concepts = {c.id: c for c in snapshot.concepts}
    concepts.update({e.concept_id: e.after for e in edits})
    collections = []
    for col in snapshot.collections:
        members = list(col.members)
        for e in edits:
            if col.id in e.collections_after and e.after.uri not in members:
                members.append(e.after.uri)
            elif col.id not in e.collections_after and e.after.uri in members:
                members.remove(e.after.uri)
        collections.append(replace(col, members=tuple(members)))
    return replace(snapshot, concepts=tuple(concepts.values()), collections=tuple(collections))


@dataclass(frozen=True)
class DraftProposal:
    """A proposal computed from an edited source, before anyone files it."""

    kind: ProposalKind
    title: str
    edits: tuple[ConceptEdit, ...]


def proposals_from_snapshots(
    head: Snapshot, edited: Snapshot, versions: Mapping[str, int]
) -> list[DraftProposal]:
    """Return one draft proposal per group of related changes from `head` to `edited`.

    Concepts linked by a relation that changed go together (both sides of a link move in
    one proposal). New concepts keep the ids the file gave them; the workflow renumbers
    them when it files the drafts. Raise InvalidInput for a removed concept or a changed URI.
    """
    diff = diff_snapshots(head, edited)
    removed = [c.id for c in diff.of_kind(ChangeKind.REMOVED)]
    if removed:
        raise InvalidInput(
            f"Concepts {', '.join(removed)} are missing from the edited source; concepts are never "
            "deleted: mark them withdrawn (with a historyNote) or deprecated instead."
        )
    moved = [c.id for c in diff.changes if c.kind is not ChangeKind.ADDED and c.field("uri")]
    if moved:
        raise InvalidInput(f"Concept URIs never change, but {', '.join(moved)} did.")
    old = {c.id: c for c in head.concepts}
    new = {c.id: c for c in edited.concepts}
    old_members, new_members = memberships(head), memberships(edited)
    edits = {
        ch.id: ConceptEdit(
            ch.id,
            versions.get(ch.id),
            old.get(ch.id),
            new[ch.id],
            old_members.get(ch.uri, ()),
            new_members.get(ch.uri, ()),
        )
        for ch in diff.changes
    }
    groups = _groups(edits.values())
    drafts = []
    for group in groups:
        group_edits = tuple(edits[i] for i in group)
        kind = _kind(group_edits, diff)
        first = group_edits[0].after
        more = f" (and {len(group) - 1} more)" if len(group) > 1 else ""
        drafts.append(
            DraftProposal(
                kind, f"{kind.value.replace('_', ' ')}: {first.pref_label()}{more}", group_edits
            )
        )
    return drafts


def _groups(edits: Iterable[ConceptEdit]) -> list[list[str]]:
    """Return the ids of edited concepts grouped by changed relations between them."""
    edits = list(edits)
    by_uri = {e.after.uri: e.concept_id for e in edits}
    parent = {e.concept_id: e.concept_id for e in edits}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in edits:
        for field in INVERSE:
            old = set(getattr(e.before, field)) if e.before else set()
            for target in old ^ set(getattr(e.after, field)):
                if target in by_uri:
                    parent[root(by_uri[target])] = root(e.concept_id)
    grouped: dict[str, list[str]] = {}
    for concept_id in sorted(parent):
        grouped.setdefault(root(concept_id), []).append(concept_id)
    return sorted(grouped.values())


def _kind(edits: tuple[ConceptEdit, ...], diff: object) -> ProposalKind:
    if any(e.before is None for e in edits):
        return ProposalKind.ADD_CONCEPT
    statuses = {e.after.status for e in edits if e.before and e.before.status is not e.after.status}
    if len(statuses) == 1 and len(edits) == 1:
        kind = STATUS_KIND.get(next(iter(statuses)))
        if kind:
            return kind
    if statuses:
        return ProposalKind.EDIT_CONCEPT
    fields = {f.field for e in edits if (ch := e.change()) for f in ch.fields}
    return next(
        (k for k, allowed in KIND_BY_FIELDS if fields <= allowed), ProposalKind.EDIT_CONCEPT
    )


def renumber(edits: Iterable[ConceptEdit], ids: Mapping[str, str], base: str) -> list[ConceptEdit]:
    """Return the edits with new concepts moved from their file ids to the ids in `ids`."""
    uris = {f"{base}/terms/{old}": f"{base}/terms/{new}" for old, new in ids.items()}

    def moved(c: Concept) -> Concept:
        c = replace(c, id=ids.get(c.id, c.id), uri=uris.get(c.uri, c.uri))
        for field in (*INVERSE, "replaced_by"):
            c = _with(c, field, tuple(uris.get(u, u) for u in getattr(c, field)))
        return c

    return [
        replace(
            e,
            concept_id=ids.get(e.concept_id, e.concept_id),
            after=moved(e.after),
            before=moved(e.before) if e.before else None,
        )
        for e in edits
    ]
