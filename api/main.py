"""The only place that opens the real store: `app_from_env()` for uvicorn's factory mode.

uvicorn --factory api.main:app_from_env      (after `vocab build`)
"""

from __future__ import annotations

from api.app import Service, create_app
from api.editorial.context import open_editorial
from api.limits import Limits
from api.observe import log_to_stdout
from vocab.config import settings_from_env
from vocab.vocabulary import Vocabulary


def app_from_env() -> Service:
    """Return the app for the stores and base URI named by VOCAB_DB, VOCAB_EDITORIAL_DB
    (`off`: read-only) and VOCAB_BASE_URI, with the limits and logs of VOCAB_RATE_LIMITS,
    VOCAB_TRUSTED_PROXIES, VOCAB_WORKERS, VOCAB_ALIGN_QUEUE and VOCAB_ACCESS_LOG."""
    settings = settings_from_env()
    if settings.access_log == "json":
        log_to_stdout()
    limits = Limits.from_settings(
        settings.rate_limits, settings.trusted_proxies, workers=settings.workers
    )
    return create_app(
        Vocabulary.open(settings.db),
        base=settings.base,
        editorial=open_editorial(settings),
        limits=limits,
        align_queue=settings.align_queue,
        access_log=settings.access_log,
    )
