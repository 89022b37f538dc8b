"""What the service is doing: a request id, an access log line and metrics for every request.

`Observe` is the outermost layer, a pure ASGI middleware, so the lean routes (`/lookup/`)
and the 429s of the rate limits are seen too. For each HTTP request it:

- takes the caller's `X-Request-ID` (up to 128 visible characters) or makes one, and sends
  it back in the `X-Request-ID` response header;
- with `access_log="json"`, writes one JSON line to the `vocab.access` logger (stdout):
  time, request id, method, path, route, status, duration in ms, bytes sent, client;
- counts the request by route template (`/terms/{concept_id}`, never the raw path) and
  status, with its latency in a histogram.

`GET /metrics` answers the Prometheus text exposition (`prometheus-client`): the counts
above, the answer caches' hits and misses, the search stages reached, the alignment queue
and every refusal (rate limits, alignment queue, annotation slots). The per-request work
is a few dictionary operations; the Prometheus families are built only when scraped.
Counts are per process (run one worker per replica, or scrape each).
"""

from __future__ import annotations

import bisect
import itertools
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
from prometheus_client import CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from api.headers import COMMON, ASGIApp, Message, Receive, Scope, Send
from api.rootpath import route_path

METRICS_PATH = "/metrics"
BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)
"""Latency histogram bounds, seconds."""
ACCESS_LOGS = ("off", "text", "json")
_REQUEST_ID = re.compile(rb"^[\x21-\x7e]{1,128}$")
_ids = itertools.count(1)
_PREFIX = os.urandom(4).hex().encode() + b"-"  # per process: ids of several workers never collide

access_log = logging.getLogger("vocab.access")


def request_id(scope: Scope) -> bytes:
    """The caller's X-Request-ID when it is 1-128 visible ASCII characters, else a new one."""
    for name, value in scope["headers"]:
        if name == b"x-request-id" and _REQUEST_ID.match(value):
            return bytes(value)
    return new_request_id()


def given_request_id(value: bytes) -> bytes | None:
    """`value` (an X-Request-ID header) as the request's id if it is a valid one, else None."""
    return bytes(value) if _REQUEST_ID.match(value) else None


def new_request_id() -> bytes:
    """A new request id: this process's prefix and a counter, as bytes (no str round trip)."""
    return _PREFIX + b"%x" % next(_ids)


def route_of(scope: Scope) -> str:
    """The route template that answered (bounded set of labels), or `unmatched`."""
    known = scope.get("vocab.route")
    if known:
        return str(known)
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    return str(path) if hasattr(route, "endpoint") else str(path) + "/{path}"


def log_to_stdout() -> None:
    """Send the access log's lines, bare, to standard output (the server does at start)."""
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False


class Stats:
    """Count, latency sum and histogram of one (method, route, status)."""

    __slots__ = ("buckets", "count", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.buckets = [0] * (len(BUCKETS) + 1)


class Observe:
    """The ASGI middleware; `sources` gives the counters of the other layers at scrape time."""

    def __init__(
        self,
        app: ASGIApp,
        sources: Callable[[], dict[str, Any]],
        *,
        access: str = "off",
        client_of: Callable[[Scope], str] | None = None,
    ) -> None:
        if access not in ACCESS_LOGS:
            raise ValueError(
                f"Unknown access log '{access}'; use one of: {', '.join(ACCESS_LOGS)}."
            )
        self.app = app
        self.json_log = access == "json"
        self.client_of = client_of or (lambda scope: (scope.get("client") or ("unknown",))[0])
        self.stats: dict[tuple[str, str, int], Stats] = {}
        self.stages: dict[str, int] = {}
        self._count_stage = self.count_stage  # one bound method, not one per request
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(_Collector(self, sources))

    def count_stage(self, stage: str) -> None:
        self.stages[stage] = self.stages.get(stage, 0) + 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id(scope)
        method = scope["method"]
        if route_path(scope) == METRICS_PATH:
            scope["vocab.route"] = METRICS_PATH
            inner: ASGIApp = self.metrics if method in ("GET", "HEAD") else _not_allowed
        else:
            inner = self.app
        scope["vocab.search_stages"] = self._count_stage
        status = 500
        sent = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            kind = message["type"]
            if kind == "http.response.body":
                sent += len(message.get("body", b""))
            elif kind == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", rid)]
            await send(message)

        try:
            await inner(scope, receive, send_with_id)
        finally:
            self.count(scope, rid, route_of(scope), status, started, sent)

    def count(
        self, scope: Scope, rid: bytes, route: str, status: int, started: float, sent: int
    ) -> None:
        """Count one answered request (and log it); also called by `api.ready`."""
        took = time.perf_counter() - started
        key = (scope["method"], route, status)
        stats = self.stats.get(key)
        if stats is None:
            stats = self.stats[key] = Stats()
        stats.count += 1
        stats.total += took
        stats.buckets[bisect.bisect_left(BUCKETS, took)] += 1
        if self.json_log:
            self.log(scope, rid, route, status, took, sent)

    def log(
        self, scope: Scope, rid: bytes, route: str, status: int, took: float, sent: int
    ) -> None:
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "request_id": rid.decode("latin-1"),
            "method": scope["method"],
            "path": scope["path"],
            "route": route,
            "status": status,
            "duration_ms": round(took * 1000, 3),
            "bytes": sent,
            "client": scope.get("vocab.client") or self.client_of(scope),
        }
        access_log.info(orjson.dumps(line).decode())

    async def metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = generate_latest(self.registry)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", CONTENT_TYPE_LATEST.encode()),
                    (b"cache-control", b"no-store"),
                    *COMMON,
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )


