"""The editorial JSON API end to end, on SQLite and PostgreSQL: propose, review, decide, history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, SKOS

from tests.api.editorial.conftest import NEW_CONCEPT, Desk, label


def new_concept(desk: Desk, who: str = "pat", **more: Any) -> Any:
    body = {
        "kind": "add_concept",
        "reason": "Used in every screening report.",
        "fields": NEW_CONCEPT,
        "submit": True,
        **more,
    }
    return desk.post("/editorial/proposals", who, body)


def label_change(desk: Desk, who: str = "pat", version: int | None = None) -> Any:
    """pat (industry) adds an alternative label used by industry to sensitivity (t0001)."""
    body = {
        "kind": "edit_labels",
        "concept_id": "t0001",
        "base_version": version or desk.version("t0001"),
        "reason": "Vendors call it hit rate.",
        "fields": {"labels": desk.labels("t0001", label("hit rate", "alt", "industry"))},
        "submit": True,
    }
    return desk.post("/editorial/proposals", who, body)


def in_review(desk: Desk, answer: Any, reviewer: str = "carol") -> int:
    pid = int(answer.json()["id"])
    assert desk.post(f"/editorial/proposals/{pid}/take", reviewer).status_code == 200
    return pid


def test_a_new_concept_is_proposed_with_its_findings_and_a_new_id(desk: Desk) -> None:
    answer = new_concept(desk)
    body = answer.json()
    assert (answer.status_code, body["state"], body["author"], body["edits"][0]["concept_id"]) == (
        201, "submitted", "pat", "t0006"
    )  # fmt: skip
    assert body["findings"] == [] and body["edits"][0]["change"]["kind"] == "added"


def test_an_approved_new_concept_joins_the_head_at_version_1(desk: Desk) -> None:
    pid = in_review(desk, new_concept(desk))
    answer = desk.post(f"/editorial/proposals/{pid}/approve", "ivan", {"comment": "Clear."})
    assert answer.json()["state"] == "approved"
    assert desk.client.get("/editorial/concepts/t0006").json()["version"] == 1


def test_nobody_approves_their_own_proposal(desk: Desk) -> None:
    pid = in_review(desk, desk.post("/editorial/proposals", "eve", {
        "kind": "edit_definitions", "concept_id": "t0002", "base_version": 1, "reason": "Clearer.",
        "fields": {"definitions": [{"text": "The share of real negatives a test clears.", "lang": "en-GB"}]},
        "submit": True}))  # fmt: skip
    desk.editorial.accounts.update_account(
        desk.accounts["admin"], desk.accounts["eve"].id, roles=["editor", "reviewer"]
    )
    answer = desk.post(f"/editorial/proposals/{pid}/approve", "eve", {})
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "forbidden")


def test_a_label_used_by_industry_needs_a_reviewer_of_another_community(desk: Desk) -> None:
    pid = in_review(desk, label_change(desk), reviewer="ivan")
    refused = desk.post(f"/editorial/proposals/{pid}/approve", "ivan", {})
    assert refused.status_code == 403 and "another community" in refused.json()["error"]["message"]


def test_a_reviewer_of_another_community_approves_the_label_change(desk: Desk) -> None:
    pid = in_review(desk, label_change(desk), reviewer="ivan")
    answer = desk.post(
        f"/editorial/proposals/{pid}/approve", "carol", {"comment": "Clinicians agree."}
    )
    assert (answer.status_code, answer.json()["state"], desk.version("t0001")) == (
        200,
        "approved",
        2,
    )


def test_a_stale_proposal_is_answered_409_with_what_changed(desk: Desk) -> None:
    first = in_review(desk, label_change(desk))
    desk.post(f"/editorial/proposals/{first}/approve", "carol", {})
    stale = label_change(desk, version=1)
    details = stale.json()["error"]["details"]
    assert (stale.status_code, details["base_version"], details["head_version"]) == (409, 1, 2)
    assert [f["field"] for f in details["change"]["fields"]] == ["labels"]


def test_approving_an_edit_that_went_stale_in_review_is_409(desk: Desk) -> None:
    one, two = in_review(desk, label_change(desk)), in_review(desk, label_change(desk))
    desk.post(f"/editorial/proposals/{one}/approve", "carol", {})
    answer = desk.post(f"/editorial/proposals/{two}/approve", "carol", {})
    assert answer.status_code == 409 and answer.json()["error"]["details"]["head_version"] == 2


def test_a_rejection_needs_a_comment(desk: Desk) -> None:
    pid = in_review(desk, new_concept(desk))
    assert desk.post(f"/editorial/proposals/{pid}/reject", "carol", {}).status_code == 422


def test_a_rejection_with_a_comment_closes_the_proposal(desk: Desk) -> None:
    pid = in_review(desk, new_concept(desk))
    answer = desk.post(
        f"/editorial/proposals/{pid}/reject", "carol", {"comment": "Duplicate of t0001."}
    )
    assert answer.json()["state"] == "rejected"
    assert answer.json()["reviews"] == [
        {
            "reviewer": "carol",
            "decision": "reject",
            "comment": "Duplicate of t0001.",
            "at": answer.json()["reviews"][0]["at"],
        }
    ]


def test_its_author_withdraws_a_proposal(desk: Desk) -> None:
    pid = new_concept(desk).json()["id"]
    assert desk.post(f"/editorial/proposals/{pid}/withdraw", "pat").json()["state"] == "withdrawn"


def test_only_its_author_withdraws_a_proposal(desk: Desk) -> None:
    pid = new_concept(desk).json()["id"]
    assert desk.post(f"/editorial/proposals/{pid}/withdraw", "eve").status_code == 403


def test_a_decision_taken_already_is_409(desk: Desk) -> None:
    pid = in_review(desk, new_concept(desk))
    assert desk.post(f"/editorial/proposals/{pid}/approve", "ivan", {}).status_code == 200
    assert (
        desk.post(f"/editorial/proposals/{pid}/reject", "carol", {"comment": "No."}).status_code
        == 409
    )


def test_a_draft_is_seen_by_its_author_only(desk: Desk) -> None:
    pid = new_concept(desk, submit=False).json()["id"]
    mine = desk.client.get(f"/editorial/proposals/{pid}", headers=desk.key("pat")).status_code
    theirs = desk.client.get(f"/editorial/proposals/{pid}", headers=desk.key("carol")).status_code
    anonymous = desk.client.get(f"/editorial/proposals/{pid}").status_code
    assert (mine, theirs, anonymous) == (200, 403, 403)


def test_the_queue_lists_open_proposals_to_anyone_but_no_drafts(desk: Desk) -> None:
    new_concept(desk, submit=False)
    submitted = new_concept(desk).json()["id"]
    listed = desk.client.get("/editorial/proposals").json()
    assert [p["id"] for p in listed["proposals"]] == [submitted] and listed["next_after"] is None


@pytest.mark.parametrize(("query", "expected"), [
    ("community=industry", ["label"]), ("community=clinical", ["concept"]),
    ("collection=evaluation", ["concept", "label"]), ("collection=regulation", []),
])  # fmt: skip
def test_the_queue_filters_by_community_and_collection(
    desk: Desk, query: str, expected: list[str]
) -> None:
    ids = {"concept": new_concept(desk).json()["id"], "label": label_change(desk).json()["id"]}
    listed = desk.client.get(f"/editorial/proposals?{query}").json()["proposals"]
    assert [p["id"] for p in listed] == [ids[x] for x in expected]


def test_a_comment_is_listed_with_the_proposal(desk: Desk) -> None:
    pid = new_concept(desk).json()["id"]
    desk.post(f"/editorial/proposals/{pid}/comments", "carol", {"text": "Which source?"})
    comments = desk.client.get(f"/editorial/proposals/{pid}").json()["comments"]
    assert [(c["author"], c["text"]) for c in comments] == [("carol", "Which source?")]


def test_the_history_of_a_concept_lists_each_version_with_its_proposal(desk: Desk) -> None:
    pid = in_review(desk, label_change(desk))
    desk.post(f"/editorial/proposals/{pid}/approve", "carol", {"comment": "Yes."})
    history = desk.client.get("/editorial/concepts/t0001/history").json()["history"]
    assert [(v["version"], v["action"], (v["proposal"] or {}).get("author"), v["by"]) for v in history] == [
        (1, "seeded", None, "system"), (2, "changed", "pat", "carol")
    ]  # fmt: skip


def test_the_history_in_turtle_has_change_notes_and_provenance(desk: Desk) -> None:
    pid = in_review(desk, label_change(desk))
    desk.post(f"/editorial/proposals/{pid}/approve", "carol", {})
    answer = desk.client.get("/editorial/concepts/t0001/history", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=answer.text, format="turtle")
    assert answer.headers["content-type"].startswith("text/turtle")
    assert len(list(graph.objects(None, SKOS.changeNote))) == 2
    assert len(list(graph.objects(None, PROV.wasGeneratedBy))) == 1


def test_the_audit_log_records_every_step_as_json_lines(desk: Desk) -> None:
    pid = in_review(desk, new_concept(desk))
    desk.post(f"/editorial/proposals/{pid}/approve", "ivan", {})
    lines = desk.client.get("/editorial/audit", headers=desk.key("admin")).text.splitlines()
    actions = [json.loads(x)["action"] for x in lines]
    assert actions[-6:] == [
        "proposal.create", "proposal.submit", "proposal.review", "proposal.approve",
        "concept.add", "concept.update",  # the new concept, and its broader concept's narrower
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("pat", 403), ("carol", 200), ("rob", 200)]
)
def test_the_audit_log_is_for_reviewers_release_managers_and_admins(
    desk: Desk, who: str | None, status: int
) -> None:
    assert (
        desk.client.get("/editorial/audit", headers=desk.key(who) if who else {}).status_code
        == status
    )


def test_a_concept_shows_its_version_and_open_proposals(desk: Desk) -> None:
    pid = label_change(desk).json()["id"]
    concept = desk.client.get("/editorial/concepts/t0001").json()
    assert (concept["version"], concept["open_proposals"], concept["collections"]) == (
        1,
        [pid],
        ["evaluation"],
    )


def test_me_names_the_account_of_the_key(desk: Desk) -> None:
    assert desk.client.get("/editorial/me", headers=desk.key("rita")).json() == {
        "name": "rita", "display_name": "rita", "roles": ["reviewer"],
        "communities": ["regulatory"], "collections": ["evaluation"],
    }  # fmt: skip
