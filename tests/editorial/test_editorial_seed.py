"""Seeding from the curated source, and an edited source filed as proposals (the pull-request route)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from loaders.turtle_source import read_source
from tests.editorial.conftest import Team, X, concept, tiny_snapshot
from vocab.editorial.changes import proposals_from_snapshots
from vocab.editorial.errors import Forbidden
from vocab.editorial.model import ProposalKind, ProposalState
from vocab.editorial.seed import head_snapshot, seed
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.errors import InvalidInput
from vocab.model import Collection, LangText, Note, NoteKind, Snapshot, Status

ROOT = Path(__file__).resolve().parents[2]
K = ProposalKind


def test_the_curated_source_round_trips_through_the_editorial_store(
    store: SqlEditorialStore,
) -> None:
    snapshot = read_source(ROOT / "ontology" / "vocabulary", base="http://127.0.0.1:8000").snapshot

    count = seed(store, snapshot, base="http://127.0.0.1:8000")

    assert count == len(snapshot.concepts)
    assert head_snapshot(store) == snapshot


def _edited(**changes: object) -> Snapshot:
    """The tiny vocabulary with some concepts replaced or added (keyword: id=concept)."""
    concepts = {c.id: c for c in tiny_snapshot().concepts}
    concepts.update(changes)  # type: ignore[arg-type]
    return replace(tiny_snapshot(), concepts=tuple(concepts.values()))


def test_an_unchanged_source_gives_no_proposals() -> None:
    assert proposals_from_snapshots(tiny_snapshot(), tiny_snapshot(), {}) == []


def test_each_changed_concept_gets_the_narrowest_kind() -> None:
    head = tiny_snapshot()
    t2, t5 = (next(c for c in head.concepts if c.id == i) for i in ("t2", "t5"))
    edited = _edited(
        t2=replace(t2, definitions=(LangText("New.", "en-GB"),)),
        t5=replace(t5, status=Status.WITHDRAWN, notes=(Note(NoteKind.HISTORY, "Gone."),)),
    )

    drafts = proposals_from_snapshots(head, edited, {"t2": 1, "t5": 1})

    assert [(d.kind, [e.concept_id for e in d.edits]) for d in drafts] == [
        (K.EDIT_DEFINITIONS, ["t2"]),
        (K.WITHDRAW, ["t5"]),
    ]
    assert drafts[0].edits[0].base_version == 1


def test_a_new_concept_and_its_broader_concept_go_in_one_proposal() -> None:
    head = tiny_snapshot()
    t4 = next(c for c in head.concepts if c.id == "t4")
    new = concept("t77", "precision", broader=(f"{X}/terms/t4",))
    edited = _edited(t77=new, t4=replace(t4, narrower=(*t4.narrower, new.uri)))

    [draft] = proposals_from_snapshots(head, edited, {"t4": 1})

    assert draft.kind is K.ADD_CONCEPT
    assert [e.concept_id for e in draft.edits] == ["t4", "t77"]


def test_a_removed_concept_is_refused() -> None:
    head = tiny_snapshot()

    with pytest.raises(InvalidInput, match="never deleted"):
        proposals_from_snapshots(head, replace(head, concepts=head.concepts[:-1]), {})


def test_filed_proposals_renumber_new_concepts_and_reach_the_head(
    seeded: SqlEditorialStore, team: Team
) -> None:
    head = tiny_snapshot()
    t4 = next(c for c in head.concepts if c.id == "t4")
    new = concept("t77", "precision", broader=(f"{X}/terms/t4",))
    evaluation = replace(head.collections[0], members=(*head.collections[0].members, new.uri))
    edited = replace(
        _edited(t77=new, t4=replace(t4, narrower=(*t4.narrower, new.uri))),
        collections=(evaluation, head.collections[1]),
    )
    wf = Workflow(seeded)

    [p] = wf.file_source(team.proposer, edited, reason="from a pull request")
    wf.take(team.industry_reviewer, p.id)
    wf.approve(
        team.industry_reviewer, p.id
    )  # the new label is clinical: another community approves

    assert (p.origin, p.state, p.concept_ids) == (
        "turtle",
        ProposalState.SUBMITTED,
        ("t4", "t0006"),
    )
    added = seeded.head_concept("t0006")
    assert added.concept.uri == f"{X}/terms/t0006" and added.collections == ("evaluation",)
    assert f"{X}/terms/t0006" in seeded.head_concept("t4").concept.narrower
    assert f"{X}/terms/t77" not in str(head_snapshot(seeded))


def test_a_proposer_cannot_file_a_retirement_from_a_source(
    seeded: SqlEditorialStore, team: Team
) -> None:
    t5 = next(c for c in tiny_snapshot().concepts if c.id == "t5")
    edited = _edited(t5=replace(t5, status=Status.DEPRECATED, replaced_by=(f"{X}/terms/t3",)))

    with pytest.raises(Forbidden):
        Workflow(seeded).file_source(team.proposer, edited, reason="r")


def test_collection_changes_alone_are_proposals_too() -> None:
    head = tiny_snapshot()
    moved = (
        replace(head.collections[0], members=head.collections[0].members[1:]),
        Collection(
            "regulation",
            head.collections[1].uri,
            head.collections[1].labels,
            members=(*head.collections[1].members, f"{X}/terms/t1"),
        ),
    )

    [draft] = proposals_from_snapshots(head, replace(head, collections=moved), {"t1": 1})

    assert (draft.kind, draft.edits[0].collections_after) == (K.EDIT_CONCEPT, ("regulation",))
