"""SPARQL query results out: JSON, XML, CSV and TSV (W3C SPARQL 1.1 result formats).

Written here rather than by pyoxigraph so that a capped page of solutions (the endpoint
stops at its result cap) can be written; terms are pyoxigraph's.

>>> from pyoxigraph import Literal, NamedNode
>>> write_results(["s", "label"], [[NamedNode("http://x/t1"), Literal("recall", language="en")]], "csv")
b's,label\\r\\nhttp://x/t1,recall\\r\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import orjson
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple
Row = Sequence[Term | None]

RESULT_MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_json(term: Term) -> dict[str, Any]:
    """Return one RDF term in the SPARQL JSON results format."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _term_xml(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _plain(term: Term | None) -> str:
    """The CSV form of a term: IRIs and literals as their plain value, blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, NamedNode | Literal) else str(term)


def write_results(variables: Sequence[str], rows: Sequence[Row], fmt: str) -> bytes:
    """Return SELECT solutions in `fmt` (json, xml, csv or tsv)."""
    if fmt == "json":
        bindings = [
            {v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        return orjson.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}})
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        results = "".join(
            "<result>"
            + "".join(
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            + "</result>"
            for row in rows
        )
        return _xml(f"<head>{head}</head><results>{results}</results>")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_plain(t) for t in row] for row in rows)
    return buffer.getvalue().encode()


def write_boolean(value: bool, fmt: str) -> bytes:
    """Return an ASK answer in `fmt` (json, xml, csv or tsv)."""
    if fmt == "json":
        return orjson.dumps({"head": {}, "boolean": value})
    if fmt == "xml":
        return _xml(f"<head/><boolean>{str(value).lower()}</boolean>")
    return f"{str(value).lower()}\n".encode()


def _xml(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<sparql xmlns="http://www.w3.org/2005/sparql-results#">{body}</sparql>\n'
    ).encode()
