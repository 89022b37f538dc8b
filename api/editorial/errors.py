"""The editorial errors as HTTP answers, beside the house table (`api.errors`).

401 carries `WWW-Authenticate`, 409 the evidence of what changed (`details`), 429 a
`Retry-After`; every body is the house envelope `{"error": {"code", "message"}}`, and no
answer is cached.
"""

from __future__ import annotations

import math

import orjson
from fastapi import FastAPI, Request
from starlette.responses import Response

from api.errors import error_response
from vocab.editorial.errors import Conflict, Forbidden, GateFailed, RateLimited, Unauthorised
from vocab.errors import VocabError

STATUS: dict[type[VocabError], int] = {
    Unauthorised: 401,
    Forbidden: 403,
    Conflict: 409,
    GateFailed: 422,
    RateLimited: 429,
}
CHALLENGE = 'Bearer realm="editorial", charset="UTF-8"'
NO_STORE = {"Cache-Control": "no-store"}


def editorial_error(request: Request, exc: VocabError) -> Response:
    """Return the answer to an editorial error (JSON, or an HTML page for browsers)."""
    status = next(code for cls, code in STATUS.items() if isinstance(exc, cls))
    headers = dict(NO_STORE)
    if isinstance(exc, Unauthorised):
        headers["WWW-Authenticate"] = CHALLENGE
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    if isinstance(exc, Conflict) and exc.details is not None:
        body = {"error": {"code": exc.code, "message": exc.message, "details": exc.details}}
        return Response(
            orjson.dumps(body), status_code=409, media_type="application/json", headers=headers
        )
    return error_response(status, exc.code, exc.message, headers=headers, request=request)


def install(app: FastAPI) -> None:
    """Register the handlers (Starlette picks the most specific class first)."""
    for cls in STATUS:

        async def handler(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, VocabError)
            return editorial_error(request, exc)

        app.add_exception_handler(cls, handler)
