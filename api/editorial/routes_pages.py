"""The editorial pages: sign in and out, the review queue, a proposal's review page, and the
forms to propose a change to a term or suggest a new one. Server-rendered, no script needed.

Every form post needs a sign-in session and carries its CSRF token; a post without a
session answers 401 (with a link to sign in), never a change. Anonymous suggestions are
not taken: whoever proposes has an account, so every change has an author to ask.
"""

from __future__ import annotations

from typing import Annotated, Any

from anyio.to_thread import run_sync
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.deps import BaseDep, Community
from api.editorial import page_forms
from api.editorial.auth import (
    CSRF_FIELD,
    PageAccountDep,
    clear_session_cookies,
    csrf_token,
    form_writer,
    login_csrf_ok,
    login_csrf_token,
    posted_form,
    set_login_csrf_cookie,
    set_session_cookies,
)
from api.editorial.context import Editorial, EditorialDep
from api.editorial.errors import STATUS
from api.editorial.forms import Form, read_form
from api.editorial.page_views import offers, side_by_side, summary
from api.editorial.queue import DEFAULT_STATES, QueueFilter, filtered_queue
from api.editorial.views import concept_fields
from api.errors import status_of as house_status
from api.rootpath import rooted
from api.templating import render
from vocab.editorial.model import Account, ProposalKind, ProposalState
from vocab.editorial.rules import KIND_ACTION, may
from vocab.errors import InvalidInput, VocabError
from vocab.model import COMMUNITIES

router = APIRouter(prefix="/editorial", include_in_schema=False)
ProposalId = Annotated[int, Path(ge=1, le=2_000_000_000)]
ConceptId = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
REVIEW_ACTIONS = ("submit", "withdraw", "take", "approve", "reject", "comment")


def page(
    request: Request, template: str, account: Account | None, status: int = 200, **context: Any
) -> HTMLResponse:
    """Return an editorial page rendered with what every one of them shows."""
    serving = request.app.state.serving
    html = render(
        serving.templates, f"editorial/{template}", scheme=serving.vocabulary.scheme,
        account=account, csrf=csrf_token(request), csrf_field=CSRF_FIELD, query="", **context,
    )  # fmt: skip
    return HTMLResponse(html, status_code=status)


def status_of(exc: VocabError) -> int:
    """Return the HTTP status of a domain error (the editorial table, then the house one)."""
    return next((code for cls, code in STATUS.items() if isinstance(exc, cls)), house_status(exc))


def _after_post(path: str) -> RedirectResponse:
    return RedirectResponse(rooted(path), status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, account: PageAccountDep, next: Annotated[str, Query(max_length=300)] = "/editorial") -> Response:  # fmt: skip
    return _sign_in_page(request, account, 200, next=_local(next))


def _sign_in_page(request: Request, account: Account | None, status: int, **context: Any) -> HTMLResponse:  # fmt: skip
    """The sign-in page, its form carrying the pre-session token (set as a cookie if new)."""
    token, new = login_csrf_token(request)
    answer = page(request, "sign_in.html", account, status, title="Sign in", login_csrf=token, **context)  # fmt: skip
    if new:
        set_login_csrf_cookie(answer, request, token)
    return answer


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, editorial: EditorialDep) -> Response:
    try:
        form = await read_form(request)
    except VocabError:
        form = Form([])  # not the sign-in form: no credentials, so the sign-in fails below
    target = _local(form.get("next", "/editorial"))
    if not login_csrf_ok(request, form):
        return _sign_in_page(request, None, 403, next=target, account_name=form.get("name")[:100],
                             error="This sign-in form has expired or came from another site. "
                             "Sign in again from this page.")  # fmt: skip
    try:
        _, tokens = await run_sync(
            editorial.accounts.login, form.get("name").strip(), form.get("password")
        )
    except VocabError as exc:
        headers = (
            {"Retry-After": str(round(getattr(exc, "retry_after", 0)) or 1)}
            if status_of(exc) == 429
            else {}
        )
        answer = _sign_in_page(request, None, status_of(exc), next=target, error=exc.message,
                               account_name=form.get("name")[:100])  # fmt: skip
        answer.headers.update(headers)
        return answer
    redirect = _after_post(target)
    set_session_cookies(redirect, request, tokens)
    return redirect


