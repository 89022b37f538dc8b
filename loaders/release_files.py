"""The files of a release: every export format, the notes, and the diff as JSON, Markdown, RDF.

The RDF form of a diff gives each changed concept one `skos:changeNote` per change, a
structured note (SKOS Primer 4.3) with `rdf:value` (what changed), `dct:date` (the
release's date), `dct:type` (added, deprecated, merged, withdrawn, changed ...) and
`dct:isPartOf` (the release's version IRI); the release itself has `owl:priorVersion`.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from loaders import FORMATS, WRITERS
from loaders.skos import serialise
from vocab.diff import SnapshotDiff
from vocab.model import Snapshot
from vocab.release import Manifest, version_iri
from vocab.release_history import DIFF_JSON, DIFF_MARKDOWN, DIFF_RDF, diff_document
from vocab.release_publish import ReleaseFile

NOTES = "notes.md"
EXPORT_STEM = "vocabulary"


def value_line(value: Any) -> str:
    """Return one JSON diff value as text: quoted text with language, kind and communities."""
    if isinstance(value, dict):
        if "target" in value:
            return f"{value['kind']} <{value['target']}>"
        text = f'"{value.get("text", "")}"@{value.get("lang") or "-"}'
        extra = [value["kind"]] if "usage" in value and value.get("kind") else []
        extra += list(value.get("usage") or [])
        return text + (f" ({', '.join(extra)})" if extra else "")
    return str(value)


def field_line(field: dict[str, Any]) -> str:
    """Return what one field of one concept gained and lost, on one line."""
    parts = [f"+ {value_line(v)}" for v in field["added"]]
    parts += [f"- {value_line(v)}" for v in field["removed"]]
    return f"{field['field'].replace('_', ' ')}: " + "; ".join(parts)


def diff_graph(document: dict[str, Any], base: str) -> Graph:
    """Return the diff of a release as RDF: structured skos:changeNotes with dates."""
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    graph.bind("owl", OWL)
    release = URIRef(version_iri(base, document["to"]))
    day = Literal(document["date"], datatype=XSD.date)
    graph.add((release, DCTERMS.date, day))
    if document.get("from"):
        graph.add((release, OWL.priorVersion, URIRef(version_iri(base, document["from"]))))
    for change in document["changes"]:
        concept = URIRef(change["uri"])
        lines = [field_line(f) for f in change["fields"]] or [change["kind"]]
        for line in lines:
            note = BNode()
            graph.add((concept, SKOS.changeNote, note))
            graph.add((note, RDF.value, Literal(f"{change['kind']}: {line}", lang="en")))
            graph.add((note, DCTERMS.date, day))
            graph.add((note, DCTERMS.type, Literal(change["kind"])))
            graph.add((note, DCTERMS.isPartOf, release))
    return graph


def diff_markdown(document: dict[str, Any]) -> str:
    """Return the diff of a release as a readable Markdown change list."""
    title = f"Changes in release {document['to']}"
    since = f"since release {document['from']}" if document.get("from") else "first release"
    lines = [f"# {title}", "", f"{document['date']}, {since}.", ""]
    counts = ", ".join(f"{n} {kind}" for kind, n in document["summary"].items() if n)
    lines += [f"Summary: {counts or 'no concept changed'}.", ""]
    kinds = list(document["summary"])
    for kind in kinds:
        changes = [c for c in document["changes"] if c["kind"] == kind]
        if not changes:
            continue
        lines += [f"## {kind.capitalize()} ({len(changes)})", ""]
        for change in changes:
            lines.append(f"- **{change['label']}** (`{change['id']}`)")
            lines += [f"  - {field_line(f)}" for f in change["fields"]]
        lines.append("")
    return "\n".join(lines)


def release_files(
    snapshot: Snapshot, diff: SnapshotDiff, manifest: Manifest
) -> tuple[list[ReleaseFile], dict[str, Any]]:
    """Return the files of a release (exports, notes, diff) and its diff document."""
    files = [
        ReleaseFile(
            f"{EXPORT_STEM}{FORMATS[name].extension}",
            name,
            FORMATS[name].media_type,
            write(snapshot),
        )
        for name, write in WRITERS.items()
    ]
    document = diff_document(
        diff, version=manifest.version, previous=manifest.previous, day=manifest.date
    )
    markdown = diff_markdown(document)
    notes = f"# Release {manifest.version}\n\n{manifest.date}\n\n{manifest.notes.strip()}\n"
    files += [
        ReleaseFile(NOTES, "notes", "text/markdown", notes.encode()),
        ReleaseFile(
            DIFF_JSON,
            "diff",
            "application/json",
            (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode(),
        ),
        ReleaseFile(DIFF_MARKDOWN, "diff", "text/markdown", markdown.encode()),
        ReleaseFile(
            DIFF_RDF, "diff", "text/turtle", serialise(diff_graph(document, manifest.base), "ttl")
        ),
    ]
    return files, document
