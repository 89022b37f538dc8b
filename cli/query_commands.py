"""Commands that ask the vocabulary: lookup, search, translate, align."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import orjson
import typer

from cli.app import (
    BaseOption,
    DbOption,
    JsonOption,
    OutOption,
    SourceOption,
    app,
    emit,
    err,
    load_settings,
    progress_bar,
)
from cli.store_commands import open_vocabulary
from loaders import read_bounded, terminal, views
from loaders.alignment_out import ALIGNMENT_FORMATS, alignment_format
from loaders.term_list import EXTENSIONS, read_term_list
from loaders.term_list import MAX_BYTES as TERM_LIST_BYTES
from vocab.model import COMMUNITIES


@app.command()
def lookup(
    text: Annotated[str, typer.Argument(help="A term or acronym, e.g. MHRA.")],
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    json: JsonOption = False,
) -> None:
    """Exact lookup by label or acronym (any case or spelling); ambiguous acronyms list every sense."""
    settings = load_settings(db=db, source=source, base_uri=base_uri)
    vocabulary = open_vocabulary(settings)
    result = vocabulary.lookup(text)
    if not result.hits:
        suggestions = vocabulary.suggestions(text)
        if json:
            emit(
                orjson.dumps(
                    {
                        "query": result.query,
                        "results": [],
                        "suggestions": [views.hit_json(h) for h in suggestions],
                    },
                    option=orjson.OPT_INDENT_2,
                )
                + b"\n",
                None,
            )
        else:
            err.print(
                terminal.not_found_text(result.query, suggestions, f"{settings.base}/search"),
                end="",
                markup=False,
            )
        raise typer.Exit(1)
    if json:
        emit(
            orjson.dumps(views.lookup_json(vocabulary, result), option=orjson.OPT_INDENT_2) + b"\n",
            None,
        )
    else:
        emit(terminal.lookup_text(vocabulary, result).encode(), None)


@app.command()
def search(
    text: Annotated[
        str, typer.Argument(help="Words to search for; typos and spelling variants are fine.")
    ],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    community: Annotated[str | None, typer.Option(help="Only labels this community uses.")] = None,
    collection: Annotated[
        str | None, typer.Option(help="Only concepts in this collection (id).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Only labels in this language, e.g. en-US.")
    ] = None,
    include_deprecated: Annotated[bool, typer.Option(help="Include deprecated concepts.")] = False,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    json: JsonOption = False,
) -> None:
    """Ranked search over every label: exact > acronym > synonym > prefix > fuzzy."""
    vocabulary = open_vocabulary(load_settings(db=db, source=source, base_uri=base_uri))
    hits = vocabulary.search(
        text,
        limit=limit,
        community=community,
        collection=collection,
        lang=lang,
        include_deprecated=include_deprecated,
    )
    if json:
        emit(orjson.dumps(views.search_json(text, hits), option=orjson.OPT_INDENT_2) + b"\n", None)
    elif hits:
        emit(terminal.search_text(text, hits).encode(), None)
    else:
        err.print(terminal.search_text(text, hits).rstrip("\n"), markup=False)
    if not hits:
        raise typer.Exit(1)


@app.command()
def translate(
    text: Annotated[str, typer.Argument(help="A term, e.g. recall.")],
    to: Annotated[str, typer.Option("--to", help=f"Target community: {', '.join(COMMUNITIES)}.")],
    source_community: Annotated[
        str | None, typer.Option("--from", help="The community the term comes from.")
    ] = None,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    json: JsonOption = False,
) -> None:
    """What another community calls a term (recall -> clinical: sensitivity), with false-friend warnings."""
    vocabulary = open_vocabulary(load_settings(db=db, source=source, base_uri=base_uri))
    translation = vocabulary.translate(text, to, source_community=source_community)
    if json:
        emit(
            orjson.dumps(
                views.translation_json(translation, source_community), option=orjson.OPT_INDENT_2
            )
            + b"\n",
            None,
        )
    elif translation.matches:
        emit(terminal.translation_text(translation).encode(), None)
    else:
        err.print(terminal.translation_text(translation).rstrip("\n"), markup=False)
    if not translation.result:
        raise typer.Exit(1)


@app.command()
def align(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="Terms: .txt (one a line), .csv or .json.",
        ),
    ],
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(ALIGNMENT_FORMATS)}.")
    ] = "csv",
    output: OutOption = None,
    community: Annotated[
        str | None, typer.Option(help="Whose words the terms are (resolves false friends).")
    ] = "industry",
    limit: Annotated[int, typer.Option(min=1, max=10, help="Candidates per term.")] = 3,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Align a term list with the vocabulary: SKOS predicate, confidence, matched label, reason."""
    writer = alignment_format(format)
    settings = load_settings(db=db, source=source, base_uri=base_uri)
    vocabulary = open_vocabulary(settings)
    kind = EXTENSIONS.get(file.suffix.lower(), "txt")
    terms = read_term_list(read_bounded(file, TERM_LIST_BYTES), kind)
    with progress_bar() as bar:
        task = bar.add_task("aligning", total=len(terms))
        alignments = vocabulary.align(
            terms,
            community=community,
            limit=limit,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    emit(
        writer.write(alignments, community, settings.base, f"{settings.base}/align#{file.stem}"),
        output,
    )
    counts = Counter(a.status for a in alignments)
    err.print(
        f"{len(terms)} terms: " + ", ".join(f"{n} {status}" for status, n in counts.most_common())
    )
