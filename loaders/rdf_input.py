"""Safe reading of untrusted RDF bytes into plain triples.

Every RDF file goes through `parse_triples`, which bounds what a hostile file can cost
before and while pyoxigraph parses it:

- size: files over `Limits.max_bytes` are refused before parsing;
- RDF/XML: an expat pass refuses external entities, parameter entities, nested,
  oversized or twice-declared internal entities, entity expansion (in text or in
  attribute values) beyond `max_entity_expansion`, and element nesting deeper than
  `max_depth` (pyoxigraph is quadratic on deep nesting); an external DTD is never read;
- JSON-LD: every `@context` (nested, in arrays, scoped, `@import`) must be inline; a
  string context would name a remote or local document, which is never fetched or opened;
- time: the parse is abandoned when it passes `max_seconds`;
- content: IRIs (subjects, predicates, objects, datatypes) must be absolute with a safe
  scheme and no spaces, quotes, angle brackets, control or bidi characters; literals
  must not hold control characters; language tags are at most `max_lang_length` long;
- memory: each distinct IRI is held once, and distinct IRIs may add up to at most
  `max_iri_growth` characters per input byte (a long @prefix or @vocab repeated);
- messages: parser errors quoting a huge token are cut to `max_message` characters.

pyoxigraph itself never fetches anything, reports line and column, and parses deep
Turtle nesting and long literals in linear time (rdflib does not; see
`reliability-security-tests.md` A13-A15). Triples come out as plain values: IRIs as
`str`, blank nodes as `"_:id"` strings, literals as `Lit`.
"""

from __future__ import annotations

import re
import time

import pyoxigraph as ox

from loaders.rdf_gates import check_blank_node_depth, check_jsonld, check_rdfxml
from loaders.rdf_types import (
    DEFAULT_LIMITS,
    RDF_LANGSTRING,
    UTF16_BOMS,
    XSD_STRING,
    Limits,
    Lit,
    Node,
    Triple,
)
from vocab.bulk import paused_gc
from vocab.errors import ParseError, TooLarge, UnsafeInput

SYNTAXES: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}

