"""`vocab annotate FILE`, run as a user runs it (a real process, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import vocab
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("annotate-cli") / "a.db"
    result = vocab("build", "--db", str(path), "--source", str(FIXTURES / "annotate.ttl"))
    assert result.returncode == 0, result.stderr
    return path


def run(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return vocab("annotate", *args, "--db", str(db), "--source", str(FIXTURES / "annotate.ttl"))


def test_a_text_file_lists_each_term_with_its_sense(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("The CT scanner and MRI.", encoding="utf-8")
    result = run(db, str(doc))
    assert result.returncode == 0, result.stderr
    assert "CT → computed tomography  [acronym]" in result.stdout
    assert "3 terms (3 concepts), 1 ambiguous" in result.stderr


def test_an_html_file_is_read_as_html_by_its_extension(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "page.html"
    doc.write_text('<p title="CT">MRI</p>', encoding="utf-8")
    result = run(db, str(doc), "--format", "json")
    assert [s["text"] for s in json.loads(result.stdout)["spans"]] == ["MRI"]


def test_output_goes_to_a_file_with_o(db: Path, tmp_path: Path) -> None:
    doc, out = tmp_path / "a.md", tmp_path / "a.jsonld"
    doc.write_text("MRI", encoding="utf-8")
    result = run(db, str(doc), "-f", "jsonld", "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["type"] == "AnnotationCollection"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "Cannot read"),
        (b"\xff\xfe", [], "not UTF-8"),
        (b"MRI", ["--format", "xml"], "Unknown format 'xml'"),
        (b"MRI", ["--kind", "pdf"], "Unknown document kind 'pdf'"),
    ],
)
def test_bad_input_is_a_message_on_stderr_and_a_non_zero_exit(
    db: Path, tmp_path: Path, content: bytes | None, args: list[str], message: str
) -> None:
    doc = tmp_path / "doc.txt"
    if content is not None:
        doc.write_bytes(content)
    result = run(db, str(doc), *args)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr
