"""The workflow's rules on a real store, on SQLite and PostgreSQL: one test per rule."""

from __future__ import annotations

from typing import Any

import pytest

from tests.editorial.conftest import Team, X
from vocab.editorial.errors import Conflict, Forbidden, GateFailed, Unauthorised
from vocab.editorial.model import ProposalKind, ProposalState
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.errors import InvalidInput, NotFound
from vocab.model import LabelKind, NoteKind, Status

K = ProposalKind
S = ProposalState
DEFINITION = {"definitions": [{"text": "The share of real positives found.", "lang": "en-GB"}]}


def labels_of(store: SqlEditorialStore, cid: str, *extra: dict[str, Any]) -> dict[str, Any]:
    """A labels payload: the concept's labels plus `extra`."""
    current = [
        {"text": lb.text, "lang": lb.lang, "kind": lb.kind.value, "usage": list(lb.usage)}
        for lb in store.head_concept(cid).concept.labels
    ]
    return {"labels": current + list(extra)}


def propose_definition(wf: Workflow, team: Team, cid: str = "t1", **kw: Any) -> Any:
    return wf.propose(
        team.editor,
        K.EDIT_DEFINITIONS,
        DEFINITION,
        concept_id=cid,
        base_version=1,
        reason="clearer",
        submit=True,
        **kw,
    )


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


def _label_proposal(wf: Workflow, team: Team, store: SqlEditorialStore, usage: list[str]) -> Any:
    extra = {"text": "hit rate", "lang": "en-GB", "kind": "alt", "usage": usage}
    p = wf.propose(
        team.proposer,
        K.EDIT_LABELS,
        labels_of(store, "t1", extra),
        concept_id="t1",
        base_version=1,
        reason="engineers say it",
        submit=True,
    )
    return p


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


# --- payloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["status", "created_by", "id", "uri", "approved_at", "version"])
def test_mass_assignment_fields_are_refused(workflow: Workflow, team: Team, field: str) -> None:
    with pytest.raises(InvalidInput, match=f"cannot set {field}"):
        workflow.propose(
            team.editor,
            K.EDIT_DEFINITIONS,
            {**DEFINITION, field: "approved"},
            concept_id="t1",
            base_version=1,
            reason="r",
        )


def test_a_new_concept_gets_an_id_from_the_service(workflow: Workflow, team: Team) -> None:
    with pytest.raises(InvalidInput, match="given by the service"):
        workflow.propose(
            team.proposer,
            K.ADD_CONCEPT,
            {"labels": [{"text": "new", "kind": "pref"}]},
            concept_id="t9",
            reason="r",
        )


def test_a_kind_only_sets_its_own_fields(workflow: Workflow, team: Team) -> None:
    with pytest.raises(InvalidInput, match="cannot set definitions"):
        workflow.propose(
            team.editor, K.EDIT_LABELS, DEFINITION, concept_id="t1", base_version=1, reason="r"
        )


@pytest.mark.parametrize(
    "text",
    [
        "recall\u200b",
        "re\u202ecall",
        "\u2066recall\u2069",
        "rec\u00adall",
        "recall\ufeff",
        "bad\x07",
    ],
)
def test_labels_with_invisible_or_bidi_characters_are_refused(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore, text: str
) -> None:
    payload = labels_of(seeded, "t2", {"text": text, "kind": "alt"})

    with pytest.raises(InvalidInput):
        workflow.propose(
            team.editor, K.EDIT_LABELS, payload, concept_id="t2", base_version=1, reason="r"
        )


@pytest.mark.parametrize(
    "text", ["ＭＨＲＡ", "МHRA", "mhra", "Sensitivity", "ѕensitivity", "sensitivíty"]
)
def test_a_label_that_looks_like_another_concepts_label_is_a_conflict(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore, text: str
) -> None:
    payload = labels_of(seeded, "t2", {"text": text, "kind": "alt"})

    with pytest.raises(Conflict, match="looks like"):
        workflow.propose(
            team.editor, K.EDIT_LABELS, payload, concept_id="t2", base_version=1, reason="r"
        )


def test_the_same_label_on_two_concepts_is_a_homonym_not_a_look_alike(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    payload = labels_of(seeded, "t2", {"text": "recall", "kind": "alt", "usage": ["industry"]})

    p = workflow.propose(
        team.editor, K.EDIT_LABELS, payload, concept_id="t2", base_version=1, reason="r"
    )

    assert any(f.check == "ol" for f in p.findings)  # shared without a usage warning


def test_a_lone_surrogate_is_invalid_input(workflow: Workflow, team: Team) -> None:
    with pytest.raises(InvalidInput, match="surrogate"):
        workflow.propose(
            team.editor,
            K.EDIT_DEFINITIONS,
            {"definitions": [{"text": "\ud800"}]},
            concept_id="t1",
            base_version=1,
            reason="r",
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"definitions": "text"},
        {"definitions": [{"text": "x", "lang": "not a tag!"}]},
        {"definitions": [{"text": "x", "colour": "red"}]},
        {"definitions": [{"text": "x"}] * 201},
        {"definitions": [{"text": "x" * 5001}]},
        {"definitions": [{"text": 5}]},
    ],
)
def test_malformed_payloads_are_invalid_input(
    workflow: Workflow, team: Team, fields: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInput):
        workflow.propose(
            team.editor, K.EDIT_DEFINITIONS, fields, concept_id="t1", base_version=1, reason="r"
        )


