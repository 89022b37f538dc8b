"""Domain errors to HTTP, in one table; every error body is `{"error": {"code", "message"}}`."""

from __future__ import annotations

import logging
import sqlite3

import anyio.to_thread
import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response

from api import openapi
from api.fhir import outcome as fhir_outcome
from api.limits import Refused
from api.negotiation import choose
from api.rootpath import route_path
from api.templating import render
from vocab.errors import (
    IntegrityError,
    InvalidInput,
    NotFound,
    ParseError,
    ReleaseConflict,
    ReleaseRefused,
    StoreError,
    TooLarge,
    UnsafeInput,
    UnsupportedFormat,
    VocabError,
)

log = logging.getLogger("vocab.api")

STORE_DAMAGED = (
    "The vocabulary store could not be read (it may be damaged); /ready says why. "
    "Try again later; the operator restores or rebuilds the store."
)

STATUS: dict[type[VocabError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    UnsupportedFormat: 400,
    TooLarge: 413,
    UnsafeInput: 400,
    ParseError: 400,
    IntegrityError: 422,
    StoreError: 503,
    ReleaseConflict: 409,
    ReleaseRefused: 422,
}
"""Most specific class first: the first entry the error is an instance of wins."""


def status_of(exc: VocabError) -> int:
    return next((status for cls, status in STATUS.items() if isinstance(exc, cls)), 400)


HEADINGS = {
    400: "That request could not be read",
    404: "Not found",
    405: "Not allowed",
    410: "Gone",
    413: "Too large",
    429: "Too many requests",
    422: "Please check the request",
    503: "Try again shortly",
}
ERROR_OFFERS = (("json", "application/json"), ("html", "text/html"))


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    request: Request | None = None,
) -> Response:
    """A JSON error body, or an HTML page when a browser asked (Accept prefers text/html).

    Under /fhir/ every error is an OperationOutcome, whatever was asked.
    """
    if request is not None and route_path(request.scope).startswith(fhir_outcome.PREFIX):
        return fhir_outcome.outcome_response(status, message, headers)
    if request is not None and _wants_html(request):
        page = render(
            request.app.state.serving.templates,
            "error.html",
            scheme=request.app.state.serving.vocabulary.scheme,
            title=HEADINGS.get(status, "Error"),
            heading=HEADINGS.get(status, "Something went wrong"),
            message=message,
        )
        return HTMLResponse(page, status_code=status, headers=headers)
    body = orjson.dumps({"error": {"code": code, "message": message}})
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "").encode("latin-1")
    return bool(accept) and choose(accept, ERROR_OFFERS, "json") == "html"


def install(app: FastAPI) -> None:
    """Register handlers so that no error reaches the client as a bare 500 or HTML page."""

    @app.exception_handler(VocabError)
    async def vocab_error(request: Request, exc: VocabError) -> Response:
        return error_response(status_of(exc), exc.code, exc.message, request=request)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        headers = {"Retry-After": exc.retry_header, "Cache-Control": "no-store"}
        return error_response(
            429, "too_many_requests", exc.message, headers=headers, request=request
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return error_response(
            422, "invalid_input", "; ".join(problems) or "Invalid request.", request=request
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: f"Nothing at {request.url.path[:200]}; see /docs for the API.",
            405: f"{request.method} is not allowed on {request.url.path[:200]}.",
        }
        message = messages.get(exc.status_code, str(exc.detail))
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:  # every method of the path, not only the route that matched
            allowed = openapi.allowed_methods(request.app, route_path(request.scope))
            headers = {**(headers or {}), **({"Allow": allowed} if allowed else {})}
        return error_response(
            exc.status_code, "http_error", message, headers=headers, request=request
        )

    @app.exception_handler(sqlite3.DatabaseError)
    async def store_damaged(request: Request, exc: sqlite3.DatabaseError) -> Response:
        log.error("the store could not be read on %s %s: %s", request.method, request.url.path, exc)
        serving = request.app.state.serving
        await anyio.to_thread.run_sync(serving.readiness.suspect, serving.vocabulary)
        return error_response(
            503, "store_damaged", STORE_DAMAGED, headers={"Retry-After": "60"}, request=request
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            500,
            "internal_error",
            "Something went wrong on our side; it has been logged.",
            request=request,
        )
