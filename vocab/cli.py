"""The `vocab` command line: serve, build, lookup, search, export, import, validate, glossary.

This module is an entry point: like `api/main.py`, it wires the core to the loaders
(formats) and may import both; nothing else in `vocab/` imports `loaders`.
Output goes to stdout unless -o is given; errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from loaders import FORMATS, READERS, WRITERS, get_format, read_file
from loaders.csv_table import write_csv
from loaders.glossary import glossary_snapshot, read_glossary
from loaders.rdf_input import DEFAULT_LIMITS, Limits
from loaders.skos import write_skos
from loaders.skos_read import Issue
from loaders.source import concept_homes, read_source, validate_source
from loaders.term_list import ALIGNMENT_FORMATS, EXTENSIONS, read_term_list, write_alignment
from loaders.turtle_source import write_source
from vocab import text as text_out
from vocab import views
from vocab.build import source_files, stale_reason, write_store
from vocab.config import Settings, settings_from_env
from vocab.errors import NotFound, UnsupportedFormat, VocabError
from vocab.model import COMMUNITIES
from vocab.vocabulary import Vocabulary

app = typer.Typer(
    help="The shared vocabulary of AI in clinical imaging and radiotherapy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
SEED_CITATION = (
    "Society of Radiographers (2021). Artificial intelligence: guidance for clinical imaging "
    "and therapeutic radiography workforce professionals. Glossary of terms."
)

DbOption = Annotated[Path | None, typer.Option("--db", help="SQLite store [env VOCAB_DB].")]
SourceOption = Annotated[
    Path | None, typer.Option("--source", help="Turtle source [env VOCAB_SOURCE].")
]
BaseOption = Annotated[
    str | None, typer.Option("--base-uri", help="Base of concept URIs [env VOCAB_BASE_URI].")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
OutOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to FILE instead of stdout.")
]


def _settings(**options: object) -> Settings:
    return settings_from_env().with_options(**options)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def ensure_store(settings: Settings, *, force: bool = False) -> None:
    """Build the store from the source if it is missing or stale (or if `force`)."""
    reason = (
        "a rebuild was asked for"
        if force
        else stale_reason(settings.db, settings.source, settings.base)
    )
    if reason is None:
        return
    err.print(f"Building {settings.db} from {settings.source} ({reason}) ...")
    result = read_source(settings.source, base=settings.base)
    with _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def step(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        write_store(
            settings.db,
            result.snapshot,
            origin=f"source:{settings.source}",
            source=settings.source,
            base=settings.base,
            progress=step,
        )
    err.print(f"Built {len(result.snapshot.concepts)} concepts into {settings.db}.")


def _open(settings: Settings) -> Vocabulary:
    ensure_store(settings)
    return Vocabulary.open(settings.db)


def _emit(data: bytes, output: Path | None) -> None:
    if output:
        output.write_bytes(data)
        err.print(f"Wrote {len(data):,} bytes to {output}.")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address [env VOCAB_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env VOCAB_PORT].")] = None,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes [env VOCAB_WORKERS].")
    ] = None,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
) -> None:
    """Start the HTTP service (building the store first if it is missing or stale)."""
    settings = _settings(
        host=host, port=port, db=db, source=source, base_uri=base_uri, workers=workers
    )
    ensure_store(settings)
    os.environ.update(
        {
            "VOCAB_DB": str(settings.db.resolve()),
            "VOCAB_BASE_URI": settings.base,
            "VOCAB_SOURCE": str(settings.source.resolve()),
        }
    )
    import uvicorn

    err.print(
        f"Serving {settings.base}/ on http://{settings.host}:{settings.port}/ (Ctrl-C to stop)"
    )
    uvicorn.run(
        "api.main:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        loop="uvloop",
        http="httptools",
        access_log=access_log,
        log_level="info" if access_log else "warning",
    )


@app.command()
def build(db: DbOption = None, source: SourceOption = None, base_uri: BaseOption = None) -> None:
    """Compile the Turtle source into the SQLite store (one transaction; the old store survives a failure)."""
    ensure_store(_settings(db=db, source=source, base_uri=base_uri), force=True)


@app.command()
def lookup(
    text: Annotated[str, typer.Argument(help="A term or acronym, e.g. MHRA.")],
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    json: JsonOption = False,
) -> None:
    """Exact lookup by label or acronym (any case or spelling); ambiguous acronyms list every sense."""
    settings = _settings(db=db, source=source, base_uri=base_uri)
    vocabulary = _open(settings)
    result = vocabulary.lookup(text)
    if not result.hits:
        suggestions = vocabulary.suggestions(text)
        if json:
            _emit(
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
                text_out.not_found_text(result.query, suggestions, f"{settings.base}/search"),
                end="",
                markup=False,
            )
        raise typer.Exit(1)
    if json:
        _emit(
            orjson.dumps(views.lookup_json(vocabulary, result), option=orjson.OPT_INDENT_2) + b"\n",
            None,
        )
    else:
        _emit(text_out.lookup_text(vocabulary, result).encode(), None)


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
    vocabulary = _open(_settings(db=db, source=source, base_uri=base_uri))
    hits = vocabulary.search(
        text,
        limit=limit,
        community=community,
        collection=collection,
        lang=lang,
        include_deprecated=include_deprecated,
    )
    if json:
        _emit(orjson.dumps(views.search_json(text, hits), option=orjson.OPT_INDENT_2) + b"\n", None)
    else:
        _emit(text_out.search_text(text, hits).encode(), None)


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
    vocabulary = _open(_settings(db=db, source=source, base_uri=base_uri))
    translation = vocabulary.translate(text, to, source_community=source_community)
    if json:
        _emit(
            orjson.dumps(
                views.translation_json(translation, source_community), option=orjson.OPT_INDENT_2
            )
            + b"\n",
            None,
        )
    else:
        _emit(text_out.translation_text(translation).encode(), None)
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
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv or sssom.")] = "csv",
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
    if format not in ALIGNMENT_FORMATS:
        raise UnsupportedFormat(
            f"Unknown format '{format}'; use one of: {', '.join(ALIGNMENT_FORMATS)}."
        )
    settings = _settings(db=db, source=source, base_uri=base_uri)
    vocabulary = _open(settings)
    kind = EXTENSIONS.get(file.suffix.lower(), "txt")
    terms = read_term_list(file.read_bytes(), kind)
    with _progress() as bar:
        task = bar.add_task("aligning", total=len(terms))
        alignments = vocabulary.align(
            terms,
            community=community,
            limit=limit,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    _emit(
        write_alignment(
            alignments,
            format,
            community=community,
            base=settings.base,
            set_id=f"{settings.base}/align#{file.stem}",
        ),
        output,
    )
    counts = Counter(a.status for a in alignments)
    err.print(
        f"{len(terms)} terms: " + ", ".join(f"{n} {status}" for status, n in counts.most_common())
    )


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(WRITERS)}.")
    ] = "ttl",
    output: OutOption = None,
    raw: Annotated[
        bool, typer.Option(help="CSV only: do not neutralise formula-like cells.")
    ] = False,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Write the whole vocabulary in one format (stdout, or -o FILE)."""
    fmt = get_format(format, purpose=WRITERS)  # type: ignore[arg-type]
    snapshot = _open(_settings(db=db, source=source, base_uri=base_uri)).snapshot()
    data = (
        write_csv(snapshot, raw=True) if fmt.name == "csv" and raw else WRITERS[fmt.name](snapshot)
    )
    _emit(data, output)