def test_unknown_concepts_are_not_found(workflow: Workflow, team: Team) -> None:
    with pytest.raises(NotFound):
        workflow.propose(
            team.editor,
            K.EDIT_DEFINITIONS,
            DEFINITION,
            concept_id="t99",
            base_version=1,
            reason="r",
        )


# --- the quality gate and applying changes -----------------------------------------------


def test_findings_are_stored_and_errors_block_approval(workflow: Workflow, team: Team) -> None:
    p = workflow.propose(
        team.editor,
        K.EDIT_SOURCES,
        {"sources": []},
        concept_id="t2",
        base_version=1,
        reason="r",
        submit=True,
    )
    workflow.take(team.clinical_reviewer, p.id)

    assert [(f.check, f.severity) for f in workflow.proposal(None, p.id).findings] == [
        ("src", "error")
    ]
    with pytest.raises(GateFailed, match="src"):
        workflow.approve(team.clinical_reviewer, p.id)


def test_adding_a_concept_puts_it_in_its_collection(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    fields = {
        "labels": [{"text": "precision", "kind": "pref", "usage": ["academic"]}],
        "definitions": [{"text": "The share of positive calls that are right."}],
        "plain_definitions": [{"text": "How often a yes is right."}],
        "sources": ["https://example.org/precision"],
        "broader": ["t4"],
        "collections": ["evaluation"],
    }
    p = workflow.propose(team.proposer, K.ADD_CONCEPT, fields, reason="missing", submit=True)
    workflow.take(team.clinical_reviewer, p.id)

    workflow.approve(team.clinical_reviewer, p.id)

    assert p.concept_ids == ("t0006", "t4")  # numbered after the highest seeded id
    new = seeded.head_concept("t0006")
    assert (new.version, new.collections, new.concept.broader) == (
        1,
        ("evaluation",),
        (f"{X}/terms/t4",),
    )
    assert f"{X}/terms/t0006" in seeded.head_concept("t4").concept.narrower
    assert seeded.head_concept("t4").version == 2


def test_a_relation_edit_updates_both_sides(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = workflow.propose(
        team.editor,
        K.EDIT_RELATIONS,
        {"related": ["t5"]},
        concept_id="t1",
        base_version=1,
        reason="r",
        submit=True,
    )

    assert p.concept_ids == ("t1", "t5")
    workflow.take(team.clinical_reviewer, p.id)
    workflow.approve(team.clinical_reviewer, p.id)
    assert f"{X}/terms/t1" in seeded.head_concept("t5").concept.related


@pytest.mark.parametrize(
    ("kind", "fields", "status"),
    [
        (K.DEPRECATE, {"replaced_by": ["t2"]}, Status.DEPRECATED),
        (K.MERGE, {"replaced_by": ["t2"]}, Status.MERGED),
        (K.WITHDRAW, {"history_note": "Nobody used it."}, Status.WITHDRAWN),
    ],
)
def test_retirements_set_status_and_replacement(
    workflow: Workflow,
    team: Team,
    seeded: SqlEditorialStore,
    kind: ProposalKind,
    fields: dict[str, Any],
    status: Status,
) -> None:
    p = workflow.propose(
        team.editor, kind, fields, concept_id="t5", base_version=1, reason="r", submit=True
    )
    workflow.take(team.clinical_reviewer, p.id)
    workflow.approve(team.clinical_reviewer, p.id)

    concept = seeded.head_concept("t5").concept
    assert concept.status is status
    assert concept.replaced_by == ((f"{X}/terms/t2",) if "replaced_by" in fields else ())
    assert any(n.kind is NoteKind.HISTORY for n in concept.notes) is (kind is K.WITHDRAW)


def test_a_usage_warning_edit_keeps_other_notes(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = workflow.propose(
        team.editor,
        K.EDIT_USAGE_WARNINGS,
        {"usage_warnings": [{"text": "Engineers say recall."}]},
        concept_id="t1",
        base_version=1,
        reason="r",
        submit=True,
    )
    workflow.take(team.clinical_reviewer, p.id)
    workflow.approve(team.clinical_reviewer, p.id)

    notes = seeded.head_concept("t1").concept.notes
    assert [(n.kind, n.text) for n in notes] == [(NoteKind.WARNING, "Engineers say recall.")]


def test_comments_need_an_account_and_a_visible_proposal(workflow: Workflow, team: Team) -> None:
    p = propose_definition(workflow, team)

    with pytest.raises(Unauthorised):
        workflow.comment(None, p.id, "hello")
    c = workflow.comment(team.proposer, p.id, "Looks right to me.")

    assert [x.text for x in workflow.comments(None, p.id)] == ["Looks right to me."]
    assert c.author_id == team.proposer.id


def test_releases_are_for_release_managers_and_immutable(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    with pytest.raises(Forbidden):
        workflow.record_release(team.editor, "1.0.0")
    workflow.record_release(team.release_manager, "1.0.0", "first")

    with pytest.raises(Conflict, match="immutable"):
        workflow.record_release(team.release_manager, "1.0.0")
    assert [r.version for r in seeded.releases()] == ["1.0.0"]
    assert seeded.release_snapshot("1.0.0").concepts == seeded.head_snapshot().concepts


def test_labels_keep_kind_and_communities(
    workflow: Workflow, team: Team, seeded: SqlEditorialStore
) -> None:
    p = _label_proposal(workflow, team, seeded, ["industry", "academic"])
    workflow.take(team.clinical_reviewer, p.id)
    workflow.approve(team.clinical_reviewer, p.id)

    [label] = [lb for lb in seeded.head_concept("t1").concept.labels if lb.text == "hit rate"]
    assert (label.kind, label.usage) == (LabelKind.ALT, ("industry", "academic"))
