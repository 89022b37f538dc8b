"""Readiness: whether the store being served passes its integrity check.

`/health` answers liveness (the process is up and serving requests) and never touches the
store. `/ready` answers readiness: the store's cheap integrity check (SQLite's
`quick_check`) runs once before the first request, again every `interval` seconds in a
background thread, after every switch of release, and whenever a request meets a damaged
page. A damaged store makes `/ready` answer 503 with the reason; nothing ever repairs or
rewrites the file (restore the backup or rebuild, see the README's "Operate").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from vocab.vocabulary import Vocabulary

log = logging.getLogger("vocab.api")

DEFAULT_INTERVAL_S = 60.0


@dataclass(frozen=True)
class Verdict:
    """One integrity check's outcome: `problem` is None when the store is sound."""

    problem: str | None
    checked_at: float
    release: str


class Readiness:
    """The last integrity verdict on the release being served, refreshed in the background."""

    def __init__(self, interval: float = DEFAULT_INTERVAL_S) -> None:
        self.interval = interval
        self.verdict: Verdict | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self, vocabulary: Vocabulary) -> Verdict:
        """Check `vocabulary`'s store now; log when its state changes; return the verdict."""
        with self._lock:
            try:
                problem = vocabulary.store.quick_check()
            except Exception as exc:  # a check that cannot run is itself a failure
                problem = f"the integrity check could not run: {exc}"
            verdict = Verdict(problem, time.time(), vocabulary.digest)
            before = self.verdict
            if problem and (before is None or before.problem != problem):
                log.error("store integrity check failed: %s", problem)
            elif problem is None and before is not None and before.problem:
                log.warning("store integrity check passes again (release %s)", verdict.release)
            self.verdict = verdict
            return verdict

    def suspect(self, vocabulary: Vocabulary) -> Verdict:
        """A request met a page it could not read: check now, unless already known damaged
        (so a burst of failing requests runs one check, not one each)."""
        verdict = self.verdict
        if verdict is not None and verdict.problem and verdict.release == vocabulary.digest:
            return verdict
        return self.check(vocabulary)

    def current(self, vocabulary: Vocabulary) -> Verdict:
        """The verdict on `vocabulary`, checking it first when it has not been checked."""
        verdict = self.verdict
        if verdict is None or verdict.release != vocabulary.digest:
            verdict = self.check(vocabulary)
        return verdict

    def start(self, serving_vocabulary: Callable[[], Vocabulary]) -> None:
        """Check every `interval` seconds in a daemon thread until `stop`."""
        if self._thread is not None:
            return

        def run() -> None:
            while not self._stop.wait(self.interval):
                self.check(serving_vocabulary())

        self._thread = threading.Thread(target=run, name="store-check", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
