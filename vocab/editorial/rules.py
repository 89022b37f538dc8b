"""Who may do what, as data: role grants, proposal kinds, state transitions, reviewer eligibility.

- `GRANTS`: the actions each role grants (an anonymous caller is a reader: read only);
- `KIND_ACTION` / `KIND_FIELDS`: which action proposing a kind needs, and which payload
  fields it may set (anything else, `status`, `id` or `created_by` included, is refused);
- `TRANSITIONS`: (from, to) -> who may move a proposal: its author or a reviewer;
- four eyes: nobody reviews their own proposal; reviewers act within their collections;
- communities: approving a change that adds or edits a label used by some communities
  needs a reviewer who speaks for another community (`approval_communities`).

>>> sorted(a.value for a in GRANTS[Role.PROPOSER])
['comment', 'propose']
>>> TRANSITIONS[(ProposalState.IN_REVIEW, ProposalState.APPROVED)].who
'reviewer'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from vocab.editorial.errors import Conflict, Forbidden, Unauthorised
from vocab.editorial.model import Account, Proposal, ProposalKind, ProposalState, Role
from vocab.model import COMMUNITIES, Label


class Action(StrEnum):
    PROPOSE = "propose"  # add concepts and edit them
    PROPOSE_RETIREMENT = "propose_retirement"  # deprecate, merge or withdraw a concept
    COMMENT = "comment"
    REVIEW = "review"
    RELEASE = "release"
    MANAGE_ACCOUNTS = "manage_accounts"


GRANTS: dict[Role, frozenset[Action]] = {
    Role.READER: frozenset(),
    Role.PROPOSER: frozenset({Action.PROPOSE, Action.COMMENT}),
    Role.EDITOR: frozenset({Action.PROPOSE, Action.PROPOSE_RETIREMENT, Action.COMMENT}),
    Role.REVIEWER: frozenset({Action.REVIEW, Action.COMMENT}),
    Role.RELEASE_MANAGER: frozenset({Action.RELEASE, Action.COMMENT}),
    Role.ADMIN: frozenset({Action.MANAGE_ACCOUNTS, Action.COMMENT}),
}

_EDITS = (
    "labels",
    "definitions",
    "plain_definitions",
    "usage_warnings",
    "notes",
    "broader",
    "narrower",
    "related",
    "mappings",
    "sources",
    "citations",
    "pages",
    "notations",
)
KIND_FIELDS: dict[ProposalKind, tuple[str, ...]] = {
    ProposalKind.ADD_CONCEPT: (*_EDITS, "collections"),
    ProposalKind.EDIT_LABELS: ("labels",),
    ProposalKind.EDIT_DEFINITIONS: ("definitions",),
    ProposalKind.EDIT_PLAIN_DEFINITIONS: ("plain_definitions",),
    ProposalKind.EDIT_SOURCES: ("sources", "citations", "pages"),
    ProposalKind.EDIT_RELATIONS: ("broader", "narrower", "related"),
    ProposalKind.EDIT_MAPPINGS: ("mappings",),
    ProposalKind.EDIT_USAGE_WARNINGS: ("usage_warnings",),
    ProposalKind.EDIT_CONCEPT: (*_EDITS, "collections"),
    ProposalKind.DEPRECATE: ("replaced_by", "history_note"),
    ProposalKind.MERGE: ("replaced_by", "history_note"),
    ProposalKind.WITHDRAW: ("history_note",),
}
"""Payload fields each kind may set; each given field replaces that field's whole value."""

REQUIRED_FIELDS: dict[ProposalKind, tuple[str, ...]] = {
    ProposalKind.ADD_CONCEPT: ("labels",),
    ProposalKind.DEPRECATE: ("replaced_by",),
    ProposalKind.MERGE: ("replaced_by",),
    ProposalKind.WITHDRAW: ("history_note",),
}

RETIREMENTS = (ProposalKind.DEPRECATE, ProposalKind.MERGE, ProposalKind.WITHDRAW)
KIND_ACTION: dict[ProposalKind, Action] = {
    kind: Action.PROPOSE_RETIREMENT if kind in RETIREMENTS else Action.PROPOSE
    for kind in ProposalKind
}


@dataclass(frozen=True)
class Transition:
    who: str  # "author" or "reviewer"
    needs_comment: bool = False


