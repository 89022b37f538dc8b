"""Hostile RDF for the parse-gate tests of `loaders.rdf_input` (tests/loaders/test_rdf_*.py).

Payload files from `fixtures/hostile/`, an RDF/XML builder, and `read`, which imports through
`read_skos` as the service does.
"""

from __future__ import annotations

from loaders.rdf_input import DEFAULT_LIMITS, Limits
from loaders.skos import read_skos
from tests.conftest import BASE, FIXTURES
from vocab.model import Concept

HOSTILE = FIXTURES / "hostile"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"'


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
