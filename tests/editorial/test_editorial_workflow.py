"""The workflow's rules on a real store, on SQLite and PostgreSQL: one test per rule.

This file holds who may do what, communities, states and stale bases.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.editorial.conftest import Team
from tests.editorial.proposals import DEFINITION, K, _label_proposal, propose_definition
from vocab.editorial.errors import Conflict, Forbidden, Unauthorised
from vocab.editorial.model import ProposalKind, ProposalState
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.errors import InvalidInput

S = ProposalState


def in_review(wf: Workflow, team: Team, cid: str = "t1") -> Any:
    return wf.take(team.clinical_reviewer, propose_definition(wf, team, cid).id)


# --- who may do what ---------------------------------------------------------------------


def test_anonymous_callers_cannot_propose(workflow: Workflow) -> None:
    with pytest.raises(Unauthorised):
        workflow.propose(
            None, K.EDIT_DEFINITIONS, DEFINITION, concept_id="t1", base_version=1, reason="r"
        )


@pytest.mark.parametrize("kind", [K.DEPRECATE, K.MERGE, K.WITHDRAW])
def test_a_proposer_cannot_propose_retirements(
    workflow: Workflow, team: Team, kind: ProposalKind
) -> None:
    with pytest.raises(Forbidden, match="editor"):
        workflow.propose(
            team.proposer,
            kind,
            {"replaced_by": ["t2"], "history_note": "old"},
            concept_id="t1",
            base_version=1,
            reason="r",
        )


@pytest.mark.parametrize("who", ["clinical_reviewer", "release_manager", "admin"])
def test_roles_without_propose_cannot_propose(workflow: Workflow, team: Team, who: str) -> None:
    with pytest.raises(Forbidden):
        workflow.propose(
            getattr(team, who),
            K.EDIT_DEFINITIONS,
            DEFINITION,
            concept_id="t1",
            base_version=1,
            reason="r",
        )


def test_nobody_reviews_their_own_proposal(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    from dataclasses import replace

    from vocab.editorial.model import Role

    both = replace(team.clinical_reviewer, roles=frozenset({Role.REVIEWER, Role.EDITOR}))
    p = workflow.propose(
        both,
        K.EDIT_DEFINITIONS,
        DEFINITION,
        concept_id="t1",
        base_version=1,
        reason="r",
        submit=True,
    )

    with pytest.raises(Forbidden, match="own proposal"):
        workflow.take(both, p.id)


def test_only_the_author_submits_or_withdraws(workflow: Workflow, team: Team) -> None:
    p = workflow.propose(
        team.editor, K.EDIT_DEFINITIONS, DEFINITION, concept_id="t1", base_version=1, reason="r"
    )

    with pytest.raises(Forbidden, match="author"):
        workflow.submit(team.proposer, p.id)
    with pytest.raises(Forbidden, match="author"):
        workflow.withdraw(team.clinical_reviewer, p.id)


def test_drafts_are_private_to_their_author(workflow: Workflow, team: Team) -> None:
    p = workflow.propose(
        team.editor, K.EDIT_DEFINITIONS, DEFINITION, concept_id="t1", base_version=1, reason="r"
    )

    assert workflow.proposal(team.editor, p.id).id == p.id
    with pytest.raises(Forbidden):
        workflow.proposal(team.proposer, p.id)
    with pytest.raises(Forbidden):
        workflow.proposal(None, p.id)
    assert workflow.queue(None, states=[S.DRAFT]) == []


def test_submitted_proposals_are_public(workflow: Workflow, team: Team) -> None:
    p = propose_definition(workflow, team)

    assert [q.id for q in workflow.queue(None)] == [p.id]


def test_reviewer_scope_by_collection(workflow: Workflow, team: Team) -> None:
    inside = propose_definition(workflow, team, "t1")  # evaluation
    outside = propose_definition(workflow, team, "t3")  # regulation

    assert workflow.take(team.evaluation_reviewer, inside.id).state is S.IN_REVIEW
    with pytest.raises(Forbidden, match="regulation"):
        workflow.take(team.evaluation_reviewer, outside.id)


def test_a_concept_in_no_collection_needs_a_reviewer_of_every_collection(
    workflow: Workflow, team: Team
) -> None:
    p = propose_definition(workflow, team, "t5")

    with pytest.raises(Forbidden):
        workflow.take(team.evaluation_reviewer, p.id)
    assert workflow.take(team.clinical_reviewer, p.id).state is S.IN_REVIEW


# --- communities -------------------------------------------------------------------------


def test_a_label_of_a_community_needs_a_reviewer_of_another_community(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = _label_proposal(workflow, team, seeded, ["industry"])
    workflow.take(team.industry_reviewer, p.id)

    with pytest.raises(Forbidden, match="another community"):
        workflow.approve(team.industry_reviewer, p.id)
    assert workflow.approve(team.clinical_reviewer, p.id).state is S.APPROVED


def test_a_label_used_by_every_community_needs_a_reviewer_outside_the_authors(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    everyone = ["industry", "clinical", "regulatory", "academic", "patient"]
    p = _label_proposal(workflow, team, seeded, everyone)  # the author speaks for industry
    workflow.take(team.clinical_reviewer, p.id)

    with pytest.raises(Forbidden):
        workflow.approve(team.industry_reviewer, p.id)
    assert workflow.approve(team.clinical_reviewer, p.id).state is S.APPROVED


def test_a_change_without_community_labels_needs_any_eligible_reviewer(
    workflow: Workflow, team: Team
) -> None:
    p = in_review(workflow, team)

    assert workflow.approve(team.industry_reviewer, p.id).state is S.APPROVED


# --- states ------------------------------------------------------------------------------


def test_the_happy_path_applies_the_change_with_its_audit_entry(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = in_review(workflow, team)

    done = workflow.approve(team.clinical_reviewer, p.id, "fine")

    head = seeded.head_concept("t1")
    assert done.state is S.APPROVED and head.version == 2
    assert head.concept.definitions[0].text == "The share of real positives found."
    [entry] = seeded.audit(subject="concept:t1")
    assert (entry.actor, entry.action, entry.proposal_id, entry.reason) == (
        "carol",
        "concept.update",
        p.id,
        "clearer",
    )
    assert entry.before["definitions"] == [["The definition of sensitivity.", "en-GB"]]
    assert entry.after["definitions"] == [["The share of real positives found.", "en-GB"]]
    assert [r.decision.value for r in seeded.reviews(p.id)] == ["approve"]


def test_rejection_needs_a_comment(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = in_review(workflow, team)

    with pytest.raises(InvalidInput, match="comment"):
        workflow.reject(team.clinical_reviewer, p.id, "  ")
    done = workflow.reject(team.clinical_reviewer, p.id, "the old one is right")

    assert done.state is S.REJECTED and seeded.head_concept("t1").version == 1


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review"])
def test_the_author_withdraws_an_open_proposal(workflow: Workflow, team: Team, state: str) -> None:
    p = workflow.propose(
        team.editor, K.EDIT_DEFINITIONS, DEFINITION, concept_id="t1", base_version=1, reason="r"
    )
    if state != "draft":
        workflow.submit(team.editor, p.id)
    if state == "in_review":
        workflow.take(team.clinical_reviewer, p.id)

    assert workflow.withdraw(team.editor, p.id).state is S.WITHDRAWN


@pytest.mark.parametrize("action", ["approve", "reject", "withdraw", "take", "submit"])
def test_a_decided_proposal_is_closed(workflow: Workflow, team: Team, action: str) -> None:
    p = in_review(workflow, team)
    workflow.approve(team.clinical_reviewer, p.id)
    actor = team.editor if action in ("withdraw", "submit") else team.industry_reviewer
    args = ("why",) if action == "reject" else ()

    with pytest.raises(Conflict, match="approved"):
        getattr(workflow, action)(actor, p.id, *args)


def test_approval_needs_the_proposal_in_review_first(workflow: Workflow, team: Team) -> None:
    p = propose_definition(workflow, team)

    with pytest.raises(Conflict, match="submitted"):
        workflow.approve(team.clinical_reviewer, p.id)


def test_every_transition_is_in_the_audit_log(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = in_review(workflow, team)
    workflow.approve(team.clinical_reviewer, p.id)

    actions = [(e.action, e.before, e.after) for e in seeded.audit(subject=f"proposal:{p.id}")]

    assert actions == [
        ("proposal.create", None, {"kind": "edit_definitions", "concepts": ["t1"]}),
        ("proposal.submit", "draft", "submitted"),
        ("proposal.review", "submitted", "in_review"),
        ("proposal.approve", "in_review", "approved"),
    ]


# --- stale bases -------------------------------------------------------------------------


def test_a_stale_base_version_is_a_conflict_saying_what_changed(
    workflow: Workflow, team: Team
) -> None:
    workflow.approve(team.clinical_reviewer, in_review(workflow, team).id)

    with pytest.raises(Conflict, match=r"changed since version 1 \(now 2\): definitions") as caught:
        workflow.propose(
            team.editor,
            K.EDIT_PLAIN_DEFINITIONS,
            {"plain_definitions": [{"text": "x"}]},
            concept_id="t1",
            base_version=1,
            reason="r",
        )

    change = caught.value.details["change"]
    assert change["fields"][0]["added"] == [
        {"text": "The share of real positives found.", "lang": "en-GB"}
    ]


def test_two_proposals_from_one_version_the_second_approval_is_stale(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    first, second = in_review(workflow, team), in_review(workflow, team)
    workflow.approve(team.clinical_reviewer, first.id)

    with pytest.raises(Conflict, match="changed since version 1"):
        workflow.approve(team.clinical_reviewer, second.id)
    assert seeded.proposal(second.id).state is S.IN_REVIEW
    assert seeded.head_concept("t1").version == 2


def test_a_proposal_must_name_its_base_version(workflow: Workflow, team: Team) -> None:
    with pytest.raises(InvalidInput, match="base_version"):
        workflow.propose(team.editor, K.EDIT_DEFINITIONS, DEFINITION, concept_id="t1", reason="r")
