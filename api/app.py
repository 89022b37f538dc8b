"""`create_app(vocabulary)`: the HTTP service around one release, swappable at run time.

Layers, outermost first: `Observe` (request id, access log, metrics, `/metrics`),
`RateLimits` (per-client limits on expensive routes, 429), `Service.dispatch` (sends
`/lookup/` to its lean handler), `SecurityHeaders`, then FastAPI with one router per
resource. Every layer reads the release being served from
one `Serving` (see `api.state`), so `Service.swap` switches release for all of them at
once, without a restart. Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from api import errors, openapi
from api.editorial import install as install_editorial
from api.editorial.context import Editorial
from api.fhir import routes as fhir
from api.headers import ASGIApp, Receive, Scope, SecurityHeaders, Send
from api.limits import Limits, RateLimits
from api.lookup_endpoint import PREFIX, LookupEndpoint
from api.observe import Observe
from api.routes import (
    align,
    annotate,
    docs,
    embed,
    export,
    pages,
    scheme,
    search,
    sparql,
    terms,
)
from api.sparql import SparqlEndpoint
from api.state import Serving
from api.templating import make_templates
from api.workers import ALIGN_QUEUE, AlignWorkers
from vocab.vocabulary import Vocabulary

STATIC = Path(__file__).parent / "static"


class Service:
    """The ASGI app: `/lookup/...` to the lean handler, everything else to the full app."""

    def __init__(
        self, serving: Serving, api: FastAPI, limits: Limits | None = None, access_log: str = "off"
    ) -> None:
        self.serving = serving
        self.fastapi = api
        self.app: ASGIApp = SecurityHeaders(api)
        self.lookup = LookupEndpoint(serving)
        self.limits = limits or Limits()
        self.rate_limits = RateLimits(self.dispatch, self.limits)
        self.observe = Observe(
            self.rate_limits,
            self.counters,
            access=access_log,
            client_of=self.limits.trusted.client,
        )

    def counters(self) -> dict[str, object]:
        """What /metrics reports besides requests (read when scraped)."""
        return {
            "caches": {"lookup": self.lookup.cache, "answers": self.serving.answers},
            "align": self.serving.workers,
            "annotate": annotate._slots,
            "rate_limits": self.rate_limits.refused(),
        }

    @property
    def vocabulary(self) -> Vocabulary:
        return self.serving.vocabulary

    def swap(self, vocabulary: Vocabulary) -> Vocabulary:
        """Serve `vocabulary` (a new release) from the next request on; return the old one.

        The new release's annotator is built first, so no request waits for it."""
        annotate.warm(vocabulary)
        return self.serving.swap(vocabulary)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.observe(scope, receive, send)

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"].startswith(PREFIX)
            and len(scope["path"]) > len(PREFIX)
        ):
            scope["vocab.route"] = "/lookup/{text}"
            await self.lookup(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(
    vocabulary: Vocabulary,
    *,
    base: str | None = None,
    editorial: Editorial | None = None,
    limits: Limits | None = None,
    align_queue: int = ALIGN_QUEUE,
    access_log: str = "off",
) -> Service:
    """Return the ASGI app serving `vocabulary`; concept URIs start with `base`.

    With `editorial`, the editorial routes (/editorial/...) are served too; without, the
    service is read-only and has no route that changes state. `limits` are the per-client
    rate limits (none by default; `vocab serve` applies the documented ones), `align_queue`
    the large alignments in flight at most, `access_log` "json" for one JSON line a request.
    """
    base = (base or vocabulary.base).rstrip("/")
    serving = Serving(vocabulary, base, make_templates(), workers=AlignWorkers(align_queue))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(annotate.warm, serving.vocabulary)  # before any request
        yield
        serving.workers.close()
        api.state.sparql.close()
        if editorial is not None:
            editorial.close()

    api = FastAPI(
        lifespan=lifespan,
        title=vocabulary.scheme.title(),
        version=vocabulary.scheme.version or vocabulary.digest[:8],
        description="A SKOS terminology service for AI in clinical imaging and radiotherapy.",
        docs_url=None,
        redoc_url=None,
    )
    api.state.serving = serving
    api.state.sparql = SparqlEndpoint()
    errors.install(api)
    for router in (
        pages.router,
        terms.router,
        search.router,
        export.router,
        align.router,
        embed.router,
        annotate.router,
        fhir.router,
        scheme.router,
        sparql.router,
        docs.router,
    ):
        api.include_router(router)
    if editorial is not None:
        install_editorial(api, editorial)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.mount(docs.ASSETS_URL, StaticFiles(directory=docs.ASSETS), name="docs-assets")
    api.openapi = lambda: openapi.build(api)  # type: ignore[method-assign]
    return Service(serving, api, limits, access_log)
