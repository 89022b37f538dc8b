"""Annotations out, registered once: `POST /annotate` and `vocab annotate` derive their
choices, media types and file extensions from `ANNOTATION_FORMATS`.

- **json**: every span with its offsets, concept, how it matched, communities, sense
  score, alternatives and false-friend warning;
- **html**: the input with each term linked to its canonical URI (`<a href data-term>`,
  which the tooltip script enhances): HTML input keeps its markup; plain text becomes
  escaped paragraphs; Markdown input stays Markdown, with each term a Markdown link;
- **jsonld**: a W3C Web Annotation collection (one `identifying` annotation per span, with
  `TextPositionSelector` and `TextQuoteSelector`; a false friend gets a `commenting` body);
- **csv**: one row per span for spreadsheets, every cell spreadsheet-safe;
- **txt**: one line per span, for a terminal.

>>> sorted(ANNOTATION_FORMATS)
['csv', 'html', 'json', 'jsonld', 'txt']
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from loaders.annotation_in import Document
from loaders.csv_table import spreadsheet_safe
from vocab.annotate_result import Annotation, Sense, Span
from vocab.errors import UnsupportedFormat

WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector


@dataclass(frozen=True)
class Annotated:
    """What a writer needs: the annotation, the document it is of, and where that document lives."""

    annotation: Annotation
    document: Document
    source: str = ""  # the document's IRI, if the caller gave one
    release: str = ""  # the digest of the release used


@dataclass(frozen=True)
class AnnotationFormat:
    """One way to write an annotation: name, label, media type, file extension and writer."""

    name: str
    label: str
    media_type: str
    extension: str
    write: Callable[[Annotated], bytes]


def sense_json(sense: Sense) -> dict[str, Any]:
    """Return the public JSON of one sense of a span."""
    return {
        "id": sense.id,
        "uri": sense.uri,
        "prefLabel": sense.pref_label,
        "label": sense.label,
        "usage": list(sense.usage),
        "score": sense.score,
    }


def span_json(span: Span) -> dict[str, Any]:
    """Return the public JSON of one span (its chosen sense's fields at the top level)."""
    return {
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "match": span.match,
        **sense_json(span.sense),
        "ambiguous": span.ambiguous,
        "senses": span.senses,
        "falseFriend": span.false_friend,
        "warnings": list(span.warnings),
        "alternatives": [sense_json(s) for s in span.alternatives],
    }


def annotation_json(out: Annotated) -> dict[str, Any]:
    """Return the public JSON of a whole annotation."""
    annotation = out.annotation
    return {
        "kind": out.document.kind,
        "characters": annotation.characters,
        "words": annotation.words,
        "release": out.release,
        "count": len(annotation.spans),
        "spans": [span_json(s) for s in annotation.spans],
    }


def _json(out: Annotated) -> bytes:
    return orjson.dumps(annotation_json(out))


def _title(span: Span) -> str:
    title = span.sense.pref_label
    if span.false_friend and span.warnings:
        title += " — take care: " + span.warnings[0]
    return title


def _link(span: Span, inner: str) -> str:
    flag = ' data-false-friend="true"' if span.false_friend else ""
    return (
        f'<a class="airt-term" href="{html.escape(span.sense.uri)}" '
        f'data-term="{html.escape(span.sense.uri)}" title="{html.escape(_title(span))}"{flag}>'
        f"{inner}</a>"
    )


def _html(out: Annotated) -> bytes:
    text, spans = out.document.text, out.annotation.spans
    parts: list[str] = []
    cursor = 0
    if out.document.kind == "html":  # the markup stays; every span lies inside one text run
        for span in spans:
            parts += [text[cursor : span.start], _link(span, text[span.start : span.end])]
            cursor = span.end
        parts.append(text[cursor:])
        return "".join(parts).encode()
    if out.document.kind == "markdown":
        for span in spans:
            label = re.sub(r"([\[\]\\])", r"\\\1", text[span.start : span.end])
            title = _title(span).replace("\\", "\\\\").replace('"', '\\"')
            parts += [text[cursor : span.start], f'[{label}]({span.sense.uri} "{title}")']
            cursor = span.end
        parts.append(text[cursor:])
        return "".join(parts).encode()
    for span in spans:
        parts += [
            _prose(text[cursor : span.start]),
            _link(span, _prose(text[span.start : span.end])),
        ]
        cursor = span.end
    parts.append(_prose(text[cursor:]))
    body = "".join(parts).strip()
    return ("<p>" + body + "</p>\n").encode() if body else b""


def _prose(text: str) -> str:
    """Return plain text as HTML: escaped, blank lines as paragraphs, newlines as breaks."""
    paragraphs = re.split(r"\n[ \t]*\n\s*", html.escape(text, quote=False))
    return "</p>\n<p>".join(p.replace("\n", "<br>\n") for p in paragraphs)


def _plain(text: str, kind: str) -> str:
    """Return what a reader sees of a stretch of the document (HTML without its markup)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", text)) if kind == "html" else text


def _quote(out: Annotated, span: Span) -> dict[str, str]:
    text, kind = out.document.text, out.document.kind
    return {
        "type": "TextQuoteSelector",
        "exact": _plain(text[span.start : span.end], kind),
        "prefix": _plain(text[max(0, span.start - QUOTE_CONTEXT) : span.start], kind),
        "suffix": _plain(text[span.end : span.end + QUOTE_CONTEXT], kind),
    }


def _jsonld(out: Annotated) -> bytes:
    source = out.source or "urn:x-airt:annotated-document"
    items = []
    for i, span in enumerate(out.annotation.spans, start=1):
        selectors: list[dict[str, Any]] = [_quote(out, span)]
        if out.document.kind != "html":  # positions count characters of the text itself
            selectors.insert(
                0, {"type": "TextPositionSelector", "start": span.start, "end": span.end}
            )
        body: list[dict[str, Any]] = [
            {"type": "SpecificResource", "source": span.sense.uri, "purpose": "identifying"},
            {
                "type": "TextualBody",
                "value": span.sense.pref_label,
                "purpose": "describing",
                "language": "en-GB",
            },
        ]
        body += [
            {"type": "TextualBody", "value": w, "purpose": "commenting", "language": "en-GB"}
            for w in span.warnings
        ]
        items.append(
            {
                "id": f"{source}#annotation-{i}",
                "type": "Annotation",
                "motivation": "identifying",
                "body": body,
                "target": {"source": source, "selector": selectors},
            }
        )
    collection = {
        "@context": WEB_ANNOTATION_CONTEXT,
        "id": f"{source}#annotations",
        "type": "AnnotationCollection",
        "label": "Terms of the shared vocabulary found in the document",
        "total": len(items),
        "first": {
            "id": f"{source}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return orjson.dumps(collection)


CSV_HEADER = (
    "start", "end", "text", "match", "concept", "uri", "prefLabel", "score", "usage",
    "false friend", "warning", "other senses",
)  # fmt: skip


def _csv(out: Annotated) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for span in out.annotation.spans:
        cells = [
            str(span.start),
            str(span.end),
            span.text,
            span.match,
            span.sense.id,
            span.sense.uri,
            span.sense.pref_label,
            f"{span.sense.score:.3f}",
            "|".join(span.sense.usage),
            "yes" if span.false_friend else "",
            " ".join(span.warnings),
            "|".join(f"{s.pref_label} ({s.score:.2f})" for s in span.alternatives),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")


def _txt(out: Annotated) -> bytes:
    spans = out.annotation.spans
    concepts = len({s.sense.id for s in spans})
    lines = [f"{len(spans)} term{'s' * (len(spans) != 1)} ({concepts} concepts)"]
    for span in spans:
        line = f"{span.start}-{span.end}  {span.text} → {span.sense.pref_label}  [{span.match}]"
        if span.ambiguous:
            others = ", ".join(f"{s.pref_label} {s.score:.2f}" for s in span.alternatives)
            line += f"  ({span.sense.score:.2f}; also: {others})"
        lines.append(line + f"  <{span.sense.uri}>")
        lines += [f"    Take care: {w}" for w in span.warnings]
    return ("\n".join(lines) + "\n").encode()


ANNOTATION_FORMATS: dict[str, AnnotationFormat] = {
    f.name: f
    for f in (
        AnnotationFormat("json", "JSON", "application/json", ".json", _json),
        AnnotationFormat("html", "HTML (or Markdown) with links", "text/html", ".html", _html),
        AnnotationFormat("jsonld", "W3C Web Annotation", "application/ld+json", ".jsonld", _jsonld),
        AnnotationFormat("csv", "CSV", "text/csv", ".csv", _csv),
        AnnotationFormat("txt", "plain text", "text/plain", ".txt", _txt),
    )
}


def annotation_format(name: str) -> AnnotationFormat:
    """Return the annotation format called `name`; raise UnsupportedFormat listing the choices."""
    found = ANNOTATION_FORMATS.get(name.strip().lower())
    if found is None:
        raise UnsupportedFormat(
            f"Unknown format '{name[:20]}'; use one of: {', '.join(ANNOTATION_FORMATS)}."
        )
    return found


def media_type_of(fmt: str, document: Document) -> str:
    """Return the media type of format `fmt` for this document (Markdown stays Markdown)."""
    if fmt == "html" and document.kind == "markdown":
        return "text/markdown"
    return annotation_format(fmt).media_type


def write_annotation(out: Annotated, fmt: str) -> bytes:
    """Return the annotation in format `fmt`; raise UnsupportedFormat for an unknown one."""
    return annotation_format(fmt).write(out)
