"""`vocab release`: cut a release from the curated source, if the quality gate passes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.app import BaseOption, DbOption, SourceOption, app, env_help, err, load_settings
from loaders.release_cut import CutRequest
from loaders.release_cut import cut_release as cut
from loaders.terminal import safe
from vocab.config import Settings
from vocab.errors import ReleaseRefused
from vocab.release import Manifest, ReleaseArchive
from vocab.release_publish import finish_switch, release_lock, remove_leftovers


def cut_release(
    settings: Settings, archive: ReleaseArchive, version: str | None, notes: str, shapes: bool
) -> Manifest:
    """Cut one release from `settings.source` into `archive`, switching `settings.db`."""
    today = datetime.now(UTC).date().isoformat()
    request = CutRequest(
        settings.source, settings.base, archive, settings.db, today, version, notes, shapes
    )
    return cut(request)


@app.command()
def release(
    version: Annotated[
        str | None,
        typer.Option(help="The version, YYYY-MM-DD[.N] (default: today's date, .2 if taken)."),
    ] = None,
    notes: Annotated[str, typer.Option(help="Release notes (Markdown).")] = "",
    notes_file: Annotated[
        Path | None,
        typer.Option("--notes-file", exists=True, dir_okay=False, help="Read the notes from FILE."),
    ] = None,
    releases: Annotated[
        Path | None,
        typer.Option("--releases", help=env_help("The releases folder", "VOCAB_RELEASES")),
    ] = None,
    shapes: Annotated[bool, typer.Option(help="Run the SHACL shapes in the gate.")] = True,
    db: DbOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Cut a release from the curated source: gate, artefacts, diff, then switch the store.

    All or nothing: a failed gate, a full disk or a kill publishes nothing, and the store
    at --db keeps serving the previous release until the new one is complete.
    """
    settings = load_settings(db=db, source=source, base_uri=base_uri, releases=releases)
    archive = ReleaseArchive(settings.releases)
    text = notes_file.read_text(encoding="utf-8") if notes_file else notes
    with release_lock(archive.root):
        for name in remove_leftovers(archive.root, settings.db):
            err.print(f"Removed {name}, left by a release that did not finish.")
        finished = finish_switch(archive, settings.db)
        if finished:
            err.print(f"Switched {settings.db} to release {finished}, which a kill interrupted.")
        err.print(f"Checking {settings.source} with the quality gate ...")
        try:
            manifest = cut_release(settings, archive, version, text, shapes)
        except ReleaseRefused as exc:
            err.print(safe(exc.message), markup=False)
            raise typer.Exit(1) from None
    err.print(
        f"Released {manifest.version} ({manifest.notes.strip()}) in "
        f"{archive.root / manifest.version}, {len(manifest.artefacts)} files with SHA-256 "
        f"checksums in manifest.json; {settings.db} now serves it."
    )
