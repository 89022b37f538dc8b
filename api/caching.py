"""HTTP caching in one place: ETags, `If-None-Match`, and the cache of rendered answers.

Every cached answer is keyed on the digest of the release it was computed from, so a
server that switches to a new release (`api.app.Service.swap`) can never send a stale
answer or ETag: new requests ask for new keys, and old entries simply age out.

>>> etag("3f2a", "t0133", "ttl")
'"3f2a-916da873e6df7d0c"'
>>> etag_matches('W/"x", "3f2a-916da873e6df7d0c"', etag("3f2a", "t0133", "ttl"))
True
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

ANSWERS_KEPT = 20_000
"""Rendered answers kept per server process (each a few kilobytes at most)."""


def etag(release: str, *parts: str) -> str:
    """Return a strong ETag: the release digest, then a hash of what varies (`parts`).

    Hashing keeps the tag short and ASCII whatever the parts hold (query text, say).
    """
    varies = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=8)
    return f'"{release}-{varies.hexdigest()}"'


def etag_matches(if_none_match: str | bytes | None, current: str | bytes) -> bool:
    """True if an `If-None-Match` header matches `current` (RFC 9110 13.1.2, weak comparison).

    The header is `*` or a comma-separated list of entity tags, each maybe `W/`-prefixed.
    """
    if not if_none_match:
        return False
    header = if_none_match.decode("latin-1") if isinstance(if_none_match, bytes) else if_none_match
    wanted = current.decode("latin-1") if isinstance(current, bytes) else current
    wanted = wanted.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip().removeprefix("W/")
        if candidate == "*" or candidate == wanted:
            return True
    return False


class AnswerCache(Generic[V]):
    """A bounded, thread-safe LRU of rendered answers; keys start with a release digest."""

    def __init__(self, size: int = ANSWERS_KEPT) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0  # counted by `get`, under the lock
        self._loop_hits = 0  # counted by `hit`, only ever called on the event loop's thread
        self.misses = 0

    @property
    def hits(self) -> int:
        """Answers served from the cache."""
        return self._hits + self._loop_hits

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self._hits += 1
            return value

    def hit(self, key: Hashable) -> V | None:
        """The value for `key` counted as a hit, or None counting nothing (the caller passes
        the request on to a `get` that counts the miss).

        The event loop's read of every ready answer (`api.ready`), so it takes no lock: each
        OrderedDict call is atomic under the GIL, and an entry another thread evicts between
        the two calls was still the answer when it was read. Call it only from the event
        loop's thread: its hits have their own counter, so no count is lost."""
        items = self._items
        value = items.get(key)
        if value is None:
            return None
        try:  # noqa: SIM105 (suppress() costs a context manager on every ready answer)
            items.move_to_end(key)
        except KeyError:  # evicted by a `put` in another thread meanwhile
            pass
        self._loop_hits += 1
        return value

    def put(self, key: Hashable, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """Return the cached value for `key`, making and keeping it on a miss."""
        found = self.get(key)
        return found if found is not None else self.put(key, make())

    def __len__(self) -> int:
        return len(self._items)
