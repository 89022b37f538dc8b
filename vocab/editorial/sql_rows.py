"""Rows of the editorial tables to domain objects and back (no queries here)."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from vocab.codec import collection_from_dict, concept_from_dict, scheme_from_dict
from vocab.editorial.codec import dumps, edit_from_dict, finding_from_dict, parse_stamp, stamp
from vocab.editorial.model import (
    Account,
    ApiKey,
    AuditEntry,
    Comment,
    Decision,
    Delivery,
    DeliveryState,
    HeadConcept,
    LoginSession,
    Proposal,
    ProposalKind,
    ProposalState,
    Release,
    Review,
    ReviewerScope,
    Role,
)
from vocab.model import Collection, Scheme


def maybe_stamp(text: str | None) -> Any:
    return parse_stamp(text) if text else None


def account_values(a: Account) -> dict[str, Any]:
    return {
        "name": a.name,
        "display_name": a.display_name,
        "roles": dumps(sorted(r.value for r in a.roles)),
        "communities": dumps(list(a.scope.communities)),
        "collections": dumps(list(a.scope.collections)),
        "active": a.active,
    }


def account(row: sa.Row[Any]) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        display_name=row.display_name,
        roles=frozenset(Role(r) for r in json.loads(row.roles)),
        scope=ReviewerScope(tuple(json.loads(row.communities)), tuple(json.loads(row.collections))),
        active=bool(row.active),
        created_at=parse_stamp(row.created_at),
    )


def api_key(row: sa.Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        account_id=row.account_id,
        prefix=row.prefix,
        name=row.name,
        created_at=parse_stamp(row.created_at),
        revoked_at=maybe_stamp(row.revoked_at),
    )


def session(row: sa.Row[Any]) -> LoginSession:
    return LoginSession(
        row.id, row.account_id, parse_stamp(row.created_at), parse_stamp(row.expires_at)
    )


def proposal(row: sa.Row[Any]) -> Proposal:
    return Proposal(
        id=row.id,
        kind=ProposalKind(row.kind),
        state=ProposalState(row.state),
        author_id=row.author_id,
        reviewer_id=row.reviewer_id,
        title=row.title,
        reason=row.reason,
        edits=tuple(edit_from_dict(e) for e in json.loads(row.edits)),
        findings=tuple(finding_from_dict(f) for f in json.loads(row.findings)),
        origin=row.origin,
        created_at=parse_stamp(row.created_at),
        updated_at=parse_stamp(row.updated_at),
    )


def review(row: sa.Row[Any]) -> Review:
    return Review(
        row.id,
        row.proposal_id,
        row.reviewer_id,
        Decision(row.decision),
        row.comment,
        parse_stamp(row.created_at),
    )


def comment(row: sa.Row[Any]) -> Comment:
    return Comment(row.id, row.proposal_id, row.author_id, row.text, parse_stamp(row.created_at))


def audit_values(e: AuditEntry) -> dict[str, Any]:
    return {
        "at": stamp(e.at),
        "actor_id": e.actor_id,
        "actor": e.actor,
        "action": e.action,
        "subject": e.subject,
        "proposal_id": e.proposal_id,
        "reason": e.reason,
        "before": None if e.before is None else dumps(e.before),
        "after": None if e.after is None else dumps(e.after),
    }


def audit(row: sa.Row[Any]) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=parse_stamp(row.at),
        actor_id=row.actor_id,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        proposal_id=row.proposal_id,
        reason=row.reason,
        before=None if row.before is None else json.loads(row.before),
        after=None if row.after is None else json.loads(row.after),
    )


def release(row: sa.Row[Any]) -> Release:
    return Release(row.version, parse_stamp(row.created_at), row.created_by, row.note)


def head_concept(row: sa.Row[Any], collections: tuple[str, ...]) -> HeadConcept:
    return HeadConcept(concept_from_dict(json.loads(row.doc)), row.version, collections)


def scheme(row: sa.Row[Any]) -> tuple[Scheme, tuple[str, ...]]:
    return scheme_from_dict(json.loads(row.doc)), tuple(json.loads(row.top_concepts))


def collection(row: sa.Row[Any], members: tuple[str, ...]) -> Collection:
    return collection_from_dict({**json.loads(row.doc), "members": list(members)})


def delivery(row: sa.Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        audit_seq=row.audit_seq,
        url=row.url,
        delivery=row.delivery,
        attempts=row.attempts,
        due_at=parse_stamp(row.due_at),
        state=DeliveryState(row.state),
        last_error=row.last_error,
        updated_at=parse_stamp(row.updated_at),
    )
