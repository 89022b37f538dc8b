"""The editorial store on SQL (SQLAlchemy Core): SQLite as the embedded default, or PostgreSQL.

Every method runs in one transaction. Decisions lock the proposal row (PostgreSQL) or
hold SQLite's single write lock (BEGIN IMMEDIATE), then move the state with a conditional
UPDATE (`WHERE state = 'in_review'`) and bump each concept with `WHERE version = base`,
so of two concurrent deciders exactly one wins and the other gets Conflict.

>>> store = SqlEditorialStore.open("/tmp/doctest-editorial.db")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vocab.editorial import schema as t
from vocab.editorial import sql_rows as rows
from vocab.editorial.codec import (
    dumps,
    edit_to_dict,
    finding_to_dict,
    snapshot_from_dict,
    snapshot_to_dict,
    stamp,
)
from vocab.editorial.database import create_engine, upgrade
from vocab.editorial.errors import Conflict
from vocab.editorial.model import (
    AuditEntry,
    Comment,
    Decision,
    Proposal,
    ProposalState,
    Release,
    Review,
)
from vocab.editorial.protocol import EditorialStore
from vocab.editorial.sql_accounts import SqlAccounts
from vocab.editorial.sql_base import new_id
from vocab.editorial.sql_head import SqlHead
from vocab.editorial.sql_outbox import SqlOutbox
from vocab.errors import NotFound
from vocab.model import Snapshot


class SqlEditorialStore(SqlHead, SqlAccounts, SqlOutbox):
    """`EditorialStore` over one SQLAlchemy engine (see the module docstring)."""

    @classmethod
    def open(cls, target: str | Path) -> SqlEditorialStore:
        """Return a store on a SQLite path or database URL, migrated to the newest schema."""
        engine = create_engine(target)
        upgrade(engine)
        return cls(engine)

    # --- proposals, reviews, comments ---------------------------------------------------

    def add_proposal(self, proposal: Proposal, audit: AuditEntry) -> Proposal:
        with self._write() as c:
            key = new_id(
                c.execute(
                    sa.insert(t.proposals).values(
                        kind=proposal.kind.value,
                        state=proposal.state.value,
                        author_id=proposal.author_id,
                        reviewer_id=proposal.reviewer_id,
                        title=proposal.title,
                        reason=proposal.reason,
                        edits=dumps([edit_to_dict(e) for e in proposal.edits]),
                        findings=dumps([finding_to_dict(f) for f in proposal.findings]),
                        origin=proposal.origin,
                        created_at=stamp(proposal.created_at),
                        updated_at=stamp(proposal.updated_at),
                    )
                )
            )
            ids = sorted(set(proposal.concept_ids))
            if ids:
                c.execute(
                    sa.insert(t.proposal_concepts),
                    [{"proposal_id": key, "concept_id": i} for i in ids],
                )
            self._audit(c, replace(audit, proposal_id=key, subject=f"proposal:{key}"))
            return self._proposal(c, key)

    def _proposal(self, c: sa.Connection, proposal_id: int, lock: bool = False) -> Proposal:
        query = sa.select(t.proposals).where(t.proposals.c.id == proposal_id)
        row = c.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFound(f"No proposal {proposal_id}.")
        return rows.proposal(row)

    def proposal(self, proposal_id: int) -> Proposal:
        with self._read() as c:
            return self._proposal(c, proposal_id)

    def proposals(
        self,
        *,
        states: Sequence[ProposalState] = (),
        author_id: int | None = None,
        concept_id: str | None = None,
        after_id: int = 0,
        limit: int = 100,
    ) -> list[Proposal]:
        p = t.proposals.c
        query = sa.select(t.proposals).where(p.id > after_id).order_by(p.id).limit(max(0, limit))
        if states:
            query = query.where(p.state.in_([s.value for s in states]))
        if author_id is not None:
            query = query.where(p.author_id == author_id)
        if concept_id is not None:
            pc = t.proposal_concepts.c
            query = query.where(
                p.id.in_(sa.select(pc.proposal_id).where(pc.concept_id == concept_id))
            )
        with self._read() as c:
            return [rows.proposal(r) for r in c.execute(query)]

    def _move(
        self,
        c: sa.Connection,
        proposal_id: int,
        expected: ProposalState,
        new: ProposalState,
        at: datetime,
        reviewer_id: int | None,
    ) -> None:
        current = self._proposal(c, proposal_id, lock=True)
        values: dict[str, Any] = {"state": new.value, "updated_at": stamp(at)}
        if reviewer_id is not None:
            values["reviewer_id"] = reviewer_id
        p = t.proposals.c
        done = c.execute(
            sa.update(t.proposals)
            .where(p.id == proposal_id, p.state == expected.value)
            .values(values)
        )
        if done.rowcount != 1:
            raise Conflict(
                f"Proposal {proposal_id} is {current.state.value}, no longer {expected.value}: someone acted on it first."
            )

    def move_proposal(
        self,
        proposal_id: int,
        expected: ProposalState,
        new: ProposalState,
        at: datetime,
        audit: AuditEntry,
        reviewer_id: int | None = None,
    ) -> Proposal:
        with self._write() as c:
            self._move(c, proposal_id, expected, new, at, reviewer_id)
            self._audit(c, audit)
            return self._proposal(c, proposal_id)

    def decide(self, review: Review, audit: Sequence[AuditEntry]) -> Proposal:
        new = (
            ProposalState.APPROVED
            if review.decision is Decision.APPROVE
            else ProposalState.REJECTED
        )
        with self._write() as c:
            self._move(
                c,
                review.proposal_id,
                ProposalState.IN_REVIEW,
                new,
                review.created_at,
                review.reviewer_id,
            )
            c.execute(
                sa.insert(t.reviews).values(
                    proposal_id=review.proposal_id,
                    reviewer_id=review.reviewer_id,
                    decision=review.decision.value,
                    comment=review.comment,
                    created_at=stamp(review.created_at),
                )
            )
            proposal = self._proposal(c, review.proposal_id)
            if new is ProposalState.APPROVED:
                for edit in proposal.edits:
                    self._apply(c, edit, proposal.id, review.created_at)
            for entry in audit:
                self._audit(c, entry)
            return proposal

    def reviews(self, proposal_id: int) -> list[Review]:
        r = t.reviews.c
        with self._read() as c:
            return [
                rows.review(x)
                for x in c.execute(
                    sa.select(t.reviews).where(r.proposal_id == proposal_id).order_by(r.id)
                )
            ]

    def add_comment(self, comment: Comment) -> Comment:
        with self._write() as c:
            self._proposal(c, comment.proposal_id)
            key = new_id(
                c.execute(
                    sa.insert(t.comments).values(
                        proposal_id=comment.proposal_id,
                        author_id=comment.author_id,
                        text=comment.text,
                        created_at=stamp(comment.created_at),
                    )
                )
            )
        return Comment(
            key, comment.proposal_id, comment.author_id, comment.text, comment.created_at
        )

    def comments(self, proposal_id: int) -> list[Comment]:
        m = t.comments.c
        with self._read() as c:
            return [
                rows.comment(x)
                for x in c.execute(
                    sa.select(t.comments).where(m.proposal_id == proposal_id).order_by(m.id)
                )
            ]

    # --- the audit log and releases -----------------------------------------------------

    def append_audit(self, entry: AuditEntry) -> AuditEntry:
        with self._write() as c:
            return self._audit(c, entry)

    def audit(
        self, *, subject: str | None = None, after_seq: int = 0, limit: int = 1000
    ) -> list[AuditEntry]:
        a = t.audit_log.c
        query = sa.select(t.audit_log).where(a.seq > after_seq).order_by(a.seq).limit(max(0, limit))
        if subject is not None:
            query = query.where(a.subject == subject)
        with self._read() as c:
            return [rows.audit(r) for r in c.execute(query)]

    def add_release(self, release: Release, snapshot: Snapshot, audit: AuditEntry) -> Release:
        with self._write() as c:
            if c.execute(
                sa.select(t.releases.c.version).where(t.releases.c.version == release.version)
            ).first():
                raise Conflict(f"Release {release.version} exists already; releases are immutable.")
            c.execute(
                sa.insert(t.releases).values(
                    version=release.version,
                    created_at=stamp(release.created_at),
                    created_by=release.created_by,
                    note=release.note,
                    snapshot=dumps(snapshot_to_dict(snapshot)),
                )
            )
            self._audit(c, audit)
        return release

    def releases(self) -> list[Release]:
        r = t.releases.c
        with self._read() as c:
            return [
                rows.release(x)
                for x in c.execute(sa.select(t.releases).order_by(r.created_at, r.version))
            ]

    def release_snapshot(self, version: str) -> Snapshot:
        with self._read() as c:
            text = c.execute(
                sa.select(t.releases.c.snapshot).where(t.releases.c.version == version)
            ).scalar()
        if text is None:
            raise NotFound(f"No release '{version}'.")
        return snapshot_from_dict(json.loads(text))


def _conforms(store: SqlEditorialStore) -> EditorialStore:
    """Let mypy check that the SQL store implements the whole protocol."""
    return store
