"""The only place that opens the real store: `app_from_env()` for uvicorn's factory mode.

uvicorn --factory api.main:app_from_env      (after `vocab build`)
"""

from __future__ import annotations

import sys

from api.app import Service, create_app
from api.editorial.context import open_editorial
from vocab.config import settings_from_env
from vocab.vocabulary import Vocabulary

SWITCH_INTERVAL_S = 0.001
"""How long a worker thread (an uncached search, a render) may hold the interpreter lock
while the event loop waits for it: 1 ms instead of Python's 5 ms, so a slow search delays
the requests the loop is answering by at most that much at a time."""


def app_from_env() -> Service:
    """Return the app for the stores and base URI named by VOCAB_DB, VOCAB_EDITORIAL_DB
    (`off`: read-only) and VOCAB_BASE_URI."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    settings = settings_from_env()
    return create_app(
        Vocabulary.open(settings.db), base=settings.base, editorial=open_editorial(settings)
    )
