"""Answers that are ready, sent in one step: the first thing `api.app.Service` tries.

Two kinds of request are answered here when their answer is already rendered: a lookup
in the lookup cache (`api.lookup_endpoint`) and a hot read recorded by `api.replay`. For
those, the generic layers (`Observe`'s send wrapper, `RateLimits`, `Service.dispatch`) cost
more than the answer, so this path does what each of them would have done for that request,
in one function, and nothing else:

- `Observe`: the caller's X-Request-ID or a new one, sent last in the headers; the request
  counted by method, route template and status with its latency; the access log line;
- `RateLimits`: nothing is charged for these requests (a replayed answer runs no search;
  /lookup is charged only when a `lookup` limit is set, and then lookups are not served
  here but by the full path, which charges them);
- the lookup endpoint and `Replay`: the same key, the same 304 rule, HEAD without a body.

Anything else (a cache miss, another method or route, a request the key cannot hold)
returns False and goes through the full path. `tests/api/test_ready.py` compares both.
"""

from __future__ import annotations

from time import perf_counter

from api.caching import etag_matches
from api.headers import Scope, Send
from api.lookup_endpoint import PREFIX, LookupEndpoint, variant_of
from api.observe import Observe, given_request_id, new_request_id
from api.replay import Replay, replayed, replayed_route
from api.rootpath import route_path
from api.state import Serving

LOOKUP_ROUTE = "/lookup/{text}"
PREFIX_LENGTH = len(PREFIX)
PLAIN_VARIANT = variant_of(b"", b"")
"""The representation of a lookup without a query string or an Accept header (most of them)."""
READ_METHODS = ("GET", "HEAD")


class Ready:
    """Send a ready answer for a GET or HEAD, or say there is none (`send_ready` -> False)."""

    def __init__(
        self,
        serving: Serving,
        lookup: LookupEndpoint,
        replay: Replay,
        observe: Observe,
        lookups_limited: bool,
    ) -> None:
        self.serving = serving
        self.lookup = lookup
        self.replay = replay
        self.observe = observe
        self.lookups_limited = lookups_limited

    async def send_ready(self, scope: Scope, send: Send) -> bool:
        """Send the ready answer to `scope` (a GET or HEAD) and return True, else False."""
        started = perf_counter()
        path = route_path(scope) if scope.get("root_path") else scope["path"]
        accept = if_none_match = host = rid = None
        repeated = False
        for name, value in scope["headers"]:  # one pass for every layer's headers
            if name == b"accept":
                repeated = repeated or accept is not None
                accept = value
            elif name == b"if-none-match":
                repeated = repeated or if_none_match is not None
                if_none_match = value
            elif name == b"host":
                repeated = repeated or host is not None
                host = value
            elif name == b"x-request-id" and rid is None:
                rid = given_request_id(value)
        digest = self.serving.current[1]
        if path.startswith(PREFIX) and len(path) > PREFIX_LENGTH:
            if self.lookups_limited:
                return False
            query = scope["query_string"]
            if query or accept is not None:
                variant = variant_of(query, accept or b"")
            else:
                variant = PLAIN_VARIANT
            found = self.lookup.cache.hit((digest, path[PREFIX_LENGTH:], query, variant))
            if found is None:
                return False
            route = LOOKUP_ROUTE
            if (
                if_none_match is not None
                and found.status == 200
                and etag_matches(if_none_match, found.etag)
            ):
                status, headers, body = 304, found.not_modified, b""
            else:
                status, headers, body = found.status, found.headers, found.body
        elif replayed(path) and not repeated:
            recorded = self.replay.recordings.get(
                (digest, self.serving.base, scope["path"], scope["query_string"],
                 accept, if_none_match, host, scope.get("scheme"), scope.get("root_path", ""))
            )  # fmt: skip
            if recorded is None:
                return False
            route = replayed_route(path)
            status, headers, body = recorded.status, recorded.headers, recorded.body
        else:
            return False
        if rid is None:
            rid = new_request_id()
        if scope["method"] == "HEAD":
            body = b""
        scope["vocab.route"] = route
        sent = 0
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [*headers, (b"x-request-id", rid)],
                }
            )
            sent = len(body)
            await send({"type": "http.response.body", "body": body})
        finally:
            self.observe.count(scope, rid, route, status, started, sent)
        return True
