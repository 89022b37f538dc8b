"""Cutting a release from a curated source folder: the gate, the diff, the files, publishing.

Shared by `vocab release` and `POST /editorial/releases` (which first writes the editorial
head out as a source folder). All or nothing: see `vocab.release_publish`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loaders.release_files import release_files
from loaders.turtle_source import read_source, validate_source
from vocab.diff import diff_snapshots
from vocab.errors import InvalidInput, ReleaseRefused
from vocab.model import Snapshot
from vocab.problems import errors
from vocab.release import SOURCE_DIR, Manifest, ReleaseArchive, ReleaseVersion, next_version, stamp
from vocab.release_publish import publish

GATE_SHOWN = 20
"""Quality-gate errors quoted when a release is refused."""


@dataclass(frozen=True)
class CutRequest:
    """What to cut: from which source, for which base, into which archive, switching which store."""

    source: Path
    base: str
    archive: ReleaseArchive
    db: Path | None
    today: str
    version: str | None = None
    notes: str = ""
    shapes: bool = True
    provenance: str = ""


def previous_snapshot(archive: ReleaseArchive, previous: Manifest | None, base: str) -> Snapshot:
    """Return the snapshot of the previous release, read back from its source (empty if none)."""
    if previous is None:
        return Snapshot((), ())
    folder = archive.folder(previous.version) / SOURCE_DIR
    return read_source(folder, base=base, strict=False).snapshot


def choose_version(archive: ReleaseArchive, asked: str | None, today: str) -> str:
    """Return the version to cut: `asked` if later than every release, else today's next one."""
    existing = archive.versions()
    if asked is None:
        return next_version(existing, today)
    version = ReleaseVersion.from_text(asked)
    if existing and version <= ReleaseVersion.from_text(existing[-1]):
        raise InvalidInput(
            f"{asked} is not later than the latest release, {existing[-1]}; "
            "releases are immutable: name a later version."
        )
    return str(version)


def cut_release(request: CutRequest) -> Manifest:
    """Cut one release; raise ReleaseRefused quoting the gate's errors, having published nothing."""
    result, findings = validate_source(request.source, base=request.base, shapes=request.shapes)
    found = errors(findings)
    if found:
        evidence = "\n".join(
            f"  error [{f.check}] {f.subject}: {f.message}" for f in found[:GATE_SHOWN]
        )
        raise ReleaseRefused(
            f"{evidence}\nRelease refused: the quality gate found {len(found)} error(s); nothing "
            "was published. Fix them (`vocab validate -v` lists every finding) and try again."
        )
    archive = request.archive
    previous = archive.latest()
    chosen = choose_version(archive, request.version, request.today)
    before = previous_snapshot(archive, previous, request.base)
    diff = diff_snapshots(before, result.snapshot)
    summary = diff.to_json()["summary"]
    counts = ", ".join(f"{n} {kind}" for kind, n in summary.items() if n) or "no concept changed"
    manifest = Manifest(
        version=chosen,
        date=ReleaseVersion.from_text(chosen).day,
        base=request.base,
        notes=request.notes or f"{len(result.snapshot.concepts)} concepts; {counts}.",
        previous=previous.version if previous else None,
        concepts=len(result.snapshot.concepts),
        summary=summary,
        provenance=request.provenance or f"curated source {request.source.name}/",
    )
    snapshot = stamp(result.snapshot, manifest, request.base)
    files, _ = release_files(snapshot, diff, manifest)
    return publish(archive, manifest, files, request.source, snapshot, db=request.db)