S = ProposalState
TRANSITIONS: dict[tuple[ProposalState, ProposalState], Transition] = {
    (S.DRAFT, S.SUBMITTED): Transition("author"),
    (S.SUBMITTED, S.IN_REVIEW): Transition("reviewer"),
    (S.IN_REVIEW, S.APPROVED): Transition("reviewer"),
    (S.IN_REVIEW, S.REJECTED): Transition("reviewer", needs_comment=True),
    (S.DRAFT, S.WITHDRAWN): Transition("author"),
    (S.SUBMITTED, S.WITHDRAWN): Transition("author"),
    (S.IN_REVIEW, S.WITHDRAWN): Transition("author"),
}


def signed_in(actor: Account | None) -> Account:
    """Return the actor; raise Unauthorised if anonymous, Forbidden if deactivated."""
    if actor is None:
        raise Unauthorised("Sign in or send an API key to change anything.")
    if not actor.active:
        raise Forbidden(f"Account '{actor.name}' is deactivated.")
    return actor


def may(actor: Account | None, action: Action) -> bool:
    """Return whether the actor's roles grant `action` (anonymous callers may only read)."""
    return actor is not None and actor.active and any(action in GRANTS[r] for r in actor.roles)


def require(actor: Account | None, action: Action) -> Account:
    """Return the actor if a role grants `action`; raise Unauthorised or Forbidden."""
    account = signed_in(actor)
    if not may(account, action):
        needed = sorted(r.value for r, actions in GRANTS.items() if action in actions)
        raise Forbidden(
            f"'{account.name}' may not {action.value.replace('_', ' ')}; "
            f"that needs one of the roles: {', '.join(needed)}."
        )
    return account


def transition(proposal: Proposal, new: ProposalState) -> Transition:
    """Return the rule for moving `proposal` to `new`; raise Conflict if no rule allows it."""
    rule = TRANSITIONS.get((proposal.state, new))
    if rule is None:
        allowed = sorted(to.value for (frm, to) in TRANSITIONS if frm is proposal.state)
        raise Conflict(
            f"Proposal {proposal.id} is {proposal.state.value}; it can move to "
            f"{', '.join(allowed) or 'nothing: it is closed'}, not {new.value}."
        )
    return rule


def require_author(actor: Account | None, proposal: Proposal) -> Account:
    """Return the actor if it wrote the proposal; raise Unauthorised or Forbidden."""
    account = signed_in(actor)
    if account.id != proposal.author_id:
        raise Forbidden(f"Only the author of proposal {proposal.id} may do that.")
    return account


def require_reviewer(
    actor: Account | None, proposal: Proposal, collections: Iterable[str]
) -> Account:
    """Return the actor if it may review `proposal` (role, four eyes, collection scope)."""
    account = require(actor, Action.REVIEW)
    if account.id == proposal.author_id:
        raise Forbidden(
            f"Nobody reviews their own proposal: {proposal.id} needs a second pair of eyes."
        )
    wanted = sorted(set(collections))
    if not account.scope.covers(wanted):
        raise Forbidden(
            f"'{account.name}' reviews the collections {', '.join(account.scope.collections) or '(none)'}; "
            f"proposal {proposal.id} touches {', '.join(wanted) or 'a concept in no collection'}."
        )
    return account


def label_communities(proposal: Proposal) -> frozenset[str]:
    """Return the communities using any label the proposal adds or changes."""
    found: set[str] = set()
    for edit in proposal.edits:
        old: set[Label] = set(edit.before.labels) if edit.before else set()
        for label in set(edit.after.labels) - old:
            found.update(label.usage)
    return frozenset(found)


def approval_communities(proposal: Proposal, author: Account) -> frozenset[str] | None:
    """Return the communities of which an approver must speak for one (None: any reviewer).

    Another community than those using the labels; if the labels are used by every
    community, another community than the author's own.
    """
    using = label_communities(proposal)
    if not using:
        return None
    others = frozenset(COMMUNITIES) - using
    if others:
        return others
    return frozenset(COMMUNITIES) - set(author.scope.communities) or None


def require_approver(reviewer: Account, proposal: Proposal, author: Account) -> None:
    """Raise Forbidden unless the reviewer speaks for a community the labels need."""
    needed = approval_communities(proposal, author)
    if needed is not None and not needed & set(reviewer.scope.communities):
        raise Forbidden(
            f"Proposal {proposal.id} adds or edits labels used by "
            f"{', '.join(sorted(label_communities(proposal)))}; it needs approval by a reviewer "
            f"of another community ({', '.join(sorted(needed))}), and '{reviewer.name}' speaks for "
            f"{', '.join(reviewer.scope.communities) or 'none'}."
        )
