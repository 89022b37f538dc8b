"""The editorial domain: accounts and roles, proposals and their states, reviews, the audit log.

Everything is frozen; stores return new objects. An object not yet stored has id 0 (or
seq 0 for audit entries); the store hands back the stored copy with its real id.

>>> scope = ReviewerScope(communities=("clinical",), collections=("evaluation",))
>>> scope.covers(["evaluation"]), scope.covers(["regulation"])
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from vocab.diff import ConceptChange, diff_concept
from vocab.model import COMMUNITIES, Concept
from vocab.problems import Problem

NEW = 0
"""The id of an object that is not stored yet."""

ALL_COLLECTIONS = "*"
"""A reviewer scope entry that covers every collection (and concepts in none)."""


class Role(StrEnum):
    """What an account may do; an anonymous caller is a reader."""

    READER = "reader"
    PROPOSER = "proposer"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    RELEASE_MANAGER = "release_manager"
    ADMIN = "admin"


class Community(StrEnum):
    """The communities a label records and a reviewer speaks for (as `vocab.model.COMMUNITIES`)."""

    INDUSTRY = "industry"
    CLINICAL = "clinical"
    REGULATORY = "regulatory"
    ACADEMIC = "academic"
    PATIENT = "patient"


assert tuple(Community) == COMMUNITIES


@dataclass(frozen=True)
class ReviewerScope:
    """The communities an account speaks for and the collections it may review."""

    communities: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()

    def covers(self, collections: Iterable[str]) -> bool:
        """Return whether every collection given is in scope (a concept in none needs '*')."""
        if ALL_COLLECTIONS in self.collections:
            return True
        wanted = set(collections)
        return bool(wanted) and wanted <= set(self.collections)


@dataclass(frozen=True)
class Account:
    """A person or program that signs in; secrets (password, key hashes) are kept elsewhere."""

    id: int
    name: str
    display_name: str = ""
    roles: frozenset[Role] = frozenset()
    scope: ReviewerScope = field(default_factory=ReviewerScope)
    active: bool = True
    created_at: datetime | None = None

    def has(self, role: Role) -> bool:
        """Return whether the account holds `role` (every account is a reader)."""
        return role is Role.READER or role in self.roles


@dataclass(frozen=True)
class ApiKey:
    """An API key's public record: the prefix identifies it, the secret is never stored."""

    id: int
    account_id: int
    prefix: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class LoginSession:
    """A signed-in browser session; its token and CSRF token are stored only as hashes."""

    id: int
    account_id: int
    created_at: datetime
    expires_at: datetime


class ProposalKind(StrEnum):
    """What a proposal changes; `workflow.KIND_FIELDS` says which payload fields each takes."""

    ADD_CONCEPT = "add_concept"
    EDIT_LABELS = "edit_labels"
    EDIT_DEFINITIONS = "edit_definitions"
    EDIT_PLAIN_DEFINITIONS = "edit_plain_definitions"
    EDIT_SOURCES = "edit_sources"
    EDIT_RELATIONS = "edit_relations"
    EDIT_MAPPINGS = "edit_mappings"
    EDIT_USAGE_WARNINGS = "edit_usage_warnings"
    EDIT_CONCEPT = "edit_concept"  # several kinds of field at once (an edited Turtle file)
    DEPRECATE = "deprecate"  # replaced by another concept
    MERGE = "merge"  # the same concept under another id
    WITHDRAW = "withdraw"  # retired with no successor


class ProposalState(StrEnum):
    """draft -> submitted -> in_review -> approved | rejected; withdrawn by its author."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATES = frozenset({ProposalState.DRAFT, ProposalState.SUBMITTED, ProposalState.IN_REVIEW})


@dataclass(frozen=True)
class ConceptEdit:
    """One concept as a proposal would leave it, and the version it started from.

    `base_version` is None for a new concept. `collections_*` are collection ids.
    """

    concept_id: str
    base_version: int | None
    before: Concept | None
    after: Concept
    collections_before: tuple[str, ...] = ()
    collections_after: tuple[str, ...] = ()

    def change(self) -> ConceptChange | None:
        """Return the concept-level diff of this edit (None if it changes nothing)."""
        return diff_concept(
            self.before, self.after, self.collections_before, self.collections_after
        )


@dataclass(frozen=True)
class Proposal:
    """A change to the vocabulary on its way through review."""

    id: int
    kind: ProposalKind
    state: ProposalState
    author_id: int
    title: str
    reason: str
    edits: tuple[ConceptEdit, ...]
    created_at: datetime
    updated_at: datetime
    findings: tuple[Problem, ...] = ()
    origin: str = "api"  # "api", or "turtle" for a proposal filed from an edited source file
    reviewer_id: int | None = None  # who took it into review, then who decided

    @property
    def concept_ids(self) -> tuple[str, ...]:
        """Return the ids of the concepts this proposal changes, in edit order."""
        return tuple(e.concept_id for e in self.edits)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Return the quality gate's error findings (they block approval)."""
        return tuple(f for f in self.findings if f.is_error)


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class Review:
    """A reviewer's decision on a proposal."""

    id: int
    proposal_id: int
    reviewer_id: int
    decision: Decision
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class Comment:
    """A remark on a proposal by anyone signed in who can see it."""

    id: int
    proposal_id: int
    author_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One append-only record: who did what, when, to which subject, why, from which proposal.

    `before` and `after` are JSON-ready values (a concept as `vocab.codec` stores it, a
    state name, a list of roles), or None.
    """

    seq: int
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    subject: str
    before: Any = None
    after: Any = None
    reason: str = ""
    proposal_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the entry as one JSON-ready dict (a line of the JSON Lines export)."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "proposal_id": self.proposal_id,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True)
class Release:
    """A published version of the vocabulary: immutable once recorded."""

    version: str
    created_at: datetime
    created_by: int
    note: str = ""


@dataclass(frozen=True)
class HeadConcept:
    """A concept of the editorial head with its version number and collections."""

    concept: Concept
    version: int
    collections: tuple[str, ...] = ()


class DeliveryState(StrEnum):
    """Where one webhook delivery stands: waiting for an attempt, delivered, or given up."""

    WAITING = "waiting"
    DELIVERED = "delivered"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class Delivery:
    """One webhook delivery: the event of audit entry `audit_seq`, to one receiver `url`.

    `delivery` is the id a receiver sees (`X-Vocab-Delivery`), the same on every attempt.
    """

    id: int
    audit_seq: int
    url: str
    delivery: str
    attempts: int
    due_at: datetime
    state: DeliveryState
    last_error: str
    updated_at: datetime


@dataclass(frozen=True)
class Followed:
    """What one step of following the audit log did: entries read, deliveries queued, and
    the entries dropped because too many deliveries were waiting."""

    read: int
    queued: tuple[Delivery, ...] = ()
    dropped: tuple[AuditEntry, ...] = ()
