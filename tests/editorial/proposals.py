"""Proposals for the workflow's tests (test_editorial_workflow.py, test_editorial_changes.py)."""

from __future__ import annotations

from typing import Any

from tests.editorial.conftest import Team
from vocab.editorial.model import ProposalKind
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow

K = ProposalKind
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
