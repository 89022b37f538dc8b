"""Back-pressure at the edge: per-client rate limits on the expensive routes, bounded work.

Two mechanisms, both answering 429 with `Retry-After` and the JSON error envelope rather
than letting work pile up:

- **Rate limits** (`RateLimits`, a pure ASGI middleware, so it also covers routes that
  bypass FastAPI): a token bucket per client and per route class. A class's limit is
  `N/PERIOD` (`30/min`): a client may send a burst of N, then one more every PERIOD/N.
  Classes: `align` (POST /align), `annotate` (POST /annotate), `export` (GET /export),
  `sparql` (/sparql with a query), `search` (a /search or /suggest that goes past the
  label stages to the typo or meaning stages: charged by `search_hook` when the search
  reaches them, so exact and prefix searches are never limited), and `lookup` (every
  /lookup, off by default: lookups are cheap and cached).
- **Gates** (`Gate`): at most N jobs of a kind at once, refused past that, never queued
  (the annotation slots; the alignment queue in `api.workers` counts the same way).

The client is the connection's peer address; the first X-Forwarded-For hop (the address
the proxy saw, counted from our side, skipping trusted proxies) only when the peer is a
trusted proxy (`--trusted-proxy` / `VOCAB_TRUSTED_PROXIES`): a client cannot dodge its
limit by sending a forged header. Buckets live in the process: with several worker
processes each holds 1/N of every limit, so the total never exceeds the configured one.
"""

from __future__ import annotations

import ipaddress
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson

from api.headers import COMMON, CORS, ASGIApp, Receive, Scope, Send, cors_applies
from api.rootpath import route_path

DEFAULT_LIMITS = "align=30/min,annotate=60/min,export=30/min,sparql=60/min,search=120/min"
"""Per client; `lookup` is unlimited unless set (`lookup=600/min`)."""
CLASSES = ("align", "annotate", "export", "sparql", "search", "lookup")
PERIODS = {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "hour": 3600.0}
MAX_CLIENTS = 100_000
"""Past this many buckets of one class, full (idle) buckets are forgotten."""
MAX_RETRY_AFTER = 3600
SEARCH_PATHS = ("/search", "/suggest")
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


