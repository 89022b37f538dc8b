"""Sending webhooks: a background thread posts each event to each receiver, retrying with backoff.

`publish` only puts the event on a queue and returns, so no request waits for a receiver.
A delivery that fails (a network error, a timeout, any status but 2xx) is tried again after
the delays of `notify.Backoff`; each attempt is signed afresh (a new timestamp), with the
same delivery id. Redirects are not followed. Deliveries live in memory: a restart drops
those still waiting (the audit log keeps the record of what happened).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from vocab.editorial.notify import Backoff, Event, signed_headers

log = logging.getLogger("vocab.webhooks")

MAX_WAITING = 10_000
"""Past this many waiting deliveries, new events are dropped (and logged)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass(order=True)
class _Delivery:
    due: float
    seq: int
    url: str = field(compare=False)
    event: Event = field(compare=False)
    delivery: str = field(compare=False)
    attempt: int = field(compare=False, default=0)


class WebhookSender:
    """Deliver events to `urls`, signed with `secret`, from one background thread."""

    def __init__(
        self,
        urls: tuple[str, ...],
        secret: str,
        *,
        backoff: Backoff | None = None,
        timeout_s: float = 5.0,
    ) -> None:
        bad = [u for u in urls if not u.startswith(("http://", "https://"))]
        if bad:
            raise ValueError(f"Webhook addresses must be http(s): {', '.join(bad)}")
        if urls and not secret:
            raise ValueError("Set VOCAB_WEBHOOK_SECRET: webhooks are always signed.")
        self.urls = urls
        self.secret = secret
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self.delivered = 0
        self.failed = 0
        self._heap: list[_Delivery] = []
        self._seq = itertools.count()
        self._wake = threading.Condition()
        self._stopping = False
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def publish(self, event: Event) -> None:
        """Queue `event` for every receiver and return at once."""
        with self._wake:
            if len(self._heap) + len(self.urls) > MAX_WAITING:
                log.error("webhook queue full; dropped %s %s", event.kind, event.subject)
                return
            for url in self.urls:
                heapq.heappush(
                    self._heap,
                    _Delivery(time.monotonic(), next(self._seq), url, event, uuid.uuid4().hex),
                )
            self._wake.notify()

    def waiting(self) -> int:
        """Return how many deliveries wait for their next attempt."""
        with self._wake:
            return len(self._heap)

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the thread (deliveries still waiting are dropped)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout_s)

    def _next(self) -> _Delivery | None:
        with self._wake:
            while not self._stopping:
                now = time.monotonic()
                if self._heap and self._heap[0].due <= now:
                    return heapq.heappop(self._heap)
                self._wake.wait(self._heap[0].due - now if self._heap else None)
            return None

    def _run(self) -> None:
        while (delivery := self._next()) is not None:
            if self._attempt(delivery):
                self.delivered += 1
                continue
            delays = self.backoff.delays()
            if delivery.attempt >= len(delays):
                self.failed += 1
                log.error(
                    "webhook %s to %s failed %d times; giving up",
                    delivery.event.kind,
                    delivery.url,
                    delivery.attempt + 1,
                )
                continue
            delivery.due = time.monotonic() + delays[delivery.attempt]
            delivery.attempt += 1
            with self._wake:
                heapq.heappush(self._heap, delivery)

    def _attempt(self, d: _Delivery) -> bool:
        body = d.event.body()
        headers = signed_headers(
            self.secret, d.event, timestamp=int(time.time()), delivery=d.delivery
        )
        # the scheme is checked in __init__: only http(s) receivers are accepted
        request = urllib.request.Request(d.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                return 200 <= int(response.status) < 300
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("webhook %s to %s: %s", d.event.kind, d.url, exc)
            return False
