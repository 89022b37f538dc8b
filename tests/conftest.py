"""Shared fixtures: real stores built from Turtle, real HTTP through FastAPI's test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from loaders.source import read_source
from vocab.build import write_store
from vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SOURCE = ROOT / "ontology" / "vocabulary"
SEED = ROOT / "ontology" / "seed" / "glossary-2021.txt"  # the seed document's glossary section
BASE = "http://127.0.0.1:8000"


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
