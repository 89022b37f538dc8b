"""Hostile payloads for the safety tests: the fixture files and large generated ones.

Used by test_input_isolation.py (read under an audit hook) and test_import_refusals.py
(`vocab import` of each leaves the store as it was).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXTURES

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
