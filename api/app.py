"""`create_app(vocabulary)`: the HTTP service around one Vocabulary.

Layers, outermost first: `FastPaths` (the lean `/lookup/` handler), `SecurityHeaders`,
then FastAPI with one router per resource. Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.staticfiles import StaticFiles

from api import errors
from api.headers import SecurityHeaders
from api.lookup_endpoint import FastPaths, LookupEndpoint
from api.negotiation import LOOKUP_REPRESENTATIONS
from api.routes import align, embed, export, pages, search, terms
from api.templating import make_templates
from api.workers import AlignWorkers
from vocab.vocabulary import Vocabulary

STATIC = Path(__file__).parent / "static"


def create_app(vocabulary: Vocabulary, *, base: str | None = None) -> FastPaths:
    """Return the ASGI app serving `vocabulary`; concept URIs start with `base`."""
    base = (base or vocabulary.base).rstrip("/")
    scheme = vocabulary.scheme
    workers = AlignWorkers(vocabulary)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        workers.close()

    api = FastAPI(
        lifespan=lifespan,
        title=scheme.title(),
        version=scheme.version or vocabulary.digest[:8],
        description="A SKOS terminology service for AI in clinical imaging and radiotherapy.",
        docs_url="/docs",
        redoc_url=None,
    )
    api.state.vocabulary = vocabulary
    api.state.base = base
    api.state.templates = make_templates()
    api.state.exports = {}
    api.state.align_workers = workers
    errors.install(api)
    for router in (
        pages.router,
        terms.router,
        search.router,
        export.router,
        align.router,
        embed.router,
    ):
        api.include_router(router)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    app = FastPaths(SecurityHeaders(api), LookupEndpoint(vocabulary, base))
    app.fastapi = api  # type: ignore[attr-defined]
    return app


def _openapi(api: FastAPI) -> dict[str, Any]:
    """The generated schema, plus `/lookup/{text}`, which a bare ASGI handler serves."""
    if api.openapi_schema:
        return api.openapi_schema
    schema = get_openapi(
        title=api.title, version=api.version, description=api.description, routes=api.routes
    )
    schema["paths"]["/lookup/{text}"] = {
        "get": {
            "tags": ["lookup"],
            "summary": "Exact lookup by acronym or label, in tiers",
            "description": (
                "Any case, accent or spelling variant. Plain text for curl (first line "
                "`ACRONYM — Preferred label`), JSON for `Accept: application/json`, a redirect "
                "to the concept page for browsers. Ambiguous text answers every sense; no match "
                "is a 404 listing the nearest terms."
            ),
            "parameters": [
                {
                    "name": "text",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "maxLength": 200},
                },
                {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": list(LOOKUP_REPRESENTATIONS)},
                },
            ],
            "responses": {
                "200": {
                    "description": "One or more senses",
                    "content": {m: {} for m in LOOKUP_REPRESENTATIONS.values()},
                },
                "303": {"description": "Browsers are sent to the concept or search page"},
                "404": {"description": "No match; the body lists the nearest terms"},
                "422": {"description": "Empty, over-long or invalid text"},
            },
        }
    }
    api.openapi_schema = schema
    return schema
