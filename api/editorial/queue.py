"""The review queue with the filters reviewers use: state, community, collection, concept.

The store pages by proposal id; the community and collection filters are applied to each
page, so one call scans a bounded number of proposals (`MAX_SCANNED`) and says where to
go on (`next_after`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vocab.editorial.model import Account, Proposal, ProposalState
from vocab.editorial.protocol import EditorialStore
from vocab.editorial.rules import Action, label_communities, may, require

PAGE = 200
MAX_SCANNED = 1000
DEFAULT_STATES = (ProposalState.SUBMITTED, ProposalState.IN_REVIEW)
AUDIT_READERS = (Action.REVIEW, Action.RELEASE, Action.MANAGE_ACCOUNTS)


@dataclass(frozen=True)
class QueueFilter:
    states: tuple[ProposalState, ...] = ()
    community: str | None = None
    collection: str | None = None
    concept: str | None = None

    def keeps(self, p: Proposal) -> bool:
        """Return whether a proposal passes the community and collection filters."""
        if self.community and self.community not in label_communities(p):
            return False
        touched = {c for e in p.edits for c in (*e.collections_before, *e.collections_after)}
        return not self.collection or self.collection in touched


def filtered_queue(
    store: EditorialStore, actor: Account | None, wanted: QueueFilter, after: int, limit: int
) -> tuple[list[Proposal], int | None]:
    """Return up to `limit` proposals passing `wanted` after id `after`, and the next cursor."""
    found: list[Proposal] = []
    scanned = 0
    while scanned < MAX_SCANNED:
        page = store.proposals(
            states=wanted.states or DEFAULT_STATES,
            concept_id=wanted.concept,
            after_id=after,
            limit=PAGE,
        )
        for p in page:
            scanned += 1
            after = p.id
            if visible(actor, p) and wanted.keeps(p):
                found.append(p)
                if len(found) == limit:
                    return found, after
        if len(page) < PAGE:
            return found, None
    return found, after


def visible(actor: Account | None, p: Proposal) -> bool:
    """Return whether the actor may see a proposal (drafts only their authors; as the workflow)."""
    return p.state is not ProposalState.DRAFT or (actor is not None and actor.id == p.author_id)


def require_any(actor: Account | None, actions: Iterable[Action]) -> Account:
    """Return the actor if a role grants any of `actions`; raise Unauthorised or Forbidden."""
    actions = tuple(actions)
    if any(may(actor, a) for a in actions):
        assert actor is not None
        return actor
    return require(actor, actions[0])