def _print_issues(issues: tuple[Issue, ...], verbose: bool) -> None:
    if not issues:
        return
    counts = Counter((i.severity, i.reason.split(";")[0]) for i in issues)
    err.print(f"{len(issues)} issue(s):", markup=False)
    if verbose:
        for issue in issues:
            err.print(
                text_out.safe(f"  {issue.severity}: {issue.subject or '(file)'}: {issue.reason}"),
                markup=False,
            )
        return
    for (severity, reason), n in counts.most_common(15):
        example = next(
            i.subject for i in issues if i.severity == severity and i.reason.startswith(reason)
        )
        err.print(
            text_out.safe(f"  {severity} x{n}: {reason} (e.g. {example or 'the file'})"),
            markup=False,
        )
    if len(counts) > 15:
        err.print(f"  ... {len(counts) - 15} more kinds; use --verbose to list every issue.")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help=f"One of: {', '.join(READERS)} (default: from the extension)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option(help="Read and report, but leave the store as it is.")
    ] = False,
    strict: Annotated[
        bool, typer.Option(help="Refuse the file if it breaks any SKOS integrity condition.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every issue.")] = False,
    max_bytes: Annotated[
        int, typer.Option(help="Refuse files larger than this.")
    ] = DEFAULT_LIMITS.max_bytes,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Replace the store's vocabulary with FILE (Turtle, RDF/XML, JSON-LD, N-Triples or CSV).

    A file that cannot be read is rejected whole, naming the line or element at fault, and
    the store is left exactly as it was. Repairs and losses are reported per concept.
    """
    settings = _settings(db=db, source=source, base_uri=base_uri)
    fmt = get_format(format, purpose=READERS) if format else None  # type: ignore[arg-type]
    result = read_file(file, fmt=fmt, base=settings.base, limits=Limits(max_bytes=max_bytes))
    snapshot = result.snapshot
    _print_issues(result.issues, verbose)
    errors = [i for i in result.issues if i.severity == "error"]
    summary = (
        f"{file.name}: {len(snapshot.concepts)} concepts, {len(snapshot.collections)} collections"
    )
    if strict and errors:
        err.print(
            f"{summary}; refused: {len(errors)} integrity error(s). The store was not changed."
        )
        raise typer.Exit(1)
    if dry_run:
        err.print(f"{summary}; dry run, the store was not changed.")
        return
    with _progress() as bar:
        task = bar.add_task("writing store", total=len(snapshot.concepts))
        write_store(
            settings.db,
            snapshot,
            origin=f"import:{file.name}",
            source=settings.source,
            base=settings.base,
            progress=lambda s, d, t: bar.update(task, completed=d, total=t),
        )
    err.print(f"{summary}; imported into {settings.db}.")


@app.command()
def validate(
    source: SourceOption = None,
    base_uri: BaseOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every finding, warnings included.")
    ] = False,
    shapes: Annotated[
        bool, typer.Option(help="Also run the SHACL shapes of ontology/shapes.ttl.")
    ] = True,
) -> None:
    """Check the Turtle source: SKOS integrity, qSKOS quality checks and SHACL shapes; exit 1 on any error."""
    settings = _settings(source=source, base_uri=base_uri)
    folder = settings_from_env().source.resolve()
    part = settings.source.is_file() and settings.source.resolve().parent == folder
    result, findings = validate_source(
        settings.source, base=settings.base, shapes=shapes, part=part
    )
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    for f in errors + (warnings if verbose else []):
        err.print(
            text_out.safe(f"  {f.severity} [{f.check}] {f.subject}: {f.message}"), markup=False
        )
    if warnings and not verbose:
        counts = Counter(f.check for f in warnings)
        err.print(
            "  warnings: "
            + ", ".join(f"{check} x{n}" for check, n in counts.most_common())
            + " (--verbose lists them)"
        )
    err.print(
        f"{settings.source}: {len(result.snapshot.concepts)} concepts, "
        f"{len(errors)} errors, {len(warnings)} warnings."
    )
    if errors:
        raise typer.Exit(1)


@app.command("format")
def format_source(
    source: SourceOption = None,
    base_uri: BaseOption = None,
    check: Annotated[
        bool, typer.Option(help="Only report files that would change; exit 1 if any.")
    ] = False,
) -> None:
    """Rewrite the Turtle source folder in the house style (one file per collection)."""
    settings = _settings(source=source, base_uri=base_uri)
    result = read_source(settings.source, base=settings.base)
    homes = concept_homes(settings.source, base=settings.base) if settings.source.is_dir() else None
    files = write_source(result.snapshot, base=settings.base, homes=homes)
    folder = settings.source if settings.source.is_dir() else settings.source.parent
    changed = [
        name
        for name, text in files.items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]
    stale = [p for p in source_files(folder) if p.name not in files]
    if check:
        for name in changed + [p.name for p in stale]:
            err.print(f"would reformat {folder / name}")
        raise typer.Exit(1 if changed or stale else 0)
    for name in changed:
        (folder / name).write_text(files[name], encoding="utf-8")
    for path in stale:
        path.unlink()
    err.print(f"{len(changed)} file(s) rewritten, {len(stale)} removed, in {folder}.")


@app.command()
def glossary(
    seed: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="The seed document (plain text).")
    ],
    output: OutOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Print the starting Turtle made from the seed's "Glossary of Terms" (one concept per entry)."""
    entries = read_glossary(seed.read_text(encoding="utf-8"))
    base = (base_uri or _settings().base).rstrip("/")
    snapshot = glossary_snapshot(entries, base=base, citation=SEED_CITATION)
    turtle = write_skos(snapshot, "ttl").decode()
    _emit(turtle.replace(f"<{base}/", "<").encode(), output)


def main() -> None:
    """Run the CLI, turning every VocabError into a message on stderr and exit code 2."""
    try:
        app()
    except NotFound as exc:
        err.print(f"error: {exc.message}", markup=False)
        sys.exit(1)
    except VocabError as exc:
        err.print(f"error: {exc.message}", markup=False)
        sys.exit(2)


__all__ = ["FORMATS", "app", "ensure_store", "main"]
