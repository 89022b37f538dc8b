"""The alignment worker process never outlives the server that started it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.workers import IN_THREAD_BELOW, AlignWorkers
from tests.conftest import FIXTURES, ROOT, build_vocabulary
from vocab.errors import StoreError

SERVER = """
import asyncio, os, sys
from api.workers import IN_THREAD_BELOW, AlignWorkers
from vocab.vocabulary import Vocabulary
workers = AlignWorkers()
vocabulary = Vocabulary.open(sys.argv[1])
terms = ["computed tomography"] * (IN_THREAD_BELOW + 1)
asyncio.run(workers.align(vocabulary, terms, community=None, limit=1, fmt="json",
                          base="http://x", set_id="s"))
print(*workers._pool._processes, flush=True)
sys.stdin.read()
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead too
        return stat.read().split()[2] != "Z"


def test_the_worker_exits_when_the_server_is_killed(tmp_path: Path) -> None:
    build_vocabulary(FIXTURES / "lifecycle.ttl", tmp_path / "v.db")
    with subprocess.Popen(
        [sys.executable, "-c", SERVER, str(tmp_path / "v.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    ) as server:
        assert server.stdout is not None
        worker = int(server.stdout.readline().split()[0])
        assert alive(worker)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(worker)


def test_a_killed_worker_is_replaced_and_its_request_answered_503(tmp_path: Path) -> None:
    """A worker killed mid-way (out of memory, say) fails only the alignment it ran, with a
    clear 503 error; the next large alignment starts a new worker."""
    vocabulary = build_vocabulary(FIXTURES / "lifecycle.ttl", tmp_path / "v.db")
    workers = AlignWorkers()
    terms = ["computed tomography"] * (IN_THREAD_BELOW + 1)

    async def align() -> bytes:
        return await workers.align(
            vocabulary, terms, community=None, limit=1, fmt="json", base="http://x", set_id="s"
        )

    try:
        assert asyncio.run(align())
        for pid in list(workers._pool._processes):  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(StoreError, match="try again"):
            asyncio.run(align())
        assert asyncio.run(align())  # a new worker
        assert workers.in_flight == 0
    finally:
        workers.close()
