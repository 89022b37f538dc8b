"""Webhooks: signed with HMAC-SHA256, retried with backoff, never in the way of a request.

A real local receiver fails the first two deliveries (503), then accepts; a slow receiver
shows that a request does not wait for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from api.editorial.webhooks import WebhookSender
from tests.api.editorial.conftest import NEW_CONCEPT, Desk, make_desk
from tests.conftest import free_port
from vocab.editorial.notify import Backoff, verify
from vocab.vocabulary import Vocabulary

SECRET = "webhook secret for the tests"
FAST = Backoff(first_s=0.05, factor=2, max_s=0.2, attempts=5)
WAIT_S = 10


@dataclass
class Receiver:
    url: str
    fail_first: int = 0
    delay_s: float = 0.0
    received: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)

    def accepted(self) -> list[tuple[dict[str, str], bytes, int]]:
        return [r for r in self.received if r[2] == 200]


@contextmanager
def receiver_server(fail_first: int, delay_s: float) -> Iterator[Receiver]:
    port = free_port()
    receiver = Receiver(f"http://127.0.0.1:{port}/hook", fail_first, delay_s)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the http.server API names it so
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(receiver.delay_s)
            with lock:
                status = 503 if len(receiver.received) < receiver.fail_first else 200
                receiver.received.append((dict(self.headers), body, status))
            self.send_response(status)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def flaky() -> Iterator[Receiver]:
    """A receiver that answers 503 twice, then 200."""
    with receiver_server(fail_first=2, delay_s=0) as receiver:
        yield receiver


@pytest.fixture
def slow() -> Iterator[Receiver]:
    with receiver_server(fail_first=0, delay_s=6.0) as receiver:  # far above a busy submit
        yield receiver


def hooked(tmp_path: Path, published: Vocabulary, receiver: Receiver) -> Desk:
    sender = WebhookSender((receiver.url,), SECRET, backoff=FAST, timeout_s=5)
    return make_desk(str(tmp_path / "e.db"), published, notifier=sender)


def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def submit(desk: Desk) -> Any:
    body = {"kind": "add_concept", "reason": "r", "fields": NEW_CONCEPT, "submit": True}
    return desk.post("/editorial/proposals", "pat", body)


def test_a_submission_reaches_a_receiver_that_failed_twice(
    tmp_path: Path, published: Vocabulary, flaky: Receiver
) -> None:
    desk = hooked(tmp_path, published, flaky)
    with desk.client:
        submit(desk)
        wait_for(lambda: flaky.accepted())
    assert [status for _, _, status in flaky.received] == [503, 503, 200]


def test_every_attempt_is_signed_over_its_timestamp_and_body(
    tmp_path: Path, published: Vocabulary, flaky: Receiver
) -> None:
    desk = hooked(tmp_path, published, flaky)
    with desk.client:
        submit(desk)
        wait_for(lambda: flaky.accepted())
    checks = [verify(SECRET, body, h["X-Vocab-Timestamp"], h["X-Vocab-Signature"], now=time.time())
              for h, body, _ in flaky.received]  # fmt: skip
    assert checks == [True, True, True]
    assert len({h["X-Vocab-Delivery"] for h, _, _ in flaky.received}) == 1


def test_a_wrong_secret_does_not_verify(
    tmp_path: Path, published: Vocabulary, flaky: Receiver
) -> None:
    desk = hooked(tmp_path, published, flaky)
    with desk.client:
        submit(desk)
        wait_for(lambda: flaky.accepted())
    headers, body, _ = flaky.accepted()[0]
    assert not verify(
        "another secret",
        body,
        headers["X-Vocab-Timestamp"],
        headers["X-Vocab-Signature"],
        now=time.time(),
    )


def test_submitted_and_decided_are_both_announced(tmp_path: Path, published: Vocabulary) -> None:
    with receiver_server(0, 0) as receiver:
        desk = hooked(tmp_path, published, receiver)
        with desk.client:
            pid = submit(desk).json()["id"]
            desk.post(f"/editorial/proposals/{pid}/take", "carol")
            desk.post(f"/editorial/proposals/{pid}/approve", "ivan", {})
            wait_for(lambda: len(receiver.accepted()) == 2)
        events = [h["X-Vocab-Event"] for h, _, _ in receiver.accepted()]
        assert sorted(events) == ["proposal.approved", "proposal.submitted"]


def test_a_slow_receiver_does_not_hold_up_the_request(
    tmp_path: Path, published: Vocabulary, slow: Receiver
) -> None:
    desk = hooked(tmp_path, published, slow)
    with desk.client:
        started = time.monotonic()
        answer = submit(desk)
        took = time.monotonic() - started
        wait_for(lambda: slow.accepted())
    assert answer.status_code == 201 and took < slow.delay_s and len(slow.accepted()) == 1


def test_a_receiver_that_never_accepts_is_given_up_after_the_last_retry(
    tmp_path: Path, published: Vocabulary
) -> None:
    with receiver_server(fail_first=100, delay_s=0) as receiver:
        desk = hooked(tmp_path, published, receiver)
        sender = desk.editorial.notifier
        assert isinstance(sender, WebhookSender)
        with desk.client:
            submit(desk)
            wait_for(lambda: sender.failed == 1)
            waiting = sender.waiting()
        stored = [(d.state.value, d.attempts) for d in desk.editorial.store.deliveries()]
    assert (len(receiver.received), sender.failed, waiting) == (FAST.attempts, 1, 0)
    assert stored == [("abandoned", FAST.attempts)]


@pytest.mark.parametrize(("urls", "secret"), [(("ftp://x/hook",), "s"), (("http://x/hook",), "")])
def test_unsigned_or_non_http_webhooks_are_refused(urls: tuple[str, ...], secret: str) -> None:
    with pytest.raises(ValueError):
        WebhookSender(urls, secret)
