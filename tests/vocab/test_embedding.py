"""The embedding model: shipped in a package, loaded offline, failing loudly when broken."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import FIXTURES, ROOT, build_vocabulary
from vocab.embedding import EmbeddingError, EmbeddingModel, load_model, quantise
from vocab.errors import StoreError
from vocab.meaning import MeaningIndex
from vocab.vocabulary import Vocabulary

# Run in a fresh process: an audit hook cannot be removed once added, and the model is
# loaded once per process.
OFFLINE_LOAD = """
import sys
def no_network(event, args):
    if event.startswith("socket.") or event in ("urllib.Request", "http.client.connect"):
        raise RuntimeError(f"network touched: {event}")
sys.addaudithook(no_network)
from vocab.embedding import load_model
vectors = load_model().embed(["scan with a big magnet", "radiotherapy"])
assert vectors.shape == (2, 256), vectors.shape
assert "wordllama" not in sys.modules and "requests" not in sys.modules
print("offline ok")
"""


def test_the_model_loads_and_embeds_without_touching_the_network() -> None:
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_LOAD], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "offline ok" in done.stdout


def test_texts_close_in_meaning_have_close_vectors() -> None:
    vectors = load_model().embed(["MRI scanner", "scan with a big magnet", "invoice for coffee"])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.parametrize(
    "text", ["sensitivity", "share of sick  people the test catches", "Cohen's κ", "", "   "]
)
def test_a_batch_embeds_each_text_as_it_would_alone(text: str) -> None:
    model = load_model()
    assert np.allclose(model.embed([text, "filler text"])[0], model.embed_one(text), atol=1e-6)


def test_vectors_are_unit_length_or_zero() -> None:
    norms = np.linalg.norm(load_model().embed(["deep learning", ""]), axis=1)
    assert norms.round(5).tolist() == [1.0, 0.0]


def test_int8_vectors_keep_their_direction() -> None:
    vectors = load_model().embed(["segmentation of organs at risk", "clinical trial"])
    ints, scales = quantise(vectors)
    restored = ints.astype(np.float32) * scales[:, None]
    cosines = (restored * vectors).sum(axis=1) / np.linalg.norm(restored, axis=1)
    assert cosines.min() > 0.999


def test_a_missing_model_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingError, match="missing"):
        load_model(tmp_path)


def test_a_store_with_vectors_from_another_model_is_refused(tmp_path: Path) -> None:
    vocabulary = build_vocabulary(FIXTURES / "meaning.ttl", tmp_path / "v.db")
    shipped = load_model()
    other = EmbeddingModel("another-model-256", shipped.table, shipped.tokenizer)
    with pytest.raises(EmbeddingError, match="rebuild"):
        MeaningIndex(vocabulary.store, other)


def test_opening_a_store_whose_model_is_unknown_fails_at_once(tmp_path: Path) -> None:
    build_vocabulary(FIXTURES / "meaning.ttl", tmp_path / "v.db")
    with sqlite3.connect(tmp_path / "v.db") as conn:
        conn.execute("UPDATE meta SET value = 'retired-model' WHERE key = 'embedding_model'")
    with pytest.raises(StoreError, match="retired-model"):
        Vocabulary.open(tmp_path / "v.db")
