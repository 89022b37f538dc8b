"""`StoreWatcher`: serve a new release as soon as its file replaces the one at the `--db` path.

A release is published by replacing the file at the served path in one step (`os.replace`
of a finished file, or a symlink swap); nothing is ever written into the file being served.
The watcher polls the path (`os.stat`, which follows symlinks: device, inode, modification
time and size) every `interval` seconds from the app's lifespan, or when asked (`check`).
When the file changed it opens the new one read-only, checks it (a store of this schema
version, `PRAGMA quick_check`, a scheme and at least one concept) and only then swaps it in
(`Service.swap`: atomic per request, caches keyed on the release digest). The old store is
closed after `grace` seconds, when requests that started on it have long finished. A file
that fails a check is refused: the old release stays served and the reason is logged, once
per file (a file still being copied in place is checked again when it changes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread

from api import heap
from vocab.errors import StoreError
from vocab.vocabulary import Vocabulary

log = logging.getLogger("uvicorn.error")

DEFAULT_INTERVAL_S = 1.0
DEFAULT_GRACE_S = 60.0

Signature = tuple[int, int, int, int]


def signature(path: Path) -> Signature | None:
    """What identifies the file at `path` (after symlinks): device, inode, mtime, size."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def check_store(path: Path) -> Vocabulary:
    """Open the store at `path` and check it; raise StoreError saying what is wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path} is not a readable SQLite file ({exc})") from None
    if found != [("ok",)]:
        first = "; ".join(str(row[0]) for row in found[:3])
        raise StoreError(f"{path} failed SQLite's integrity check: {first}")
    vocabulary = Vocabulary.open(path)  # raises StoreError for another schema version
    try:
        vocabulary.scheme  # noqa: B018  (reads the scheme: a store without one is refused)
        if vocabulary.store.count() == 0:
            raise StoreError(f"{path} holds no concept")
    except (IndexError, sqlite3.Error) as exc:
        _close(vocabulary)
        raise StoreError(f"{path} is not a complete vocabulary store ({exc})") from None
    except StoreError:
        _close(vocabulary)
        raise
    return vocabulary


def _close(vocabulary: Vocabulary) -> None:
    close: Callable[[], None] | None = getattr(vocabulary.store, "close", None)
    if close is not None:
        close()


def _retire(holding: list[Vocabulary]) -> None:
    """Close a replaced release once its grace is over, and settle the heap without it
    (taken out of `holding`, so that the timer's arguments no longer keep it alive)."""
    _close(holding.pop())
    heap.settle()


@dataclass
class Outcome:
    """What one check did: `swapped` to a new digest, `refused` with a reason, or nothing."""

    swapped: str | None = None
    refused: str | None = None


class StoreWatcher:
    """Watches the store file at `path` and swaps a new, checked release into `swap`."""

    def __init__(
        self,
        path: Path,
        current: Callable[[], Vocabulary],
        swap: Callable[[Vocabulary], Vocabulary],
        *,
        interval: float = DEFAULT_INTERVAL_S,
        grace: float = DEFAULT_GRACE_S,
    ) -> None:
        self.path = Path(path)
        self.current = current
        self.swap = swap
        self.interval = interval
        self.grace = grace
        self._seen = signature(self.path)
        self._lock = threading.Lock()

    def check(self) -> Outcome:
        """Swap in the file at the path if it changed and passes the checks (blocking)."""
        with self._lock:
            now = signature(self.path)
            if now is None or now == self._seen:
                return Outcome()
            self._seen = now
            try:
                new = check_store(self.path)
            except StoreError as exc:
                reason = str(exc)
                log.error(
                    "Refused the new store at %s: %s; still serving the old one.", self.path, reason
                )
                return Outcome(refused=reason)
            if new.digest == self.current().digest:
                _close(new)  # the same release, republished: nothing to do
                return Outcome()
            old = self.swap(new)
            log.warning("Now serving release %s from %s.", new.digest[:12], self.path)
            timer = threading.Timer(self.grace, _retire, args=([old],))
            del old
            timer.daemon = True
            timer.start()
            return Outcome(swapped=new.digest)

    async def run(self) -> None:
        """Poll until cancelled (the app's lifespan starts and stops it)."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await anyio.to_thread.run_sync(self.check)
            except Exception:  # a watcher that dies silently would freeze releases
                log.exception("Checking %s failed; will try again.", self.path)


@contextlib.asynccontextmanager
async def watching(watcher: StoreWatcher | None) -> AsyncIterator[None]:
    """Run `watcher` in the background for the life of the block (nothing if None)."""
    if watcher is None or watcher.interval <= 0:
        yield
        return
    task = asyncio.get_running_loop().create_task(watcher.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
