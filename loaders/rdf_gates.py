"""Gates a hostile file must pass before and after pyoxigraph parses it (see `rdf_input`).

RDF/XML: an expat pass refuses external and parameter entities, nested, oversized or
twice-declared internal entities, entity expansion beyond the limit and deep nesting.
JSON-LD: every `@context` must be inline (never fetched or opened). After parsing, blank
nodes may not nest deeper than the limit.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat

from loaders.rdf_types import DEFAULT_LIMITS, UTF16_BOMS, Limits, Triple
from vocab.errors import ParseError, UnsafeInput


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
    if data.startswith(UTF16_BOMS) or re.match(rb"<\?xml[^>]*encoding=[\"']utf-16", data, re.I):
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
