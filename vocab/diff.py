"""A concept-level diff between two Snapshots: what a release, a proposal or a conflict changed.

`diff_snapshots(before, after)` compares concepts by id and says, for each one that
differs, how its lifecycle moved (added, removed, deprecated, merged, withdrawn,
reinstated, or just changed) and which values each field gained and lost. Values are the
domain objects themselves (Label with its kind, language and communities; LangText; Note;
Mapping; a URI string), so nothing is flattened before a caller needs it. `to_json()`
gives a JSON-ready dict and `to_markdown()` a readable change list. The order is fixed:
changes by kind then concept id, fields in `FIELDS` order, values by their JSON form.

>>> from vocab.model import Concept, Label, LabelKind, Snapshot
>>> a = Concept("t1", "http://x/terms/t1", labels=(Label("recall", "en-GB", LabelKind.PREF),))
>>> b = Concept("t1", "http://x/terms/t1", labels=(Label("sensitivity", "en-GB", LabelKind.PREF),))
>>> d = diff_snapshots(Snapshot((), (a,)), Snapshot((), (b,)))
>>> [(c.id, c.kind.value, [f.field for f in c.fields]) for c in d.changes]
[('t1', 'changed', ['labels'])]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from vocab.model import Concept, Label, LangText, Mapping, Note, NoteKind, Snapshot, Status

DiffValue = Label | LangText | Note | Mapping | str
"""One value of a field: a domain object, or a plain string (URI, status, collection id)."""


class ChangeKind(StrEnum):
    """How a concept's lifecycle moved between two snapshots, in display order."""

    ADDED = "added"
    REMOVED = "removed"
    DEPRECATED = "deprecated"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"
    REINSTATED = "reinstated"
    CHANGED = "changed"


_STATUS_KIND = {
    Status.DEPRECATED: ChangeKind.DEPRECATED,
    Status.MERGED: ChangeKind.MERGED,
    Status.WITHDRAWN: ChangeKind.WITHDRAWN,
}
_KIND_RANK = {kind: i for i, kind in enumerate(ChangeKind)}

NOTE_FIELDS: dict[NoteKind, str] = {
    NoteKind.WARNING: "usage_warnings",
    NoteKind.SCOPE: "scope_notes",
    NoteKind.NOTE: "notes",
    NoteKind.EXAMPLE: "examples",
    NoteKind.HISTORY: "history_notes",
    NoteKind.EDITORIAL: "editorial_notes",
    NoteKind.CHANGE: "change_notes",
}
"""Notes are diffed by kind, each kind as a field of its own."""


def _notes(kind: NoteKind) -> Callable[[Concept], tuple[DiffValue, ...]]:
    return lambda c: tuple(n for n in c.notes if n.kind is kind)


def _scalar(name: str) -> Callable[[Concept], tuple[DiffValue, ...]]:
    return lambda c: (str(getattr(c, name)),)


FIELDS: tuple[tuple[str, Callable[[Concept], tuple[DiffValue, ...]]], ...] = (
    ("uri", _scalar("uri")),
    ("status", _scalar("status")),
    ("replaced_by", lambda c: c.replaced_by),
    ("labels", lambda c: c.labels),
    ("definitions", lambda c: c.definitions),
    ("plain_definitions", lambda c: c.plain_definitions),
    *((field, _notes(kind)) for kind, field in NOTE_FIELDS.items()),
    ("broader", lambda c: c.broader),
    ("narrower", lambda c: c.narrower),
    ("related", lambda c: c.related),
    ("mappings", lambda c: c.mappings),
    ("sources", lambda c: c.sources),
    ("citations", lambda c: c.citations),
    ("pages", lambda c: c.pages),
    ("notations", lambda c: c.notations),
    ("in_schemes", lambda c: c.in_schemes),
)
"""(field, values of a concept): what the diff compares, in display order. `created` and
`modified` are bookkeeping and left out; collection membership is the extra field
`collections`, compared after these."""


def value_json(value: DiffValue) -> Any:
    """Return the JSON-ready form of one value (a dict for domain objects, else the string)."""
    if isinstance(value, Label):
        return {
            "text": value.text,
            "lang": value.lang,
            "kind": value.kind.value,
            "usage": list(value.usage),
        }
    if isinstance(value, LangText):
        return {"text": value.text, "lang": value.lang}
    if isinstance(value, Note):
        return {"kind": value.kind.value, "text": value.text, "lang": value.lang}
    if isinstance(value, Mapping):
        return {"kind": value.kind.value, "target": value.target}
    return value


def value_text(value: DiffValue) -> str:
    """Return one value as Markdown: quoted text with its language, kind and communities."""
    if isinstance(value, Label):
        usage = f"; {', '.join(value.usage)}" if value.usage else ""
        return f'"{value.text}"@{value.lang or "-"} ({value.kind.value}{usage})'
    if isinstance(value, LangText | Note):
        return f'"{value.text}"@{value.lang or "-"}'
    if isinstance(value, Mapping):
        return f"{value.kind.value} <{value.target}>"
    return f"<{value}>" if value.startswith(("http://", "https://")) else f"`{value}`"


def _order(values: Iterable[DiffValue]) -> tuple[DiffValue, ...]:
    return tuple(sorted(values, key=lambda v: json.dumps(value_json(v), sort_keys=True)))