@router.post("/sign-out")
async def sign_out(request: Request, editorial: EditorialDep) -> Response:
    form = await posted_form(request)
    await run_sync(form_writer, request, editorial, form)
    await run_sync(editorial.accounts.logout, request.cookies.get("vocab_session", ""))
    answer = _after_post("/editorial/sign-in")
    clear_session_cookies(answer)
    return answer


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    editorial: EditorialDep,
    account: PageAccountDep,
    state: Annotated[ProposalState | None, Query()] = None,
    community: Annotated[Community | None, Query()] = None,
    collection: Annotated[str | None, Query(max_length=100)] = None,
    after: Annotated[int, Query(ge=0, le=2_000_000_000)] = 0,
) -> Response:
    wanted = QueueFilter((state,) if state else DEFAULT_STATES, community, collection or None)
    found, next_after = filtered_queue(editorial.store, account, wanted, after, 50)
    return page(
        request, "queue.html", account, title="Review queue", proposals=[summary(p) for p in found],
        next_after=next_after, state=state.value if state else "", community=community or "",
        collection=collection or "", states=[s.value for s in ProposalState],
        communities=COMMUNITIES, collections=_collections(editorial),
    )  # fmt: skip


def _collections(editorial: Editorial) -> list[tuple[str, str]]:
    if not editorial.store.is_seeded():
        return []
    return [(c.id, c.label()) for c in editorial.store.head_snapshot().collections]


def _review(request: Request, editorial: Editorial, account: Account | None, proposal_id: int,
            status: int = 200, error: str = "") -> HTMLResponse:  # fmt: skip
    p = editorial.workflow.proposal(account, proposal_id)
    return page(
        request, "proposal.html", account, status, title=f"Proposal {p.id}: {p.title}", p=summary(p),
        proposal=p, author=editorial.name(p.author_id), reviewer=editorial.name(p.reviewer_id),
        edits=[(e, side_by_side(e)) for e in p.edits], offers=offers(account, p), error=error,
        reviews=[(editorial.name(r.reviewer_id), r) for r in editorial.store.reviews(p.id)],
        comments=[(editorial.name(c.author_id), c) for c in editorial.store.comments(p.id)],
    )  # fmt: skip


@router.get("/review/{proposal_id}", response_class=HTMLResponse)
def review_page(request: Request, proposal_id: ProposalId, editorial: EditorialDep, account: PageAccountDep) -> Response:  # fmt: skip
    return _review(request, editorial, account, proposal_id)


@router.post("/review/{proposal_id}", response_class=HTMLResponse)
async def review(request: Request, proposal_id: ProposalId, editorial: EditorialDep, base: BaseDep) -> Response:  # fmt: skip
    form = await posted_form(request)
    return await run_sync(_act, request, editorial, base, proposal_id, form)


def _act(
    request: Request, editorial: Editorial, base: str, proposal_id: int, form: Form
) -> Response:
    actor = form_writer(request, editorial, form)
    action, comment = form.get("action"), form.get("comment")
    try:
        if action not in REVIEW_ACTIONS:
            raise InvalidInput(
                f"Unknown action '{action[:20]}'; use one of: {', '.join(REVIEW_ACTIONS)}."
            )
        if action == "comment":
            editorial.write("comment", actor, proposal_id, comment)
        elif action in ("approve", "reject"):
            editorial.announce(editorial.write(action, actor, proposal_id, comment))
        else:
            editorial.announce(editorial.write(action, actor, proposal_id))
    except VocabError as exc:
        return _review(request, editorial, actor, proposal_id, status_of(exc), exc.message)
    return _after_post(f"/editorial/review/{proposal_id}")


def _kinds(account: Account | None) -> list[tuple[str, str]]:
    return [(k.value, title) for k, title in page_forms.KIND_TITLES.items()
            if account is None or may(account, KIND_ACTION[k])]  # fmt: skip


