"""What the editorial workflow needs from a store, with no SQL dialect above this line.

Every method is one transaction: it happens whole or not at all. Methods that move a
proposal take the state they expect and raise Conflict when another caller got there
first, so two reviewers deciding at once cannot both win. Methods that write also take
the audit entries that record the write, and store them in the same transaction. The
audit log has no method that updates or deletes it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from vocab.editorial.model import (
    Account,
    ApiKey,
    AuditEntry,
    Comment,
    Delivery,
    DeliveryState,
    Followed,
    HeadConcept,
    LoginSession,
    Proposal,
    ProposalState,
    Release,
    Review,
)
from vocab.model import Snapshot


class EditorialStore(Protocol):
    """Storage for the editorial side; `sql_store.SqlEditorialStore` is the implementation."""

    def close(self) -> None:
        """Release the store's connections."""

    # --- the editorial head: the current concepts, each with a version number ------------

    def is_seeded(self) -> bool:
        """Return whether a vocabulary has been loaded."""

    def seed(self, snapshot: Snapshot, base: str, audit: AuditEntry) -> None:
        """Load `snapshot` as version 1 of every concept; raise Conflict if already seeded."""

    def base(self) -> str:
        """Return the base URI of concepts ({base}/terms/{id}); raise StoreError if unseeded."""

    def head(self) -> list[HeadConcept]:
        """Return every concept of the head with its version and collections, by id."""

    def head_concept(self, concept_id: str) -> HeadConcept:
        """Return one head concept; raise NotFound if there is none with that id."""

    def concept_version(self, concept_id: str, version: int) -> HeadConcept:
        """Return a concept as it was at `version`; raise NotFound if it never was."""

    def head_snapshot(self) -> Snapshot:
        """Return the head as a Snapshot (schemes, concepts, collections, top concepts)."""

    def allocate_concept_id(self) -> str:
        """Return a concept id never handed out before (ids are never reused)."""

    # --- accounts, API keys, sessions --------------------------------------------------

    def add_account(
        self, account: Account, password_hash: str | None, audit: AuditEntry
    ) -> Account:
        """Return the stored account; raise Conflict if the name is taken."""

    def account(self, account_id: int) -> Account:
        """Return an account; raise NotFound."""

    def account_by_name(self, name: str) -> Account | None:
        """Return the account with that name, or None."""

    def accounts(self) -> list[Account]:
        """Return every account, by id."""

    def update_account(self, account: Account, audit: AuditEntry) -> Account:
        """Store new roles, scope, display name or standing; raise NotFound."""

    def password_hash(self, account_id: int) -> str | None:
        """Return the account's password hash, or None if it has no password."""

    def set_password_hash(self, account_id: int, password_hash: str, audit: AuditEntry) -> None:
        """Replace the account's password hash; raise NotFound."""

    def add_api_key(self, key: ApiKey, key_hash: str, audit: AuditEntry) -> ApiKey:
        """Return the stored key record; raise Conflict if the prefix is taken."""

    def api_key(self, prefix: str) -> tuple[ApiKey, str] | None:
        """Return the key with that prefix and its stored hash, or None."""

    def api_keys(self, account_id: int) -> list[ApiKey]:
        """Return the account's keys, revoked ones included, by id."""

    def revoke_api_key(self, key_id: int, at: datetime, audit: AuditEntry) -> ApiKey:
        """Mark a key revoked (once); raise NotFound."""

    def add_session(self, session: LoginSession, token_hash: str, csrf_hash: str) -> LoginSession:
        """Return the stored session."""

    def session(self, token_hash: str) -> tuple[LoginSession, str] | None:
        """Return the session with that token hash and its CSRF token hash, or None."""

    def end_session(self, session_id: int) -> None:
        """Forget a session (sign out); nothing happens if it is already gone."""

    # --- proposals, reviews, comments ----------------------------------------------------

    def add_proposal(self, proposal: Proposal, audit: AuditEntry) -> Proposal:
        """Return the stored proposal with its id."""

    def proposal(self, proposal_id: int) -> Proposal:
        """Return a proposal; raise NotFound."""

    def proposals(
        self,
        *,
        states: Sequence[ProposalState] = (),
        author_id: int | None = None,
        concept_id: str | None = None,
        after_id: int = 0,
        limit: int = 100,
    ) -> list[Proposal]:
        """Return proposals matching every filter given, by id, after `after_id`, at most `limit`."""

    def move_proposal(
        self,
        proposal_id: int,
        expected: ProposalState,
        new: ProposalState,
        at: datetime,
        audit: AuditEntry,
        reviewer_id: int | None = None,
    ) -> Proposal:
        """Move a proposal from `expected` to `new`; raise Conflict if it is not in `expected`."""

    def decide(self, review: Review, audit: Sequence[AuditEntry]) -> Proposal:
        """Record a decision on a proposal in review; on approval apply its edits to the head.

        All or nothing: raise Conflict if the proposal is no longer in review, StaleConcept
        if a concept moved past the version an edit started from.
        """

    def reviews(self, proposal_id: int) -> list[Review]:
        """Return the decisions on a proposal, by id."""

    def add_comment(self, comment: Comment) -> Comment:
        """Return the stored comment; raise NotFound if the proposal does not exist."""

    def comments(self, proposal_id: int) -> list[Comment]:
        """Return a proposal's comments, oldest first."""

    # --- the audit log (append-only) and releases ------------------------------------------

    def append_audit(self, entry: AuditEntry) -> AuditEntry:
        """Return the stored entry with its sequence number."""

    def audit(
        self, *, subject: str | None = None, after_seq: int = 0, limit: int = 1000
    ) -> list[AuditEntry]:
        """Return audit entries after `after_seq`, oldest first, at most `limit`."""

    def add_release(self, release: Release, snapshot: Snapshot, audit: AuditEntry) -> Release:
        """Record a release and its snapshot; raise Conflict if the version exists."""

    def releases(self) -> list[Release]:
        """Return every release, oldest first."""

    def release_snapshot(self, version: str) -> Snapshot:
        """Return the snapshot of a release; raise NotFound."""

    # --- webhook deliveries: the audit log is the outbox ---------------------------------

    def webhook_cursor(self) -> int:
        """Return the webhook cursor (the newest audit seq already turned into deliveries);
        the first call sets it to the newest seq there is, so history is never announced."""

    def queue_deliveries(
        self,
        urls: Sequence[str],
        actions: Collection[str],
        at: datetime,
        *,
        limit: int = 500,
        max_waiting: int = 10_000,
    ) -> Followed:
        """In one transaction, read up to `limit` audit entries after the cursor, queue a
        waiting delivery (due `at`) per URL for each entry whose action is in `actions`, and
        move the cursor past them. An entry that would take the waiting deliveries past
        `max_waiting` is dropped (and returned as such). Nothing happens before `webhook_cursor`."""

    def claim_deliveries(
        self, urls: Sequence[str], now: datetime, *, lease_s: float = 60.0, limit: int = 50
    ) -> list[tuple[Delivery, AuditEntry]]:
        """Return waiting deliveries to `urls` due by `now`, earliest first, with their audit
        entries, each moved `lease_s` ahead so no other sender takes it meanwhile."""

    def next_due(self, urls: Sequence[str]) -> datetime | None:
        """Return when the earliest waiting delivery to `urls` is due, or None if none waits."""

    def record_attempt(
        self,
        delivery_id: int,
        at: datetime,
        *,
        delivered: bool,
        error: str = "",
        retry_at: datetime | None = None,
    ) -> Delivery:
        """Count an attempt: delivered, or due again at `retry_at`, or (no `retry_at`)
        abandoned. A delivery no longer waiting is left as it is. Raise NotFound."""

    def deliveries(
        self, *, state: DeliveryState | None = None, after_id: int = 0, limit: int = 1000
    ) -> list[Delivery]:
        """Return deliveries (in `state` if given) after `after_id`, by id, at most `limit`."""

    def count_waiting(self, urls: Sequence[str]) -> int:
        """Return how many deliveries to `urls` wait for an attempt."""

    def abandon_deliveries_except(self, urls: Sequence[str], at: datetime, reason: str) -> int:
        """Abandon every waiting delivery to an address not in `urls` (one no longer
        configured), recording `reason` as its error; return how many."""

    def prune_deliveries(self, before: datetime, *, limit: int = 10_000) -> int:
        """Delete up to `limit` delivered or abandoned deliveries last updated before
        `before` (waiting ones are never deleted); return how many."""
