"""`create_app(vocabulary)`: the HTTP service around one release, swappable at run time.

Layers, outermost first: `Ready` (answers already rendered, a cached lookup or a
recorded read, sent in one step with what the layers below would add), `Observe` (request id, access log, metrics, `/metrics`),
`RateLimits` (per-client limits on expensive routes, 429), `Service.dispatch` (sends
`/lookup/` to its lean handler, and the other hot reads through `Replay`, which answers
repeated requests with FastAPI's recorded answer and plain searches with a lean handler),
`SecurityHeaders`, then FastAPI with one router per resource. The sub-path prefix is
applied before all of them (`api.rootpath`). Every layer reads the release being served from
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

from api import errors, heap, openapi
from api.editorial import install as install_editorial
from api.editorial.context import Editorial
from api.fhir import routes as fhir
from api.headers import ASGIApp, Receive, Scope, SecurityHeaders, Send
from api.lean_search import LeanSearch
from api.limits import Limits, RateLimits
from api.lookup_endpoint import PREFIX, LookupEndpoint
from api.observe import Observe
from api.readiness import DEFAULT_INTERVAL_S, Readiness
from api.ready import READ_METHODS, Ready
from api.replay import Replay, replayed, replayed_route
from api.rootpath import enter, normalise, route_path
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
from api.routes import releases as release_routes
from api.sparql import SparqlEndpoint
from api.state import Serving
from api.templating import make_templates
from api.watch import DEFAULT_GRACE_S, StoreWatcher, watching
from api.workers import ALIGN_QUEUE, AlignWorkers
from loaders.turtle_source import read_release_source
from vocab.release import ReleaseArchive
from vocab.release_shelf import ReleaseShelf
from vocab.vocabulary import Vocabulary

STATIC = Path(__file__).parent / "static"


class Service:
    """The ASGI app: `/lookup/...` to the lean handler, the hot reads through `Replay`,
    everything else to the full app (`app`: SecurityHeaders around FastAPI)."""

    def __init__(
        self,
        serving: Serving,
        api: FastAPI,
        root_path: str = "",
        limits: Limits | None = None,
        access_log: str = "off",
    ) -> None:
        self.serving = serving
        self.root_path = root_path
        self.fastapi = api
        self.app: ASGIApp = SecurityHeaders(api)
        self.lookup = LookupEndpoint(serving)
        self.watcher: StoreWatcher | None = None
        self.replay = Replay(serving, self.app)
        lean = LeanSearch(serving, serving.offload)
        self.replay.lean.update({"/search": lean.search, "/suggest": lean.suggest})
        self.limits = limits or Limits()
        self.rate_limits = RateLimits(self.dispatch, self.limits)
        self.observe = Observe(
            self.rate_limits,
            self.counters,
            access=access_log,
            client_of=self.limits.trusted.client,
        )
        self.ready = Ready(
            serving,
            self.lookup,
            self.replay,
            self.observe,
            lookups_limited="lookup" in self.rate_limits.buckets,
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

        The new release answers under the service's base URI; its annotator is built first,
        so no request waits for it."""
        heap.thaw()  # the release replaced will be garbage; settled again when it retires
        vocabulary = vocabulary.rebased(self.serving.base)
        annotate.warm(vocabulary)
        previous = self.serving.swap(vocabulary)
        self.serving.readiness.check(vocabulary)
        return previous

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if self.root_path or scope.get("root_path"):  # else `enter` changes nothing
                scope = enter(scope, self.root_path)
            if scope["method"] in READ_METHODS and await self.ready.send_ready(scope, send):
                return  # a ready answer, sent in one step (`api.ready`)
        elif kind == "websocket":
            scope = enter(scope, self.root_path)
        await self.observe(scope, receive, send)

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = route_path(scope)
            if path.startswith(PREFIX) and len(path) > len(PREFIX):
                scope["vocab.route"] = "/lookup/{text}"
                await self.lookup(scope, receive, send)
                return
            if replayed(path):
                scope["vocab.route"] = replayed_route(path)  # the metrics' route label
                await self.replay(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    vocabulary: Vocabulary,
    *,
    base: str | None = None,
    editorial: Editorial | None = None,
    check_interval: float = DEFAULT_INTERVAL_S,
    watch: Path | None = None,
    watch_interval: float = 1.0,
    watch_grace: float = DEFAULT_GRACE_S,
    root_path: str = "",
    releases: ReleaseShelf | None = None,
    limits: Limits | None = None,
    align_queue: int = ALIGN_QUEUE,
    access_log: str = "off",
) -> Service:
    """Return the ASGI app serving `vocabulary`; concept URIs start with `base` (default:
    the base the store was built for), whatever base the store was built for.

    With `releases`, the releases it holds are served (/releases, pinned concept URIs,
    /changes, the feeds); without, those routes answer an empty history.

    With `editorial`, the editorial routes (/editorial/...) are served too; without, the
    service is read-only and has no route that changes state. The store's integrity is
    checked before the first request and every `check_interval` seconds (`/ready`). With
    `watch` (the store's path), a new release that replaces that file is served without a
    restart (`api.watch`), checked every `watch_interval` seconds (0: only when
    `service.watcher.check()` is called). With `root_path` (`/airt`), the service answers
    under that prefix behind a proxy (`api.rootpath`); without, it takes the prefix the
    server sets in the scope, if any. `limits` are the per-client rate limits (none by
    default; `vocab serve` applies the documented ones), `align_queue` the large alignments
    in flight at most, `access_log` "json" for one JSON line a request.
    """
    base = (base or vocabulary.base).rstrip("/")
    vocabulary = vocabulary.rebased(base)  # the store's own URIs answered under `base`
    serving = Serving(
        vocabulary,
        base,
        make_templates(),
        readiness=Readiness(check_interval),
        workers=AlignWorkers(align_queue),
    )
    watcher: StoreWatcher | None = None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        verdict = await anyio.to_thread.run_sync(serving.readiness.check, serving.vocabulary)
        try:
            await anyio.to_thread.run_sync(annotate.warm, serving.vocabulary)  # before any request
        except Exception as exc:  # a damaged store: serve anyway, /ready says why
            if verdict.problem is None:
                raise
            errors.log.error("could not prepare the annotator: %s", exc)
        heap.settle()  # what start-up built, out of the collector's sight (`api.heap`)
        serving.readiness.start(lambda: serving.vocabulary)
        async with watching(watcher):
            yield
        serving.readiness.stop()
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
    api.state.releases = releases or empty_shelf(base)
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
        release_routes.router,
        sparql.router,
        docs.router,
    ):
        api.include_router(router)
    if editorial is not None:
        install_editorial(api, editorial)
    api.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.mount(docs.ASSETS_URL, StaticFiles(directory=docs.ASSETS), name="docs-assets")
    api.openapi = lambda: openapi.build(api)  # type: ignore[method-assign]
    service = Service(serving, api, normalise(root_path), limits, access_log)
    if watch is not None:
        watcher = service.watcher = StoreWatcher(
            watch,
            lambda: serving.vocabulary,
            service.swap,
            interval=watch_interval,
            grace=watch_grace,
        )
    return service


def empty_shelf(base: str) -> ReleaseShelf:
    """Return a shelf with no releases (a folder that does not exist)."""
    nowhere = Path("/nonexistent/releases")
    return ReleaseShelf(ReleaseArchive(nowhere), base=base, cache=nowhere, read=read_release_source)
