"""The parse gate of `loaders.rdf_input` never crashes or hangs: truncated input (A13),
nesting and long literals (A14, A15), size (A16). Payloads and cases as in
test_rdf_entities_and_contexts.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from loaders.rdf_input import Limits, Lit, parse_triples
from tests.conftest import finishes_within
from tests.loaders.hostile_rdf import RDF_NS, SKOS, rdfxml, read
from vocab.errors import ParseError, TooLarge, UnsafeInput

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
