"""Moving proposals through review: submit, withdraw, take, approve, reject.

The rules are `rules.py`'s; approval also re-checks the base versions and the quality
gate against the current head, then hands the store one decision to apply atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from vocab import quality
from vocab.codec import concept_to_dict
from vocab.diff import diff_concept
from vocab.editorial.changes import apply_edits
from vocab.editorial.checks import check_text
from vocab.editorial.errors import Conflict, GateFailed, StaleConcept
from vocab.editorial.model import (
    NEW,
    Account,
    AuditEntry,
    ConceptEdit,
    Decision,
    HeadConcept,
    Proposal,
    ProposalState,
    Review,
)
from vocab.editorial.protocol import EditorialStore
from vocab.editorial.rules import (
    require_approver,
    require_author,
    require_reviewer,
    transition,
)
from vocab.model import Snapshot
from vocab.problems import Problem, Severity

BLOCKING = (Severity.ERROR,)
"""Problem severities that block approval."""

S = ProposalState


def utc_now() -> datetime:
    return datetime.now(UTC)


def gate(
    head: Snapshot, edits: Iterable[ConceptEdit], before: frozenset[Problem] | None = None
) -> tuple[Problem, ...]:
    """Return the quality findings the edits would add to `head` (whose own findings are
    `before`, computed if not given), in check order."""
    before = frozenset(quality.check(head).findings) if before is None else before
    return tuple(f for f in quality.check(apply_edits(head, edits)).findings if f not in before)


class WorkflowBase:
    """The store, the clock, and what every step needs: audit entries and stale conflicts."""

    def __init__(self, store: EditorialStore, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock
        self._checked: tuple[Snapshot, frozenset[Problem]] | None = None

    def _gate(self, head: Snapshot, edits: Iterable[ConceptEdit]) -> tuple[Problem, ...]:
        """Return `gate(head, edits)`, checking the head itself once per head (the store
        hands back the same Snapshot object while the head is unchanged)."""
        if self._checked is None or self._checked[0] is not head:
            self._checked = (head, frozenset(quality.check(head).findings))
        return gate(head, edits, before=self._checked[1])

    def _entry(
        self,
        actor: Account,
        action: str,
        subject: str,
        *,
        before: Any = None,
        after: Any = None,
        reason: str = "",
        proposal_id: int | None = None,
    ) -> AuditEntry:
        return AuditEntry(
            NEW,
            self.clock(),
            actor.id,
            actor.name,
            action,
            subject,
            before,
            after,
            reason,
            proposal_id,
        )

    def _stale(self, concept_id: str, base: int | None, found: HeadConcept | None) -> Conflict:
        """Return the Conflict for an edit whose base version is no longer the head."""
        if base is None or found is None:
            return Conflict(f"Concept {concept_id} exists already or is gone; start from the head.")
        old = self.store.concept_version(concept_id, base)
        change = diff_concept(old.concept, found.concept, old.collections, found.collections)
        what = "; ".join(f.field for f in change.fields) if change else "nothing visible"
        return Conflict(
            f"Concept {concept_id} changed since version {base} (now {found.version}): {what}. "
            "Start again from the current version.",
            {
                "concept_id": concept_id,
                "base_version": base,
                "head_version": found.version,
                "change": change.to_json() if change else None,
            },
        )


class Reviewing(WorkflowBase):
    """The review steps of the workflow (see the module docstring)."""

    # --- moving through review ----------------------------------------------------------

    def _move(
        self,
        actor: Account,
        proposal: Proposal,
        new: ProposalState,
        action: str,
        reviewer_id: int | None = None,
    ) -> Proposal:
        entry = self._entry(
            actor,
            action,
            f"proposal:{proposal.id}",
            before=proposal.state.value,
            after=new.value,
            proposal_id=proposal.id,
        )
        return self.store.move_proposal(
            proposal.id, proposal.state, new, entry.at, entry, reviewer_id
        )

    def submit(self, actor: Account | None, proposal_id: int) -> Proposal:
        """Return the proposal moved from draft to submitted (its author only)."""
        p = self.store.proposal(proposal_id)
        author = require_author(actor, p)
        transition(p, S.SUBMITTED)
        return self._move(author, p, S.SUBMITTED, "proposal.submit")

    def withdraw(self, actor: Account | None, proposal_id: int) -> Proposal:
        """Return the proposal withdrawn by its author (while still open)."""
        p = self.store.proposal(proposal_id)
        author = require_author(actor, p)
        transition(p, S.WITHDRAWN)
        return self._move(author, p, S.WITHDRAWN, "proposal.withdraw")

    def _collections(self, p: Proposal) -> set[str]:
        return {c for e in p.edits for c in (*e.collections_before, *e.collections_after)}

    def take(self, actor: Account | None, proposal_id: int) -> Proposal:
        """Return the proposal taken into review by an eligible reviewer."""
        p = self.store.proposal(proposal_id)
        transition(p, S.IN_REVIEW)
        reviewer = require_reviewer(actor, p, self._collections(p))
        return self._move(reviewer, p, S.IN_REVIEW, "proposal.review", reviewer.id)

    def reject(self, actor: Account | None, proposal_id: int, comment: str) -> Proposal:
        """Return the proposal rejected; a comment saying why is required."""
        p = self.store.proposal(proposal_id)
        transition(p, S.REJECTED)
        reviewer = require_reviewer(actor, p, self._collections(p))
        comment = check_text(comment or "", "A rejection's comment")
        return self._decide(reviewer, p, Decision.REJECT, comment, ())

    def approve(self, actor: Account | None, proposal_id: int, comment: str = "") -> Proposal:
        """Return the proposal approved and applied to the head, with its audit entries.

        Raise Forbidden (role, own proposal, scope, community), Conflict (decided already,
        stale base: the message and details say what changed) or GateFailed.
        """
        p = self.store.proposal(proposal_id)
        transition(p, S.APPROVED)
        reviewer = require_reviewer(actor, p, self._collections(p))
        require_approver(reviewer, p, self.store.account(p.author_id))
        comment = check_text(comment, "The comment") if comment.strip() else ""
        head = {hc.concept.id: hc for hc in self.store.head()}
        for e in p.edits:
            if (head[e.concept_id].version if e.concept_id in head else None) != e.base_version:
                raise self._stale(e.concept_id, e.base_version, head.get(e.concept_id))
        errors = [
            f for f in self._gate(self.store.head_snapshot(), p.edits) if f.severity in BLOCKING
        ]
        if errors:
            listed = "\n".join(f"  {f.check} {f.subject}: {f.message}" for f in errors[:20])
            raise GateFailed(f"Proposal {p.id} would break the quality gate:\n{listed}")
        entries = [
            self._entry(
                reviewer,
                "concept.add" if e.before is None else "concept.update",
                f"concept:{e.concept_id}",
                reason=p.reason,
                proposal_id=p.id,
                before=concept_to_dict(e.before) if e.before else None,
                after=concept_to_dict(e.after),
            )
            for e in p.edits
        ]
        return self._decide(reviewer, p, Decision.APPROVE, comment, entries)

    def _decide(
        self,
        reviewer: Account,
        p: Proposal,
        decision: Decision,
        comment: str,
        entries: Sequence[AuditEntry],
    ) -> Proposal:
        new = S.APPROVED if decision is Decision.APPROVE else S.REJECTED
        review = Review(NEW, p.id, reviewer.id, decision, comment, self.clock())
        entry = self._entry(
            reviewer,
            f"proposal.{decision.value}",
            f"proposal:{p.id}",
            before=p.state.value,
            after=new.value,
            reason=comment,
            proposal_id=p.id,
        )
        try:
            return self.store.decide(review, [entry, *entries])
        except StaleConcept as exc:
            found = next((hc for hc in self.store.head() if hc.concept.id == exc.concept_id), None)
            raise self._stale(exc.concept_id, exc.expected, found) from None
