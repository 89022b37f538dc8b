"""The `vocab` command's shared parts: the Typer app, its options, settings, output, progress.

The commands live beside this module (`cli.store_commands`, `cli.query_commands`,
`cli.source_commands`) and register themselves on `app`; `cli.main` runs it.
Output goes to stdout unless -o is given; errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from vocab.config import (
    DEFAULT_BASE,
    Settings,
    check_base,
    normalise_root_path,
    settings_from_env,
)
from vocab.errors import InvalidInput

ENV_DEFAULTS = {
    "VOCAB_HOST": "127.0.0.1",
    "VOCAB_PORT": "8000",
    "VOCAB_DB": "data/vocab.db",
    "VOCAB_SOURCE": "ontology/vocabulary",
    "VOCAB_BASE_URI": DEFAULT_BASE,
    "VOCAB_WORKERS": "1",
    "VOCAB_EDITORIAL_DB": "data/editorial.db",
    "VOCAB_CHECK_INTERVAL": "60",
    "VOCAB_ROOT_PATH": "none",
    "VOCAB_RELEASES": "releases",
    "VOCAB_ACCESS_LOG": "off",
    "VOCAB_RATE_LIMITS": "align=30/min, annotate=60/min, export=30/min, sparql=60/min, search=120/min",
    "VOCAB_TRUSTED_PROXIES": "none",
    "VOCAB_ALIGN_QUEUE": "3",
    "VOCAB_WATCH_INTERVAL": "1.0",
    "VOCAB_DATA_DIR": "data/ of a checkout, else ~/.local/share/airt-vocab",
}
"""What each setting is when neither its option nor its variable is given (see vocab.config)."""


def env_help(text: str, variable: str) -> str:
    """An option's help naming its environment variable and default. The bracket is escaped:
    Rich would read `[env ...]` as markup and print nothing."""
    return f"{text} \\[env {variable}; default {ENV_DEFAULTS[variable]}]"


app = typer.Typer(
    help="The shared vocabulary of AI in clinical imaging and radiotherapy.",
    epilog="Settings: each option's environment variable and default are in the command's "
    "--help: VOCAB_HOST (127.0.0.1), VOCAB_PORT (8000), VOCAB_DB (data/vocab.db), "
    "VOCAB_SOURCE (ontology/vocabulary), VOCAB_BASE_URI (http://127.0.0.1:8000), "
    "VOCAB_WORKERS (1), VOCAB_EDITORIAL_DB (data/editorial.db), VOCAB_CHECK_INTERVAL (60), "
    "VOCAB_ROOT_PATH (none), VOCAB_WATCH_INTERVAL (1.0), VOCAB_DATA_DIR (data/ of a checkout), VOCAB_RELEASES (releases), VOCAB_ACCESS_LOG (off), "
    "VOCAB_RATE_LIMITS, VOCAB_TRUSTED_PROXIES (none), VOCAB_ALIGN_QUEUE (3).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def check_output(path: Path | None) -> Path | None:
    """Refuse an output path whose folder does not exist (or is a file) before any work."""
    if path is None or str(path) == "-":
        return path
    folder = path.parent
    if not folder.is_dir():
        raise typer.BadParameter(
            f"the folder {folder} does not exist; create it first or write somewhere else."
        )
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; give a file name.")
    return path


DbOption = Annotated[Path | None, typer.Option("--db", help=env_help("SQLite store", "VOCAB_DB"))]
SourceOption = Annotated[
    Path | None, typer.Option("--source", help=env_help("Turtle source", "VOCAB_SOURCE"))
]
BaseOption = Annotated[
    str | None,
    typer.Option(
        "--base-uri",
        help=env_help("Base of concept URIs, applied when answering", "VOCAB_BASE_URI"),
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
OutOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to FILE instead of stdout.", callback=check_output),
]


def load_settings(**options: object) -> Settings:
    try:
        settings = settings_from_env().with_options(**options)
        normalise_root_path(settings.root_path)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    problem = check_base(settings.base)
    if problem:
        raise InvalidInput(problem)
    return settings


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def emit(data: bytes, output: Path | None) -> None:
    if output:
        try:
            output.write_bytes(data)
        except OSError as exc:
            err.print(f"error: could not write {output}: {exc.strerror or exc}.", markup=False)
            raise typer.Exit(2) from None
        err.print(f"Wrote {len(data):,} bytes to {output}.")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
