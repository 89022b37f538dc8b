"""Editorial writes in a worker process, so the published read path keeps its speed.

A proposal or a decision runs the quality gate over the whole vocabulary (a few hundred
milliseconds of Python at 500 concepts). In the serving process that work would hold the
GIL against the event loop that answers lookups; here it runs in one spawned process
(never forked: no connection crosses a fork) with its own store connection, like the
large alignments of `api.workers`. One worker is enough: the store takes one writer at a
time anyway. Errors come back as the same domain exceptions.

The worker runs at a lower CPU priority (`WRITER_NICENESS`): on a busy machine the event
loop serving reads comes first and a proposal waits a little longer, instead of the quality
gate taking the serving process's share of the CPU (see `bench.editorial`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.errors import VocabError

_workflow: Workflow | None = None
PARENT_CHECK_S = 0.5
WRITER_NICENESS = 19
"""Added to the worker's niceness (Unix): reads first when the CPU is short."""


def _open(url: str) -> None:
    global _workflow
    with contextlib.suppress(AttributeError, OSError):  # no nice() here: run as is
        os.nice(WRITER_NICENESS)
    _workflow = Workflow(SqlEditorialStore.open(url))
    threading.Thread(target=_follow, args=(os.getppid(),), daemon=True).start()


def _follow(parent: int) -> None:
    """Exit when the serving process is gone, even killed with -9 (an unfinished
    transaction is rolled back by the database, as after any crash)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def _call(method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    assert _workflow is not None
    try:
        return "ok", getattr(_workflow, method)(*args, **kwargs)
    except VocabError as exc:  # sent back as its class and state: some take no plain args
        return "error", (type(exc), exc.message, dict(exc.__dict__))


def _ready() -> bool:
    return _workflow is not None


class WriteWorker:
    """Runs `Workflow` methods in a worker process over the store at `url`."""

    def __init__(self, url: str) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open,
            initargs=(url,),
        )
        self._pool.submit(_ready)  # start the worker now, not on the first write

    def run(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Return what `Workflow.<method>` returns; raise the domain error it raised."""
        status, value = self._pool.submit(_call, method, args, kwargs).result()
        if status == "ok":
            return value
        cls, message, state = value
        error = cls.__new__(cls)
        Exception.__init__(error, message)
        error.__dict__.update(state)
        raise error

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
