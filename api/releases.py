"""Things computed once per release: indexes the FHIR face and SPARQL build from a snapshot.

`PerRelease(build)` is called with the Vocabulary a request reads; it builds the value the
first time it meets a release (keyed on the release digest, like the answer cache) and
keeps it for the last few releases, so a swap never serves a stale index and a busy
server never builds twice.

"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from vocab.vocabulary import Vocabulary

T = TypeVar("T")

RELEASES_KEPT = 2
"""The release being served and the one before it (requests still running on it)."""


class PerRelease(Generic[T]):
    """A value built from a release once, then shared by every request that reads it."""

    def __init__(self, build: Callable[[Vocabulary], T], kept: int = RELEASES_KEPT) -> None:
        self.build = build
        self.kept = kept
        self._values: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, vocabulary: Vocabulary) -> T:
        """Return the value for this release, building it on first use."""
        digest = vocabulary.digest
        found = self._values.get(digest)
        if found is not None:
            return found
        with self._lock:  # one build per release, even when requests arrive together
            found = self._values.get(digest)
            if found is None:
                found = self._values[digest] = self.build(vocabulary)
                while len(self._values) > self.kept:
                    self._values.popitem(last=False)
            return found
