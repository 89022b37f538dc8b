"""`vocab release`: cut a release from the curated source, if the quality gate passes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.app import BaseOption, DbOption, SourceOption, app, err, load_settings
from loaders.release_files import release_files
from loaders.terminal import safe
from loaders.turtle_source import read_source, validate_source
from vocab.config import Settings
from vocab.diff import diff_snapshots
from vocab.model import Snapshot
from vocab.problems import errors
from vocab.release import (
    SOURCE_DIR,
    Manifest,
    ReleaseArchive,
    ReleaseVersion,
    next_version,
    stamp,
)
from vocab.release_publish import finish_switch, publish, release_lock, remove_leftovers

GATE_SHOWN = 20
"""Quality-gate errors quoted when a release is refused."""


def previous_snapshot(archive: ReleaseArchive, previous: Manifest | None, base: str) -> Snapshot:
    """Return the snapshot of the previous release, read back from its source (empty if none)."""
    if previous is None:
        return Snapshot((), ())
    folder = archive.folder(previous.version) / SOURCE_DIR
    return read_source(folder, base=base, strict=False).snapshot


def choose_version(archive: ReleaseArchive, asked: str | None) -> str:
    """Return the version to cut: `asked` if later than every release, else today's next one."""
    existing = archive.versions()
    if asked is None:
        return next_version(existing, datetime.now(UTC).date().isoformat())
    version = ReleaseVersion.parse(asked)
    if existing and version <= ReleaseVersion.parse(existing[-1]):
        raise typer.BadParameter(
            f"{asked} is not later than the latest release, {existing[-1]}; releases are immutable."
        )
    return str(version)


def cut_release(
    settings: Settings, archive: ReleaseArchive, version: str | None, notes: str, shapes: bool
) -> Manifest:
    """Cut one release (see `release`); raise typer.Exit(1) if the quality gate fails."""
    result, findings = validate_source(settings.source, base=settings.base, shapes=shapes)
    found = errors(findings)
    if found:
        for f in found[:GATE_SHOWN]:
            err.print(safe(f"  error [{f.check}] {f.subject}: {f.message}"), markup=False)
        err.print(
            f"Release refused: the quality gate found {len(found)} error(s) in {settings.source}; "
            "nothing was published. Fix them (`vocab validate -v` lists every finding) and "
            "run `vocab release` again."
        )
        raise typer.Exit(1)
    previous = archive.latest()
    chosen = choose_version(archive, version)
    diff = diff_snapshots(previous_snapshot(archive, previous, settings.base), result.snapshot)
    summary = diff.to_json()["summary"]
    counts = ", ".join(f"{n} {kind}" for kind, n in summary.items() if n) or "no concept changed"
    manifest = Manifest(
        version=chosen,
        date=ReleaseVersion.parse(chosen).day,
        base=settings.base,
        notes=notes or f"{len(result.snapshot.concepts)} concepts; {counts}.",
        previous=previous.version if previous else None,
        concepts=len(result.snapshot.concepts),
        summary=summary,
        provenance=f"curated source {settings.source.name}/",
    )
    snapshot = stamp(result.snapshot, manifest, settings.base)
    files, _ = release_files(snapshot, diff, manifest)
    return publish(archive, manifest, files, settings.source, snapshot, db=settings.db)


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
        Path | None, typer.Option("--releases", help="The releases folder [env VOCAB_RELEASES].")
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
        for name in remove_leftovers(archive.root):
            err.print(f"Removed {name}, left by a release that did not finish.")
        finished = finish_switch(archive, settings.db)
        if finished:
            err.print(f"Switched {settings.db} to release {finished}, which a kill interrupted.")
        err.print(f"Checking {settings.source} with the quality gate ...")
        manifest = cut_release(settings, archive, version, text, shapes)
    folder = archive.root / manifest.version
    err.print(
        f"Released {manifest.version} ({manifest.notes.strip()}) "
        f"in {folder}, {len(manifest.artefacts)} files with SHA-256 checksums in "
        f"manifest.json; {settings.db} now serves it."
    )
