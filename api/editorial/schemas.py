"""The editorial API's bodies and answers as Pydantic models (they make `/openapi.json`).

Request models forbid unknown keys, so `status`, `created_by`, `id` or `approved_at` in
a body is a 422 (mass assignment, E18); the core checks every value again. Answers name
accounts by their public name, never by internal id, and hold no secret.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.deps import Community
from api.openapi import errors as house_errors
from vocab.editorial.model import ProposalKind, ProposalState
from vocab.model import LabelKind, MatchKind, NoteKind

Text = Annotated[str, Field(max_length=5000)]
Lang = Annotated[str | None, Field(default=None, max_length=35, examples=["en-GB"])]
ConceptRef = Annotated[str, Field(max_length=300, examples=["t0133"])]
Items = 200


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelIn(Strict):
    text: Annotated[str, Field(max_length=300)]
    lang: Lang = None
    kind: LabelKind
    usage: Annotated[list[Community], Field(max_length=5)] = []


class TextIn(Strict):
    text: Text
    lang: Lang = None


class NoteIn(Strict):
    kind: NoteKind
    text: Text
    lang: Lang = None


class MappingIn(Strict):
    kind: MatchKind
    target: Annotated[str, Field(max_length=2000)]


class FieldsIn(Strict):
    """The fields a proposal sets; each given field replaces that field's whole value.

    Which fields each kind takes: add_concept and edit_concept any but replaced_by and
    history_note; edit_labels `labels`; edit_definitions `definitions`;
    edit_plain_definitions `plain_definitions`; edit_sources `sources`, `citations`,
    `pages`; edit_relations `broader`, `narrower`, `related`; edit_mappings `mappings`;
    edit_usage_warnings `usage_warnings`; deprecate and merge `replaced_by` (and
    `history_note`); withdraw `history_note`.
    """

    labels: Annotated[list[LabelIn], Field(max_length=Items)] | None = None
    definitions: Annotated[list[TextIn], Field(max_length=Items)] | None = None
    plain_definitions: Annotated[list[TextIn], Field(max_length=Items)] | None = None
    usage_warnings: Annotated[list[TextIn], Field(max_length=Items)] | None = None
    notes: Annotated[list[NoteIn], Field(max_length=Items)] | None = None
    broader: Annotated[list[ConceptRef], Field(max_length=Items)] | None = None
    narrower: Annotated[list[ConceptRef], Field(max_length=Items)] | None = None
    related: Annotated[list[ConceptRef], Field(max_length=Items)] | None = None
    mappings: Annotated[list[MappingIn], Field(max_length=Items)] | None = None
    sources: (
        Annotated[list[Annotated[str, Field(max_length=2000)]], Field(max_length=Items)] | None
    ) = None
    citations: Annotated[list[TextIn], Field(max_length=Items)] | None = None
    pages: (
        Annotated[list[Annotated[str, Field(max_length=2000)]], Field(max_length=Items)] | None
    ) = None
    notations: (
        Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=Items)] | None
    ) = None
    collections: (
        Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=Items)] | None
    ) = None
    replaced_by: Annotated[list[ConceptRef], Field(max_length=Items)] | None = None
    history_note: TextIn | Text | None = None


class ProposalIn(Strict):
    """A new proposal: for an existing concept, its id and the version you started from."""

    kind: ProposalKind
    concept_id: Annotated[str | None, Field(max_length=40, examples=["t0133"])] = None
    base_version: Annotated[int | None, Field(ge=1, le=2_000_000_000)] = None
    title: Annotated[str, Field(max_length=200)] = ""
    reason: Annotated[str, Field(min_length=1, max_length=5000)]
    fields: FieldsIn
    submit: bool = Field(False, description="Submit for review at once (else it stays a draft).")


class DecisionIn(Strict):
    comment: Annotated[str, Field(max_length=5000)] = ""


class RejectionIn(Strict):
    comment: Annotated[str, Field(min_length=1, max_length=5000, description="Why (required).")]


class CommentIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=5000)]


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class FindingOut(BaseModel):
    check: str
    severity: str
    subject: str
    message: str


class EditOut(BaseModel):
    concept_id: str
    base_version: int | None
    change: dict[str, Any] | None


class ReviewOut(BaseModel):
    reviewer: str | None
    decision: Literal["approve", "reject"]
    comment: str
    at: str


class CommentOut(BaseModel):
    author: str | None
    text: str
    at: str


class ProposalOut(BaseModel):
    id: int
    kind: ProposalKind
    state: ProposalState
    author: str | None
    reviewer: str | None
    title: str
    reason: str
    origin: str
    created_at: str
    updated_at: str
    edits: list[EditOut]
    findings: list[FindingOut]
    link: str


class ProposalDetailOut(ProposalOut):
    reviews: list[ReviewOut]
    comments: list[CommentOut]


class QueueOut(BaseModel):
    proposals: list[ProposalOut]
    next_after: int | None = Field(
        description="Pass as ?after= for the next page; null at the end."
    )


class ConceptOut(BaseModel):
    id: str
    uri: str
    version: int = Field(description="Name it as base_version when you propose a change.")
    status: str
    collections: list[str]
    fields: dict[str, Any] = Field(description="The concept's fields in the shape proposals take.")
    open_proposals: list[int]


class AccountOut(BaseModel):
    name: str
    display_name: str
    roles: list[str]
    communities: list[str]
    collections: list[str]


CONFLICT = {
    "description": "The state moved on: a stale base version (`details` holds what changed), "
    "a decision taken already, a look-alike label",
    "model": ErrorOut,
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI `responses` for the given error statuses (the house `Error` body;
    409 adds `details`)."""
    found: dict[int | str, dict[str, Any]] = dict(house_errors(*(s for s in statuses if s != 409)))
    if 409 in statuses:
        found[409] = CONFLICT
    return found
