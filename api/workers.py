"""Alignment off the serving process, so a 10,000-term request never slows lookups.

Small term lists are aligned in a thread (milliseconds). Large ones go to a separate
process (spawned, never forked, so no database connection crosses a fork) that opens the
same snapshot once, through the store's own `opener`, and keeps its label index warm: the
CPU work then runs on the other core instead of competing with the event loop for the GIL.
The worker serves one release: when the server switches release, the next large request
starts a worker for the new one.

The queue is bounded: at most `queue` large alignments are in flight (one running, the
others waiting); one more is refused (`api.limits.Refused`, 429) with a `Retry-After`
estimated from how long recent alignments took, instead of waiting minutes behind them.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import anyio.to_thread

from api.limits import Refused
from loaders.alignment_out import write_alignment
from vocab.errors import StoreError
from vocab.store import ReadStore
from vocab.vocabulary import Vocabulary

IN_THREAD_BELOW = 200  # term lists shorter than this are aligned in a thread
ALIGN_QUEUE = 3
"""Large alignments in flight at most (running or waiting), by default."""
FIRST_GUESS_S = 5.0  # the expected time of one large alignment before any has run

_worker_vocabulary: Vocabulary | None = None


def _open_in_worker(opener: Callable[[], ReadStore]) -> None:
    global _worker_vocabulary
    _worker_vocabulary = Vocabulary(opener())
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker when the server that started it is gone (even killed with -9), so no
    orphan keeps a core busy or waits forever for work that will never come."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _align(
    vocabulary: Vocabulary,
    terms: list[str],
    community: str | None,
    limit: int,
    fmt: str,
    base: str,
    set_id: str,
) -> bytes:
    alignments = vocabulary.align(terms, community=community, limit=limit)
    return write_alignment(alignments, fmt, community=community, base=base, set_id=set_id)


def _align_in_worker(
    terms: list[str], community: str | None, limit: int, fmt: str, base: str, set_id: str
) -> bytes:
    assert _worker_vocabulary is not None
    return _align(_worker_vocabulary, terms, community, limit, fmt, base, set_id)


class AlignWorkers:
    """Runs alignments: in a thread when small, in a worker process (one release) when large."""

    def __init__(self, queue: int = ALIGN_QUEUE) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._digest: str | None = None
        self.queue = max(1, queue)
        self.in_flight = 0  # large alignments submitted and not finished (event loop only)
        self.refused = 0
        self.seconds = FIRST_GUESS_S  # moving average of one large alignment's time

    def _executor(self, vocabulary: Vocabulary) -> ProcessPoolExecutor:
        if self._pool is not None and self._digest != vocabulary.digest:
            # the server switched release: the old worker finishes what it runs, then exits
            self._pool.shutdown(wait=False)
            self._pool = None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_open_in_worker,
                initargs=(vocabulary.store.opener(),),
            )
            self._digest = vocabulary.digest
        return self._pool

    async def align(
        self,
        vocabulary: Vocabulary,
        terms: list[str],
        *,
        community: str | None,
        limit: int,
        fmt: str,
        base: str,
        set_id: str,
    ) -> bytes:
        """Return the rendered alignment of `terms`, computed where it costs the event loop least."""
        if len(terms) < IN_THREAD_BELOW:
            return await anyio.to_thread.run_sync(
                lambda: _align(vocabulary, terms, community, limit, fmt, base, set_id)
            )
        vocabulary.align(terms[:0], community=community)  # validate options here, cheaply
        if self.in_flight >= self.queue:
            self.refused += 1
            raise Refused(
                f"{self.in_flight} large alignments are already running or waiting; try again "
                "later, or send fewer than 200 terms at a time.",
                self.seconds * self.in_flight,
                "align_queue",
            )
        ahead = self.in_flight
        self.in_flight += 1
        started = time.monotonic()
        try:
            future = self._executor(vocabulary).submit(
                _align_in_worker, terms, community, limit, fmt, base, set_id
            )
            body = await anyio.to_thread.run_sync(future.result)
        except CancelledError:  # the server is stopping: close() cancelled what was waiting
            raise StoreError("The service is stopping; send the alignment again.") from None
        except BrokenProcessPool:
            self._pool = None  # the next large alignment starts a new worker
            raise StoreError(
                "The alignment worker stopped before it finished (it may have run out of "
                "memory); try again, or send the terms in smaller lists."
            ) from None
        finally:
            self.in_flight -= 1
        # it waited for those ahead of it: one alignment's time is the wait shared out
        took = (time.monotonic() - started) / (ahead + 1)
        self.seconds = 0.7 * self.seconds + 0.3 * took
        return body

    def close(self) -> None:
        """Stop the worker without waiting for an alignment it runs (it exits with the server)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self._digest = None
