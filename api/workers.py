"""Alignment off the serving process, so a 10,000-term request never slows lookups.

Small term lists are aligned in a thread (milliseconds). Large ones go to a separate
process (spawned, never forked, so no SQLite connection crosses a fork) that opens the
same store read-only once and keeps its label index warm: the CPU work then runs on the
other core instead of competing with the event loop for the GIL.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import anyio.to_thread

from loaders.term_list import write_alignment
from vocab.vocabulary import Vocabulary

IN_THREAD_BELOW = 200  # term lists shorter than this are aligned in a thread

_worker_vocabulary: Vocabulary | None = None


def _open_in_worker(db: str) -> None:
    global _worker_vocabulary
    _worker_vocabulary = Vocabulary.open(db)


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
    """Runs alignments for one store: in a thread when small, in a worker process when large."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_open_in_worker,
                initargs=(str(Path(self.vocabulary.store.path).resolve()),),
            )
        return self._pool

    async def align(
        self,
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
                lambda: _align(self.vocabulary, terms, community, limit, fmt, base, set_id)
            )
        self.vocabulary.align(terms[:0], community=community)  # validate options here, cheaply
        future = self._executor().submit(
            _align_in_worker, terms, community, limit, fmt, base, set_id
        )
        return await anyio.to_thread.run_sync(future.result)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
