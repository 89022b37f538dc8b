"""What RDF terms may be at the parse gate of `loaders.rdf_input`: IRIs (A17), literals
(A18, D2), lone surrogates (C12), ids (C13). Payloads and cases as in
test_rdf_entities_and_contexts.py.
"""

from __future__ import annotations

import pytest

from loaders.rdf_input import Lit, parse_triples
from loaders.skos import read_skos
from tests.conftest import BASE
from tests.loaders.hostile_rdf import SKOS, payload, rdfxml, read
from vocab.errors import ParseError, UnsafeInput

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
