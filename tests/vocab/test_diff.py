"""The concept-level diff on tiny snapshots built in code."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from vocab.diff import ChangeKind, diff_concept, diff_snapshots
from vocab.model import (
    Collection,
    Concept,
    Label,
    LabelKind,
    LangText,
    Mapping,
    MatchKind,
    Note,
    NoteKind,
    Snapshot,
    Status,
)

X = "http://x/terms/"


def concept(cid: str, label: str = "", **fields: object) -> Concept:
    labels = (Label(label or f"term {cid}", "en-GB", LabelKind.PREF),)
    return replace(Concept(cid, X + cid, labels=labels), **fields)  # type: ignore[arg-type]


def snap(*concepts: Concept, collections: tuple[Collection, ...] = ()) -> Snapshot:
    return Snapshot(schemes=(), concepts=concepts, collections=collections)


def test_identical_snapshots_have_no_changes() -> None:
    s = snap(concept("t1"), concept("t2"))

    diff = diff_snapshots(s, s)

    assert not diff
    assert diff.to_json()["changes"] == []
    assert "No concept changed." in diff.to_markdown()


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ((), (concept("t1"),), ChangeKind.ADDED),
        ((concept("t1"),), (), ChangeKind.REMOVED),
        ((concept("t1"),), (concept("t1", status=Status.DEPRECATED),), ChangeKind.DEPRECATED),
        ((concept("t1"),), (concept("t1", status=Status.MERGED),), ChangeKind.MERGED),
        ((concept("t1"),), (concept("t1", status=Status.WITHDRAWN),), ChangeKind.WITHDRAWN),
        ((concept("t1", status=Status.WITHDRAWN),), (concept("t1"),), ChangeKind.REINSTATED),
        ((concept("t1"),), (concept("t1", sources=("https://s",)),), ChangeKind.CHANGED),
    ],
)
def test_lifecycle_kind_of_a_change(
    before: tuple[Concept, ...], after: tuple[Concept, ...], kind: ChangeKind
) -> None:
    diff = diff_snapshots(snap(*before), snap(*after))

    assert [c.kind for c in diff.changes] == [kind]


@pytest.mark.parametrize(
    ("field", "old", "new", "added", "removed"),
    [
        (
            "labels",
            {"labels": (Label("recall", "en-GB", LabelKind.ALT, ("industry",)),)},
            {"labels": (Label("recall", "en-GB", LabelKind.ALT, ("industry", "academic")),)},
            [{"text": "recall", "lang": "en-GB", "kind": "alt", "usage": ["industry", "academic"]}],
            [{"text": "recall", "lang": "en-GB", "kind": "alt", "usage": ["industry"]}],
        ),
        (
            "definitions",
            {"definitions": (LangText("old", "en-GB"),)},
            {"definitions": (LangText("new", "en-GB"),)},
            [{"text": "new", "lang": "en-GB"}],
            [{"text": "old", "lang": "en-GB"}],
        ),
        (
            "plain_definitions",
            {},
            {"plain_definitions": (LangText("simple", "en-GB"),)},
            [{"text": "simple", "lang": "en-GB"}],
            [],
        ),
        (
            "usage_warnings",
            {"notes": (Note(NoteKind.SCOPE, "scope"),)},
            {"notes": (Note(NoteKind.SCOPE, "scope"), Note(NoteKind.WARNING, "careful"))},
            [{"kind": "usageWarning", "text": "careful", "lang": ""}],
            [],
        ),
        (
            "scope_notes",
            {"notes": (Note(NoteKind.SCOPE, "scope"),)},
            {},
            [],
            [{"kind": "scopeNote", "text": "scope", "lang": ""}],
        ),
        ("broader", {}, {"broader": (X + "t2",)}, [X + "t2"], []),
        ("narrower", {"narrower": (X + "t2",)}, {}, [], [X + "t2"]),
        ("related", {}, {"related": (X + "t2",)}, [X + "t2"], []),
        (
            "mappings",
            {},
            {"mappings": (Mapping(MatchKind.EXACT, "http://www.wikidata.org/entity/Q1"),)},
            [{"kind": "exactMatch", "target": "http://www.wikidata.org/entity/Q1"}],
            [],
        ),
        (
            "sources",
            {"sources": ("https://a",)},
            {"sources": ("https://b",)},
            ["https://b"],
            ["https://a"],
        ),
        ("pages", {}, {"pages": ("https://p",)}, ["https://p"], []),
        ("replaced_by", {}, {"replaced_by": (X + "t2",)}, [X + "t2"], []),
        ("status", {}, {"status": Status.MERGED}, ["merged"], ["active"]),
    ],
)
def test_field_values_added_and_removed(
    field: str,
    old: dict[str, object],
    new: dict[str, object],
    added: list[object],
    removed: list[object],
) -> None:
    change = diff_concept(concept("t1", **old), concept("t1", **new))

    assert change is not None
    found = change.field(field)
    assert found is not None
    assert found.to_json() == {"field": field, "added": added, "removed": removed}


def test_collection_membership_is_a_field() -> None:
    c = concept("t1")
    before = snap(c, collections=(Collection("a", "http://x/collections/a", members=(c.uri,)),))
    after = snap(c, collections=(Collection("b", "http://x/collections/b", members=(c.uri,)),))

    change = diff_snapshots(before, after).for_concept("t1")

    assert change is not None
    assert change.field("collections") is not None
    assert change.to_json()["fields"] == [
        {"field": "collections", "added": ["b"], "removed": ["a"]}
    ]


def test_order_is_by_kind_then_id_whatever_the_input_order() -> None:
    before = snap(concept("t3"), concept("t1"), concept("t2"))
    after = snap(concept("t5"), concept("t2", sources=("https://s",)), concept("t4"), concept("t1"))

    diff = diff_snapshots(before, after)

    assert [(c.kind.value, c.id) for c in diff.changes] == [
        ("added", "t4"),
        ("added", "t5"),
        ("removed", "t3"),
        ("changed", "t2"),
    ]


def test_values_within_a_field_are_sorted() -> None:
    labels = tuple(Label(t, "en-GB", LabelKind.ALT) for t in ("zeta", "alpha", "mid"))
    change = diff_concept(concept("t1"), concept("t1", labels=concept("t1").labels + labels))

    assert change is not None
    field = change.field("labels")
    assert field is not None
    assert [v.text for v in field.added] == ["alpha", "mid", "zeta"]  # type: ignore[union-attr]


def test_json_form_survives_json_dumps() -> None:
    diff = diff_snapshots(snap(concept("t1")), snap(concept("t1", status=Status.WITHDRAWN)))

    data = json.loads(json.dumps(diff.to_json()))

    assert data["summary"]["withdrawn"] == 1
    assert data["changes"][0]["fields"][0] == {
        "field": "status",
        "added": ["withdrawn"],
        "removed": ["active"],
    }


def test_markdown_names_kind_concept_and_values() -> None:
    old = concept("t1", "sensitivity")
    new = replace(old, labels=(*old.labels, Label("recall", "en-GB", LabelKind.ALT, ("industry",))))

    text = diff_snapshots(snap(old), snap(new)).to_markdown("Release 2")

    assert text.splitlines()[0] == "# Release 2"
    assert "## Changed (1)" in text
    assert "- **sensitivity** (`t1`)" in text
    assert '  - labels: + "recall"@en-GB (alt; industry)' in text


def test_bookkeeping_dates_are_not_changes() -> None:
    assert diff_concept(concept("t1"), concept("t1", modified="2030-01-01")) is None


def test_diff_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="before or after"):
        diff_concept(None, None)
