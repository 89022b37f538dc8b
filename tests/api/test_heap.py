"""The heap a release builds is frozen out of the cyclic collector's sight (`api.heap`): at
start, before the first request; a swap hands it back, and the replaced release, once
retired, is collected and the heap settled again."""

from __future__ import annotations

import gc
import os
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.test_watch import NEW_DEFINITION, ROUTE, served  # noqa: F401
from tests.conftest import BASE
from vocab.vocabulary import Vocabulary


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    """Other tests run with the collector as Python starts it."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_start_up_built_is_frozen_before_the_first_request(
    served: tuple[Path, Path],  # noqa: F811
) -> None:
    service = create_app(Vocabulary.open(served[0]), base=BASE)
    assert gc.get_freeze_count() == 0
    with TestClient(service) as client:
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the app, its routes and the release's indexes
        assert client.get(ROUTE).status_code == 200


def test_a_swap_thaws_the_heap_and_the_retired_release_is_collected_then_settled(
    served: tuple[Path, Path],  # noqa: F811
) -> None:
    path, nxt = served
    service = create_app(
        Vocabulary.open(path), base=BASE, watch=path, watch_interval=0, watch_grace=0.5
    )
    with TestClient(service) as client:
        assert gc.get_freeze_count() > 0 and service.watcher is not None
        old = weakref.ref(service.vocabulary)
        os.replace(nxt, path)
        assert service.watcher.check().swapped
        assert gc.get_freeze_count() == 0  # thawed until the old release retires
        deadline = time.monotonic() + 30
        while gc.get_freeze_count() == 0:
            assert time.monotonic() < deadline, "the replaced release never retired"
            time.sleep(0.05)
        assert old() is None  # collected before the heap was frozen again
        assert NEW_DEFINITION in client.get(ROUTE).text
