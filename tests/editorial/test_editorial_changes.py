"""The workflow's rules on a real store, on SQLite and PostgreSQL: one test per rule.

This file holds what a proposal may carry (payloads), the quality gate and applying changes.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.editorial.conftest import Team, X
from tests.editorial.proposals import DEFINITION, K, _label_proposal, labels_of, propose_definition
from vocab.editorial.errors import Conflict, Forbidden, GateFailed, Unauthorised
from vocab.editorial.model import ProposalKind
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.errors import InvalidInput, NotFound
from vocab.model import LabelKind, NoteKind, Status

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
