"""Real-browser tests: `vocab serve` in a subprocess, Debian's chromium driven by Playwright.

One chromium serves the whole session; each test gets a fresh context (cookies, storage and
permissions of its own). A second, plain HTTP server on another port plays the part of an
educator's web site, so that embedding and tooltips are tested across origins, as they are
used. Chromium comes from apt (`.ci/run` installs it); without it these tests are skipped
locally and fail on CI.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "ontology" / "vocabulary"
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
START_TIMEOUT_S = 60
VIEWPORT = {"width": 1280, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    """A running `vocab serve`: its base URL (also the base of its concept URIs)."""

    base: str
    process: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base + path


def serve(source: Path, workdir: Path) -> Iterator[Site]:
    """Start `vocab serve` on a free port, building the store in `workdir`; stop it afterwards."""
    port = free_port()
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vocab",
            "serve",
            "--port",
            str(port),
            "--db",
            str(workdir / "vocab.db"),
            "--source",
            str(source),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"vocab serve exited early:\n{(workdir / 'server.log').read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"vocab serve did not answer within {START_TIMEOUT_S} s")
                time.sleep(0.2)
        yield Site(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shipped vocabulary, served for real."""
    yield from serve(SOURCE, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def lifecycle_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The lifecycle fixture (every status, ambiguous CT, hostile text), served for real."""
    yield from serve(LIFECYCLE, tmp_path_factory.mktemp("lifecycle-site"))


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
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it with apt-get install chromium")
        # A developer's machine may lack Debian's chromium; CI installs it (.ci/run sets CI=1),
        # so there a missing browser fails the run instead of skipping it.
        pytest.skip(f"browser tests need {CHROMIUM}: apt-get install chromium")
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
    yield from open_page(browser)


@pytest.fixture
def page(watched: Watched) -> Any:
    return watched.page
