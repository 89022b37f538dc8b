"""CPU-bound work off the event loop: a worker thread, at most one per core at a time.

The event loop only parses requests and sends ready bytes; an uncached search, a page
render or a first concept representation runs here, so a slow one never delays the
others (`tests/api/test_offload.py`). More threads than cores would only queue on the
interpreter lock, so the limiter is sized to the machine.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CapacityLimiter

T = TypeVar("T")


def threads_for_machine() -> int:
    """One worker thread per core this process may use (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class Offload:
    """Runs callables in worker threads, no more at once than the machine has cores."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or threads_for_machine()
        self._limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
            WeakKeyDictionary()
        )

    @property
    def limiter(self) -> CapacityLimiter:
        """The limiter of the running event loop (a test client may run several loops)."""
        loop = asyncio.get_running_loop()
        found = self._limiters.get(loop)
        if found is None:
            found = self._limiters[loop] = CapacityLimiter(self.threads)
        return found

    async def run(self, work: Callable[[], T]) -> T:
        """Return `work()`, computed in a worker thread."""
        return await anyio.to_thread.run_sync(work, limiter=self.limiter)
