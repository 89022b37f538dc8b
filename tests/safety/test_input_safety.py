"""No hostile input crashes, hangs, half-writes the store or reaches outside: the whole path.

- every hostile payload, read in a child process whose audit hook forbids the network and
  files outside the install, is refused with our ParseError family and trips no hook (A10);
- no code hands rdflib or pyoxigraph a location to open, only bytes (A11);
- only the registered formats import, and never by guessing (A12);
- `vocab import` of each hostile file fails with a message and leaves the store as it was;
- HTTP query text with invalid UTF-8 or FTS syntax never answers 500 (C12, C14);
- text for terminals carries no escape sequences (E8).
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from cli import main as cli
from loaders import READERS, format_for_path, get_format, read_file
from loaders.terminal import safe
from tests.conftest import BASE, FIXTURES, ROOT, build_vocabulary
from vocab.errors import ParseError, UnsupportedFormat
from vocab.model import Concept, Label, LabelKind, LangText, Scheme, Snapshot
from vocab.source import write_store
from vocab.vocabulary import Vocabulary

HOSTILE = FIXTURES / "hostile"
SKOS_PREFIX = b"@prefix s: <http://www.w3.org/2004/02/skos/core#> .\n"
RDF_OPEN = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:skos="http://www.w3.org/2004/02/skos/core#">'
)

GENERATED: dict[str, Callable[[], bytes]] = {
    "deep-blank-nodes.ttl": lambda: (
        SKOS_PREFIX
        + b"<http://e/a> s:related "
        + b"[ s:related " * 50_000
        + b"<http://e/b>"
        + b" ]" * 50_000
        + b" ."
    ),
    "deep-collections.ttl": lambda: (
        b"<http://e/a> <http://e/p> " + b"( " * 50_000 + b"<http://e/b>" + b" )" * 50_000 + b" ."
    ),
    "deep-objects.jsonld": lambda: b'{"http://e/p": ' * 100_000 + b"{}" + b"}" * 100_000,
    "deep-elements.rdf": lambda: (
        RDF_OPEN + b'<skos:Concept rdf:about="http://e/a"><skos:related>' * 100_000
    ),
    "iri-of-5-megabytes.ttl": lambda: b"<http://e/" + b"a" * 5_000_000 + b'> <http://e/p> "x" .',
    "long-prefix-many-names.ttl": lambda: (
        b"@prefix a: <http://e/"
        + b"x" * 2000
        + b"/> .\n"
        + b"".join(b"a:%d a:p a:o .\n" % i for i in range(20_000))
    ),
    "quadratic-blowup.rdf": lambda: (
        b'<!DOCTYPE rdf:RDF [<!ENTITY a "' + b"a" * 50_000 + b'">]>' + RDF_OPEN + b"&a;" * 10_000
    ),
    "entities-in-attributes.rdf": lambda: (
        b'<!DOCTYPE rdf:RDF [<!ENTITY a "'
        + b"a" * 1000
        + b'">]>'
        + RDF_OPEN
        + b"".join(b'<skos:Concept rdf:about="http://e/%d&a;"/>' % i for i in range(1100))
        + b"</rdf:RDF>"
    ),
    "many-columns.csv": lambda: (
        b"uri,prefLabel," + b",".join(b"c%d" % i for i in range(50_000)) + b",c0\r\n"
    ),
}


def write_payloads(folder: Path) -> list[Path]:
    """Copy every hostile fixture (with a dead loopback port) and the generated payloads."""
    folder.mkdir()
    for path in HOSTILE.iterdir():
        (folder / path.name).write_bytes(path.read_bytes().replace(b"PORT", b"9"))
    for name, build in GENERATED.items():
        (folder / name).write_bytes(build())
    return sorted(folder.iterdir())


# --- A10: audit hook in a child process -------------------------------------------------

AUDITED_READER = textwrap.dedent(
    """
    import json, os, sys, urllib.request
    from pathlib import Path
    from loaders import read_file
    from vocab.errors import ParseError

    payloads, allowed = Path(sys.argv[1]), tuple(sys.argv[2:])
    fired = []

    def deny(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                     "urllib.Request", "http.client.connect"):
            fired.append([event, repr(args)[:200]])
            raise PermissionError(event)
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if not path.startswith(allowed):
                fired.append([event, path])
                raise PermissionError(path)

    sys.addaudithook(deny)
    results = {}
    for path in sorted(payloads.iterdir()):
        try:
            read_file(path, base="http://127.0.0.1:8000")
            results[path.name] = "accepted"
        except ParseError as exc:
            results[path.name] = "ParseError:" + type(exc).__name__
        except BaseException as exc:
            results[path.name] = "crash:" + type(exc).__name__ + ": " + str(exc)[:200]
    payload_hooks = list(fired)
    for probe in (lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1),
                  lambda: open("/etc/hostname")):
        try:
            probe()
        except BaseException:
            continue
    controls = fired[len(payload_hooks):]
    print(json.dumps({"results": results, "fired": payload_hooks, "controls": controls}))
    """
)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Read every hostile payload in a child process that forbids network and stray files."""
    folder = tmp_path_factory.mktemp("audited")
    payloads = write_payloads(folder / "payloads")
    (folder / "ctx.jsonld").write_text('{"@context": {}}')  # what "ctx.jsonld" would name
    allowed = [sys.prefix, sys.base_prefix, str(ROOT), str(folder / "payloads")]
    done = subprocess.run(
        [sys.executable, "-c", AUDITED_READER, str(folder / "payloads"), *allowed],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    report["payloads"] = [p.name for p in payloads]
    return report


def test_the_audit_hook_catches_a_fetch_and_a_stray_open(audited: dict[str, Any]) -> None:
    """The control: the hook does see what the payloads must never cause."""
    assert [event for event, _ in audited["controls"]] == ["urllib.Request", "open"]


def test_no_hostile_payload_touches_the_network_or_files_outside_the_install(
    audited: dict[str, Any],
) -> None:
    assert audited["fired"] == []


@pytest.mark.parametrize("name", sorted([p.name for p in HOSTILE.iterdir()] + list(GENERATED)))
def test_each_hostile_payload_is_refused_with_a_parse_error_under_the_audit_hook(
    audited: dict[str, Any], name: str
) -> None:
    assert audited["results"][name].startswith("ParseError:")


# --- A11: parsers only ever get bytes --------------------------------------------------------

LOCATION_KEYWORDS = {"source", "location", "path", "file", "url", "publicID"}
# Bundled, constant files the service itself ships; never user input. (None any more.)
TRUSTED_LOCATIONS: set[tuple[str, str]] = set()


def parse_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for package in ("vocab", "api", "loaders", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = (
                        node.func.attr
                        if isinstance(node.func, ast.Attribute)
                        else getattr(node.func, "id", "")
                    )
                    if name in ("parse", "parse_file", "load"):
                        calls.append((str(path.relative_to(ROOT)), node))
    return calls


def location_of(path: str, call: ast.Call) -> str | None:
    """What the call would open, if anything: a location keyword or rdflib's positional source."""
    for keyword in call.keywords:
        if keyword.arg in LOCATION_KEYWORDS:
            return ast.unparse(keyword.value)
    receiver = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    if call.args and receiver not in ("ox", "pyoxigraph"):
        return ast.unparse(call.args[0])  # rdflib's Graph.parse(source, ...)
    return None


@pytest.mark.parametrize(
    ("code", "location"),
    [
        ('Graph().parse(location="http://169.254.169.254/")', "'http://169.254.169.254/'"),
        ("graph.parse(user_path, format='xml')", "user_path"),
        ("g.parse(source=url)", "url"),
        ("ox.parse(path=upload)", "upload"),
        ("graph.parse(data=body, format='turtle')", None),
        ("ox.parse(body, format=ox.RdfFormat.TURTLE)", None),
    ],
)
def test_the_static_check_tells_locations_from_data(code: str, location: str | None) -> None:
    call = ast.parse(code).body[0].value  # type: ignore[attr-defined]
    assert location_of("x.py", call) == location


def test_rdflib_and_pyoxigraph_are_only_given_bytes_never_a_location() -> None:
    opened = {
        (path, location)
        for path, call in parse_calls()
        if (location := location_of(path, call)) is not None
    }
    assert opened <= TRUSTED_LOCATIONS


def test_the_parse_gate_hands_pyoxigraph_the_bytes_it_checked() -> None:
    calls = [call for path, call in parse_calls() if path == "loaders/rdf_input.py"]
    assert [(ast.unparse(c.func), [ast.unparse(a) for a in c.args]) for c in calls] == [
        ("ox.parse", ["data"])
    ]


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


# --- C12, C14: HTTP query text ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/search?q=%ED%A0%80", "/suggest?q=%ED%A0%80", "/search?q=a%ffb", "/suggest?q=%C0%80"]
)
def test_invalid_utf8_in_search_text_never_answers_500(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert (
        "\ufffd" in response.json()["query"]
    )  # invalid bytes became U+FFFD, never a lone surrogate


@pytest.mark.parametrize("text", ["%ED%A0%80", "%ff", "%ED%A0%80%ED%B0%80"])
def test_invalid_utf8_in_lookup_text_is_a_404_with_json(client: TestClient, text: str) -> None:
    response = client.get(f"/lookup/{text}", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("route", ["/search", "/suggest"])
@pytest.mark.parametrize(
    "q",
    ['neural"', "AND", "*", "NEAR(", '"unterminated', "a OR b NOT", "label:neural", "^", "-", '""'],
)
def test_fts_syntax_in_query_text_is_ordinary_text(client: TestClient, route: str, q: str) -> None:
    response = client.get(route, params={"q": q})
    assert response.status_code == 200
    assert response.json()["query"] == q


@pytest.mark.parametrize(
    "q",
    ['machine learning"', '"machine learning', "machine*", "NEAR(machine learning)", "(machine"],
)
def test_fts_syntax_around_a_term_still_finds_it(client: TestClient, q: str) -> None:
    assert (
        client.get("/search", params={"q": q}).json()["results"][0]["prefLabel"]
        == "machine learning"
    )


# --- E8: terminal escapes ----------------------------------------------------------------------

ESCAPES = {
    "clear-screen": "\x1b[2J",
    "window-title": "\x1b]0;PWNED\x07",
    "hyperlink": "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
    "carriage-return": "\rFAKE",
    "c1-csi": "\x9b31m",
    "bidi-override": "\u202e",
    "bidi-isolate": "\u2066",
    "backspace": "\x08\x08",
}
TERMINAL_CONTROLS = [
    chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
] + ["\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_safe_text_holds_no_terminal_control(escape: str) -> None:
    cleaned = safe(f"before {escape} after")
    assert [c for c in cleaned if c in TERMINAL_CONTROLS] == []
    assert cleaned.startswith("before ") and cleaned.endswith(" after")


def test_safe_text_keeps_newlines_and_tabs() -> None:
    assert safe("one\ttwo\nthree") == "one\ttwo\nthree"


@pytest.fixture(scope="module")
def escapes_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A store holding escape sequences (as an older or hand-built store might), served."""
    scheme = f"{BASE}/scheme"
    concept = Concept(
        id="esc",
        uri=f"{BASE}/terms/esc",
        in_schemes=(scheme,),
        labels=(
            Label("escape\x1b[2Jtest", "en", LabelKind.PREF),
            Label("ESC", "en", LabelKind.ACRONYM),
        ),
        definitions=(LangText("Defined " + "".join(ESCAPES.values()) + " here.", "en"),),
    )
    db = tmp_path_factory.mktemp("escapes") / "vocab.db"
    write_store(
        db,
        Snapshot(
            (Scheme(scheme, titles=(LangText("Escapes", "en"),)),),
            (concept,),
            (),
            {scheme: (concept.uri,)},
        ),
        origin="test",
        source=db.parent / "none",
        base=BASE,
    )
    return TestClient(create_app(Vocabulary.open(db), base=BASE))


@pytest.mark.parametrize("url", ["/terms/esc", "/lookup/ESC"])
def test_plain_text_answers_hold_no_terminal_control(escapes_client: TestClient, url: str) -> None:
    response = escapes_client.get(url, headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/plain")
    assert [c for c in response.text if c in TERMINAL_CONTROLS] == []
    assert "Defined" in response.text


def test_the_shipped_bidi_override_is_stripped_from_plain_text(
    lifecycle_client: TestClient,
) -> None:
    response = lifecycle_client.get("/terms/xss", headers={"Accept": "*/*"})
    assert "gnp.exe" in response.text
    assert "\u202e" not in response.text
