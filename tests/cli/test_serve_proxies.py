"""`vocab serve` believes X-Forwarded-For only from the proxies it is given (case E13 of the
reliability and security checklist), through the real server, not only inside the app:
the HTTP server in front of the app must not rewrite the client's address on its own."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import FIXTURES, serve

LIFECYCLE = FIXTURES / "lifecycle.ttl"


def status(url: str, forwarded: str) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": forwarded})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_loopback_client_cannot_rename_itself_with_x_forwarded_for(tmp_path: Path) -> None:
    """No proxy configured: every request is the peer's (127.0.0.1), whatever it forwards."""
    with serve(LIFECYCLE, tmp_path, "--rate-limit", "lookup=3/h") as site:
        url = site.url("/lookup/CT")
        statuses = [status(url, f"198.51.100.{i}") for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_configured_proxy_names_each_client(tmp_path: Path) -> None:
    """With 127.0.0.1 as the proxy, the hop it appended names the client."""
    options = ("--rate-limit", "lookup=2/h", "--trusted-proxy", "127.0.0.1")
    with serve(LIFECYCLE, tmp_path, *options) as site:
        url = site.url("/lookup/CT")
        first = [status(url, "192.0.2.1") for _ in range(3)]
        second = [status(url, "192.0.2.2") for _ in range(2)]
    assert (first, second) == ([200, 200, 429], [200, 200])
