"""Sentence vectors from a static embedding model shipped inside a package: no download.

The model is WordLlama `l2_supercat` (256 dimensions, 32,000 tokens, MIT licence): a
token embedding table distilled from a large language model, averaged over a text's
tokens. Its weights (16 MB) and tokenizer come inside the `wordllama` wheel, so the
service starts air-gapped. They are read here (the weights memory-mapped, the tokenizer
with `tokenizers`) directly from the package folder, found without importing `wordllama` itself: its
package import configures the root logger and imports `requests`, and its loader would
fetch a missing file over the network. A missing or damaged file raises
`EmbeddingError`, so startup fails loudly rather than serving without the semantic stage.

Vectors are unit length, so a dot product is the cosine similarity; they are stored as
int8 with one scale per vector (`quantise`), 256 bytes a vector.

>>> model = load_model()                                    # doctest: +SKIP
>>> model.embed(["scan with a big magnet"]).shape           # doctest: +SKIP
(1, 256)
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vocab.errors import StoreError

MODEL_NAME = "wordllama-l2_supercat-256"
"""Recorded in every store it built vectors for: a store built with another model is stale."""
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
BATCH_ROWS = 8_192  # texts summed together when embedding many texts

Vectors = npt.NDArray[np.float32]


class EmbeddingError(StoreError):
    """The embedding model could not be loaded or does not match a store's vectors."""


@dataclass(frozen=True)
class EmbeddingModel:
    """A token table (float16, as shipped) and its tokenizer; embeds texts as unit vectors."""

    name: str
    table: npt.NDArray[np.float16]
    tokenizer: Any  # tokenizers.Tokenizer (untyped)

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def embed_one(self, text: str) -> Vectors:
        """Return the unit vector of one text (a zero vector when it has no tokens)."""
        ids = self.tokenizer.encode(" ".join(text.split()), add_special_tokens=False).ids
        out = np.zeros(self.dim, dtype=np.float32)
        if ids:
            out = self.table[np.clip(ids, 0, len(self.table) - 1)].astype(np.float32).mean(axis=0)
            norm = float(np.linalg.norm(out))
            if norm > 0:
                out /= norm
        return out

    def embed(self, texts: list[str]) -> Vectors:
        """Return one unit vector per text (a zero vector for a text with no tokens).

        The tokenizer never joins two whitespace-separated words into one token, so each
        distinct word is tokenized and summed once: texts of a large vocabulary reuse a
        few thousand words, and pooling their sums is most of the work.
        """
        split = [text.split() for text in texts]
        words = list(itertools.chain.from_iterable(split))
        distinct = list(dict.fromkeys(words))
        number = dict(zip(distinct, range(len(distinct)), strict=True))
        encoded = self.tokenizer.encode_batch(distinct, add_special_tokens=False)
        token_ids = [e.ids for e in encoded]
        chunk_sums = self._pool(
            np.fromiter(itertools.chain.from_iterable(token_ids), dtype=np.int64),
            np.fromiter(map(len, token_ids), dtype=np.int64, count=len(token_ids)),
            self.table,
        )
        text_sums = self._pool(
            np.fromiter(map(number.__getitem__, words), dtype=np.int64, count=len(words)),
            np.fromiter(map(len, split), dtype=np.int64, count=len(split)),
            chunk_sums,
        )
        norms = np.linalg.norm(text_sums, axis=1, keepdims=True)  # the mean's direction
        np.divide(text_sums, norms, out=text_sums, where=norms > 0)
        return text_sums

    @staticmethod
    def _pool(
        flat: npt.NDArray[np.int64],
        lengths: npt.NDArray[np.int64],
        rows: npt.NDArray[np.floating[Any]],
    ) -> Vectors:
        """Return the float32 sum of `rows` over each group of row indices: the groups are
        `flat` cut into pieces of `lengths`.

        Groups are taken shortest first in batches; within a batch, the first index of
        every group is added, then the second of every group that has one, and so on:
        one gather of a few thousand rows per step, each sum added in its group's order.
        """
        out = np.zeros((len(lengths), rows.shape[1]), dtype=np.float32)
        if not len(rows) or not len(flat):  # no texts had a word: every sum is zero
            return out
        np.clip(flat, 0, len(rows) - 1, out=flat)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        order = np.argsort(lengths, kind="stable")
        ordered = lengths[order]
        for first in range(0, len(order), BATCH_ROWS):
            batch = order[first : first + BATCH_ROWS]
            sizes = ordered[first : first + BATCH_ROWS]
            sums = np.zeros((len(batch), rows.shape[1]), dtype=np.float32)
            starts = offsets[batch]
            for step in range(int(sizes[-1]) if len(sizes) else 0):
                begin = int(np.searchsorted(sizes, step, side="right"))  # groups this long
                sums[begin:] += rows[flat[starts[begin:] + step]]
            out[batch] = sums
        return out


def quantise(vectors: Vectors) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """Return int8 vectors and a scale each, so that vector ≈ int8 * scale."""
    peak = np.abs(vectors).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.round(vectors / scale[:, None]).astype(np.int8), scale


def package_folder(package: str = "wordllama") -> Path:
    """Return the folder of an installed package without importing it; raise EmbeddingError."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError(
            f"The embedding model's package '{package}' is not installed; "
            "install the service with its dependencies (pip install -e .)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


_cache: dict[Path, EmbeddingModel] = {}
_lock = threading.Lock()


def load_model(folder: Path | None = None) -> EmbeddingModel:
    """Return the shipped model (loaded once per process); raise EmbeddingError if it cannot be."""
    folder = folder or package_folder()
    with _lock:
        if folder not in _cache:
            _cache[folder] = _read(folder)
        return _cache[folder]


def _read(folder: Path) -> EmbeddingModel:
    from tokenizers import Tokenizer

    weights, tokenizer_file = folder / WEIGHTS, folder / TOKENIZER
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise EmbeddingError(
                f"The embedding model file {path} is missing; reinstall the 'wordllama' package."
            )
    try:
        table = _mapped_table(weights)
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    except EmbeddingError:
        raise
    except Exception as exc:  # OSError, a bad JSON header, or tokenizers' own untyped errors
        raise EmbeddingError(f"The embedding model in {folder} could not be read: {exc}") from exc
    tokenizer.no_padding()
    tokenizer.no_truncation()
    if table.ndim != 2 or table.shape[0] < tokenizer.get_vocab_size() // 2:
        raise EmbeddingError(f"The embedding table in {weights} has an unexpected shape.")
    return EmbeddingModel(MODEL_NAME, table, tokenizer)


def _mapped_table(path: Path) -> npt.NDArray[np.float16]:
    """Return the token table of a safetensors file, memory-mapped read-only: a query
    touches a few rows, so only their pages become resident (not 16 MB per process).

    The format is an 8-byte little-endian header length, a JSON header naming each
    tensor's dtype, shape and byte offsets, then the data. Raises EmbeddingError.
    """
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
    info = header.get(TENSOR) if isinstance(header, dict) else None
    if not isinstance(info, dict) or info.get("dtype") != "F16" or len(info.get("shape", ())) != 2:
        raise EmbeddingError(f"{path} holds no float16 matrix '{TENSOR}'.")
    rows, dim = (int(n) for n in info["shape"])
    start, end = (int(n) for n in info["data_offsets"])
    if end - start != rows * dim * 2 or 8 + size + end > path.stat().st_size:
        raise EmbeddingError(f"{path} is truncated or damaged; reinstall 'wordllama'.")
    return np.memmap(path, dtype=np.float16, mode="r", offset=8 + size + start, shape=(rows, dim))