async def _not_allowed(scope: Scope, receive: Receive, send: Send) -> None:
    message = f"{scope['method'][:20]} is not allowed on {METRICS_PATH}; use GET."
    body = orjson.dumps({"error": {"code": "http_error", "message": message}})
    headers = [(b"content-type", b"application/json"), (b"allow", b"GET, HEAD"), *COMMON]
    await send({"type": "http.response.start", "status": 405, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Collector:
    """Builds the Prometheus families from the plain counters, when scraped."""

    def __init__(self, observe: Observe, sources: Callable[[], dict[str, Any]]) -> None:
        self.observe = observe
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        yield from self._requests()
        found = self.sources()
        hits = CounterMetricFamily(
            "vocab_answer_cache_hits",
            "Answers served from a cache of rendered answers.",
            labels=["cache"],
        )
        misses = CounterMetricFamily(
            "vocab_answer_cache_misses",
            "Answers rendered because no cache held them.",
            labels=["cache"],
        )
        for name, cache in found["caches"].items():
            hits.add_metric([name], cache.hits)
            misses.add_metric([name], cache.misses)
        yield hits
        yield misses
        stages = CounterMetricFamily(
            "vocab_search_stages",
            "Searches computed (not answered from cache) that reached each stage "
            "(label: every one; then fuzzy, meaning).",
            labels=["stage"],
        )
        for stage, count in sorted(self.observe.stages.items()):
            stages.add_metric([stage], count)
        yield stages
        workers = found["align"]
        yield GaugeMetricFamily(
            "vocab_align_queue_depth",
            "Large alignments running or waiting in the alignment worker.",
            value=workers.in_flight,
        )
        yield GaugeMetricFamily(
            "vocab_align_queue_limit", "Large alignments allowed in flight.", value=workers.queue
        )
        refused = CounterMetricFamily(
            "vocab_refused_requests",
            "Requests answered 429: by a rate limit (rate_CLASS), a full alignment queue "
            "(align_queue) or busy annotation slots (annotate_slots).",
            labels=["reason"],
        )
        for reason, count in _refusals(found):
            refused.add_metric([reason], count)
        yield refused

    def _requests(self) -> Iterable[Metric]:
        count = CounterMetricFamily(
            "vocab_http_requests", "HTTP requests answered.", labels=["method", "route", "status"]
        )
        latency = HistogramMetricFamily(
            "vocab_http_request_duration_seconds",
            "Time from the request's arrival to the end of its answer.",
            labels=["method", "route", "status"],
        )
        for (method, route, status), stats in sorted(self.observe.stats.items()):
            labels = [method, route, str(status)]
            count.add_metric(labels, stats.count)
            cumulative = list(itertools.accumulate(stats.buckets))
            bounds = [*(repr(b) for b in BUCKETS), "+Inf"]
            latency.add_metric(labels, list(zip(bounds, cumulative, strict=True)), stats.total)
        return (count, latency)


def _refusals(found: dict[str, Any]) -> list[tuple[str, int]]:
    reasons = {f"rate_{name}": n for name, n in found["rate_limits"].items()}
    reasons["align_queue"] = found["align"].refused
    reasons["annotate_slots"] = found["annotate"].refused
    return sorted(reasons.items())
