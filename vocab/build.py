"""When the store must be rebuilt, and writing it with the metadata that decides that.

A store records the base URI it was built for, when it was written, where its content
came from (the curated source, or an imported file) and the digest of the curated source
at that moment. It is stale when the source has changed since, when the base URI differs,
or when it was built by another schema version. An imported store therefore stays until
the curated source is edited.
"""

from __future__ import annotations

import gc
import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vocab.model import Snapshot
from vocab.store import SCHEMA_VERSION, Progress, build_store


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk step (parse, read or write a vocabulary).

    Those steps allocate millions of tuples and frozen dataclasses that never form cycles,
    and every collection walks all of them: a third of the build time at 100k concepts.
    Reference counting still frees everything; collection resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def source_files(source: Path) -> list[Path]:
    """Return the Turtle files of the source: the file itself, or every *.ttl in a folder."""
    if source.is_dir():
        return sorted(source.glob("*.ttl"))
    return [source] if source.exists() else []


def source_digest(source: Path) -> str:
    digest = hashlib.sha256()
    for path in source_files(source):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _meta(db: Path) -> dict[str, str] | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def stale_reason(db: Path, source: Path, base: str) -> str | None:
    """Return why the store at `db` must be (re)built from `source`, or None if it is current."""
    if not db.exists():
        return f"no store at {db} yet"
    meta = _meta(db)
    if meta is None:
        return f"{db} is not a readable store"
    if meta.get("schema_version") != SCHEMA_VERSION:
        return "the store was built by another version of this service"
    if meta.get("base") != base:
        return f"the base URI changed from {meta.get('base')} to {base}"
    files = source_files(source)
    if not files:
        return None  # serving a store without its source (an import, or a copied store)
    newest = max(path.stat().st_mtime for path in files)
    if newest <= float(meta.get("written_at", "0")):
        return None
    if meta.get("source_digest") != source_digest(source):
        return f"{source} changed since the store was written"
    return None


def write_store(
    db: Path,
    snapshot: Snapshot,
    *,
    origin: str,
    source: Path,
    base: str,
    progress: Progress | None = None,
) -> None:
    """Build the store for `snapshot`, recording its origin and the current source digest."""
    meta = {
        "base": base,
        "origin": origin,
        "written_at": f"{time.time():.3f}",
        "source_digest": source_digest(source) if source_files(source) else "",
    }
    with paused_gc():
        build_store(db, snapshot, meta=meta, progress=progress)