@dataclass(frozen=True)
class FieldChange:
    """The values one field of one concept gained and lost."""

    field: str
    added: tuple[DiffValue, ...] = ()
    removed: tuple[DiffValue, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return {"field", "added", "removed"} with JSON-ready values."""
        return {
            "field": self.field,
            "added": [value_json(v) for v in self.added],
            "removed": [value_json(v) for v in self.removed],
        }


@dataclass(frozen=True)
class ConceptChange:
    """What happened to one concept; `label` is its preferred label (after, else before)."""

    id: str
    uri: str
    kind: ChangeKind
    label: str
    fields: tuple[FieldChange, ...] = ()

    def field(self, name: str) -> FieldChange | None:
        """Return the change of field `name`, or None if that field did not change."""
        return next((f for f in self.fields if f.field == name), None)

    def to_json(self) -> dict[str, Any]:
        """Return {"id", "uri", "kind", "label", "fields"} ready for json.dumps."""
        return {
            "id": self.id,
            "uri": self.uri,
            "kind": self.kind.value,
            "label": self.label,
            "fields": [f.to_json() for f in self.fields],
        }


@dataclass(frozen=True)
class SnapshotDiff:
    """Every concept change between two snapshots, by kind then id."""

    changes: tuple[ConceptChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: ChangeKind) -> tuple[ConceptChange, ...]:
        """Return the changes of one kind, by concept id."""
        return tuple(c for c in self.changes if c.kind is kind)

    def for_concept(self, concept_id: str) -> ConceptChange | None:
        """Return the change of one concept, or None if it did not change."""
        return next((c for c in self.changes if c.id == concept_id), None)

    def to_json(self) -> dict[str, Any]:
        """Return {"summary": {kind: count}, "changes": [...]} ready for json.dumps."""
        summary = {kind.value: len(self.of_kind(kind)) for kind in ChangeKind}
        return {"summary": summary, "changes": [c.to_json() for c in self.changes]}

    def to_markdown(self, title: str = "Changes") -> str:
        """Return a Markdown change list: one section per kind, one bullet per field."""
        lines = [f"# {title}", ""]
        if not self.changes:
            return "\n".join([*lines, "No concept changed.", ""])
        for kind in ChangeKind:
            changes = self.of_kind(kind)
            if not changes:
                continue
            lines += [f"## {kind.value.capitalize()} ({len(changes)})", ""]
            for change in changes:
                lines.append(f"- **{change.label}** (`{change.id}`)")
                for f in change.fields:
                    parts = [f"+ {value_text(v)}" for v in f.added]
                    parts += [f"− {value_text(v)}" for v in f.removed]
                    lines.append(f"  - {f.field.replace('_', ' ')}: " + "; ".join(parts))
            lines.append("")
        return "\n".join(lines)


def memberships(snapshot: Snapshot) -> dict[str, tuple[str, ...]]:
    """Return, for each concept URI, the ids of the collections that list it, sorted."""
    found: dict[str, list[str]] = {}
    for collection in snapshot.collections:
        for member in collection.members:
            found.setdefault(member, []).append(collection.id)
    return {uri: tuple(sorted(ids)) for uri, ids in found.items()}


def diff_concept(
    before: Concept | None,
    after: Concept | None,
    collections_before: tuple[str, ...] = (),
    collections_after: tuple[str, ...] = (),
) -> ConceptChange | None:
    """Return how one concept changed (None if it did not); raise ValueError if both are None.

    >>> from vocab.model import Concept, Status
    >>> c = Concept("t1", "http://x/terms/t1")
    >>> diff_concept(c, c) is None
    True
    >>> diff_concept(c, Concept("t1", "http://x/terms/t1", status=Status.WITHDRAWN)).kind.value
    'withdrawn'
    """
    if before is None and after is None:
        raise ValueError("diff_concept needs a concept before or after the change")
    fields = []
    for name, values in FIELDS:
        old = set(values(before)) if before else set()
        new = set(values(after)) if after else set()
        if old != new:
            fields.append(FieldChange(name, _order(new - old), _order(old - new)))
    if set(collections_before) != set(collections_after):
        fields.append(
            FieldChange(
                "collections",
                _order(set(collections_after) - set(collections_before)),
                _order(set(collections_before) - set(collections_after)),
            )
        )
    if after is None:
        assert before is not None
        return ConceptChange(
            before.id, before.uri, ChangeKind.REMOVED, before.pref_label(), tuple(fields)
        )
    if before is None:
        kind = ChangeKind.ADDED
    elif before.status is not after.status:
        kind = _STATUS_KIND.get(after.status, ChangeKind.REINSTATED)
    elif fields:
        kind = ChangeKind.CHANGED
    else:
        return None
    return ConceptChange(after.id, after.uri, kind, after.pref_label(), tuple(fields))


def diff_snapshots(before: Snapshot, after: Snapshot) -> SnapshotDiff:
    """Return every concept change from `before` to `after`, in a fixed order."""
    old = {c.id: c for c in before.concepts}
    new = {c.id: c for c in after.concepts}
    old_members, new_members = memberships(before), memberships(after)
    changes = []
    for concept_id in sorted(old.keys() | new.keys()):
        b, a = old.get(concept_id), new.get(concept_id)
        change = diff_concept(
            b,
            a,
            old_members.get(b.uri, ()) if b else (),
            new_members.get(a.uri, ()) if a else (),
        )
        if change:
            changes.append(change)
    changes.sort(key=lambda c: (_KIND_RANK[c.kind], c.id))
    return SnapshotDiff(tuple(changes))
