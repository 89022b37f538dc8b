"""`vocab annotate FILE`: every term of a document, linked, with the sense each word means."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.app import BaseOption, DbOption, OutOption, SourceOption, app, emit, err, load_settings
from cli.store_commands import open_vocabulary
from loaders import read_bounded
from loaders.annotation_in import KINDS, kind_of, read_document
from loaders.annotation_out import ANNOTATION_FORMATS, annotation_format
from loaders.annotation_out import Annotated as Result
from vocab.annotate import MAX_CHARACTERS, annotator_for
from vocab.errors import InvalidInput, TooLarge

EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
"""Document kind by file extension; anything else is plain text."""


@app.command()
def annotate(
    file: Annotated[
        Path,
        typer.Argument(dir_okay=False, help="The document: .txt, .md or .html ('-' reads stdin)."),
    ],
    kind: Annotated[
        str | None, typer.Option(help=f"One of: {', '.join(KINDS)} (default: by extension).")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(ANNOTATION_FORMATS)}.")
    ] = "txt",
    document_uri: Annotated[
        str | None, typer.Option("--uri", help="The document's own URI (JSON-LD target).")
    ] = None,
    output: OutOption = None,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Find every term in a document: its concept, how it matched, the sense chosen for an
    ambiguous word (with the alternatives) and false-friend warnings."""
    writer = annotation_format(format)
    text = _read(file)
    document = read_document(text, kind_of(kind or EXTENSIONS.get(file.suffix.lower(), "text")))
    vocabulary = open_vocabulary(load_settings(db=db, source=source, base_uri=base_uri))
    annotation = annotator_for(vocabulary.store).annotate(document.text, document.segments)
    emit(writer.write(Result(annotation, document, document_uri or "", vocabulary.digest)), output)
    spans = annotation.spans
    err.print(
        f"{len(spans)} terms ({len({s.sense.id for s in spans})} concepts), "
        f"{sum(s.ambiguous for s in spans)} ambiguous, {sum(s.false_friend for s in spans)} "
        f"false friends, in {annotation.seconds * 1000:.0f} ms."
    )


def _read(file: Path) -> str:
    """Return the file's text; raise InvalidInput or TooLarge saying what to fix."""
    try:
        limit = MAX_CHARACTERS * 4
        data = sys.stdin.buffer.read(limit + 1) if str(file) == "-" else read_bounded(file, limit)
    except OSError as exc:
        raise InvalidInput(f"Cannot read {file}: {exc.strerror or exc}.") from None
    if len(data) > MAX_CHARACTERS * 4:
        raise TooLarge(f"{file} is {len(data):,} bytes; split it into parts of at most 1 MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{file} is not UTF-8 (byte {exc.start}); save it as UTF-8.") from None
