"""The parse gate of `loaders.rdf_input` never fetches: XML entities and DTDs (A1-A6),
JSON-LD contexts (A7-A9).

Payloads live in `fixtures/hostile/` (small, one per attack; `PORT` stands for the port of a
loopback server that counts every request) or are generated here when they are large.
The cases and their sources are in `reliability-security-tests.md`, section A; the parser's
limits are in test_rdf_parsing_limits.py, what terms may be in test_rdf_iris_and_literals.py.
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loaders.rdf_input import Lit, parse_triples
from tests.conftest import BASE, finishes_within
from tests.loaders.hostile_rdf import RDF_NS, SKOS, payload, rdfxml, read
from vocab.errors import ParseError, UnsafeInput

PREF = SKOS + "prefLabel"


@dataclass
class Loopback:
    """A threaded HTTP server on 127.0.0.1 that records the path of every request."""

    port: int
    hits: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def loopback_server() -> Iterator[Loopback]:
    server_hits: list[str] = []

    class CountingHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_hits.append(self.path)
            body = b'<!ENTITY leak "FETCHED">{"@context": {"prefLabel": "http://www.w3.org/2004/02/skos/core#prefLabel"}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet: no request log."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield Loopback(server.server_address[1], server_hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def loopback(loopback_server: Loopback) -> Loopback:
    """The loopback server, with no requests recorded yet."""
    loopback_server.hits.clear()
    return loopback_server


def test_the_loopback_server_counts_requests(loopback: Loopback) -> None:
    """The zero-hit assertions below mean something: a real fetch would be counted."""
    with urllib.request.urlopen(f"http://127.0.0.1:{loopback.port}/probe", timeout=5) as response:
        response.read()
    assert loopback.hits == ["/probe"]


# --- A1, A2: external entities and DTDs -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xxe-general-entity.rdf", "External or parameter entity 'xxe' is not allowed (line 3"),
        ("xxe-http-entity.rdf", "External or parameter entity 'xxe' is not allowed (line 3"),
        (
            "external-parameter-entity.rdf",
            "External or parameter entity 'p' is not allowed (line 3",
        ),
    ],
)
def test_external_entities_are_refused_without_a_fetch(
    loopback: Loopback, name: str, message: str
) -> None:
    with pytest.raises(UnsafeInput, match=r"inline the content instead") as refused:
        read(payload(name, loopback.port), "rdf")
    assert message in refused.value.message
    assert loopback.hits == []


def test_an_external_entity_never_puts_file_content_in_the_error(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = rdfxml("&xxe;", f'<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>')
    with pytest.raises(UnsafeInput) as refused:
        read(data, "rdf")
    assert "TOP-SECRET-VALUE" not in refused.value.message


def test_an_external_dtd_is_ignored_never_fetched(loopback: Loopback) -> None:
    """Decision: a DOCTYPE naming an external DTD is read without it (real RDF/XML carries
    such DOCTYPEs); entities it would define stay undefined, so nothing from it is used."""
    data = rdfxml(
        "plain text", f'<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:{loopback.port}/ext.dtd">'
    )
    concepts = read(data, "rdf")
    assert [c.definition() for c in concepts] == ["plain text"]
    assert loopback.hits == []


def test_an_entity_from_an_external_dtd_is_an_error_not_a_fetch(loopback: Loopback) -> None:
    data = rdfxml("&leak;", f'<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:{loopback.port}/ext.dtd">')
    with pytest.raises(ParseError, match="leak"):
        read(data, "rdf")
    assert loopback.hits == []


def test_xml_base_and_resources_on_loopback_are_data_not_fetches(loopback: Loopback) -> None:
    target = f"http://127.0.0.1:{loopback.port}/admin"
    data = f'''<rdf:RDF {RDF_NS} xml:base="http://127.0.0.1:{loopback.port}/">
  <skos:Concept rdf:about="{BASE}/terms/a"><skos:prefLabel>a</skos:prefLabel>
    <skos:exactMatch rdf:resource="admin"/></skos:Concept></rdf:RDF>'''.encode()
    triples = parse_triples(data, "rdf")
    assert (f"{BASE}/terms/a", SKOS + "exactMatch", target) in triples
    assert loopback.hits == []


# --- A3-A6: internal entities -------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion-laughs.rdf", "billion-laughs-utf16.rdf"])
def test_billion_laughs_is_refused_at_once(name: str) -> None:
    with (
        finishes_within(cpu_seconds=5),
        pytest.raises(UnsafeInput, match=r"Entity 'lol1' refers to another entity \(line 4"),
    ):
        read(payload(name), "rdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            rdfxml("&a;" * 10_000, '<!DOCTYPE rdf:RDF [<!ENTITY a "' + "a" * 50_000 + '">]>'),
            "Too many or too long entity declarations",
            id="quadratic-blowup-50KB-x10000",
        ),
        pytest.param(
            rdfxml("&a;" * 1100, '<!DOCTYPE rdf:RDF [<!ENTITY a "' + "a" * 1000 + '">]>'),
            "Entity references expand beyond 1,048,576 characters",
            id="short-entity-referenced-too-often",
        ),
        pytest.param(
            rdfxml("x", '<!DOCTYPE rdf:RDF [<!ENTITY a "' + "a" * 1000 + '">]>').replace(
                b"</rdf:RDF>",
                b"".join(b'<skos:Concept rdf:about="http://e/%d&a;"/>' % i for i in range(1100))
                + b"</rdf:RDF>",
            ),
            "Entity references in attributes expand beyond",
            id="entities-in-attribute-values",
        ),
        pytest.param(
            payload("entity-declared-twice.rdf"),
            "An entity is declared twice",
            id="declared-twice-short-then-long",
        ),
        pytest.param(
            rdfxml(
                "x",
                "<!DOCTYPE rdf:RDF [" + "".join(f'<!ENTITY e{i} "v">' for i in range(65)) + "]>",
            ),
            "Too many or too long entity declarations",
            id="65-declarations",
        ),
        pytest.param(
            rdfxml("&a;", '<!DOCTYPE rdf:RDF [<!ENTITY a "' + "a" * 1025 + '">]>'),
            "Too many or too long entity declarations",
            id="1025-character-entity",
        ),
    ],
)
def test_entity_expansion_is_bounded(data: bytes, message: str) -> None:
    with finishes_within(cpu_seconds=10), pytest.raises(UnsafeInput, match=message):
        read(data, "rdf")


PROTEGE = f'''<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!-- Protégé writes one entity per namespace -->
    <!ENTITY rdf "http://www.w3.org/1999/02/22-rdf-syntax-ns#" >
    <!ENTITY skos "http://www.w3.org/2004/02/skos/core#" >
    <!ENTITY terms "{BASE}/terms/" >
]>
<rdf:RDF xmlns:rdf="&rdf;" xmlns:skos="&skos;">
    <skos:Concept rdf:about="&terms;a">
        <skos:prefLabel xml:lang="en">alpha</skos:prefLabel>
        <skos:broader rdf:resource="&terms;b"/>
    </skos:Concept>
</rdf:RDF>
'''.encode()


def test_a_protege_doctype_with_namespace_entities_is_accepted_and_expanded() -> None:
    """Decision (A6): few, short, non-nested internal entities are read, expansion bounded."""
    assert set(parse_triples(PROTEGE, "rdf")) == {
        (f"{BASE}/terms/a", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", SKOS + "Concept"),
        (f"{BASE}/terms/a", PREF, Lit("alpha", "en")),
        (f"{BASE}/terms/a", SKOS + "broader", f"{BASE}/terms/b"),
    }


def test_sixty_four_short_entities_are_within_the_limits() -> None:
    doctype = (
        "<!DOCTYPE rdf:RDF [" + "".join(f'<!ENTITY e{i} "{"v" * 1024}">' for i in range(64)) + "]>"
    )
    concepts = read(rdfxml("&e63;", doctype), "rdf")
    assert concepts[0].definition() == "v" * 1024


# --- A7-A9: JSON-LD contexts --------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "remote-context.jsonld",
        "remote-context-in-array.jsonld",
        "remote-context-in-nested-node.jsonld",
        "remote-context-scoped-term.jsonld",
        "remote-context-type-scoped.jsonld",
        "remote-context-in-graph.jsonld",
    ],
)
def test_remote_contexts_are_refused_without_a_fetch(loopback: Loopback, name: str) -> None:
    with pytest.raises(
        UnsafeInput, match=f"'http://127.0.0.1:{loopback.port}/.*' names a document"
    ):
        read(payload(name, loopback.port), "jsonld")
    assert loopback.hits == []


def test_context_import_is_refused_without_a_fetch(loopback: Loopback) -> None:
    with pytest.raises(UnsafeInput, match="@import is not allowed"):
        read(payload("remote-context-import.jsonld", loopback.port), "jsonld")
    assert loopback.hits == []


def test_a_remote_context_deep_inside_a_scoped_context_is_refused(loopback: Loopback) -> None:
    data = (
        '{"@context": {"p": {"@id": "http://e/p", "@context": {"q": {"@id": "http://e/q", '
        f'"@context": [{{}}, "http://127.0.0.1:{loopback.port}/deep"]}}}}}}}}, "@id": "http://e/a"}}'
    ).encode()
    with pytest.raises(UnsafeInput, match="names a document"):
        read(data, "jsonld")
    assert loopback.hits == []


CONTEXT = b'{"@context": {"prefLabel": "http://www.w3.org/2004/02/skos/core#prefLabel"}}'


def refusal_of_context(reference: str) -> str:
    """The error for a document whose @context is `reference`, with the reference blanked."""
    data = f'{{"@context": "{reference}", "@id": "{BASE}/terms/a", "prefLabel": "a"}}'.encode()
    with pytest.raises(UnsafeInput) as refused:
        read(data, "jsonld")
    return refused.value.message.replace(reference, "<context>")


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param(lambda path: path.as_uri(), id="file-uri"),
        pytest.param(str, id="absolute-path"),
        pytest.param(lambda path: path.name, id="relative-to-cwd"),
    ],
)
def test_local_file_contexts_are_refused_alike_whether_or_not_the_file_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Callable[[Path], str]
) -> None:
    """A context file that exists (and would parse) gets the same refusal as a missing one:
    no file-existence oracle, and the context was not loaded or the parse would succeed."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ctx.jsonld").write_bytes(CONTEXT)
    existing = refusal_of_context(reference(tmp_path / "ctx.jsonld"))
    missing = refusal_of_context(reference(tmp_path / "nothing.jsonld"))
    assert existing == missing
    assert "never fetched" in existing


def test_file_etc_passwd_as_context_gets_the_same_refusal_as_any_other() -> None:
    with pytest.raises(UnsafeInput) as refused:
        read(payload("file-context-etc-passwd.jsonld"), "jsonld")
    assert refused.value.message.replace("file:///etc/passwd", "<context>") == (
        "The JSON-LD @context '<context>' names a document; remote and local contexts are "
        "never fetched. Put the context inline."
    )


def test_an_inline_context_is_read() -> None:
    data = (
        '{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "@language": "en"},'
        f' "@id": "{BASE}/terms/a", "@type": "skos:Concept", "skos:prefLabel": "alpha"}}'
    ).encode()
    assert [c.pref_label() for c in read(data, "jsonld")] == ["alpha"]
