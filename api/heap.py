"""Keep a release's heap out of the cyclic garbage collector's sight while it is served.

What start-up builds (the release's indexes, the annotator, FastAPI's routes: about 150,000
tracked objects at the shipped size) lives as long as the release. Left to the collector,
every full collection walks all of it with the GIL held; measured by `bench.collector`, that
is about 0.1 s during which no request is answered. `settle` collects once and then freezes
everything alive (`gc.freeze`), so later collections walk only what requests made since.
Frozen objects are still freed by reference counting; only reference cycles among them wait.
So a release swap first hands the frozen objects back (`thaw`), and the old release's
retirement, once nothing reads it, settles again: its cycles are collected then.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()


def settle() -> None:
    """Collect what is garbage now, frozen before or not, then freeze everything still alive
    (call when idle: the collection holds the GIL). Unfreezing first means a process that
    builds several apps (tests, an app embedding this one) never keeps a dead one's cycles."""
    with _lock:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def thaw() -> None:
    """Give the frozen objects back to the collector: some are about to become garbage."""
    with _lock:
        gc.unfreeze()
