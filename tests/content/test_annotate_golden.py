"""Annotation output stays byte-identical while the annotator is made faster.

The full JSON of each test document, of every development sentence and (as a digest) of a
generated 100 KB document like the benchmark's was recorded from the annotator before its
speed work (tests/content/golden/). A change that means to alter annotations re-records
them on purpose: `python -m tests.content.test_annotate_golden`, then review the diff."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import orjson
import pytest

from bench.annotate import document as bench_document
from loaders.annotation_in import read_document
from loaders.annotation_out import Annotated, annotation_json
from vocab.annotate import annotator_for
from vocab.vocabulary import Vocabulary

HERE = Path(__file__).parent
DOCUMENTS = HERE / "documents"
GOLDEN = HERE / "golden"
DEV_SENSES = HERE.parent / "vocab" / "annotate_dev_senses.tsv"
KINDS = {".md": "markdown", ".txt": "text", ".html": "html"}
NAMES = sorted(p.name for p in DOCUMENTS.iterdir() if p.suffix in KINDS)
GENERATED_BYTES = 100_000


def annotated_json(vocabulary: Vocabulary, text: str, kind: str, indent: bool = True) -> bytes:
    """Return the public JSON of `text` annotated with the shared annotator."""
    doc = read_document(text, kind)
    annotation = annotator_for(vocabulary.store).annotate(doc.text, doc.segments)
    option = orjson.OPT_INDENT_2 if indent else None
    return orjson.dumps(annotation_json(Annotated(annotation, doc)), option=option)


def document_json(vocabulary: Vocabulary, name: str) -> bytes:
    text = (DOCUMENTS / name).read_text(encoding="utf-8")
    return annotated_json(vocabulary, text, KINDS[Path(name).suffix])


def sentences_json(vocabulary: Vocabulary) -> bytes:
    lines = DEV_SENSES.read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t")[0] for ln in lines if ln.strip() and not ln.startswith("#")][1:]
    return (
        b"[\n"
        + b",\n".join(annotated_json(vocabulary, s, "text", indent=False) for s in rows)
        + b"\n]\n"
    )


def generated_digest(vocabulary: Vocabulary) -> str:
    text = bench_document(vocabulary, GENERATED_BYTES)
    return hashlib.sha256(annotated_json(vocabulary, text, "text")).hexdigest() + "\n"


@pytest.mark.parametrize("name", NAMES)
def test_a_documents_annotation_json_is_unchanged(shipped: Vocabulary, name: str) -> None:
    assert document_json(shipped, name) == (GOLDEN / f"{name}.json").read_bytes()


def test_the_development_sentences_annotation_json_is_unchanged(shipped: Vocabulary) -> None:
    assert sentences_json(shipped) == (GOLDEN / "dev-sentences.json").read_bytes()


def test_a_generated_100kb_documents_annotation_json_is_unchanged(shipped: Vocabulary) -> None:
    assert generated_digest(shipped) == (GOLDEN / "generated-100kb.sha256").read_text()


def record(vocabulary: Vocabulary) -> None:
    """Write the golden files from the annotator as it is now."""
    GOLDEN.mkdir(exist_ok=True)
    for name in NAMES:
        (GOLDEN / f"{name}.json").write_bytes(document_json(vocabulary, name))
    (GOLDEN / "dev-sentences.json").write_bytes(sentences_json(vocabulary))
    (GOLDEN / "generated-100kb.sha256").write_text(generated_digest(vocabulary))


if __name__ == "__main__":
    import tempfile

    from tests.conftest import SOURCE, build_vocabulary

    with tempfile.TemporaryDirectory() as tmp:
        record(build_vocabulary(SOURCE, Path(tmp) / "vocab.db"))
    print(f"recorded {GOLDEN}", file=sys.stderr)
