"""`Serving`: what every request of one server reads, with the release it serves swappable.

A request reads `serving.vocabulary` once, at its start, and uses that object to the end:
switching to a new release (`swap`) is one attribute assignment, so a request sees either
the old release or the new one, never a mix. Caches are keyed on the release digest
(`api.caching`), so nothing computed from the old release is served for the new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.templating import Jinja2Templates

from api.caching import AnswerCache
from api.offload import Offload
from api.readiness import Readiness
from api.workers import AlignWorkers
from vocab.vocabulary import Vocabulary


@dataclass
class Serving:
    """The release being served, the public base URI, templates, the answer cache, the
    store's readiness (its last integrity check), and where CPU-bound work runs (alignment
    workers, the thread offload)."""

    vocabulary: Vocabulary
    base: str
    templates: Jinja2Templates
    answers: AnswerCache[bytes] = field(default_factory=AnswerCache)
    workers: AlignWorkers = field(default_factory=AlignWorkers)
    readiness: Readiness = field(default_factory=Readiness)
    offload: Offload = field(default_factory=Offload)
    current: tuple[Vocabulary, str] = field(init=False)
    """The release and its digest, read once per release (`api.ready` keys on it)."""

    def __post_init__(self) -> None:
        self.current = (self.vocabulary, self.vocabulary.digest)

    def swap(self, vocabulary: Vocabulary) -> Vocabulary:
        """Serve `vocabulary` from the next request on; return the one it replaces."""
        current = (vocabulary, vocabulary.digest)
        previous, self.vocabulary, self.current = self.vocabulary, vocabulary, current
        return previous
