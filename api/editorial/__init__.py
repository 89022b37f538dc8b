"""The editorial side over HTTP: proposals and reviews for programs (JSON, API keys) and people
(server-rendered pages, sign-in sessions with CSRF tokens).

| module          | what it holds                                                         |
|-----------------|-----------------------------------------------------------------------|
| context.py      | Editorial (store, workflow, accounts, webhooks), open_editorial(settings) |
| auth.py         | who is calling: API keys, sessions, CSRF; cookies                     |
| errors.py       | 401/403/409/422/429 with WWW-Authenticate, details, Retry-After       |
| guard.py        | EditorialGuard: small bodies, `Cache-Control: no-store`               |
| schemas.py      | request and answer models (unknown keys refused)                      |
| views.py        | proposals, concepts and accounts as the API shows them                |
| queue.py        | the review queue's filters (community, collection) and paging         |
| history.py      | a concept's versions and the decisions behind them                    |
| routes_api.py   | /editorial/... JSON routes                                            |
| releases.py     | POST /editorial/releases: a release manager cuts a release            |
| forms.py        | reading the pages' form posts                                         |
| page_forms.py   | form fields to proposal payloads, per kind                            |
| routes_pages.py | /editorial/... HTML pages: sign in, queue, review, propose, suggest    |
| webhooks.py     | WebhookSender: follows the audit log, signed deliveries stored and retried |
"""

from __future__ import annotations

from fastapi import FastAPI

from api.editorial import errors, releases, routes_api, routes_pages
from api.editorial.context import Editorial
from api.editorial.guard import EditorialGuard


def install(api: FastAPI, editorial: Editorial) -> None:
    """Serve the editorial routes of `api` over `editorial`."""
    api.state.editorial = editorial
    errors.install(api)
    api.include_router(routes_api.router)
    api.include_router(releases.router)
    api.include_router(routes_pages.router)
    api.add_middleware(EditorialGuard)
    api.state.serving.templates.env.globals["editorial"] = True
    editorial.start(api.state.serving.base)
