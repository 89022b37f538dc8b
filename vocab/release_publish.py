"""Publishing a release, all or nothing.

Everything is written into a hidden staging folder next to the releases (each file
fsynced), the served store's replacement is staged next to it, and only then two renames
publish: the staging folder becomes `releases/<version>/` (the commit point), and the new
store replaces the one at the served path (`os.replace`, which a watching server notices).
A kill at any point before the first rename leaves only a hidden staging folder, which the
next release removes; a failure (disk full, read-only folder) removes it at once. A kill
between the two renames leaves the release complete and the old store serving: the next
`vocab release` finishes the switch (`finish_switch`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from vocab.bulk import paused_gc
from vocab.errors import ReleaseConflict, StoreError
from vocab.model import Snapshot
from vocab.release import (
    MANIFEST,
    SNAPSHOT,
    SOURCE_DIR,
    Artefact,
    Manifest,
    ReleaseArchive,
    file_sha256,
    sha256_of,
)
from vocab.source import source_digest
from vocab.store.sqlite_read import read_meta
from vocab.store.sqlite_write import Progress, build_store

STAGING_PREFIX = ".staging-"
LOCK = ".lock"


@dataclass(frozen=True)
class ReleaseFile:
    """One artefact to write: its name in the release folder, kind, media type and bytes."""

    name: str
    kind: str
    media_type: str
    data: bytes


def snapshot_meta(manifest: Manifest, source: Path, base: str) -> dict[str, str]:
    """Return the `meta` of a release's read store: provenance `release:<version>`, so no
    command ever rebuilds it from the curated source (`vocab.source.check_store`)."""
    return {
        "base": base,
        "origin": f"release:{manifest.version}",
        "origin_kind": "release",
        "release": manifest.version,
        "written_at": f"{time.time():.3f}",
        "source_digest": source_digest(source) if source.exists() else "",
    }


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def release_lock(root: Path) -> Iterator[None]:
    """Hold the archive's lock (one release at a time); raise Conflict if another holds it."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseConflict(
                f"Another release is being cut in {root}; wait for it to finish."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def remove_leftovers(root: Path, db: Path | None = None) -> list[str]:
    """Remove what a killed release left behind (call under the lock): staging folders,
    and copies of a store staged next to `db`."""
    removed = []
    if root.is_dir():
        for path in root.iterdir():
            if path.name.startswith(STAGING_PREFIX):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    if db is not None and db.parent.is_dir():
        for path in db.parent.glob(f".{db.name}.release-*.tmp"):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def served_release(db: Path) -> str | None:
    """Return the release the store at `db` holds (None if none, or not a release)."""
    meta = read_meta(db) if db.exists() else None
    return (meta or {}).get("release")


def _copy_synced(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


def _staged_store(db: Path) -> Path:
    return db.with_name(f".{db.name}.release-{os.getpid()}.tmp")


def switch(db: Path, snapshot_file: Path) -> None:
    """Replace the store at `db` with a copy of `snapshot_file`, atomically."""
    db.parent.mkdir(parents=True, exist_ok=True)
    staged = _staged_store(db)
    try:
        _copy_synced(snapshot_file, staged)
        os.replace(staged, db)
        fsync_dir(db.parent)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise StoreError(f"Could not switch {db} to the release: {exc}") from exc


def finish_switch(archive: ReleaseArchive, db: Path) -> str | None:
    """Switch `db` to the latest release if a killed release left it on an older one.

    Returns the version switched to, or None when nothing was to do.
    """
    latest = archive.latest()
    served = served_release(db)
    if latest is None or served is None or served == latest.version:
        return None  # no release, a store built from the source, or already switched
    snapshot_file = archive.folder(latest.version) / SNAPSHOT
    if not snapshot_file.is_file():
        return None
    meta = read_meta(snapshot_file) or {}
    if meta.get("base") != latest.base:
        return None
    switch(db, snapshot_file)
    return latest.version


def publish(
    archive: ReleaseArchive,
    manifest: Manifest,
    files: list[ReleaseFile],
    source: Path,
    snapshot: Snapshot,
    *,
    db: Path | None,
    progress: Progress | None = None,
) -> Manifest:
    """Write release `manifest.version` whole, then switch the store at `db` to it.

    Returns the manifest as written (with its artefacts' checksums). Raises Conflict if the
    release exists, StoreError (having published nothing) if any write fails.
    """
    root = archive.root
    final = root / manifest.version
    if final.exists():
        raise ReleaseConflict(f"Release {manifest.version} exists already; releases are immutable.")
    staging = root / f"{STAGING_PREFIX}{manifest.version}-{os.getpid()}"
    staged_db = _staged_store(db) if db is not None else None
    try:
        staging.mkdir(parents=True)
        artefacts = []
        for f in files:
            _write(staging / f.name, f.data)
            artefacts.append(Artefact(f.name, f.kind, f.media_type, len(f.data), sha256_of(f.data)))
        sources = [source] if source.is_file() else sorted(source.glob("*.ttl"))
        for path in sources:
            data = path.read_bytes()
            name = f"{SOURCE_DIR}/{path.name}"
            _write(staging / name, data)
            artefacts.append(Artefact(name, "source", "text/turtle", len(data), sha256_of(data)))
        with paused_gc():
            build_store(
                staging / SNAPSHOT,
                snapshot,
                meta=snapshot_meta(manifest, source, manifest.base),
                progress=progress,
            )
        manifest = replace(
            manifest,
            artefacts=tuple(artefacts),
            snapshot_sha256=file_sha256(staging / SNAPSHOT),
        )
        _write(staging / MANIFEST, manifest.dumps())
        if sources:
            fsync_dir(staging / SOURCE_DIR)
        fsync_dir(staging)
        if staged_db is not None:
            staged_db.parent.mkdir(parents=True, exist_ok=True)
            _copy_synced(staging / SNAPSHOT, staged_db)
        os.rename(staging, final)  # the commit point
        fsync_dir(root)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if staged_db is not None:
            staged_db.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(
                f"Could not write release {manifest.version} ({exc}); nothing was published."
            ) from exc
        raise
    if db is not None and staged_db is not None:
        os.replace(staged_db, db)
        fsync_dir(db.parent)
    return manifest
