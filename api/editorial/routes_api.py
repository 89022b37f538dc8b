"""The editorial JSON API: proposals, reviews, comments, head concepts, the audit log.

Reading is anonymous (drafts only to their authors); every write needs an API key
(`ProgramDep`). Each route calls one workflow step; errors map in `api.editorial.errors`.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from api.deps import BaseDep, Community
from api.editorial.auth import ProgramDep, ReaderDep
from api.editorial.context import EditorialDep
from api.editorial.history import concept_history
from api.editorial.queue import AUDIT_READERS, QueueFilter, filtered_queue, require_any
from api.editorial.schemas import (
    AccountOut,
    CommentIn,
    CommentOut,
    ConceptOut,
    DecisionIn,
    ProposalDetailOut,
    ProposalIn,
    QueueOut,
    RejectionIn,
    errors,
)
from api.editorial.views import (
    account_json,
    comment_json,
    concept_json,
    proposal_detail_json,
    proposal_json,
)
from api.respond import choose_format
from loaders.editorial_history import write_history_turtle
from vocab.editorial.model import OPEN_STATES, ProposalState

router = APIRouter(prefix="/editorial", tags=["editorial"])
ProposalId = Annotated[int, Path(ge=1, le=2_000_000_000, description="The proposal's number.")]
ConceptId = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413, 422, 429)


@router.get("/me", summary="Who you are signed in as", response_model=AccountOut,
            responses=errors(400, 401, 429))  # fmt: skip
async def me(actor: ProgramDep) -> dict[str, Any]:
    """The account of the API key sent: name, roles, communities and collections."""
    return account_json(actor)


@router.get("/proposals", summary="The review queue", response_model=QueueOut,
            responses=errors(400, 401, 422, 429))  # fmt: skip
def queue(
    editorial: EditorialDep,
    actor: ReaderDep,
    base: BaseDep,
    state: Annotated[
        list[ProposalState] | None,
        Query(
            max_length=6, description="States to list (repeat); default submitted and in_review."
        ),
    ] = None,
    community: Annotated[
        Community | None, Query(description="Labels used by this community.")
    ] = None,
    collection: Annotated[
        str | None, Query(max_length=100, description="Changes touching this collection (id).")
    ] = None,
    concept: Annotated[
        str | None, Query(max_length=40, description="Changes to this concept (id).")
    ] = None,
    after: Annotated[
        int,
        Query(
            ge=0,
            le=2_000_000_000,
            description="List proposals after this id (the last answer's next_after).",
        ),
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=200, description="How many proposals (1-200).")] = 50,
) -> dict[str, Any]:
    """Submitted and in-review proposals by default, oldest first; drafts only your own."""
    wanted = QueueFilter(tuple(state or ()), community, collection, concept)
    found, next_after = filtered_queue(editorial.store, actor, wanted, after, limit)
    return {
        "proposals": [proposal_json(editorial, p, base) for p in found],
        "next_after": next_after,
    }


@router.post("/proposals", status_code=201, summary="Propose a change",
             response_model=ProposalDetailOut, responses=WRITE_ERRORS)  # fmt: skip
def propose(
    body: ProposalIn, editorial: EditorialDep, actor: ProgramDep, base: BaseDep
) -> dict[str, Any]:
    """A new proposal (a draft, or submitted with `submit: true`), with the quality gate's findings."""
    p = editorial.write(
        "propose",
        actor, body.kind, body.fields.model_dump(exclude_none=True, exclude_unset=True),
        concept_id=body.concept_id, base_version=body.base_version, title=body.title,
        reason=body.reason, submit=body.submit,
    )  # fmt: skip
    return proposal_detail_json(editorial, editorial.announce(p), base)


@router.get("/proposals/{proposal_id}", summary="One proposal, with its diff",
            response_model=ProposalDetailOut, responses=errors(400, 401, 403, 404, 429))  # fmt: skip
def proposal(
    proposal_id: ProposalId, editorial: EditorialDep, actor: ReaderDep, base: BaseDep
) -> dict[str, Any]:
    """The proposal, the change of each concept it edits, findings, reviews and comments."""
    return proposal_detail_json(editorial, editorial.workflow.proposal(actor, proposal_id), base)


def _step(name: str, summary: str, doc: str) -> None:
    """Register POST /proposals/{id}/{name} for a step that takes no body."""

    def step(
        proposal_id: ProposalId, editorial: EditorialDep, actor: ProgramDep, base: BaseDep
    ) -> dict[str, Any]:
        p = editorial.write(name, actor, proposal_id)
        return proposal_detail_json(editorial, editorial.announce(p), base)

    step.__doc__ = doc
    router.post(f"/proposals/{{proposal_id}}/{name}", summary=summary, name=name,
                response_model=ProposalDetailOut, responses=WRITE_ERRORS)(step)  # fmt: skip


