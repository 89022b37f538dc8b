"""The only place that opens the real store: `app_from_env()` for uvicorn's factory mode.

uvicorn --factory api.main:app_from_env      (after `vocab build`)
"""

from __future__ import annotations

import sys

from api.app import Service, create_app
from api.editorial.context import open_editorial
from api.limits import Limits
from api.observe import log_to_stdout
from loaders.turtle_source import read_release_source
from vocab.config import settings_from_env
from vocab.release import ReleaseArchive
from vocab.release_shelf import ReleaseShelf
from vocab.store.files import remove_orphans
from vocab.vocabulary import Vocabulary

SWITCH_INTERVAL_S = 0.001
"""How long a worker thread (an uncached search, a render) may hold the interpreter lock
while the event loop waits for it: 1 ms instead of Python's 5 ms, so a slow search delays
the requests the loop is answering by at most that much at a time."""


def app_from_env() -> Service:
    """Return the app for the stores and base URI named by VOCAB_DB, VOCAB_EDITORIAL_DB
    (`off`: read-only), VOCAB_RELEASES and VOCAB_BASE_URI, with the limits and logs of
    VOCAB_RATE_LIMITS, VOCAB_TRUSTED_PROXIES, VOCAB_WORKERS, VOCAB_ALIGN_QUEUE and
    VOCAB_ACCESS_LOG; a new release replacing the VOCAB_DB file is served without a
    restart, checked every VOCAB_WATCH_INTERVAL seconds (0: never)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    settings = settings_from_env()
    if settings.access_log == "json":
        log_to_stdout()
    limits = Limits.from_settings(
        settings.rate_limits, settings.trusted_proxies, workers=settings.workers
    )
    remove_orphans(settings.db)  # temporary files of a build or import killed earlier
    releases = ReleaseShelf(
        ReleaseArchive(settings.releases),
        base=settings.base,
        cache=settings.db.parent / "releases",
        read=read_release_source,
        db=settings.db,
    )
    return create_app(
        Vocabulary.open(settings.db, settings.base),
        base=settings.base,
        editorial=open_editorial(settings),
        check_interval=settings.check_interval,
        watch=settings.db,
        watch_interval=settings.watch_interval,
        root_path=settings.root_path,
        releases=releases,
        limits=limits,
        align_queue=settings.align_queue,
        access_log=settings.access_log,
    )
