"""Shared fixtures: real stores built from Turtle, real HTTP through FastAPI's test client."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from loaders.turtle_source import read_source
from vocab.source import write_store
from vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SOURCE = ROOT / "ontology" / "vocabulary"
SEED = ROOT / "ontology" / "seed" / "glossary-2021.txt"  # the seed document's glossary section
BASE = "http://127.0.0.1:8000"
START_TIMEOUT_S = 60


@contextmanager
def finishes_within(cpu_seconds: float) -> Iterator[None]:
    """Fail if the body uses more than `cpu_seconds` of this process's CPU time.

    CPU time, not wall time: a busy machine slows the wall clock but not the work done,
    so a test fails on a real blow-up (quadratic parsing, runaway expansion) and never
    because other processes share the cores. Bounds are set about ten times above the
    expected cost.
    """
    start = time.process_time()
    yield
    used = time.process_time() - start
    assert used < cpu_seconds, f"took {used:.2f} s of CPU; the bound is {cpu_seconds} s"


def app_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """(full path, route) for every API route of an app, inside included routers too.

    FastAPI includes routers lazily: an included router keeps its own routes and prefix.
    """
    found: list[tuple[str, APIRoute]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
        elif hasattr(route, "original_router"):
            inner = route.include_context.prefix
            found += app_routes(route.original_router.routes, prefix + inner)
    return found


def build_vocabulary(source: Path, db: Path, base: str = BASE) -> Vocabulary:
    """Build a store from a Turtle source into `db` and open it."""
    result = read_source(source, base=base)
    write_store(db, result.snapshot, origin="test", source=source, base=base)
    return Vocabulary.open(db)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    """The vocabulary shipped in ontology/, in a store of its own."""
    return build_vocabulary(SOURCE, tmp_path_factory.mktemp("shipped") / "vocab.db")


@pytest.fixture(scope="session")
def client(shipped: Vocabulary) -> TestClient:
    return TestClient(create_app(shipped, base=BASE))


@pytest.fixture(scope="session")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    """A tiny vocabulary with active, deprecated, merged and withdrawn concepts."""
    return build_vocabulary(
        FIXTURES / "lifecycle.ttl", tmp_path_factory.mktemp("lifecycle") / "v.db"
    )


@pytest.fixture(scope="session")
def lifecycle_client(lifecycle: Vocabulary) -> TestClient:
    return TestClient(create_app(lifecycle, base=BASE), follow_redirects=False)


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


@contextmanager
def serve(source: Path, workdir: Path, *options: str) -> Iterator[Site]:
    """Start `vocab serve` on a free port, building the store in `workdir`; stop it afterwards.

    `options` go to `vocab serve` as they are; the editorial store is `workdir/editorial.db`
    unless they name one (`--editorial-db`), the base URI is the server's own address
    unless they name one (`--base-uri`), and the rate limits are off unless they name
    some (`--rate-limit`).
    """
    if "--editorial-db" not in options:
        options = (*options, "--editorial-db", str(workdir / "editorial.db"))
    if "--rate-limit" not in options:  # tests send bursts from one address; limits: test_limits.py
        options = (*options, "--rate-limit", "off")
    port = free_port()
    if "--base-uri" not in options:  # concept URIs that resolve on this server
        options = (*options, "--base-uri", f"http://127.0.0.1:{port}")
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "serve",
            "--port",
            str(port),
            "--db",
            str(workdir / "vocab.db"),
            "--source",
            str(source),
            *options,
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


RELEASE_SOURCE = FIXTURES / "release"
"""A tiny clean vocabulary (it passes the quality gate) to cut releases from."""

OLD_CT_DEFINITION = (
    "An imaging modality that builds cross-sectional images from many X-ray projections."
)
NEW_CT_DEFINITION = (
    "An imaging modality that reconstructs slices of the body from X-ray projections."
)
NEW_CONCEPT = """
:t0005 a skos:Concept ;
    skos:inScheme <scheme> ;
    skos:prefLabel "region of interest"@en-GB ;
    airt:acronym "ROI"@en-GB ;
    skos:definition "A part of an image chosen for measurement or analysis."@en-GB ;
    airt:plainDefinition "The part of a picture being looked at closely."@en-GB ;
    skos:related :t0003 ;
    dct:source <https://example.org/roi> .
"""


def copy_release_source(folder: Path) -> Path:
    """Copy the release fixture into `folder/source` and return that folder."""
    source = folder / "source"
    source.mkdir(parents=True)
    for path in RELEASE_SOURCE.glob("*.ttl"):
        (source / path.name).write_bytes(path.read_bytes())
    return source


def edit_release_source(source: Path) -> None:
    """The done-when edits: a definition (t0001), a label (t0002), a relation (t0003: related
    t0002 -> t0001), a concept added (t0005) and one deprecated (t0004, replaced by t0001)."""
    path = source / "imaging.ttl"
    text = path.read_text(encoding="utf-8")
    edits = [
        (OLD_CT_DEFINITION, NEW_CT_DEFINITION),
        (
            'skos:altLabel "tumor volume"@en-US',
            'skos:altLabel "tumor volume"@en-US, "tumour size"@en-GB',
        ),
        ("    skos:related :t0002 ;\n", "    skos:related :t0001 ;\n"),
        (
            "    skos:related :t0001 ;\n    dct:source <https://example.org/ct-scanning> .",
            "    owl:deprecated true ;\n    dct:isReplacedBy :t0001 ;\n"
            "    dct:source <https://example.org/ct-scanning> .",
        ),
        (
            "skos:member :t0001, :t0002, :t0003, :t0004 .",
            "skos:member :t0001, :t0002, :t0003, :t0004, :t0005 .",
        ),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    text = text.replace(
        "@prefix skos:", "@prefix owl:  <http://www.w3.org/2002/07/owl#> .\n@prefix skos:"
    )
    path.write_text(text + NEW_CONCEPT, encoding="utf-8")
