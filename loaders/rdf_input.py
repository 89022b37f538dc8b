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

import json
import re
import time
import xml.parsers.expat
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox

from vocab.bulk import paused_gc
from vocab.errors import ParseError, TooLarge, UnsafeInput


class Lit(NamedTuple):
    """An RDF literal: lexical value, language tag ('' if none), datatype IRI."""

    value: str
    lang: str = ""
    datatype: str = ""


Node = str | Lit
Triple = tuple[str, str, Node]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


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
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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
    elif data.startswith(_UTF16_BOMS):
        raise ParseError("The file is UTF-16; save it as UTF-8 and import it again.")
    with paused_gc():  # millions of acyclic tuples: collections would only cost time
        return list(_parse(data, SYNTAXES[syntax], base, limits))


def _parse(data: bytes, syntax: ox.RdfFormat, base: str | None, limits: Limits) -> list[Triple]:
    deadline = time.monotonic() + limits.max_seconds
    triples: list[Triple] = []
    iris = _Iris(limits, len(data))
    try:
        for n, quad in enumerate(ox.parse(data, format=syntax, base_iri=base)):
            if not n % 10_000 and time.monotonic() > deadline:
                raise UnsafeInput(
                    f"Reading took longer than {limits.max_seconds:.0f} s and was stopped."
                )
            triples.append(
                (_subject(quad.subject, iris), iris(quad.predicate.value), _object(quad, iris))
            )
    except SyntaxError as exc:
        message = str(exc).split(" (line ")[0].removeprefix("Parser error ")
        raise ParseError(
            f"Not valid RDF: {_shorten(message, limits)}", line=exc.lineno, column=exc.offset
        ) from None
    except (ValueError, OSError) as exc:
        raise ParseError(f"Not valid RDF: {_shorten(str(exc), limits)}") from None
    check_blank_node_depth(triples, limits.max_depth)
    return triples


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
        bad = _CONTROL.search(term.value)
        if bad:
            raise UnsafeInput(
                f"A literal of {_shorten(str(quad.subject), iris.limits)} holds a control "
                f"character ({bad.group()!r}); remove it."
            )
        lang = iris.lang(term.language) if term.language else ""
        datatype = "" if lang or term.datatype.value == XSD_STRING else iris(term.datatype.value)
        return Lit(term.value, lang, datatype)
    raise ParseError("RDF-star quoted triples are not supported.")


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


def check_blank_node_depth(triples: list[Triple], max_depth: int) -> None:
    """Raise UnsafeInput if blank nodes nest deeper than `max_depth` (bnode object chains)."""
    children: dict[str, list[str]] = {}
    has_parent: set[str] = set()
    for s, _, o in triples:
        if s.startswith("_:") and isinstance(o, str) and o.startswith("_:"):
            children.setdefault(s, []).append(o)
            has_parent.add(o)
    # Parentless nodes first; then any node left unseen (chains hanging off a cycle).
    roots = [b for b in children if b not in has_parent] + list(children)
    seen: set[str] = set()
    for root in roots:
        if root in seen:
            continue
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > max_depth:
                raise UnsafeInput(
                    f"Blank nodes nest deeper than {max_depth} levels; flatten the data."
                )
            if node in seen:
                continue
            seen.add(node)
            stack.extend((child, depth + 1) for child in children.get(node, ()))


