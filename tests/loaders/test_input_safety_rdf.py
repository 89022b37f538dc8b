"""Hostile and malformed RDF never crashes, hangs or fetches: the parse gate of `loaders.rdf_input`.

Payloads live in `fixtures/hostile/` (small, one per attack; `PORT` stands for the port of a
loopback server that counts every request) or are generated here when they are large.
The cases and their sources are in `reliability-security-tests.md`, section A.
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loaders.rdf_input import DEFAULT_LIMITS, Limits, Lit, parse_triples
from loaders.skos import read_skos
from tests.conftest import BASE, FIXTURES, finishes_within
from vocab.errors import ParseError, TooLarge, UnsafeInput
from vocab.model import Concept

HOSTILE = FIXTURES / "hostile"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PREF = SKOS + "prefLabel"
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"'


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


def payload(name: str, port: int = 9) -> bytes:
    return (HOSTILE / name).read_bytes().replace(b"PORT", str(port).encode())


def read(data: bytes, syntax: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Concept, ...]:
    return read_skos(data, syntax, base=BASE, limits=limits).snapshot.concepts


def rdfxml(definition: str, doctype: str = "") -> bytes:
    return f'''<?xml version="1.0"?>
{doctype}
<rdf:RDF {RDF_NS}>
  <skos:Concept rdf:about="{BASE}/terms/a">
    <skos:prefLabel xml:lang="en">alpha</skos:prefLabel>
    <skos:definition>{definition}</skos:definition>
  </skos:Concept>
</rdf:RDF>
'''.encode()


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


# --- A13: truncated and garbage input -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "syntax", "line", "column"),
    [
        (b"@pre", "ttl", 1, 1),
        (b"@prefix", "ttl", 1, 1),
        (b"PREFIX", "ttl", 1, 7),
        (b'@prefix ex: <http://example.org/>. ex:Cat ex:hasName "Kitty"', "ttl", 1, 61),
        (b'@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated', "ttl", 2, 11),
        (b'<http://e/a> <http://e/p> "x"', "nt", 1, 30),
        (b"<?xml version='1.0'?>\n<rdf:RDF", "rdf", 2, 1),
        (b'{"@id": "http://e/a",\n "http://e/p": [1,}', "jsonld", 2, 19),
        (b"\x00\xff\xfe garbage", "ttl", 1, 1),
    ],
)
def test_truncated_or_garbage_input_names_line_and_column(
    data: bytes, syntax: str, line: int, column: int
) -> None:
    with pytest.raises(ParseError) as refused:
        read(data, syntax)
    assert (refused.value.line, refused.value.column) == (line, column)
    assert f"(line {line}, column {column})" in refused.value.message


# --- A14, A15: nesting and long literals --------------------------------------------------


def turtle_bnodes(depth: int) -> bytes:
    return (
        b"@prefix s: <%s> .\n<http://e/a> s:related " % SKOS.encode()
        + b"[ s:related " * depth
        + b"<http://e/b>"
        + b" ]" * depth
        + b" ."
    )


def turtle_lists(depth: int) -> bytes:
    return b"<http://e/a> <http://e/p> " + b"( " * depth + b"<http://e/b>" + b" )" * depth + b" ."


def jsonld_objects(depth: int) -> bytes:
    return b'{"http://e/p": ' * depth + b'{"@id": "http://e/b"}' + b"}" * depth


def jsonld_arrays(depth: int) -> bytes:
    return b'{"@id": "http://e/a", "http://e/p": ' + b"[" * depth + b"1" + b"]" * depth + b"}"


def rdfxml_elements(depth: int) -> bytes:
    opening = b'<skos:Concept rdf:about="http://e/a"><skos:related>'
    closing = b"</skos:related></skos:Concept>"
    return b"<rdf:RDF %s>" % RDF_NS.encode() + opening * depth + closing * depth + b"</rdf:RDF>"


@pytest.mark.parametrize(
    ("build", "syntax", "depth"),
    [
        (turtle_bnodes, "ttl", 1_000),
        (turtle_bnodes, "ttl", 50_000),
        (turtle_lists, "ttl", 1_000),
        (turtle_lists, "ttl", 50_000),
        (jsonld_objects, "jsonld", 1_000),
        (jsonld_objects, "jsonld", 100_000),
        (jsonld_arrays, "jsonld", 100_000),
        (rdfxml_elements, "rdf", 1_000),
        (rdfxml_elements, "rdf", 100_000),
    ],
)
def test_deep_nesting_is_refused_quickly(
    build: Callable[[int], bytes], syntax: str, depth: int
) -> None:
    data = build(depth)
    with finishes_within(cpu_seconds=10), pytest.raises(UnsafeInput, match="deeper than 128"):
        read(data, syntax)


@pytest.mark.parametrize(
    ("build", "syntax"),
    [
        (turtle_bnodes, "ttl"),
        (turtle_lists, "ttl"),
        (jsonld_objects, "jsonld"),
        (rdfxml_elements, "rdf"),
    ],
)
def test_moderate_nesting_is_read(build: Callable[[int], bytes], syntax: str) -> None:
    assert len(parse_triples(build(10), syntax)) >= 10


def test_a_long_literal_with_half_a_million_line_breaks_is_read_quickly() -> None:
    data = b'<http://e/a> <http://e/p> """' + b"a\n" * 500_000 + b'""" .'
    with finishes_within(cpu_seconds=20):
        triples = parse_triples(data, "ttl")
    assert triples == [("http://e/a", "http://e/p", Lit("a\n" * 500_000))]


# --- A16: size -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        (b'<http://e/a> <http://e/p> "' + b"x" * 2000 + b'" .', "ttl"),
        (b'<http://e/a> <http://e/p> "' + b"x" * 2000 + b'" .', "nt"),
        (rdfxml("x" * 2000), "rdf"),
        (b'{"@id": "http://e/a", "http://e/p": "' + b"x" * 2000 + b'"}', "jsonld"),
    ],
)
def test_a_file_over_the_size_limit_is_refused_before_parsing(data: bytes, syntax: str) -> None:
    with pytest.raises(TooLarge, match="the limit is 1,000 bytes"):
        read(data, syntax, Limits(max_bytes=1000))


@pytest.mark.parametrize(
    ("iri_length", "syntax"),
    [(5_000_000, "ttl"), (5_000_000, "nt"), (5_000_000, "jsonld"), (2049, "ttl"), (2049, "rdf")],
)
def test_an_overlong_iri_is_refused_with_a_short_message(iri_length: int, syntax: str) -> None:
    iri = "http://e/" + "a" * (iri_length - 9)
    data = {
        "ttl": f'<{iri}> <http://e/p> "x" .',
        "nt": f"<http://e/a> <http://e/p> <{iri}> .",
        "jsonld": f'{{"@id": "{iri}", "http://e/p": "x"}}',
        "rdf": f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="{iri}">'
        "<skos:note>x</skos:note></rdf:Description></rdf:RDF>",
    }[syntax].encode()
    with (
        finishes_within(cpu_seconds=10),
        pytest.raises(
            UnsafeInput, match=f"An IRI is {iri_length} characters long; the limit is 2048"
        ) as refused,
    ):
        read(data, syntax)
    assert len(refused.value.message) < 200


def test_an_iri_of_exactly_2048_characters_is_read() -> None:
    iri = "http://e/" + "a" * (2048 - 9)
    assert parse_triples(f'<{iri}> <http://e/p> "x" .'.encode(), "ttl")[0][0] == iri


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        pytest.param(
            b'<http://e/a> <http://e/p> "x"@'
            + b"en-"
            + b"-".join(b"x%07d" % i for i in range(2000))
            + b" .",
            "ttl",
            id="ttl",
        ),
        pytest.param(
            b'{"@context": {"@language": "en-'
            + b"-".join(b"x%07d" % i for i in range(2000))
            + b'"}, "@id": "http://e/a", "http://e/p": "x"}',
            "jsonld",
            id="jsonld-context",
        ),
    ],
)
def test_an_overlong_language_tag_is_refused(data: bytes, syntax: str) -> None:
    with pytest.raises(
        UnsafeInput, match="A language tag is 18002 characters long; the limit is 64"
    ):
        read(data, syntax)


LONG_PREFIX = b"@prefix a: <http://e/" + b"x" * 2000 + b"/> .\n"


def test_a_name_repeated_under_a_long_prefix_is_held_once() -> None:
    """50,000 triples of a 2,000-character IRI would be 300 MB of strings; they share one."""
    with finishes_within(cpu_seconds=20):
        triples = parse_triples(LONG_PREFIX + b"a:1 a:1 a:1 .\n" * 50_000, "ttl")
    assert len({id(term) for triple in triples for term in triple}) == 1


def test_distinct_names_under_a_long_prefix_are_refused() -> None:
    data = LONG_PREFIX + b"".join(b"a:%d a:p a:o .\n" % i for i in range(20_000))
    with (
        finishes_within(cpu_seconds=10),
        pytest.raises(UnsafeInput, match="IRIs add up to over 16 times its size"),
    ):
        parse_triples(data, "ttl")


# --- A17: IRIs -----------------------------------------------------------------------------

BAD_IRIS = {
    "space": ("http://a b/c", ParseError, "Invalid IRI code point ' '"),
    "quote": ('http://e/a"onmouseover="x', ParseError, "Invalid IRI code point '\"'"),
    "javascript": ("javascript:alert(1)", UnsafeInput, "no allowed scheme"),
    "data": ("data:text/plain,hello", UnsafeInput, "no allowed scheme"),
    "file": ("file:///etc/passwd", UnsafeInput, "no allowed scheme"),
    "bidi-override": ("http://e/\u202egnp.exe", UnsafeInput, "forbidden character '\\u202e'"),
    "zero-width": ("http://e/a\u200bb", UnsafeInput, "forbidden character '\\u200b'"),
}
POSITIONS = {
    "subject": '<{iri}> <http://e/p> "x" .',
    "predicate": '<http://e/a> <{iri}> "x" .',
    "object": "<http://e/a> <http://e/p> <{iri}> .",
    "datatype": '<http://e/a> <http://e/p> "x"^^<{iri}> .',
}


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("case", BAD_IRIS)
def test_malformed_and_dangerous_iris_are_refused_in_every_position(
    case: str, position: str
) -> None:
    iri, error, message = BAD_IRIS[case]
    with pytest.raises(error) as refused:
        parse_triples(POSITIONS[position].format(iri=iri).encode(), "ttl")
    assert message in refused.value.message


@pytest.mark.parametrize("syntax", ["ttl", "nt"])
def test_a_relative_iri_without_a_base_is_refused(syntax: str) -> None:
    with pytest.raises(
        ParseError, match=r"No scheme found in an absolute IRI \(line 1, column 1\)"
    ):
        parse_triples(b'<x> <http://e/p> "x" .', syntax)


def test_a_relative_iri_resolves_against_the_service_base_on_import() -> None:
    data = b'@prefix skos: <%s> .\n<terms/a> a skos:Concept ; skos:prefLabel "a" .' % SKOS.encode()
    assert [c.uri for c in read(data, "ttl")] == [f"{BASE}/terms/a"]


@pytest.mark.parametrize("position", POSITIONS)
def test_urn_iris_are_allowed(position: str) -> None:
    assert parse_triples(POSITIONS[position].format(iri="urn:x").encode(), "ttl")


# --- A18, D2: literals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        pytest.param(b'<http://e/a> <http://e/p> "a\\u0000b" .', "ttl", id="nul-escape"),
        pytest.param(b'<http://e/a> <http://e/p> "a\x01b" .', "ttl", id="soh-raw"),
        pytest.param(b'<http://e/a> <http://e/p> "a\\u001Ab" .', "nt", id="sub-escape"),
        pytest.param(b'<http://e/a> <http://e/p> "a\\u007Fb" .', "ttl", id="del"),
        pytest.param('<http://e/a> <http://e/p> "a\u0085b" .'.encode(), "ttl", id="c1-next-line"),
        pytest.param(b'<http://e/a> <http://e/p> "clear\\u001b[2J" .', "ttl", id="terminal-escape"),
        pytest.param(
            b'{"@id": "http://e/a", "http://e/p": "a\\u0001b"}', "jsonld", id="jsonld-soh"
        ),
        pytest.param(rdfxml("a&#x85;b"), "rdf", id="rdfxml-c1-reference"),
    ],
)
def test_control_characters_in_literals_are_refused_naming_the_subject(
    data: bytes, syntax: str
) -> None:
    with pytest.raises(UnsafeInput, match=r"A literal of <http://.*> holds a control character"):
        parse_triples(data, syntax)


def test_xml_forbids_c0_control_character_references() -> None:
    with pytest.raises(
        ParseError, match=r"Not well-formed XML: reference to invalid character number \(line 6"
    ):
        parse_triples(rdfxml("a&#x1;b"), "rdf")


def test_tabs_and_line_breaks_in_literals_are_kept() -> None:
    triples = parse_triples(b'<http://e/a> <http://e/p> "a\\tb\\nc\\rd" .', "ttl")
    assert triples[0][2] == Lit("a\tb\nc\rd")


@pytest.mark.parametrize(
    ("literal", "line", "column"),
    [('"x"@123456789', 1, 66), ('"x"@en-', 1, 68)],
)
def test_malformed_language_tags_name_line_and_column(literal: str, line: int, column: int) -> None:
    data = f"<http://e/a> <http://www.w3.org/2004/02/skos/core#prefLabel> {literal} .".encode()
    with pytest.raises(ParseError) as refused:
        parse_triples(data, "ttl")
    assert (refused.value.line, refused.value.column) == (line, column)


def test_an_ill_typed_label_is_read_as_text_and_reported() -> None:
    data = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f"<{BASE}/terms/a> a skos:Concept ;\n"
        '  skos:prefLabel "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    ).encode()
    result = read_skos(data, "ttl", base=BASE)
    assert result.snapshot.concepts[0].pref_label() == "abc"
    assert any(
        "typed literal" in i.message and i.subject == f"{BASE}/terms/a" for i in result.problems
    )


def test_parser_messages_quoting_a_huge_token_are_cut_short() -> None:
    data = b"<http://e/a> <http://e/p> " + b"a" * 1_000_000 + b":x ."
    with pytest.raises(ParseError, match="more characters") as refused:
        parse_triples(data, "ttl")
    assert len(refused.value.message) < 500


# --- C12: lone surrogates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(payload("lone-surrogate.jsonld"), id="high-surrogate-in-value"),
        pytest.param(
            b'{"@id": "http://e/a", "http://e/p": "a\\udc80b"}', id="low-surrogate-in-value"
        ),
        pytest.param(b'{"@id": "http://e/a", "http://e/\\ud800": "x"}', id="surrogate-in-key"),
        pytest.param(
            b'{"@context": {"\\ud800": "http://e/p"}, "@id": "http://e/a"}',
            id="surrogate-in-context",
        ),
    ],
)
def test_a_lone_surrogate_in_json_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match="lone surrogate"):
        read(data, "jsonld")


def test_a_surrogate_pair_in_json_is_an_ordinary_character() -> None:
    triples = parse_triples(b'{"@id": "http://e/a", "http://e/p": "\\ud83d\\ude00"}', "jsonld")
    assert triples == [("http://e/a", "http://e/p", Lit("\U0001f600"))]


# --- C13: ids ------------------------------------------------------------------------------


def test_concepts_whose_ids_collide_after_sanitising_get_unique_ids() -> None:
    concept = "a <http://www.w3.org/2004/02/skos/core#Concept>"
    data = "\n".join(
        f"<{uri}> {concept} ."
        for uri in (
            "http://f/one/a",
            "http://f/two/a",
            "http://f/x/caf",
            "http://f/y/caf\u00e9",
            "http://f/z/caf%C3%A9",
        )
    ).encode()
    ids = {c.uri: c.id for c in read(data, "ttl")}
    assert ids == {
        "http://f/one/a": "a",
        "http://f/two/a": "a-2",
        "http://f/x/caf": "caf",
        "http://f/y/caf\u00e9": "caf-2",
        "http://f/z/caf%C3%A9": "caf-C3-A9",
    }


def test_a_deep_chain_hanging_off_a_blank_node_cycle_is_refused() -> None:
    """Another component has a proper root; this one is all cycle and chain."""
    chain = "".join(f"_:c{i} <http://e/p> _:c{i + 1} .\n" for i in range(1000))
    data = f"_:r <http://e/p> _:s .\n_:c0 <http://e/p> _:c0 .\n{chain}".encode()
    with pytest.raises(UnsafeInput, match="deeper than 128"):
        parse_triples(data, "nt")
