"""A concept's editorial history: every version, the proposal and decision behind it, the diff.

Version 1 is the seeded concept (or the approved proposal that added it); each approved
proposal since is one more version. The audit log is the record (`concept:{id}` entries,
written in the same transaction as the change); `loaders.editorial_history` turns this
JSON into `skos:changeNote` and PROV for the Turtle representation.
"""

from __future__ import annotations

from typing import Any

from api.editorial.context import Editorial
from vocab.codec import concept_from_dict
from vocab.diff import diff_concept
from vocab.editorial.model import OPEN_STATES, AuditEntry, ProposalState

ACTIONS = {"concept.add": "added", "concept.update": "changed"}


def _proposal(editorial: Editorial, proposal_id: int | None, base: str) -> dict[str, Any] | None:
    if proposal_id is None:
        return None
    p = editorial.store.proposal(proposal_id)
    return {
        "id": p.id,
        "kind": p.kind.value,
        "title": p.title,
        "author": editorial.name(p.author_id),
        "link": f"{base}/editorial/proposals/{p.id}",
    }


def _version(editorial: Editorial, n: int, e: AuditEntry, base: str) -> dict[str, Any]:
    before = concept_from_dict(e.before) if e.before else None
    change = diff_concept(before, concept_from_dict(e.after)) if e.after else None
    return {
        "version": n,
        "at": e.at.isoformat(),
        "action": ACTIONS.get(e.action, e.action),
        "by": e.actor,
        "reason": e.reason,
        "proposal": _proposal(editorial, e.proposal_id, base),
        "change": change.to_json() if change else None,
    }


def concept_history(editorial: Editorial, concept_id: str, base: str) -> dict[str, Any]:
    """Return the history of a concept, oldest version first; raise NotFound."""
    head = editorial.store.head_concept(concept_id)
    entries = [
        e for e in editorial.store.audit(subject=f"concept:{concept_id}", limit=10_000)
        if e.action in ACTIONS
    ]  # fmt: skip
    versions = []
    if not entries or entries[0].action != "concept.add":
        seeded = editorial.store.audit(subject="vocabulary", limit=1)
        versions.append(
            {
                "version": 1,
                "at": seeded[0].at.isoformat() if seeded else None,
                "action": "seeded",
                "by": seeded[0].actor if seeded else "system",
                "reason": seeded[0].reason if seeded else "",
                "proposal": None,
                "change": None,
            }
        )
    first = len(versions) + 1
    versions += [_version(editorial, first + i, e, base) for i, e in enumerate(entries)]
    pending = editorial.store.proposals(states=tuple(OPEN_STATES), concept_id=concept_id, limit=200)
    return {
        "concept": {"id": concept_id, "uri": head.concept.uri, "version": head.version},
        "history": versions,
        "open_proposals": [p.id for p in pending if p.state is not ProposalState.DRAFT],
    }
