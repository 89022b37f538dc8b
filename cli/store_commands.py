"""Commands about the store: serve, build, import, export."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID

from cli.app import (
    BaseOption,
    DbOption,
    OutOption,
    SourceOption,
    app,
    emit,
    err,
    load_settings,
    progress_bar,
)
from loaders import READERS, WRITERS, get_format, read_file
from loaders.csv_table import write_csv
from loaders.rdf_input import DEFAULT_LIMITS, Limits
from loaders.terminal import problem_lines
from loaders.turtle_source import read_source
from vocab.config import Settings
from vocab.errors import InvalidInput
from vocab.problems import errors
from vocab.source import stale_reason, write_store
from vocab.vocabulary import Vocabulary


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
    with progress_bar() as bar:
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


def open_vocabulary(settings: Settings) -> Vocabulary:
    ensure_store(settings)
    return Vocabulary.open(settings.db)


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
    access_log: Annotated[
        str | None,
        typer.Option(
            "--access-log",
            help="Log every request: off, text (uvicorn's lines) or json (one JSON line a request, with its request id) [env VOCAB_ACCESS_LOG; default off].",
        ),
    ] = None,
    rate_limit: Annotated[
        list[str] | None,
        typer.Option(
            "--rate-limit",
            help="Per-client limit CLASS=COUNT/PERIOD or CLASS=off (align, annotate, export, sparql, search, lookup), or 'off'; repeatable, over the defaults [env VOCAB_RATE_LIMITS, comma-separated].",
        ),
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="A proxy (address or network) whose X-Forwarded-For names the client; repeatable [env VOCAB_TRUSTED_PROXIES, comma-separated; default none].",
        ),
    ] = None,
    align_queue: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Large alignments running or waiting at most; more answer 429 [env VOCAB_ALIGN_QUEUE; default 3].",
        ),
    ] = None,
    editorial_db: Annotated[
        str | None,
        typer.Option(
            "--editorial-db",
            help="Editorial store (SQLite file or postgresql:// URL; 'off': read-only) [env VOCAB_EDITORIAL_DB].",
        ),
    ] = None,
) -> None:
    """Start the HTTP service (building the store first if it is missing or stale)."""
    settings = load_settings(
        host=host,
        port=port,
        db=db,
        source=source,
        base_uri=base_uri,
        workers=workers,
        editorial_db=editorial_db,
        access_log=access_log,
        rate_limits=",".join(rate_limit) if rate_limit else None,
        trusted_proxies=",".join(trusted_proxy) if trusted_proxy else None,
        align_queue=align_queue,
    )
    check_traffic(settings)
    ensure_store(settings)
    os.environ.update(
        {
            "VOCAB_DB": str(settings.db.resolve()),
            "VOCAB_BASE_URI": settings.base,
            "VOCAB_SOURCE": str(settings.source.resolve()),
            "VOCAB_EDITORIAL_DB": settings.editorial_db,
            "VOCAB_WORKERS": str(settings.workers),
            "VOCAB_RATE_LIMITS": settings.rate_limits,
            "VOCAB_TRUSTED_PROXIES": settings.trusted_proxies,
            "VOCAB_ALIGN_QUEUE": str(settings.align_queue),
            "VOCAB_ACCESS_LOG": settings.access_log,
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
        access_log=settings.access_log == "text",
        log_level="info" if settings.access_log == "text" else "warning",
    )


def check_traffic(settings: Settings) -> None:
    """Refuse limits, proxies or a log format the server could not use, before building."""
    from api.limits import Limits
    from api.observe import ACCESS_LOGS

    if settings.access_log not in ACCESS_LOGS:
        raise InvalidInput(
            f"Unknown access log '{settings.access_log}'; use one of: {', '.join(ACCESS_LOGS)}."
        )
    if settings.align_queue < 1:
        raise InvalidInput("The alignment queue needs at least 1 place (--align-queue 3).")
    try:
        Limits.from_settings(settings.rate_limits, settings.trusted_proxies)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


@app.command()
def build(db: DbOption = None, source: SourceOption = None, base_uri: BaseOption = None) -> None:
    """Compile the Turtle source into the SQLite store (one transaction; the old store survives a failure)."""
    ensure_store(load_settings(db=db, source=source, base_uri=base_uri), force=True)


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
    snapshot = open_vocabulary(load_settings(db=db, source=source, base_uri=base_uri)).snapshot()
    data = (
        write_csv(snapshot, raw=True) if fmt.name == "csv" and raw else WRITERS[fmt.name](snapshot)
    )
    emit(data, output)


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
    settings = load_settings(db=db, source=source, base_uri=base_uri)
    fmt = get_format(format, purpose=READERS) if format else None  # type: ignore[arg-type]
    result = read_file(file, fmt=fmt, base=settings.base, limits=Limits(max_bytes=max_bytes))
    snapshot = result.snapshot
    for line in problem_lines(result.problems, verbose=verbose):
        err.print(line, markup=False)
    refused = errors(result.problems)
    summary = (
        f"{file.name}: {len(snapshot.concepts)} concepts, {len(snapshot.collections)} collections"
    )
    if strict and refused:
        err.print(
            f"{summary}; refused: {len(refused)} integrity error(s). The store was not changed."
        )
        raise typer.Exit(1)
    if dry_run:
        err.print(f"{summary}; dry run, the store was not changed.")
        return
    with progress_bar() as bar:
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
