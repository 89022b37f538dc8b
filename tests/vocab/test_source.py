"""The curated source's policy (vocab/source.py): digest, staleness, clean reads, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.turtle_source import read_source
from tests.conftest import BASE, FIXTURES
from vocab.errors import IntegrityError
from vocab.problems import ReadResult, Severity
from vocab.source import (
    require_clean,
    source_digest,
    source_files,
    stale_reason,
    validation_problems,
    write_store,
)

LIFECYCLE = FIXTURES / "lifecycle.ttl"


def test_a_folder_source_is_every_turtle_file_in_name_order(tmp_path: Path) -> None:
    for name in ("b.ttl", "a.ttl", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in source_files(tmp_path)] == ["a.ttl", "b.ttl"]


def test_the_digest_changes_with_content_and_is_empty_without_files(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text("x", encoding="utf-8")
    before = source_digest(tmp_path)
    (tmp_path / "a.ttl").write_text("y", encoding="utf-8")
    assert source_digest(tmp_path) not in ("", before)
    assert source_digest(tmp_path / "missing") == ""


def test_a_store_is_current_until_its_source_changes(tmp_path: Path) -> None:
    source = tmp_path / "v.ttl"
    source.write_bytes(LIFECYCLE.read_bytes())
    db = tmp_path / "v.db"
    write_store(db, read_source(source, base=BASE).snapshot, origin="t", source=source, base=BASE)
    assert stale_reason(db, source, BASE) is None
    source.write_bytes(LIFECYCLE.read_bytes() + b"\n# edited\n")
    assert "changed" in (stale_reason(db, source, BASE) or "")


TWO_PREF_LABELS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<terms/a> a skos:Concept ; skos:prefLabel "one"@en, "two"@en ."""


def test_require_clean_quotes_the_integrity_errors(tmp_path: Path) -> None:
    (tmp_path / "two.ttl").write_text(TWO_PREF_LABELS, encoding="utf-8")
    result = read_source(tmp_path / "two.ttl", base=BASE, strict=False)
    with pytest.raises(IntegrityError, match="More than one prefLabel"):
        require_clean(result)


def test_a_clean_read_returns_its_snapshot() -> None:
    result = read_source(LIFECYCLE, base=BASE)
    assert require_clean(result) is result.snapshot


def test_validation_of_one_file_demotes_links_to_warnings() -> None:
    result = read_source(FIXTURES / "quality" / "link.ttl", base=BASE, strict=False)
    whole = validation_problems(result)
    part = validation_problems(result, part=True)
    assert any(p.check == "link" and p.severity is Severity.ERROR for p in whole)
    assert all(p.severity is Severity.WARNING for p in part if p.check == "link")


def test_validation_runs_the_extra_checks_on_the_whole_source_only() -> None:
    result = ReadResult(read_source(LIFECYCLE, base=BASE).snapshot, ())
    calls: list[int] = []

    def extra(snapshot: object) -> list:  # type: ignore[type-arg]
        calls.append(1)
        return []

    validation_problems(result, extra=[extra])
    validation_problems(result, part=True, extra=[extra])
    assert calls == [1]
