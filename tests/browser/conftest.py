"""Real-browser tests: `vocab serve` in a subprocess, Debian's chromium driven by Playwright.

One chromium serves the whole session; each test gets a fresh context (cookies, storage and
permissions of its own). A second, plain HTTP server on another port plays the part of an
educator's web site, so that embedding and tooltips are tested across origins, as they are
used. Chromium comes from apt: `make test` installs it when it is missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SOURCE, Site, free_port, serve

LIFECYCLE = ROOT / "tests" / "fixtures" / "lifecycle.ttl"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shipped vocabulary, served for real."""
    with serve(SOURCE, tmp_path_factory.mktemp("site")) as site:
        yield site


@pytest.fixture(scope="session")
def lifecycle_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The lifecycle fixture (every status, ambiguous CT, hostile text), served for real."""
    with serve(LIFECYCLE, tmp_path_factory.mktemp("lifecycle-site")) as site:
        yield site


@dataclass
class HostSite:
    """Another origin: an educator's page that embeds our snippet, oEmbed HTML or tooltips."""

    base: str
    pages: dict[str, str] = field(default_factory=dict)

    def publish(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.base + path


@pytest.fixture(scope="session")
def host() -> Iterator[HostSite]:
    port = free_port()
    hosted = HostSite(f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server API names it so
            body = hosted.pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not found").encode())

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet: no request log."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hosted
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)"
        )
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page and what it did that a test may need to forbid: dialogs, errors."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def open_page(browser: Any, **options: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport=VIEWPORT, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watched = Watched(page)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    with open_page(browser) as opened:
        yield opened


@pytest.fixture
def page(watched: Watched) -> Any:
    return watched.page