_step("submit", "Submit a draft for review", "Its author moves a draft to submitted.")
_step("withdraw", "Withdraw a proposal", "Its author withdraws an open proposal.")
_step("take", "Take a proposal into review", "An eligible reviewer (not its author) takes it.")


@router.post("/proposals/{proposal_id}/approve", summary="Approve a proposal",
             response_model=ProposalDetailOut, responses=WRITE_ERRORS)  # fmt: skip
def approve(
    proposal_id: ProposalId,
    body: DecisionIn,
    editorial: EditorialDep,
    actor: ProgramDep,
    base: BaseDep,
) -> dict[str, Any]:
    """Approve a proposal in review: four eyes, reviewer scope, another community for labels;
    the change then waits for the next release."""
    p = editorial.write("approve", actor, proposal_id, body.comment)
    return proposal_detail_json(editorial, editorial.announce(p), base)


@router.post("/proposals/{proposal_id}/reject", summary="Reject a proposal",
             response_model=ProposalDetailOut, responses=WRITE_ERRORS)  # fmt: skip
def reject(
    proposal_id: ProposalId,
    body: RejectionIn,
    editorial: EditorialDep,
    actor: ProgramDep,
    base: BaseDep,
) -> dict[str, Any]:
    """Reject a proposal in review, saying why."""
    p = editorial.write("reject", actor, proposal_id, body.comment)
    return proposal_detail_json(editorial, editorial.announce(p), base)


@router.post("/proposals/{proposal_id}/comments", status_code=201, summary="Comment on a proposal",
             response_model=CommentOut, responses=WRITE_ERRORS)  # fmt: skip
def comment(
    proposal_id: ProposalId, body: CommentIn, editorial: EditorialDep, actor: ProgramDep
) -> dict[str, Any]:
    """Add a comment to a proposal you can see."""
    return comment_json(editorial, editorial.write("comment", actor, proposal_id, body.text))


@router.get("/concepts/{concept_id}", summary="A concept as editors see it, with its version",
            response_model=ConceptOut, responses=errors(400, 401, 404, 429, 503))  # fmt: skip
def concept(concept_id: ConceptId, editorial: EditorialDep, actor: ReaderDep) -> dict[str, Any]:
    """The current editorial version of a concept (name it as `base_version`) and its open proposals."""
    head = editorial.store.head_concept(concept_id)
    pending = editorial.workflow.queue(
        actor, states=tuple(OPEN_STATES), concept_id=concept_id, limit=200
    )
    return concept_json(head, [p.id for p in pending])


@router.get("/audit", summary="The audit log, as JSON Lines",
            responses={200: {"content": {"application/x-ndjson": {"schema": {"type": "string", "description": "One JSON audit entry a line."}}}}, **errors(400, 401, 403, 429)})  # fmt: skip
def audit(editorial: EditorialDep, actor: ProgramDep,
          after: Annotated[int, Query(ge=0, le=2**62, description="Entries after this sequence number.")] = 0,
          limit: Annotated[int, Query(ge=1, le=5000, description="How many entries (1-5000).")] = 1000) -> Response:  # fmt: skip
    """Audit entries after sequence number `after`, oldest first (reviewers, release managers, admins)."""
    require_any(actor, AUDIT_READERS)
    entries = editorial.store.audit(after_seq=after, limit=limit)
    body = b"".join(orjson.dumps(e.to_json()) + b"\n" for e in entries)
    return Response(body, media_type="application/x-ndjson")


HISTORY_OFFERS = (("json", "application/json"), ("ttl", "text/turtle"))


@router.get("/concepts/{concept_id}/history", summary="A concept's editorial history",
            responses={200: {"content": {"application/json": {"schema": {"type": "object"}}, "text/turtle": {}}},
                       **errors(400, 401, 404, 429, 503)})  # fmt: skip
def history(
    request: Request,
    concept_id: ConceptId,
    editorial: EditorialDep,
    base: BaseDep,
    format: Annotated[
        str | None, Query(pattern="^(json|ttl)$", description="Override Accept: json or ttl.")
    ] = None,
) -> Response:
    """Every version with the proposal, author, reviewer, reason and diff behind it; as JSON,
    or as Turtle (`skos:changeNote` and PROV) for `Accept: text/turtle` or `?format=ttl`."""
    data = concept_history(editorial, concept_id, base)
    if choose_format(request, HISTORY_OFFERS, "json", format) == "ttl":
        document = f"{base}/editorial/concepts/{concept_id}/history"
        body, media = write_history_turtle(data, document), "text/turtle; charset=utf-8"
    else:
        body, media = orjson.dumps(data), "application/json"
    return Response(body, media_type=media, headers={"Vary": "Accept"})