def _propose_page(request: Request, editorial: Editorial, account: Account | None, concept_id: str,
                  kind: ProposalKind | None, status: int = 200, error: str = "",
                  reason: str = "") -> HTMLResponse:  # fmt: skip
    head = editorial.store.head_concept(concept_id)
    fields = concept_fields(head.concept, head.collections)
    return page(
        request, "propose.html", account, status, title=f"Propose a change: {head.concept.pref_label()}",
        concept=head.concept, kind=kind.value if kind else "", kinds=_kinds(account), error=error,
        kind_title=page_forms.KIND_TITLES.get(kind, "") if kind else "", reason=reason,
        form=page_forms.prefill(head, fields), communities=COMMUNITIES,
        label_kinds=["pref", "acronym", "alt", "hidden"],
    )  # fmt: skip


@router.get("/propose/{concept_id}", response_class=HTMLResponse)
def propose_page(request: Request, concept_id: ConceptId, editorial: EditorialDep, account: PageAccountDep,
                 kind: Annotated[ProposalKind | None, Query()] = None) -> Response:  # fmt: skip
    return _propose_page(request, editorial, account, concept_id, kind)


@router.post("/propose/{concept_id}", response_class=HTMLResponse)
async def propose(request: Request, concept_id: ConceptId, editorial: EditorialDep, base: BaseDep) -> Response:  # fmt: skip
    form = await posted_form(request)
    return await run_sync(_propose, request, editorial, base, concept_id, form)


def _propose(
    request: Request, editorial: Editorial, base: str, concept_id: str, form: Form
) -> Response:
    actor = form_writer(request, editorial, form)
    kind = next((k for k in page_forms.KIND_TITLES if k.value == form.get("kind")), None)
    try:
        if kind is None:
            raise InvalidInput("Choose what to change.")
        head = editorial.store.head_concept(concept_id)
        fields = page_forms.edit_fields(kind, form, concept_fields(head.concept, head.collections))
        p = editorial.write(
            "propose",
            actor, kind, fields, concept_id=concept_id, base_version=_int(form.get("base_version")),
            title=form.get("title"), reason=form.get("reason"), submit=bool(form.get("submit")),
        )  # fmt: skip
    except VocabError as exc:
        return _propose_page(request, editorial, actor, concept_id, kind, status_of(exc), exc.message, form.get("reason"))  # fmt: skip
    editorial.announce(p)
    return _after_post(f"/editorial/review/{p.id}")


def _suggest_page(request: Request, editorial: Editorial, account: Account | None, values: dict[str, Any],
                  status: int = 200, error: str = "") -> HTMLResponse:  # fmt: skip
    return page(request, "suggest.html", account, status, title="Suggest a new term", values=values,
                error=error, communities=COMMUNITIES, collections=_collections(editorial))  # fmt: skip


@router.get("/suggest", response_class=HTMLResponse)
def suggest_page(request: Request, editorial: EditorialDep, account: PageAccountDep,
                 label: Annotated[str, Query(max_length=300)] = "") -> Response:  # fmt: skip
    return _suggest_page(request, editorial, account, {"pref_label": label})


@router.post("/suggest", response_class=HTMLResponse)
async def suggest(request: Request, editorial: EditorialDep, base: BaseDep) -> Response:
    form = await posted_form(request)
    return await run_sync(_suggest, request, editorial, base, form)


def _suggest(request: Request, editorial: Editorial, base: str, form: Form) -> Response:
    actor = form_writer(request, editorial, form)
    try:
        p = editorial.write(
            "propose",
            actor, ProposalKind.ADD_CONCEPT, page_forms.new_concept_fields(form),
            title=form.get("title"), reason=form.get("reason"), submit=bool(form.get("submit")),
        )  # fmt: skip
    except VocabError as exc:
        values: dict[str, Any] = {k: v[0] for k, v in form.values.items() if k != CSRF_FIELD}
        values["usage"] = form.all("usage")
        return _suggest_page(request, editorial, actor, values, status_of(exc), exc.message)
    editorial.announce(p)
    return _after_post(f"/editorial/review/{p.id}")


def _local(target: str) -> str:
    """Return `target` if it is a path on this site under /editorial (no open redirect)."""
    return (
        target
        if target.startswith("/editorial") and "//" not in target and "\\" not in target
        else "/editorial"
    )


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None
