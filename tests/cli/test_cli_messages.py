"""CLI messages a user understands (issue 16): findings in words, repairs as warnings,
"not found" on stderr with a non-zero exit, a position given once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli import store_args, vocab
from tests.conftest import SOURCE

PREFIXES = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "@prefix dct: <http://purl.org/dc/terms/> .\n"
)
SIBLINGS_RELATED = PREFIXES + "".join(
    f'<terms/{c}> a skos:Concept ; skos:prefLabel "{label}"@en ; skos:definition "{label}."@en ;'
    f" dct:source <https://example.org/{c}> {extra}.\n"
    for c, label, extra in [
        ("p", "parent", ""),
        ("a", "first child", "; skos:broader <terms/p> ; skos:related <terms/b> "),
        ("b", "second child", "; skos:broader <terms/p> "),
    ]
)
TWO_PREF_LABELS = PREFIXES + '<terms/a> a skos:Concept ; skos:prefLabel "one"@en, "two"@en .\n'


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-messages") / "vocab.db"
    assert vocab("build", "--db", str(path), "--source", str(SOURCE)).returncode == 0
    return path


def test_validate_names_its_warnings_in_words(tmp_path: Path) -> None:
    source = tmp_path / "siblings.ttl"
    source.write_text(SIBLINGS_RELATED, encoding="utf-8")
    result = vocab("validate", "--source", str(source), "--no-shapes")
    summary = next(line for line in result.stderr.splitlines() if "warnings:" in line)
    assert "siblings marked related" in summary
    assert "var x" not in summary


def test_format_check_says_when_all_is_formatted() -> None:
    result = vocab("format", "--check", "--source", str(SOURCE))
    assert result.returncode == 0
    assert "formatted" in result.stderr


def test_format_check_lists_what_is_not_formatted(tmp_path: Path) -> None:
    folder = tmp_path / "vocabulary"
    shutil.copytree(SOURCE, folder)
    untidy = sorted(folder.glob("*.ttl"))[0]
    untidy.write_text(untidy.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    result = vocab("format", "--check", "--source", str(folder))
    assert result.returncode == 1
    assert f"would reformat {untidy}" in result.stderr
    assert "1 file(s) not formatted" in result.stderr


def test_a_non_strict_import_reports_its_repairs_as_warnings(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "two.ttl"
    source.write_text(TWO_PREF_LABELS, encoding="utf-8")
    result = vocab("import", str(source), "--dry-run", "--verbose", *store_args(db))
    assert result.returncode == 0, result.stderr
    assert "warning: " in result.stderr
    assert "error" not in result.stderr


def test_a_strict_import_still_calls_them_errors(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "two.ttl"
    source.write_text(TWO_PREF_LABELS, encoding="utf-8")
    result = vocab("import", str(source), "--strict", "--verbose", *store_args(db))
    assert result.returncode == 1
    assert "error: " in result.stderr


def test_translate_of_an_unknown_word_says_so_on_stderr(db: Path) -> None:
    result = vocab("translate", "banana", "--to", "clinical", *store_args(db))
    assert result.returncode == 1
    assert result.stdout == ""
    assert 'No concept is named "banana".' in result.stderr


@pytest.mark.parametrize("command", [["lookup", "flibbertigibbet"], ["search", "flibbertigibbet"]])
def test_every_not_found_is_on_stderr_with_a_non_zero_exit(db: Path, command: list[str]) -> None:
    result = vocab(*command, *store_args(db))
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip()


def test_broken_turtle_gives_its_position_once(db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(PREFIXES + '<terms/a> skos:prefLabel "x"@en ;;; oops\n', encoding="utf-8")
    result = vocab("import", str(broken), "--dry-run", *store_args(db))
    assert result.returncode != 0
    assert result.stderr.count("line 3") == 1, result.stderr
    assert "(line 3, column" in result.stderr
