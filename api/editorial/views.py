"""Editorial objects as the API shows them: proposals with their diff, head concepts, accounts.

Accounts appear by their public name. A concept's `fields` use the shape proposals take,
so a program can read a concept, change a field and send it back as a proposal.
"""

from __future__ import annotations

from typing import Any

from api.editorial.context import Editorial
from vocab.editorial.codec import finding_to_dict, stamp
from vocab.editorial.model import Account, Comment, HeadConcept, Proposal, Review
from vocab.model import Concept, NoteKind


def proposal_json(editorial: Editorial, p: Proposal, base: str) -> dict[str, Any]:
    """Return the public JSON of a proposal: state, who, the diff of each edit, findings."""
    return {
        "id": p.id,
        "kind": p.kind.value,
        "state": p.state.value,
        "author": editorial.name(p.author_id),
        "reviewer": editorial.name(p.reviewer_id),
        "title": p.title,
        "reason": p.reason,
        "origin": p.origin,
        "created_at": stamp(p.created_at),
        "updated_at": stamp(p.updated_at),
        "edits": [
            {
                "concept_id": e.concept_id,
                "base_version": e.base_version,
                "change": change.to_json() if (change := e.change()) else None,
            }
            for e in p.edits
        ],
        "findings": [finding_to_dict(f) for f in p.findings],
        "link": f"{base}/editorial/proposals/{p.id}",
    }


def review_json(editorial: Editorial, r: Review) -> dict[str, Any]:
    return {
        "reviewer": editorial.name(r.reviewer_id),
        "decision": r.decision.value,
        "comment": r.comment,
        "at": stamp(r.created_at),
    }


def comment_json(editorial: Editorial, c: Comment) -> dict[str, Any]:
    return {"author": editorial.name(c.author_id), "text": c.text, "at": stamp(c.created_at)}


def proposal_detail_json(editorial: Editorial, p: Proposal, base: str) -> dict[str, Any]:
    """Return a proposal with its reviews and comments."""
    return {
        **proposal_json(editorial, p, base),
        "reviews": [review_json(editorial, r) for r in editorial.store.reviews(p.id)],
        "comments": [comment_json(editorial, c) for c in editorial.store.comments(p.id)],
    }


def concept_fields(concept: Concept, collections: tuple[str, ...]) -> dict[str, Any]:
    """Return a concept's editable fields in the shape a proposal's `fields` take."""

    def texts(values: tuple[Any, ...]) -> list[dict[str, str]]:
        return [{"text": v.text, "lang": v.lang} for v in values]

    return {
        "labels": [
            {"text": x.text, "lang": x.lang, "kind": x.kind.value, "usage": list(x.usage)}
            for x in concept.labels
        ],
        "definitions": texts(concept.definitions),
        "plain_definitions": texts(concept.plain_definitions),
        "usage_warnings": texts(tuple(n for n in concept.notes if n.kind is NoteKind.WARNING)),
        "notes": [
            {"kind": n.kind.value, "text": n.text, "lang": n.lang}
            for n in concept.notes
            if n.kind is not NoteKind.WARNING
        ],
        "broader": list(concept.broader),
        "narrower": list(concept.narrower),
        "related": list(concept.related),
        "mappings": [{"kind": m.kind.value, "target": m.target} for m in concept.mappings],
        "sources": list(concept.sources),
        "citations": texts(concept.citations),
        "pages": list(concept.pages),
        "notations": list(concept.notations),
        "collections": list(collections),
        "replaced_by": list(concept.replaced_by),
    }


def concept_json(head: HeadConcept, open_proposals: list[int]) -> dict[str, Any]:
    """Return a head concept with its version (the base of a new proposal)."""
    return {
        "id": head.concept.id,
        "uri": head.concept.uri,
        "version": head.version,
        "status": head.concept.status.value,
        "collections": list(head.collections),
        "fields": concept_fields(head.concept, head.collections),
        "open_proposals": open_proposals,
    }


def account_json(a: Account) -> dict[str, Any]:
    return {
        "name": a.name,
        "display_name": a.display_name,
        "roles": sorted(r.value for r in a.roles),
        "communities": list(a.scope.communities),
        "collections": list(a.scope.collections),
    }
