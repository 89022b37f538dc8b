"""The `vocab` command line, run as a user runs it (a real process, real files)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conftest import FIXTURES, SEED, SOURCE, serve


def vocab(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "vocab.db"
    result = vocab("build", "--db", str(path), "--source", str(SOURCE))
    assert result.returncode == 0, result.stderr
    return path


def store_args(db: Path) -> list[str]:
    return ["--db", str(db), "--source", str(SOURCE)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_reports_what_it_built(db: Path) -> None:
    assert db.stat().st_size > 0


def test_lookup_prints_acronym_and_label_first(db: Path) -> None:
    result = vocab("lookup", "MHRA", *store_args(db))
    assert result.returncode == 0
    assert (
        result.stdout.splitlines()[0]
        == "MHRA — Medicines and Healthcare products Regulatory Agency"
    )


def test_lookup_without_a_match_exits_1_with_suggestions_on_stderr(db: Path) -> None:
    result = vocab("lookup", "machine lerning", *store_args(db))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "machine learning" in result.stderr


def test_search_json(db: Path) -> None:
    result = vocab("search", "reporting", "--json", *store_args(db))
    assert result.returncode == 0
    assert '"results"' in result.stdout


def test_export_to_stdout_parses(db: Path) -> None:
    result = vocab("export", "--format", "ttl", *store_args(db))
    assert len(Graph().parse(data=result.stdout, format="turtle")) > 500


def test_export_import_export_round_trips(db: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.nt"
    assert vocab("export", "--format", "nt", "-o", str(first), *store_args(db)).returncode == 0
    other = tmp_path / "other.db"
    imported = vocab("import", str(first), "--db", str(other), "--source", str(tmp_path / "none"))
    assert imported.returncode == 0, imported.stderr
    second = tmp_path / "second.nt"
    assert (
        vocab(
            "export",
            "-f",
            "nt",
            "-o",
            str(second),
            "--db",
            str(other),
            "--source",
            str(tmp_path / "none"),
        ).returncode
        == 0
    )
    assert isomorphic(Graph().parse(first, format="nt"), Graph().parse(second, format="nt"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b", "line 2"),
        (
            "broken.rdf",
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<oops></rdf:RDF>",
            "line 2",
        ),
        ("broken.jsonld", '{"@id": "http://e/a",\n "http://e/p": [1,}', "line 2"),
        ("broken.csv", "uri,prefLabel\nhttp://e/a\n", "line 2"),
        ("vocab.xlsx", "not a vocabulary", "one of: ttl, rdf, jsonld, nt, csv"),
    ],
)
def test_a_bad_file_is_refused_whole_and_the_store_is_untouched(
    db: Path, tmp_path: Path, name: str, content: str, message: str
) -> None:
    before = digest(db)
    bad = tmp_path / name
    bad.write_text(content)
    result = vocab("import", str(bad), *store_args(db))
    assert result.returncode != 0
    assert message in result.stderr
    assert digest(db) == before


def test_dry_run_reports_and_leaves_the_store(db: Path) -> None:
    before = digest(db)
    result = vocab("import", str(FIXTURES / "lifecycle.ttl"), "--dry-run", *store_args(db))
    assert result.returncode == 0
    assert "dry run" in result.stderr
    assert digest(db) == before


def test_validate_passes_on_the_shipped_source() -> None:
    result = vocab("validate", "--source", str(SOURCE))
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stderr


def test_validate_fails_with_the_evidence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<terms/a> a skos:Concept ; skos:prefLabel "one"@en, "two"@en .\n'
    )
    result = vocab("validate", "--source", str(bad))
    assert result.returncode == 1
    assert "S14" in result.stderr and "terms/a" in result.stderr


def test_format_check_finds_the_shipped_source_tidy() -> None:
    assert vocab("format", "--check", "--source", str(SOURCE)).returncode == 0


def test_glossary_prints_one_concept_per_seed_entry() -> None:
    result = vocab("glossary", str(SEED))
    assert result.returncode == 0
    assert result.stdout.count("a skos:Concept ;") == 38


def test_serve_builds_the_store_and_answers_lookups(tmp_path: Path) -> None:
    db = tmp_path / "vocab.db"
    with serve(SOURCE, tmp_path) as site:
        with urllib.request.urlopen(site.url("/lookup/MHRA"), timeout=5) as response:
            body = response.read().decode()
        assert body.splitlines()[0] == "MHRA — Medicines and Healthcare products Regulatory Agency"
        assert db.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("terms.json", '{"terms": ["a\\ud800b"]}'), ("terms.txt", "recall\nbell\x07\n")],
)
def test_align_refuses_broken_text_with_a_message_not_a_traceback(
    db: Path, tmp_path: Path, name: str, content: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = vocab("align", str(tmp_path / name), *store_args(db))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Term" in result.stderr
