"""Who is calling: API keys for programs, sign-in sessions (with CSRF tokens) for the pages.

- Programs send `X-API-Key: airt_...` or `Authorization: Bearer airt_...`. A key in the
  address (`?api_key=`) is refused, since addresses end up in logs.
- The JSON write routes accept API keys only, never cookies, so a browser cannot be made
  to call them from another site. The pages' forms accept the session cookie only, and
  each form carries the session's CSRF token, checked on every post (E23); both cookies
  are HttpOnly and SameSite=Strict.
- Signing in is protected too (login CSRF): the sign-in page sets a pre-session token in a
  SameSite=Strict cookie and in its form, and a sign-in post must carry both, equal; a post
  from another site carries no cookie, so nobody can sign a visitor into an attacker's account.
- Nothing here looks at the client's address or `X-Forwarded-For`: being on the server's
  network grants nothing (E24).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.responses import Response

from api.editorial.context import Editorial, EditorialDep
from api.editorial.forms import Form, read_form
from vocab.editorial.errors import Unauthorised
from vocab.editorial.model import Account
from vocab.editorial.security import NewSession
from vocab.errors import InvalidInput

SESSION_COOKIE = "vocab_session"
CSRF_COOKIE = "vocab_csrf"
LOGIN_CSRF_COOKIE = "vocab_login_csrf"
COOKIE_PATH = "/editorial"
CSRF_FIELD = "csrf_token"
KEY_IN_ADDRESS = ("api_key", "apikey", "key", "token", "access_token")


def presented_key(request: Request) -> str | None:
    """Return the API key in the request's headers, or None; raise for a key in the address."""
    if any(name in request.query_params for name in KEY_IN_ADDRESS):
        raise InvalidInput(
            "Send the API key in the X-API-Key header, never in the address: "
            "addresses are written to logs. Revoke that key and issue a new one."
        )
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorised("Use 'Authorization: Bearer <API key>' or the X-API-Key header.")
        return token.strip()
    key = request.headers.get("x-api-key")
    return key.strip() if key is not None else None


def session_account(request: Request, editorial: Editorial) -> Account | None:
    """Return the signed-in account of the session cookie, or None (no or expired session)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return editorial.accounts.authenticate_session(token)
    except Unauthorised:
        return None


def optional_account(request: Request, editorial: EditorialDep) -> Account | None:
    """Reads: the key's account (a bad key is 401), else the session's, else anonymous."""
    key = presented_key(request)
    if key is not None:
        return editorial.accounts.authenticate_key(key)
    return session_account(request, editorial)


API_KEY = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key (`vocab user key NAME`); `Authorization: Bearer KEY` works too.",
)
"""Declares the key in /openapi.json; `presented_key` reads it (and the Bearer form)."""


def program_account(
    request: Request, editorial: EditorialDep, _: Annotated[str | None, Security(API_KEY)] = None
) -> Account:
    """Writes through the JSON API: the account of a valid API key; raise Unauthorised."""
    key = presented_key(request)
    if key is None:
        raise Unauthorised(
            "Send an API key (X-API-Key header) to change anything; "
            "an admin issues one with `vocab user key NAME`."
        )
    return editorial.accounts.authenticate_key(key)


def page_account(request: Request, editorial: EditorialDep) -> Account | None:
    """Pages: the signed-in account, or None."""
    return session_account(request, editorial)


async def posted_form(request: Request) -> Form:
    """A form post's fields; raise Unauthorised before reading the body if there is no session."""
    if not request.cookies.get(SESSION_COOKIE):
        raise Unauthorised("Sign in first: /editorial/sign-in")
    return await read_form(request)


def form_writer(request: Request, editorial: Editorial, form: Form) -> Account:
    """The session's account if the form carries its CSRF token: Unauthorised, else Forbidden."""
    token = request.cookies.get(SESSION_COOKIE, "")
    editorial.accounts.authenticate_session(token)
    return editorial.accounts.authenticate_session(token, form.get(CSRF_FIELD), unsafe=True)


def csrf_token(request: Request) -> str:
    """Return the CSRF token to put in this page's forms ('' when not signed in)."""
    return request.cookies.get(CSRF_COOKIE, "")


def login_csrf_token(request: Request) -> tuple[str, bool]:
    """Return the sign-in form's token and whether it is new (then set it with the page)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if 20 <= len(token) <= 100:
        return token, False
    return secrets.token_urlsafe(32), True


def set_login_csrf_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, path=COOKIE_PATH, httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip


def login_csrf_ok(request: Request, form: Form) -> bool:
    """True if the sign-in post carries the token of the sign-in page it came from."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    posted = form.get(CSRF_FIELD)
    return bool(cookie) and hmac.compare_digest(cookie.encode(), posted.encode())


def set_session_cookies(response: Response, request: Request, tokens: NewSession) -> None:
    """Give the browser its session and CSRF cookies (HttpOnly, SameSite=Strict)."""
    secure = request.url.scheme == "https"
    for name, value in ((SESSION_COOKIE, tokens.token), (CSRF_COOKIE, tokens.csrf_token)):
        response.set_cookie(
            name, value, path=COOKIE_PATH, httponly=True, samesite="strict", secure=secure
        )


def clear_session_cookies(response: Response) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict")


ReaderDep = Annotated[Account | None, Depends(optional_account)]
ProgramDep = Annotated[Account, Depends(program_account)]
PageAccountDep = Annotated[Account | None, Depends(page_account)]
