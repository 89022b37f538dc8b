"""Repeated reads answered before FastAPI runs: each answer recorded once, then replayed.

The hot read routes (`REPLAYED`) are declared in FastAPI as usual: FastAPI validates them,
documents them in /openapi.json and answers them the first time. `Replay` sits in front
(see `api.app.Service`): it keys every GET or HEAD request on everything those routes
read from it (the release, the public base, path, query string, Accept, If-None-Match,
Host, scheme, root path), records the complete answer FastAPI gives (status, every header
SecurityHeaders adds, body) and sends the same bytes for the same key from then on, with no
routing, dependency solving or middleware. An answer is therefore identical to FastAPI's
by construction, errors (422 envelopes, negotiated HTML error pages) and 304s included.

Some routes also have a lean handler (`api.lean_search`) that computes a first answer
without FastAPI when the request is a plain one; it falls back to FastAPI for anything
else. Keys start with the release digest, so a swapped release never replays an answer
of the old one. A request with a header the key cannot hold (a repeated Accept, say) is
passed to FastAPI and not recorded; so is an answer FastAPI streams in pieces, a large
one, or a status that may change on retry (5xx).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from api.headers import ASGIApp, Message, Receive, Scope, Send
from api.state import Serving

REPLAYED_PATHS = frozenset({"/search", "/suggest", "/define", "/oembed", "/translate"})
REPLAYED_PREFIXES = ("/terms/", "/embed/")
KEPT_STATUSES = frozenset({200, 301, 303, 304, 400, 404, 410, 422, 501})
"""Answers that depend only on the request and the release (never 5xx: those may pass)."""
MAX_BODY = 1 << 20
"""Larger answers are not kept (none of the replayed routes gives one in practice)."""
BUDGET_BYTES = 64 << 20
"""Bodies kept per server process, in bytes; the oldest answers go first."""
KEY_HEADERS = {b"accept": 0, b"if-none-match": 1, b"host": 2}


@dataclass(frozen=True, slots=True)
class Recorded:
    """One complete answer: what FastAPI sent (or would have sent) for one key."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + 64 * len(self.headers)


class Recordings:
    """A bounded map of key -> Recorded, by count and by bytes; oldest out first.

    Used from the event loop only (no lock): a get and a put never interleave with another.
    """

    def __init__(self, size: int = 20_000, budget: int = BUDGET_BYTES) -> None:
        self.size = size
        self.budget = budget
        self.bytes = 0
        self._items: OrderedDict[Hashable, Recorded] = OrderedDict()

    def get(self, key: Hashable) -> Recorded | None:
        return self._items.get(key)

    def put(self, key: Hashable, answer: Recorded) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        self._items[key] = answer
        self.bytes += answer.size
        while len(self._items) > self.size or self.bytes > self.budget:
            _, dropped = self._items.popitem(last=False)
            self.bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._items)


def replayed(path: str) -> bool:
    """True if `path` is one of the routes answered through `Replay`."""
    return path in REPLAYED_PATHS or path.startswith(REPLAYED_PREFIXES)


def replayed_route(path: str) -> str:
    """The route template of a replayed path (`/terms/{concept_id}`), a bounded label."""
    if path in REPLAYED_PATHS:
        return path
    return next(p for p in REPLAYED_PREFIXES if path.startswith(p)) + "{concept_id}"


def request_key(serving: Serving, scope: Scope) -> tuple[object, ...] | None:
    """Return the key of everything a replayed route reads from the request, or None.

    None (do not replay) when a header the key holds is repeated: which one a route would
    read is then FastAPI's business.
    """
    values: list[bytes | None] = [None, None, None]
    for name, value in scope["headers"]:
        slot = KEY_HEADERS.get(name)
        if slot is not None:
            if values[slot] is not None:
                return None
            values[slot] = value
    return (
        serving.vocabulary.digest,
        serving.base,
        scope["path"],
        scope["query_string"],
        values[0],
        values[1],
        values[2],
        scope.get("scheme"),
        scope.get("root_path", ""),
    )


async def send_recorded(send: Send, answer: Recorded, head: bool) -> None:
    """Send a recorded answer (headers copied: an outer middleware may extend the list)."""
    await send(
        {"type": "http.response.start", "status": answer.status, "headers": list(answer.headers)}
    )
    await send({"type": "http.response.body", "body": b"" if head else answer.body})


LeanHandler = Callable[[Scope, bytes | None], Awaitable[Recorded | None]]
"""Computes a first answer without FastAPI (`scope`, its If-None-Match), or None to pass."""


class Replay:
    """Answer replayed routes from recordings; record what `app` answers on a miss."""

    def __init__(self, serving: Serving, app: ASGIApp) -> None:
        self.serving = serving
        self.app = app
        self.recordings = Recordings()
        self.lean: dict[str, LeanHandler] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = request_key(self.serving, scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        answer = self.recordings.get(key)
        if answer is None:
            vocabulary = self.serving.vocabulary
            handler = self.lean.get(scope["path"])
            if handler is not None:
                answer = await handler(scope, key[5])  # type: ignore[arg-type]
            if answer is None:
                answer = await self.record(scope, receive, send, head)
                if answer is None:
                    return
                if self.serving.vocabulary is vocabulary:  # not swapped meanwhile
                    self.recordings.put(key, answer)
                return
            if self.serving.vocabulary is vocabulary and answer.status in KEPT_STATUSES:
                self.recordings.put(key, answer)  # a lean 429 is answered, never replayed
        await send_recorded(send, answer, head)

    async def record(
        self, scope: Scope, receive: Receive, send: Send, head: bool
    ) -> Recorded | None:
        """Run `app` as a GET (the body dropped for HEAD, as SecurityHeaders does), forwarding
        its answer to the client; return it if it can be replayed, else None."""
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        keep = True

        async def recording_send(message: Message) -> None:
            nonlocal status, headers, keep
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    keep = False
                if head:
                    message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"} if head else scope, receive, recording_send)
        body = b"".join(chunks)
        if not keep or status not in KEPT_STATUSES or len(body) > MAX_BODY:
            return None
        return Recorded(status, headers, body)
