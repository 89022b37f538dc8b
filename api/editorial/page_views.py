"""What the pages show: a side-by-side diff of each edit, and which actions a viewer is offered.

The offers only decide which buttons appear; the workflow checks every rule again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vocab.diff import FIELDS, DiffValue, value_json, value_text
from vocab.editorial.model import OPEN_STATES, Account, ConceptEdit, Proposal, ProposalState
from vocab.editorial.rules import Action, may

S = ProposalState
FIELD_NAMES = {"labels": "Labels", "plain_definitions": "Plain-language definitions"}


@dataclass(frozen=True)
class Cell:
    text: str
    state: str  # "same", "removed" or "added"


@dataclass(frozen=True)
class Row:
    field: str
    before: tuple[Cell, ...]
    after: tuple[Cell, ...]


def side_by_side(edit: ConceptEdit) -> list[Row]:
    """Return, for each field the edit changes, its values before and after, marked."""
    change = edit.change()
    if change is None:
        return []
    getters = dict(FIELDS)
    rows = []
    old: tuple[DiffValue, ...]
    new: tuple[DiffValue, ...]
    for f in change.fields:
        if f.field == "collections":
            old, new = edit.collections_before, edit.collections_after
        else:
            old = getters[f.field](edit.before) if edit.before else ()
            new = getters[f.field](edit.after)
        added = {repr(value_json(v)) for v in f.added}
        removed = {repr(value_json(v)) for v in f.removed}
        rows.append(
            Row(
                FIELD_NAMES.get(f.field, f.field.replace("_", " ").capitalize()),
                tuple(
                    Cell(value_text(v), "removed" if repr(value_json(v)) in removed else "same")
                    for v in old
                ),
                tuple(
                    Cell(value_text(v), "added" if repr(value_json(v)) in added else "same")
                    for v in new
                ),
            )
        )
    return rows


def offers(actor: Account | None, p: Proposal) -> dict[str, bool]:
    """Return which action forms to show this viewer on this proposal."""
    author = actor is not None and actor.id == p.author_id
    reviewer = may(actor, Action.REVIEW) and not author
    return {
        "submit": author and p.state is S.DRAFT,
        "withdraw": author and p.state in OPEN_STATES,
        "take": reviewer and p.state is S.SUBMITTED,
        "decide": reviewer and p.state is S.IN_REVIEW,
        "comment": (may(actor, Action.COMMENT) and p.state is not S.DRAFT) or author,
    }


def summary(p: Proposal) -> dict[str, Any]:
    """Return the few facts the queue lists for a proposal."""
    return {
        "id": p.id,
        "title": p.title,
        "kind": p.kind.value.replace("_", " "),
        "state": p.state.value.replace("_", " "),
        "concepts": list(p.concept_ids),
        "errors": len(p.errors),
        "findings": len(p.findings),
        "updated": p.updated_at.strftime("%Y-%m-%d %H:%M"),
    }
