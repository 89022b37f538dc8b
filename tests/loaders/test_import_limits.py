"""Import limits: per-field caps, size checked while streaming, CSV column caps (issue 14)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from loaders import READERS, read_bounded, read_file
from loaders.field_caps import CAPS
from loaders.rdf_input import DEFAULT_LIMITS
from tests.conftest import BASE
from vocab.errors import ParseError, TooLarge

HEAD = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
<scheme> a skos:ConceptScheme ; dct:title "Caps"@en-GB .
"""


def turtle(body: str) -> bytes:
    return (HEAD + body).encode()


def read_ttl(data: bytes):  # type: ignore[no-untyped-def]
    return READERS["ttl"](data, BASE, "caps.ttl", DEFAULT_LIMITS)


def test_a_one_megabyte_definition_is_refused_with_the_concept_and_the_cap() -> None:
    data = turtle(
        f'<terms/t1> a skos:Concept ; skos:prefLabel "x"@en ; skos:definition "{"a" * 1_000_000}"@en .'
    )
    with pytest.raises(TooLarge, match=r"<.*terms/t1>.*1,000,000 characters; the limit is 10,000"):
        read_ttl(data)


def test_an_overlong_label_and_too_many_labels_are_refused() -> None:
    long_label = turtle(f'<terms/t1> a skos:Concept ; skos:prefLabel "{"b" * 600}"@en .')
    with pytest.raises(TooLarge, match="label of 600 characters"):
        read_ttl(long_label)
    many = ", ".join(f'"alt {i}"@en' for i in range(CAPS.labels + 1))
    with pytest.raises(TooLarge, match=f"{CAPS.labels + 2} labels; the limit is {CAPS.labels}"):
        read_ttl(
            turtle(f'<terms/t1> a skos:Concept ; skos:prefLabel "x"@en ; skos:altLabel {many} .')
        )


def test_the_caps_hold_for_csv_too() -> None:
    data = f"uri,prefLabel,definition\n{BASE}/terms/t1,x,{'d' * 20_000}\n".encode()
    with pytest.raises(TooLarge, match="limit is 10,000"):
        READERS["csv"](data, BASE, "caps.csv", DEFAULT_LIMITS)


def test_fields_within_the_caps_are_read() -> None:
    data = turtle(
        f'<terms/t1> a skos:Concept ; skos:prefLabel "x"@en ; skos:definition "{"a" * 9_000}"@en .'
    )
    assert len(read_ttl(data).snapshot.concepts) == 1


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path) -> None:
    """A 200 MB file (sparse: no disk used) is refused from its size, not read into memory."""
    big = tmp_path / "big.ttl"
    with big.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="limit is 67,108,864 bytes"):
            read_file(big, base=BASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_a_stream_that_passes_the_limit_is_cut_off(tmp_path: Path) -> None:
    """A source whose size is not known in advance (a pipe, a device) is read in chunks and
    refused once past the limit."""
    with pytest.raises(TooLarge, match="passes the limit of 1,048,576 bytes"):
        read_bounded(Path("/dev/zero"), 1024 * 1024)


def test_a_csv_header_of_a_million_columns_is_refused_fast() -> None:
    header = ",".join(f"c{i}" for i in range(1_000_000)).encode()
    started = time.monotonic()
    with pytest.raises(ParseError, match="more than 100 columns"):
        READERS["csv"](header + b"\n", BASE, "wide.csv", DEFAULT_LIMITS)
    assert time.monotonic() - started < 10  # was 37 s and 452 MB


def test_ill_typed_literals_are_reported() -> None:
    """An ill-typed literal ("abc"^^xsd:integer, "2020-13-45"^^xsd:date) is named in the
    import report, not only said to be typed."""
    data = turtle(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<terms/t1> a skos:Concept ; skos:prefLabel "x"@en ; skos:notation "abc"^^xsd:integer ;'
        ' skos:definition "2020-13-45"^^xsd:date ; skos:example "12"^^xsd:integer .'
    )
    messages = [p.message for p in read_ttl(data).problems]
    assert any("'abc' is not a valid xsd:integer" in m for m in messages)
    assert any("'2020-13-45' is not a valid xsd:date" in m for m in messages)
    assert not any("'12' is not a valid" in m for m in messages)