def check_rdfxml(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise unless `data` is well-formed XML within the entity and nesting limits.

    Internal entities are accepted when they are few, short and not nested (Protégé
    writes `<!ENTITY skos "http://...">` for namespaces); total expansion is bounded.
    External and parameter entities are refused outright.
    """
    entities: dict[str, int] = {}
    expansion = 0
    attribute_chars = -len(data)  # expat expands entities in attribute values itself
    depth = 0
    in_dtd = in_declaration = False
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def where() -> str:
        # expat counts columns from 0; pyoxigraph, JSON and editors from 1
        return f" (line {parser.CurrentLineNumber}, column {parser.CurrentColumnNumber + 1})"

    def entity_decl(name, is_parameter, value, base, system_id, public_id, notation):  # type: ignore[no-untyped-def]
        if is_parameter or value is None or system_id or public_id or notation:
            raise UnsafeInput(
                f"External or parameter entity '{name}' is not allowed{where()}; "
                "inline the content instead."
            )
        if name in entities:
            raise UnsafeInput(f"Entity '{name}' is declared twice{where()}; declare it once.")
        if "&" in value or "%" in value:
            raise UnsafeInput(f"Entity '{name}' refers to another entity{where()}.")
        if len(value) > limits.max_entity_length or len(entities) >= limits.max_entities:
            raise UnsafeInput(f"Too many or too long entity declarations{where()}.")
        entities[name] = len(value)

    def doctype(start: bool) -> None:
        nonlocal in_dtd
        in_dtd = start

    def default(text: str) -> None:
        nonlocal expansion, in_declaration
        if in_dtd:
            # Declarations the handlers above did not take arrive here token by token. A
            # name outside <!ATTLIST ...>-like declarations is a second declaration of an
            # entity: expat keeps the first, other parsers the last, so refuse it.
            if text.isspace() or text.startswith(("<!--", "<?")):
                return
            if text.startswith("<!"):
                in_declaration = True
            elif in_declaration:
                in_declaration = text != ">"
            else:
                raise UnsafeInput(f"An entity is declared twice{where()}; declare it once.")
            return
        if text.startswith("&") and text.endswith(";"):
            expansion += entities.get(text[1:-1], 0)
            if expansion > limits.max_entity_expansion:
                raise UnsafeInput(
                    f"Entity references expand beyond {limits.max_entity_expansion:,} "
                    f"characters{where()}."
                )

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, attribute_chars
        depth += 1
        if depth > limits.max_depth:
            raise UnsafeInput(f"XML elements nest deeper than {limits.max_depth}{where()}.")
        if entities:
            # Attribute values can only outgrow the file through entity references.
            attribute_chars += sum(len(v) for v in attrs.values())
            if attribute_chars > limits.max_entity_expansion:
                raise UnsafeInput(
                    f"Entity references in attributes expand beyond "
                    f"{limits.max_entity_expansion:,} characters{where()}."
                )

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def external_ref(context, base, system_id, public_id):  # type: ignore[no-untyped-def]
        raise UnsafeInput(f"External entity references are not allowed{where()}.")

    parser.EntityDeclHandler = entity_decl
    parser.DefaultHandler = default  # setting it stops expat from expanding internal entities
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ExternalEntityRefHandler = external_ref
    parser.StartDoctypeDeclHandler = lambda *args: doctype(True)
    parser.EndDoctypeDeclHandler = lambda: doctype(False)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ParseError(
            f"Not well-formed XML: {xml.parsers.expat.ErrorString(exc.code)}",
            line=exc.lineno,
            column=exc.offset + 1,
        ) from None
    if data.startswith(_UTF16_BOMS) or re.match(rb"<\?xml[^>]*encoding=[\"']utf-16", data, re.I):
        raise ParseError("The file is UTF-16; save it as UTF-8 and import it again.")


def check_jsonld(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise unless `data` is JSON whose every `@context` is inline and nesting is bounded."""
    try:
        document = json.loads(data)
    except RecursionError:
        raise UnsafeInput(f"JSON nests deeper than {limits.max_depth} levels.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        raise ParseError(
            f"Not valid JSON: {getattr(exc, 'msg', exc)}", line=line, column=column
        ) from None
    stack: list[tuple[object, int, bool]] = [(document, 1, False)]
    while stack:
        node, depth, in_context = stack.pop()
        if depth > limits.max_depth:
            raise UnsafeInput(f"JSON nests deeper than {limits.max_depth} levels.")
        if isinstance(node, str):
            _check_text(node)
            if in_context:
                raise UnsafeInput(
                    f"The JSON-LD @context '{node[:100]}' names a document; remote and local "
                    "contexts are never fetched. Put the context inline."
                )
        elif isinstance(node, list):
            stack.extend((item, depth + 1, in_context) for item in node)
        elif isinstance(node, dict):
            for key, value in node.items():
                _check_text(key)
                if in_context and key == "@import":
                    raise UnsafeInput("JSON-LD @import is not allowed; put the context inline.")
                if key == "@context":
                    stack.append((value, depth + 1, True))
                elif in_context and isinstance(value, dict):
                    # a term definition: only its own @context is a context position
                    for k, v in value.items():
                        _check_text(k)
                        stack.append((v, depth + 2, k == "@context"))
                else:
                    stack.append((value, depth + 1, False))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(
            "The JSON holds a lone surrogate (\\ud800-\\udfff); fix the text."
        ) from None
