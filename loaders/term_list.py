"""Term lists in, shared by `POST /align` and `vocab align` (tables out: `alignment_out`).

JSON `{"terms": [...]}`, CSV (a `term` column or the first one), or plain text with one
term a line. Blank lines are skipped (not counted); every other line becomes a row, even a
bad one, so results line up with the input and problems are reported per row.
"""

from __future__ import annotations

import csv
import io
import json

from vocab.align import MAX_TERMS
from vocab.errors import InvalidInput, ParseError, TooLarge, UnsupportedFormat
from vocab.normalize import find_broken

MAX_BYTES = 2 * 1024 * 1024
TERM_COLUMNS = ("term", "terms", "label", "name", "vendor term", "text")
KINDS = {
    "application/json": "json",
    "text/csv": "csv",
    "text/plain": "txt",
    # what `curl --data-binary @terms.txt` sends when no Content-Type is given: read as text
    "application/x-www-form-urlencoded": "txt",
    "application/octet-stream": "txt",
}
EXTENSIONS = {".json": "json", ".csv": "csv", ".txt": "txt", ".tsv": "csv"}


def kind_of_media_type(media_type: str | None) -> str:
    """Return json, csv or txt for a Content-Type; raise UnsupportedFormat otherwise."""
    base = (media_type or "text/plain").split(";")[0].strip().lower()
    if base in KINDS:
        return KINDS[base]
    raise UnsupportedFormat(
        f"Cannot read a term list sent as '{base[:60]}'; send application/json "
        '({"terms": [...]}), text/csv or text/plain (one term a line).'
    )


def read_term_list(data: bytes, kind: str) -> list[str]:
    """Return the terms in `data`; raise ParseError naming the line at fault, TooLarge, or
    InvalidInput for a term holding a NUL, another control character or a lone surrogate."""
    if len(data) > MAX_BYTES:
        raise TooLarge(
            f"The term list is {len(data):,} bytes; the limit is {MAX_BYTES:,}. Split it."
        )
    text = _decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InvalidInput(
            f"The term list holds binary data (a NUL character, line {line}); send text."
        )
    if kind == "json":
        terms = _json_terms(text)
    elif kind == "csv":
        terms = _csv_terms(text)
    else:
        terms = [line for line in text.splitlines() if line.strip()]
    if not terms:
        raise ParseError("The term list is empty; send one term a line, or a JSON list.")
    if len(terms) > MAX_TERMS:
        raise TooLarge(
            f"{len(terms):,} terms; the limit is {MAX_TERMS:,} a request. Split the list."
        )
    for n, term in enumerate(terms, start=1):
        problem = find_broken(term.replace("\t", " "))  # a tab in a line is only spacing
        if problem:
            raise InvalidInput(f"Term {n}: {problem}")
    return terms


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError("The term list starts like UTF-16 but is not; send UTF-8.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            "The term list is not UTF-8; save it as UTF-8 and send it again.", line=line
        ) from None


def _json_terms(text: str) -> list[str]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(
            f"Not valid JSON: {getattr(exc, 'msg', exc)}",
            line=getattr(exc, "lineno", None),
            column=getattr(exc, "colno", None),
        ) from None
    items = document.get("terms") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ParseError('Send a JSON object {"terms": ["...", ...]} or a JSON list of strings.')
    terms = []
    for i, item in enumerate(items, start=1):
        if isinstance(item, dict) and isinstance(item.get("term"), str):
            item = item["term"]
        if not isinstance(item, str):
            raise ParseError(f"Term {i} is not a string (or an object with a 'term' string).")
        terms.append(item)
    return [t for t in terms if t.strip()]


def _csv_terms(text: str) -> list[str]:
    try:
        rows = [
            row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)
        ]
    except csv.Error as exc:
        raise ParseError(f"Not valid CSV: {exc}") from None
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    column = next((header.index(name) for name in TERM_COLUMNS if name in header), None)
    if column is None:
        return [row[0] for row in rows if row and row[0].strip()]
    return [row[column] for row in rows[1:] if len(row) > column and row[column].strip()]
