"""The quality gate: one tiny vocabulary per check, and the shipped vocabulary passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.turtle_source import validate_source
from tests.conftest import BASE, FIXTURES, SOURCE
from vocab.quality import CHECKS

QUALITY = FIXTURES / "quality"


def findings(name: str) -> set[tuple[str, str]]:
    _, found = validate_source(QUALITY / f"{name}.ttl", base=BASE, shapes=False)
    return {(f.severity, f.check) for f in found}


def messages(name: str) -> str:
    _, found = validate_source(QUALITY / f"{name}.ttl", base=BASE, shapes=False)
    return "\n".join(f.message for f in found)


@pytest.mark.parametrize(
    ("fixture", "check"),
    [
        ("chr", "chr"),
        ("dup", "dup"),
        ("def", "def"),
        ("src", "src"),
        ("rrc", "rrc"),
        ("link", "link"),
        ("dep", "dep"),
    ],
)
def test_each_error_check_finds_its_problem(fixture: str, check: str) -> None:
    assert ("error", check) in findings(fixture)


@pytest.mark.parametrize(
    ("fixture", "evidence"), [("rc", "S27"), ("mc", "S46"), ("usr", "not a SKOS term")]
)
def test_integrity_clashes_are_errors_with_the_evidence(fixture: str, evidence: str) -> None:
    assert ("error", "read") in findings(fixture)
    assert evidence in messages(fixture)


@pytest.mark.parametrize(
    ("fixture", "check"),
    [("ol", "ol"), ("hr", "hr"), ("oc", "oc"), ("oilt", "oilt"), ("var", "var")],
)
def test_each_warning_check_finds_its_problem(fixture: str, check: str) -> None:
    found = findings(fixture)
    assert ("warning", check) in found
    assert not any(severity == "error" for severity, _ in found)


def test_every_check_has_an_id_and_a_severity() -> None:
    assert all(severity in ("error", "warning") for _, severity, _ in CHECKS)
    assert len({check_id for check_id, _, _ in CHECKS}) == len(CHECKS)


def test_the_shipped_vocabulary_passes_with_zero_errors() -> None:
    _, found = validate_source(SOURCE, base=BASE)
    errors = [f"{f.check} {f.subject}: {f.message}" for f in found if f.severity == "error"]
    assert errors == []


def test_shacl_shapes_catch_a_concept_without_a_source(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text((QUALITY / "src.ttl").read_text())
    _, found = validate_source(broken, base=BASE, shapes=True)
    assert any(f.check == "shacl" and "source" in f.message for f in found)
