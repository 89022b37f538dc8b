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

from vocab.config import Settings, settings_from_env

app = typer.Typer(
    help="The shared vocabulary of AI in clinical imaging and radiotherapy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

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


def load_settings(**options: object) -> Settings:
    return settings_from_env().with_options(**options)


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
        output.write_bytes(data)
        err.print(f"Wrote {len(data):,} bytes to {output}.")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
