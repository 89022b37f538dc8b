"""No hostile import half-writes the store: only the registered formats import, never by
guessing (A12), and `vocab import` of each hostile file fails with a message and leaves the
store as it was. The reading under an audit hook (A10, A11) is in test_input_isolation.py.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main as cli
from loaders import READERS, format_for_path, get_format, read_file
from tests.conftest import BASE, build_vocabulary
from tests.safety.hostile_payloads import GENERATED, HOSTILE, RDF_OPEN, write_payloads
from vocab.errors import ParseError, UnsupportedFormat
from vocab.vocabulary import Vocabulary

# --- A12: format allow-list ---------------------------------------------------------------

REFUSED_FORMATS = ["n3", "trix", "hext", "trig", "nquads", "html", "xlsx", "", "json"]


def test_exactly_five_formats_import() -> None:
    assert sorted(READERS) == ["csv", "jsonld", "nt", "rdf", "ttl"]


@pytest.mark.parametrize("name", REFUSED_FORMATS)
def test_an_unregistered_format_name_is_refused_listing_the_allowed(name: str) -> None:
    with pytest.raises(UnsupportedFormat, match="use one of: ttl, rdf, jsonld, nt, csv"):
        get_format(name, purpose=READERS)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", [f"vocabulary.{ext}" for ext in REFUSED_FORMATS if ext] + ["vocabulary", "ttl"]
)
def test_an_unregistered_extension_is_refused_listing_the_allowed(name: str) -> None:
    with pytest.raises(
        UnsupportedFormat, match="pass --format with one of: ttl, rdf, jsonld, nt, csv"
    ):
        format_for_path(Path(name))


TURTLE = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<scheme> a skos:ConceptScheme ; skos:prefLabel "Tiny"@en .
<terms/a> a skos:Concept ; skos:inScheme <scheme> ; skos:prefLabel "alpha"@en .
<terms/b> a skos:Concept ; skos:inScheme <scheme> ; skos:prefLabel "beta"@en ;
    skos:broader <terms/a> .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tiny Turtle source and the store built from it: (db, source)."""
    folder = tmp_path_factory.mktemp("store")
    source, db = folder / "source", folder / "db" / "vocab.db"
    source.mkdir()
    db.parent.mkdir()
    (source / "tiny.ttl").write_bytes(TURTLE)
    build_vocabulary(source, db)
    return db, source


def run_vocab(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[object, str]:
    """Run the `vocab` entry point in this process; return (exit code, stderr)."""
    for name in ("VOCAB_DB", "VOCAB_SOURCE", "VOCAB_BASE_URI", "VOCAB_HOST", "VOCAB_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["vocab", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return exited.value.code, capsys.readouterr().err


def snapshot_of_folder(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("extension", ["n3", "trig", "nquads", "trix", "hext", "html", "txt"])
def test_vocab_import_refuses_an_unregistered_extension_even_with_valid_turtle_inside(
    store: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extension: str,
) -> None:
    db, source = store
    before = snapshot_of_folder(db.parent)
    path = tmp_path / f"vocabulary.{extension}"
    path.write_bytes(
        TURTLE.replace(b"<terms/", f"<{BASE}/terms/".encode()).replace(
            b"<scheme>", f"<{BASE}/scheme>".encode()
        )
    )
    code, err = run_vocab(
        monkeypatch, capsys, "import", str(path), "--db", str(db), "--source", str(source)
    )
    assert code == 2
    assert "one of: ttl, rdf, jsonld, nt, csv" in err
    assert snapshot_of_folder(db.parent) == before


@pytest.mark.parametrize("format_name", ["n3", "trig", "nquads", "trix", "hext", "html"])
def test_vocab_import_refuses_an_unregistered_format_option(
    store: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    format_name: str,
) -> None:
    db, source = store
    code, err = run_vocab(
        monkeypatch,
        capsys,
        "import",
        str(HOSTILE / "truncated-prefix.ttl"),
        "--format",
        format_name,
        "--db",
        str(db),
        "--source",
        str(source),
    )
    assert code == 2
    assert f"Unknown format '{format_name}'; use one of: ttl, rdf, jsonld, nt, csv." in err


def test_content_never_decides_the_format(tmp_path: Path) -> None:
    """RDF/XML in a .ttl file is read as Turtle, and so refused, not sniffed and accepted."""
    path = tmp_path / "vocabulary.ttl"
    path.write_bytes(b'<?xml version="1.0"?>\n' + RDF_OPEN + b"</rdf:RDF>")
    with pytest.raises(ParseError, match=r"\(line 1, column 1\)"):
        read_file(path, base=BASE)


# --- Atomicity: a refused import leaves the store as it was --------------------------------


@pytest.fixture(scope="module")
def payload_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in write_payloads(tmp_path_factory.mktemp("cli") / "payloads")}


@pytest.mark.parametrize("name", sorted([p.name for p in HOSTILE.iterdir()] + list(GENERATED)))
def test_vocab_import_of_a_hostile_file_fails_and_leaves_the_store_byte_for_byte(
    store: tuple[Path, Path],
    payload_files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    db, source = store
    before = snapshot_of_folder(db.parent)
    code, err = run_vocab(
        monkeypatch,
        capsys,
        "import",
        str(payload_files[name]),
        "--db",
        str(db),
        "--source",
        str(source),
    )
    assert code == 2
    assert err.startswith("error: ")
    assert snapshot_of_folder(db.parent) == before


def test_vocab_import_over_max_bytes_fails_and_leaves_the_store(
    store: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, source = store
    before = snapshot_of_folder(db.parent)
    path = tmp_path / "big.nt"
    path.write_bytes(b'<http://e/a> <http://e/p> "' + b"x" * 2000 + b'" .\n')
    code, err = run_vocab(
        monkeypatch,
        capsys,
        "import",
        str(path),
        "--max-bytes",
        "1000",
        "--db",
        str(db),
        "--source",
        str(source),
    )
    assert (code, "the limit is 1,000 bytes" in err) == (2, True)
    assert snapshot_of_folder(db.parent) == before


def test_the_installed_vocab_command_refuses_billion_laughs_and_keeps_the_store(
    store: tuple[Path, Path],
) -> None:
    db, source = store
    before = snapshot_of_folder(db.parent)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            str(HOSTILE / "billion-laughs.rdf"),
            "--db",
            str(db),
            "--source",
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Entity 'lol1' refers to another entity" in done.stderr
    assert snapshot_of_folder(db.parent) == before


def test_the_store_still_answers_after_the_hostile_imports(store: tuple[Path, Path]) -> None:
    db, _ = store
    assert Vocabulary.open(db).lookup("alpha").hits


def test_a_valid_import_does_change_the_store(
    store: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The control: the byte-for-byte comparison above would see a write."""
    db, source = store
    (tmp_path / "db").mkdir()
    copy = tmp_path / "db" / "vocab.db"
    copy.write_bytes(db.read_bytes())
    before = snapshot_of_folder(copy.parent)
    valid = tmp_path / "valid.csv"
    valid.write_bytes(f"uri,prefLabel\r\n{BASE}/terms/c,gamma\r\n".encode())
    code, _ = run_vocab(
        monkeypatch, capsys, "import", str(valid), "--db", str(copy), "--source", str(source)
    )
    assert code == 0
    assert snapshot_of_folder(copy.parent) != before