class Refused(Exception):
    """A request refused for load; answered 429 with `Retry-After` (see `api.errors`)."""

    def __init__(self, message: str, retry_after: float, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.reason = reason

    @property
    def retry_header(self) -> str:
        return str(min(MAX_RETRY_AFTER, max(1, math.ceil(self.retry_after))))


@dataclass(frozen=True)
class Rate:
    """`burst` requests at once, refilled at `per_second`."""

    burst: int
    per_second: float

    @classmethod
    def from_spec(cls, spec: str) -> Rate:
        """`30/min`, `5/s`, `1000/h`, `10/30s` (ten per thirty seconds).

        >>> Rate.from_spec("30/min")
        Rate(burst=30, per_second=0.5)
        """
        found = _SPEC.match(spec.lower())
        if not found or found.group(3) not in PERIODS or int(found.group(1)) < 1:
            raise ValueError(
                f"Cannot read the rate '{spec}'; write COUNT/PERIOD, e.g. 30/min, 5/s, 1000/h."
            )
        seconds = PERIODS[found.group(3)] * int(found.group(2) or 1)
        return cls(int(found.group(1)), int(found.group(1)) / seconds)


def parse_limits(spec: str) -> dict[str, Rate]:
    """Read `align=30/min,search=off,...` over the defaults; `off` alone turns every limit off.

    >>> sorted(parse_limits("lookup=10/s,align=off"))
    ['annotate', 'export', 'lookup', 'search', 'sparql']
    """
    if spec.strip().lower() in ("off", "none"):
        return {}
    limits: dict[str, Rate | None] = {
        name: Rate.from_spec(rate)
        for name, rate in (item.split("=") for item in DEFAULT_LIMITS.split(","))
    }
    for item in filter(None, (i.strip() for i in spec.split(","))):
        name, _, rate = item.partition("=")
        name = name.strip().lower()
        if name not in CLASSES or not rate:
            raise ValueError(
                f"Cannot read the rate limit '{item}'; write CLASS=COUNT/PERIOD or CLASS=off, "
                f"with CLASS one of: {', '.join(CLASSES)}."
            )
        limits[name] = None if rate.strip().lower() == "off" else Rate.from_spec(rate)
    return {name: rate for name, rate in limits.items() if rate is not None}


class Buckets:
    """Token buckets of one class, one per client (thread-safe: searches run in threads)."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self.refused = 0

    def take(self, client: str) -> float:
        """Take one token for `client`: 0.0 if granted, else the seconds until one is free."""
        now = self._clock()
        burst, refill = self.rate.burst, self.rate.per_second
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_full(now)
                bucket = self._buckets[client] = [float(burst), now]
            tokens = min(burst, bucket[0] + (now - bucket[1]) * refill)
            bucket[1] = now
            if tokens >= 1.0:
                bucket[0] = tokens - 1.0
                return 0.0
            bucket[0] = tokens
            self.refused += 1
            return (1.0 - tokens) / refill

    def _forget_full(self, now: float) -> None:
        burst, refill = self.rate.burst, self.rate.per_second
        full = [c for c, (t, at) in self._buckets.items() if t + (now - at) * refill >= burst]
        for client in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[client]


@dataclass(frozen=True)
class Trusted:
    """The proxies whose X-Forwarded-For is believed (addresses or networks)."""

    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_list(cls, items: str | list[str] | tuple[str, ...]) -> Trusted:
        listed = items.split(",") if isinstance(items, str) else list(items)
        networks = []
        for item in filter(None, (i.strip() for i in listed)):
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(
                    f"Cannot read the trusted proxy '{item}'; give an IP address or network "
                    "(127.0.0.1, 10.0.0.0/8, ::1)."
                ) from None
        return cls(tuple(networks))

    def trusts(self, address: str) -> bool:
        if not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, scope: Scope) -> str:
        """The client's address: the peer, or the first X-Forwarded-For hop behind a trusted one."""
        peer = scope.get("client")
        address = peer[0] if peer else "unknown"
        if not self.trusts(address):
            return str(address)
        forwarded = b",".join(v for k, v in scope["headers"] if k == b"x-forwarded-for")
        for hop in reversed(forwarded.decode("latin-1").split(",")):
            hop = hop.strip()
            if not hop:
                continue
            if not self.trusts(hop):
                return hop[:64]
        return str(address)


@dataclass
class Limits:
    """What `RateLimits` enforces: a rate per class, the trusted proxies, the worker count."""

    rates: dict[str, Rate] = field(default_factory=dict)
    trusted: Trusted = field(default_factory=Trusted)
    workers: int = 1

    @classmethod
    def from_settings(cls, rate_limits: str, trusted_proxies: str, workers: int = 1) -> Limits:
        return cls(parse_limits(rate_limits), Trusted.from_list(trusted_proxies), max(1, workers))


def classify(method: str, path: str, query: bytes) -> str | None:
    """The rate class a request is charged to on arrival (a /search is charged later)."""
    if method == "POST":
        if path == "/align":
            return "align"
        if path == "/annotate":
            return "annotate"
        if path == "/sparql":
            return "sparql"
        return None
    if method in ("GET", "HEAD"):
        if path.startswith("/lookup/"):
            return "lookup"
        if path == "/export":
            return "export"
        if path == "/sparql" and b"query=" in query:
            return "sparql"
    return None


class RateLimits:
    """The ASGI middleware: charge each request to its client's bucket, 429 when empty."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits
        per_process = {
            name: Rate(max(1, rate.burst // limits.workers), rate.per_second / limits.workers)
            for name, rate in limits.rates.items()
        }
        self.buckets = {name: Buckets(rate) for name, rate in per_process.items()}
        self.search = self.buckets.get("search")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.buckets:
            await self.app(scope, receive, send)
            return
        path = route_path(scope)  # under a sub-path too (`api.rootpath`)
        name = classify(scope["method"], path, scope.get("query_string", b""))
        buckets = self.buckets.get(name) if name else None
        search = self.search if path in SEARCH_PATHS else None
        if buckets is None and search is None:  # nothing to charge: no work at all
            await self.app(scope, receive, send)
            return
        client = self.limits.trusted.client(scope)
        scope["vocab.client"] = client
        if buckets is not None:
            wait = buckets.take(client)
            if wait > 0:
                await refuse(scope, send, limited(name or "", wait))
                return
        if search is not None:
            scope["vocab.search_bucket"] = (search, client)
        await self.app(scope, receive, send)

    def refused(self) -> dict[str, int]:
        """Requests refused so far, by class (for /metrics)."""
        return {name: buckets.refused for name, buckets in self.buckets.items()}


def limited(name: str, wait: float) -> Refused:
    return Refused(
        f"Too many {name} requests from your address; try again in {math.ceil(wait)} s "
        "(the limits are in the README, 'Back-pressure').",
        wait,
        f"rate_{name}",
    )


def search_hook(scope: Scope) -> Callable[[str], None] | None:
    """The stage hook of one search: charges the client's `search` bucket once, when the
    search goes past the label stages (raising Refused when the bucket is empty)."""
    charged: list[bool] = []
    found = scope.get("vocab.search_bucket")
    counters = scope.get("vocab.search_stages")
    if found is None and counters is None:
        return None

    def reached(stage: str) -> None:
        if counters is not None:
            counters(stage)
        if found is not None and stage != "label" and not charged:
            charged.append(True)
            buckets, client = found
            wait = buckets.take(client)
            if wait > 0:
                raise limited("search", wait)

    return reached


def envelope(refusal: Refused) -> bytes:
    return orjson.dumps({"error": {"code": "too_many_requests", "message": refusal.message}})


def refusal_headers(scope: Scope, body: bytes, refusal: Refused) -> list[tuple[bytes, bytes]]:
    """The headers of a 429: JSON, Retry-After, no-store and the security headers."""
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", refusal.retry_header.encode()),
        (b"cache-control", b"no-store"),
        *COMMON,
        *(CORS if cors_applies(scope["method"], route_path(scope)) else []),
    ]


async def refuse(scope: Scope, send: Send, refusal: Refused) -> None:
    """Answer 429 from the edge: the JSON envelope, Retry-After and the security headers."""
    body = envelope(refusal)
    headers = refusal_headers(scope, body, refusal)
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


class Gate:
    """At most `size` jobs at once; one more is refused (`Refused`), never queued."""

    def __init__(self, name: str, size: int, message: str, retry_after: float = 1.0) -> None:
        self.name = name
        self.size = size
        self.message = message
        self.retry_after = retry_after
        self._slots = threading.BoundedSemaphore(size)
        self.refused = 0

    def acquire(self, blocking: bool = False) -> bool:
        return self._slots.acquire(blocking=blocking)

    def release(self) -> None:
        self._slots.release()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for the body of the `with`; raise Refused when every slot is busy."""
        if not self._slots.acquire(blocking=False):
            self.refused += 1
            raise Refused(self.message, self.retry_after, self.name)
        try:
            yield
        finally:
            self._slots.release()
