"""The plain values safe RDF input produces, and the limits it reads under.

Triples are plain values: IRIs as `str`, blank nodes as `"_:id"` strings, literals as `Lit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Lit(NamedTuple):
    """An RDF literal: lexical value, language tag ('' if none), datatype IRI."""

    value: str
    lang: str = ""
    datatype: str = ""


Node = str | Lit
Triple = tuple[str, str, Node]


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Limits:
    """Documented bounds on what one file may cost to read."""

    max_bytes: int = 64 * 1024 * 1024
    max_seconds: float = 60.0
    max_depth: int = 128
    max_entities: int = 64
    max_entity_length: int = 1024
    max_entity_expansion: int = 1024 * 1024
    max_iri_length: int = 2048
    max_lang_length: int = 64
    max_iri_growth: int = 16
    """Distinct IRIs may hold at most this many characters per byte of input (plus 1 MiB):
    a long @prefix, @vocab or namespace used by many short names would otherwise turn a
    small file into gigabytes of IRIs."""
    max_message: int = 300


DEFAULT_LIMITS = Limits()
