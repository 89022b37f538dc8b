"""The EditorialStore contract, on SQLite and PostgreSQL: transactions, versions, the audit log."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.editorial.conftest import Team, tiny_snapshot
from vocab.editorial.errors import Conflict, StaleConcept
from vocab.editorial.model import AuditEntry, Decision, ProposalKind, ProposalState, Review
from vocab.editorial.seed import head_snapshot, seed
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.errors import NotFound, StoreError
from vocab.model import LangText, canonical

S = ProposalState
DEFINITION = {"definitions": [{"text": "Changed.", "lang": "en-GB"}]}


def test_an_unseeded_store_says_how_to_seed_it(store: SqlEditorialStore) -> None:
    assert not store.is_seeded()
    with pytest.raises(StoreError, match="editorial init"):
        store.base()


def test_seeding_twice_is_a_conflict(seeded: SqlEditorialStore) -> None:
    with pytest.raises(Conflict, match="already"):
        seed(seeded, tiny_snapshot(), base="http://x")


def test_seeded_head_reads_back_the_same_snapshot(seeded: SqlEditorialStore) -> None:
    assert head_snapshot(seeded) == canonical(tiny_snapshot())
    assert {hc.concept.id: (hc.version, hc.collections) for hc in seeded.head()} == {
        "t1": (1, ("evaluation",)),
        "t2": (1, ("evaluation",)),
        "t3": (1, ("regulation",)),
        "t4": (1, ("evaluation",)),
        "t5": (1, ()),
    }


def test_unknown_concepts_and_versions_are_not_found(seeded: SqlEditorialStore) -> None:
    with pytest.raises(NotFound):
        seeded.head_concept("t99")
    with pytest.raises(NotFound):
        seeded.concept_version("t1", 2)


def test_concept_ids_are_never_handed_out_twice(seeded: SqlEditorialStore) -> None:
    ids = [seeded.allocate_concept_id() for _ in range(3)]

    assert ids == ["t0006", "t0007", "t0008"]


def test_every_version_of_a_concept_is_kept(seeded: SqlEditorialStore, team: Team) -> None:
    wf = Workflow(seeded)
    for base, text in ((1, "Second."), (2, "Third.")):
        p = wf.propose(
            team.editor,
            ProposalKind.EDIT_DEFINITIONS,
            {"definitions": [{"text": text}]},
            concept_id="t2",
            base_version=base,
            reason="r",
            submit=True,
        )
        wf.take(team.clinical_reviewer, p.id)
        wf.approve(team.clinical_reviewer, p.id)

    texts = [seeded.concept_version("t2", v).concept.definitions[0].text for v in (1, 2, 3)]
    assert texts == ["The definition of specificity.", "Second.", "Third."]


def test_a_change_to_the_head_decodes_only_the_concepts_it_changed(
    seeded: SqlEditorialStore, team: Team
) -> None:
    before = {c.id: c for c in seeded.head_snapshot().concepts}
    wf = Workflow(seeded)
    p = wf.propose(team.editor, ProposalKind.EDIT_DEFINITIONS, {"definitions": [{"text": "New."}]},
                   concept_id="t2", base_version=1, reason="r", submit=True)  # fmt: skip
    wf.take(team.clinical_reviewer, p.id)
    wf.approve(team.clinical_reviewer, p.id)

    after = {c.id: c for c in seeded.head_snapshot().concepts}
    assert after["t2"].definitions[0].text == "New."
    assert all(after[cid] is before[cid] for cid in before if cid != "t2")  # not decoded again
    assert [hc.concept for hc in seeded.head()] == list(after.values())


def _submitted(seeded: SqlEditorialStore, team: Team) -> int:
    p = Workflow(seeded).propose(
        team.editor,
        ProposalKind.EDIT_DEFINITIONS,
        DEFINITION,
        concept_id="t1",
        base_version=1,
        reason="r",
        submit=True,
    )
    return p.id


def _entry() -> AuditEntry:
    return AuditEntry(0, datetime.now(UTC), None, "system", "test", "proposal")


def test_moving_from_a_state_it_is_not_in_is_a_conflict_and_changes_nothing(
    seeded: SqlEditorialStore, team: Team
) -> None:
    pid = _submitted(seeded, team)
    before = len(seeded.audit())

    with pytest.raises(Conflict, match="is submitted, no longer draft"):
        seeded.move_proposal(pid, S.DRAFT, S.SUBMITTED, datetime.now(UTC), _entry())

    assert seeded.proposal(pid).state is S.SUBMITTED
    assert len(seeded.audit()) == before


def test_a_stale_edit_rolls_back_the_whole_decision(seeded: SqlEditorialStore, team: Team) -> None:
    pid = _submitted(seeded, team)
    seeded.move_proposal(pid, S.SUBMITTED, S.IN_REVIEW, datetime.now(UTC), _entry())
    # another change reaches t1 first, straight through the store
    other = replace(seeded.proposal(pid), id=0, state=S.IN_REVIEW)
    other_id = seeded.add_proposal(other, _entry()).id
    seeded.decide(
        Review(0, other_id, team.clinical_reviewer.id, Decision.APPROVE, "", datetime.now(UTC)), []
    )
    audit_before = len(seeded.audit())

    with pytest.raises(StaleConcept):
        seeded.decide(
            Review(0, pid, team.clinical_reviewer.id, Decision.APPROVE, "", datetime.now(UTC)),
            [_entry()],
        )

    assert seeded.proposal(pid).state is S.IN_REVIEW
    assert seeded.reviews(pid) == []
    assert len(seeded.audit()) == audit_before
    assert seeded.head_concept("t1").version == 2


def test_deciding_a_proposal_not_in_review_is_a_conflict(
    seeded: SqlEditorialStore, team: Team
) -> None:
    pid = _submitted(seeded, team)

    with pytest.raises(Conflict):
        seeded.decide(
            Review(0, pid, team.clinical_reviewer.id, Decision.REJECT, "no", datetime.now(UTC)), []
        )
    assert seeded.reviews(pid) == []


def test_proposals_filter_by_state_author_and_concept(
    seeded: SqlEditorialStore, team: Team
) -> None:
    wf = Workflow(seeded)
    a = _submitted(seeded, team)
    b = wf.propose(
        team.proposer,
        ProposalKind.EDIT_DEFINITIONS,
        DEFINITION,
        concept_id="t2",
        base_version=1,
        reason="r",
    ).id

    assert [p.id for p in seeded.proposals(states=[S.SUBMITTED])] == [a]
    assert [p.id for p in seeded.proposals(author_id=team.proposer.id)] == [b]
    assert [p.id for p in seeded.proposals(concept_id="t2")] == [b]
    assert [p.id for p in seeded.proposals(after_id=a, limit=5)] == [b]
    assert seeded.proposals(limit=0) == []


def test_a_proposal_reads_back_as_stored(seeded: SqlEditorialStore, team: Team) -> None:
    pid = _submitted(seeded, team)

    p = seeded.proposal(pid)

    assert p.edits[0].after.definitions == (LangText("Changed.", "en-GB"),)
    assert p.edits[0].before == seeded.head_concept("t1").concept
    assert (p.kind, p.author_id, p.reason, p.origin) == (
        ProposalKind.EDIT_DEFINITIONS,
        team.editor.id,
        "r",
        "api",
    )


def test_the_audit_log_exports_as_json_lines(seeded: SqlEditorialStore, team: Team) -> None:
    _submitted(seeded, team)
    out = io.StringIO()

    count = Workflow(seeded).export_audit(out, page=2)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(lines) == len(seeded.audit())
    assert [e["seq"] for e in lines] == sorted(e["seq"] for e in lines)
    assert lines[0]["action"] == "vocabulary.seed"
    assert set(lines[-1]) == {
        "seq",
        "at",
        "actor_id",
        "actor",
        "action",
        "subject",
        "proposal_id",
        "reason",
        "before",
        "after",
    }


def test_the_store_has_no_way_to_change_or_remove_audit_entries() -> None:
    from vocab.editorial.protocol import EditorialStore

    names = [n for n in dir(EditorialStore) if "audit" in n]

    assert names == ["append_audit", "audit"]
