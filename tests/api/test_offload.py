"""Slow work never runs on the event loop: uncached searches and renders go to a thread.

Measured with CPU time, not wall time (a busy machine slows the clock, not the work): the
CPU the event loop's own thread spends while the service answers slow searches must be a
small part of what those searches cost when run directly. Were the searches run on the
loop, its thread would spend all of it, and every concurrent request would wait.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, unquote

import anyio
import pytest

from api.app import Service, create_app
from api.offload import Offload, threads_for_machine
from tests.conftest import BASE, SOURCE, build_vocabulary

LETTERS = "aeioubcdrstlmnp"


def slow_queries(count: int, seed: int) -> list[str]:
    """Long queries of made-up words: every word misses and is corrected by a fuzzy scan."""
    rng = random.Random(seed)
    return [
        " ".join("".join(rng.choice(LETTERS) for _ in range(9)) for _ in range(12))
        for _ in range(count)
    ]


async def get(service: Service, target: str) -> int:
    """Send GET `target` to the ASGI app in the running event loop; return the status."""
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": quote(query, safe="=&").encode(),
        "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }
    status = 0

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await service(scope, receive, send)
    return status


def test_thread_pool_is_sized_to_the_machine() -> None:
    assert Offload().threads == threads_for_machine() >= 1
    assert Offload(3).threads == 3


def test_slow_searches_do_not_run_on_the_event_loop(tmp_path) -> None:  # type: ignore[no-untyped-def]
    vocabulary = build_vocabulary(SOURCE, tmp_path / "v.db")
    direct = time.thread_time()
    for q in slow_queries(24, seed=1):
        vocabulary.search(q, limit=10)
    search_cpu = time.thread_time() - direct
    service = create_app(vocabulary, base=BASE)
    urls = [
        *(f"/search?q={q}" for q in slow_queries(12, seed=2)),  # the lean handler
        *(f"/search?q={q}&community=clinical" for q in slow_queries(12, seed=3)),  # FastAPI
    ]
    lookups_during: list[int] = []

    async def main() -> float:
        await get(service, "/lookup/MHRA")  # warm
        start = time.thread_time()
        for url in urls:
            assert (await get(service, url)) == 200
        loop_cpu = time.thread_time() - start
        # and lookups are answered while searches run
        searching = True

        async def lookups() -> None:
            count = 0
            while searching:
                assert (await get(service, "/lookup/MHRA")) == 200
                count += 1
                await anyio.sleep(0.001)
            lookups_during.append(count)

        async with anyio.create_task_group() as group:
            group.start_soon(lookups)
            for q in slow_queries(6, seed=4):
                assert (await get(service, f"/search?q={q}")) == 200
            searching = False
        return loop_cpu

    loop_cpu = anyio.run(main)
    # 24 searches through HTTP cost the loop thread a fraction of 24 like them run directly
    assert loop_cpu < 0.6 * search_cpu, f"loop {loop_cpu:.3f} s, searches {search_cpu:.3f} s"
    assert lookups_during[0] > 0


def test_the_server_hands_the_event_loop_the_lock_within_a_millisecond(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from api.main import SWITCH_INTERVAL_S, app_from_env

    build_vocabulary(SOURCE, tmp_path / "v.db")
    monkeypatch.setenv("VOCAB_DB", str(tmp_path / "v.db"))
    monkeypatch.setenv("VOCAB_EDITORIAL_DB", "off")
    monkeypatch.setenv("VOCAB_BASE_URI", BASE)
    before = sys.getswitchinterval()
    try:
        assert isinstance(app_from_env(), Service)
        assert SWITCH_INTERVAL_S <= 0.001
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)