SAFE_IRI_SCHEMES = frozenset({"http", "https", "urn", "mailto", "tag", "doi", "info"})
_IRI_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_IRI_FORBIDDEN = re.compile(
    r"[\x00-\x20\x7f-\x9f<>\"{}|\\^`\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_triples(
    data: bytes, syntax: str, *, base: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[Triple]:
    """Return the triples of `data` in `syntax` (ttl, nt, rdf, jsonld).

    Raises ParseError naming the line and column at fault, UnsafeInput or TooLarge.

    >>> parse_triples(b'<http://e/a> <http://e/p> "x"@en-gb .', "ttl")
    [('http://e/a', 'http://e/p', Lit(value='x', lang='en-GB', datatype=''))]
    """
    if syntax not in SYNTAXES:
        raise ParseError(f"Unknown RDF syntax '{syntax}'; use one of: {', '.join(SYNTAXES)}.")
    if len(data) > limits.max_bytes:
        raise TooLarge(
            f"The file is {len(data):,} bytes; the limit is {limits.max_bytes:,} bytes. "
            "Split it or raise the limit with --max-bytes."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if syntax == "rdf":
        check_rdfxml(data, limits)
    elif syntax == "jsonld":
        check_jsonld(data, limits)
    elif data.startswith(UTF16_BOMS):
        raise ParseError("The file is UTF-16; save it as UTF-8 and import it again.")
    with paused_gc():  # millions of acyclic tuples: collections would only cost time
        return _parse(data, SYNTAXES[syntax], base, limits)


def _parse(data: bytes, syntax: ox.RdfFormat, base: str | None, limits: Limits) -> list[Triple]:
    deadline = time.monotonic() + limits.max_seconds
    triples: list[Triple] = []
    append = triples.append
    iris = _Iris(limits, len(data))
    known = iris.seen  # checked IRIs: most terms repeat, so look them up before checking
    named, literal = ox.NamedNode, ox.Literal
    blank_subjects = False  # without them no blank nodes nest: the depth check is skipped
    try:
        for n, quad in enumerate(ox.parse(data, format=syntax, base_iri=base)):
            if not n % 10_000 and time.monotonic() > deadline:
                raise UnsafeInput(
                    f"Reading took longer than {limits.max_seconds:.0f} s and was stopped."
                )
            subject, predicate, term = quad.subject, quad.predicate.value, quad.object
            if type(subject) is named:
                value = subject.value
                s = known.get(value) or iris(value)
            else:
                s = _subject(subject, iris)
                blank_subjects = True
            kind = type(term)
            o: Node
            if kind is literal:
                o = _literal(quad, term, iris)
            elif kind is named:
                value = term.value
                o = known.get(value) or iris(value)
            else:
                o = _object(quad, iris)
            append((s, known.get(predicate) or iris(predicate), o))
    except SyntaxError as exc:
        message = str(exc).split(" (line ")[0].removeprefix("Parser error ")
        if exc.lineno is not None:  # ParseError states the position once, at the end
            message = _POSITION.sub("", message, count=1)
        raise ParseError(
            f"Not valid RDF: {_shorten(message, limits)}", line=exc.lineno, column=exc.offset
        ) from None
    except (ValueError, OSError) as exc:
        raise ParseError(f"Not valid RDF: {_shorten(str(exc), limits)}") from None
    if blank_subjects:
        check_blank_node_depth(triples, limits.max_depth)
    return triples


_POSITION = re.compile(r"^at (?:line|lines) [^:]*: ")
"""pyoxigraph's own statement of the position ("at line 3 between columns 28 and 32: ")."""


def _shorten(message: str, limits: Limits) -> str:
    """Parser messages quote the token at fault, which may be megabytes long."""
    if len(message) <= limits.max_message:
        return message
    more = len(message) - limits.max_message
    return f"{message[: limits.max_message]}... [{more:,} more characters]"


class _Iris:
    """Checks each distinct IRI once and shares one string per IRI (and per language tag),
    refusing a file whose distinct IRIs outgrow it by more than `Limits.max_iri_growth`."""

    def __init__(self, limits: Limits, size: int) -> None:
        self.limits = limits
        self.seen: dict[str, str] = {}
        self.tags: dict[str, str] = {}
        self.budget = limits.max_iri_growth * size + (1 << 20)

    def __call__(self, iri: str) -> str:
        known = self.seen.get(iri)
        if known is None:
            known = self.seen[iri] = check_iri(iri, self.limits)
            self.budget -= len(iri)
            if self.budget < 0:
                raise UnsafeInput(
                    f"The file's IRIs add up to over {self.limits.max_iri_growth} times its size "
                    "(a long @prefix, @vocab or namespace repeated with many names); "
                    "shorten the namespace."
                )
        return known

    def lang(self, tag: str) -> str:
        known = self.tags.get(tag)
        if known is None:
            if len(tag) > self.limits.max_lang_length:
                raise UnsafeInput(
                    f"A language tag is {len(tag)} characters long; "
                    f"the limit is {self.limits.max_lang_length}."
                )
            known = self.tags[tag] = canonical_lang(tag)
        return known


def _subject(term: ox.NamedNode | ox.BlankNode | ox.Triple, iris: _Iris) -> str:
    if isinstance(term, ox.NamedNode):
        return iris(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    raise ParseError("RDF-star quoted triples are not supported.")


def _object(quad: ox.Quad, iris: _Iris) -> Node:
    term = quad.object
    if isinstance(term, ox.NamedNode):
        return iris(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return _literal(quad, term, iris)
    raise ParseError("RDF-star quoted triples are not supported.")


def _literal(quad: ox.Quad, term: ox.Literal, iris: _Iris) -> Lit:
    text = term.value
    bad = _CONTROL.search(text)
    if bad:
        raise UnsafeInput(
            f"A literal of {_shorten(str(quad.subject), iris.limits)} holds a control "
            f"character ({bad.group()!r}); remove it."
        )
    tag = term.language
    if tag:
        lang = iris.tags.get(tag) or iris.lang(tag)
        return Lit(text, lang, "")
    datatype = term.datatype.value
    return Lit(text, "", "" if datatype == XSD_STRING else iris(datatype))


def check_iri(iri: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return `iri` if it is absolute, short enough and safe to store and link; else raise."""
    if len(iri) > limits.max_iri_length:
        raise UnsafeInput(
            f"An IRI is {len(iri)} characters long; the limit is {limits.max_iri_length}."
        )
    scheme = _IRI_SCHEME.match(iri)
    if not scheme or scheme.group(1).lower() not in SAFE_IRI_SCHEMES:
        raise UnsafeInput(
            f"The IRI <{iri[:80]}> has no allowed scheme; use one of: "
            f"{', '.join(sorted(SAFE_IRI_SCHEMES))}."
        )
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise UnsafeInput(f"The IRI <{iri[:80]!r}> holds a forbidden character {bad.group()!r}.")
    return iri


def canonical_lang(tag: str) -> str:
    """Return a BCP 47 tag in conventional case: 'en-gb' -> 'en-GB', 'SR-latn' -> 'sr-Latn'.

    >>> canonical_lang("EN-gb")
    'en-GB'
    """
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out) if tag else ""


__all__ = [
    "DEFAULT_LIMITS",
    "RDF_LANGSTRING",
    "XSD_STRING",
    "Limits",
    "Lit",
    "Node",
    "Triple",
    "canonical_lang",
    "check_iri",
    "parse_triples",
]
