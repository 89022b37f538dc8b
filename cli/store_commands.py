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
    env_help,
    err,
    load_settings,
    progress_bar,
)
from loaders import READERS, WRITERS, get_format, read_file
from loaders.csv_table import write_csv
from loaders.rdf_input import DEFAULT_LIMITS, Limits
from loaders.terminal import problem_lines
from loaders.turtle_source import read_source
from vocab.config import (
    Settings,
    check_base,
    check_host,
    check_port,
    check_port_free,
    normalise_root_path,
)
from vocab.errors import InvalidInput, StoreError
from vocab.model import Snapshot
from vocab.problems import errors
from vocab.release import ReleaseArchive, release_of_source, stamp
from vocab.source import Action, check_store, file_digest, require_clean, source_digest, write_store
from vocab.store.files import backup_path, remove_orphans
from vocab.vocabulary import Vocabulary


def ensure_store(settings: Settings, *, force: bool = False) -> None:
    """Make the store ready to use: build it when it is missing, or when it came from the
    curated source and the source changed; with `force`, rebuild it whatever it holds.

    A store from an import or a release is never rebuilt here, and an unreadable one stops
    the command (StoreError) with what to do. Every rebuild keeps the old file as `.bak`.
    """
    tidy(settings.db)
    check = check_store(settings.db, settings.source)
    if force:
        reason = "a rebuild was asked for"
    elif check.action is Action.STOP:
        raise StoreError(check.reason)
    elif check.action is Action.USE:
        return
    else:
        reason = check.reason
    err.print(f"Building {settings.db} from {settings.source} ({reason}) ...")
    result = read_source(settings.source, base=settings.base)
    snapshot, origin = result.snapshot, f"source:{settings.source}"
    released = release_of_source(ReleaseArchive(settings.releases), source_digest(settings.source))
    if released is not None:  # the source is the latest release: serve it as that release
        snapshot = stamp(snapshot, released, settings.base)
        origin = f"release {released.version}"
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def step(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        write_store(
            settings.db,
            snapshot,
            origin=origin,
            source=settings.source,
            base=settings.base,
            progress=step,
        )
    kept = backup_path(settings.db)
    also = f" (the previous file is kept as {kept})" if kept.exists() else ""
    err.print(f"Built {len(snapshot.concepts)} concepts into {settings.db} ({origin}){also}.")


def tidy(db: Path) -> None:
    """Remove the temporary files a killed build or import left beside the store."""
    for orphan in remove_orphans(db):
        err.print(f"Removed {orphan.name}, left by an interrupted build.", markup=False)


def open_vocabulary(settings: Settings) -> Vocabulary:
    ensure_store(settings)
    return Vocabulary.open(settings.db, settings.base)


def read_only_snapshot(settings: Settings) -> Snapshot:
    """The vocabulary as the store holds it, never writing the store: when the store is
    missing or behind its curated source, the source is read instead."""
    tidy(settings.db)
    check = check_store(settings.db, settings.source)
    if check.action is Action.STOP:
        raise StoreError(check.reason)
    if check.action is Action.BUILD:
        return require_clean(read_source(settings.source, base=settings.base))
    return Vocabulary.open(settings.db, settings.base).snapshot()


def check_serving(settings: Settings) -> None:
    """Refuse settings a server cannot run with, before any build: say what to change."""
    problems = [
        check_port(settings.port),
        check_base(settings.base),
        check_host(settings.host),
    ]
    if settings.workers < 1:
        problems.append(f"--workers {settings.workers}: give 1 or more (VOCAB_WORKERS).")
    if settings.check_interval <= 0:
        problems.append("VOCAB_CHECK_INTERVAL must be a positive number of seconds.")
    found = [p for p in problems if p]
    if not found:
        found = [p for p in [check_port_free(settings.host, settings.port)] if p]
    if found:
        raise InvalidInput("\n".join(found))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help=env_help("Address", "VOCAB_HOST"))] = None,
    port: Annotated[int | None, typer.Option(help=env_help("Port", "VOCAB_PORT"))] = None,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    workers: Annotated[
        int | None, typer.Option(help=env_help("Worker processes", "VOCAB_WORKERS"))
    ] = None,
    access_log: Annotated[
        str | None,
        typer.Option(
            "--access-log",
            help=env_help(
                "Log every request: off, text (uvicorn's lines) or json (one JSON line a request, with its request id)",
                "VOCAB_ACCESS_LOG",
            ),
        ),
    ] = None,
    rate_limit: Annotated[
        list[str] | None,
        typer.Option(
            "--rate-limit",
            help=env_help(
                "Per-client limit CLASS=COUNT/PERIOD or CLASS=off (align, annotate, export, sparql, search, lookup), or 'off'; repeatable, over the defaults (comma-separated in the variable)",
                "VOCAB_RATE_LIMITS",
            ),
        ),
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help=env_help(
                "A proxy (address or network) whose X-Forwarded-For names the client; repeatable (comma-separated in the variable)",
                "VOCAB_TRUSTED_PROXIES",
            ),
        ),
    ] = None,
    align_queue: Annotated[
        int | None,
        typer.Option(
            min=1,
            help=env_help(
                "Large alignments running or waiting at most; more answer 429", "VOCAB_ALIGN_QUEUE"
            ),
        ),
    ] = None,
    root_path: Annotated[
        str | None,
        typer.Option(
            "--root-path",
            help=env_help(
                "The sub-path a proxy serves the service under, such as /airt", "VOCAB_ROOT_PATH"
            ),
        ),
    ] = None,
    releases: Annotated[
        Path | None,
        typer.Option("--releases", help=env_help("The releases folder", "VOCAB_RELEASES")),
    ] = None,
    editorial_db: Annotated[
        str | None,
        typer.Option(
            "--editorial-db",
            help=env_help(
                "Editorial store (SQLite file or postgresql:// URL; 'off': read-only)",
                "VOCAB_EDITORIAL_DB",
            ),
        ),
    ] = None,
) -> None:
    """Start the HTTP service (building the store first if it is missing, or behind the
    curated source it was built from; a store from an import is served as it is)."""
    settings = load_settings(
        host=host,
        port=port,
        db=db,
        source=source,
        base_uri=base_uri,
        workers=workers,
        editorial_db=editorial_db,
        root_path=root_path,
        releases=releases,
        access_log=access_log,
        rate_limits=",".join(rate_limit) if rate_limit else None,
        trusted_proxies=",".join(trusted_proxy) if trusted_proxy else None,
        align_queue=align_queue,
    )
    check_serving(settings)
    check_traffic(settings)
    ensure_store(settings)
    os.environ.update(
        {
            # absolute, not resolved: a symlink at the path is followed afresh when a release
            # replaces it (api.watch)
            "VOCAB_DB": str(settings.db.absolute()),
            "VOCAB_BASE_URI": settings.base,
            "VOCAB_SOURCE": str(settings.source.resolve()),
            "VOCAB_RELEASES": str(settings.releases.resolve()),
            "VOCAB_EDITORIAL_DB": settings.editorial_db,
            "VOCAB_CHECK_INTERVAL": str(settings.check_interval),
            "VOCAB_ROOT_PATH": settings.root_path,
            "VOCAB_WORKERS": str(settings.workers),
            "VOCAB_RATE_LIMITS": settings.rate_limits,
            "VOCAB_TRUSTED_PROXIES": settings.trusted_proxies,
            "VOCAB_ALIGN_QUEUE": str(settings.align_queue),
            "VOCAB_ACCESS_LOG": settings.access_log,
        }
    )
    import uvicorn

    err.print(
        f"Serving {settings.base}/ on http://{settings.host}:{settings.port}"
        f"{normalise_root_path(settings.root_path)}/ (Ctrl-C to stop)"
    )
    uvicorn.run(
        "api.main:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        loop="uvloop",
        http="httptools",
        # the app alone reads X-Forwarded-For, and only from --trusted-proxy (api.limits);
        # uvicorn's own rewriting would believe any loopback peer's header
        proxy_headers=False,
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
def build(
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
    force: Annotated[
        bool,
        typer.Option(
            help="Replace the store even if it holds an import or a release, or is unreadable."
        ),
    ] = False,
) -> None:
    """Compile the Turtle source into the SQLite store (one transaction; the old store
    survives a failure and is kept as DB.bak)."""
    settings = load_settings(db=db, source=source, base_uri=base_uri)
    if not force and settings.db.exists():
        check = check_store(settings.db, settings.source)
        if check.action is Action.STOP:
            raise StoreError(check.reason)
        if check.origin_kind != "source":
            raise StoreError(
                f"{check.reason}; `vocab build` would replace it with the curated source. "
                f"Add --force to replace it (the current file is kept as "
                f"{backup_path(settings.db)}), or build into another file with --db."
            )
    ensure_store(settings, force=True)


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
    snapshot = read_only_snapshot(load_settings(db=db, source=source, base_uri=base_uri))
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
    """Replace the store's vocabulary with FILE (Turtle, RDF/XML, JSON-LD, N-Triples or CSV);
    the previous store is kept as DB.bak, and no command rebuilds an imported store.

    A file that cannot be read is rejected whole, naming the line or element at fault, and
    the store is left exactly as it was. Repairs and losses are reported per concept.
    """
    settings = load_settings(db=db, source=source, base_uri=base_uri)
    tidy(settings.db)
    fmt = get_format(format, purpose=READERS) if format else None  # type: ignore[arg-type]
    result = read_file(file, fmt=fmt, base=settings.base, limits=Limits(max_bytes=max_bytes))
    snapshot = result.snapshot
    refused = errors(result.problems)
    for line in problem_lines(result.problems, verbose=verbose, repaired=not (strict and refused)):
        err.print(line, markup=False)
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
            origin_digest=file_digest(file),
            source=settings.source,
            base=settings.base,
            progress=lambda s, d, t: bar.update(task, completed=d, total=t),
        )
    kept = backup_path(settings.db)
    also = f"; the previous file is kept as {kept}" if kept.exists() else ""
    err.print(f"{summary}; imported into {settings.db}{also}.")
