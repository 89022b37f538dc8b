"""The `vocab` command line: serve, build, lookup, search, translate, align, annotate, export,
import, validate, format, glossary; and the editorial side: editorial init|audit, propose, user.

This package is an edge, like `api/`: it wires the core (`vocab/`) to the formats
(`loaders/`). Importing the command modules registers their commands on `cli.app.app`.
"""

from __future__ import annotations

import sys

from cli import (  # noqa: F401  (registers commands)
    annotate_commands,
    editorial_commands,
    query_commands,
    release_commands,
    source_commands,
    store_commands,
)
from cli.app import app, err
from vocab.errors import NotFound, VocabError


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


__all__ = ["app", "main"]
