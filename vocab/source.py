"""The curated source: which files it is, whether a store is current with it, and its policy.

The source is a folder of Turtle files (`ontology/vocabulary/`) or one file. Reading and
writing Turtle is a format, in `loaders.turtle_source`; what the core decides is here:

- a store records the source's digest when it is written (`write_store`), and is stale when
  the source changed since, when it was built for another base URI or by another schema
  version (`stale_reason`);
- the source must be clean: any integrity error is refused with the evidence, where an
  import would repair and report (`require_clean`);
- validation is every reading problem plus the quality gate plus any extra checks the
  edge supplies (SHACL shapes), with links into other files demoted to warnings when one
  file of the folder is checked alone (`validation_problems`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from vocab import quality
from vocab.bulk import paused_gc
from vocab.errors import IntegrityError
from vocab.model import Snapshot
from vocab.problems import Problem, ReadResult, Severity, errors
from vocab.store.sqlite_read import read_meta
from vocab.store.sqlite_schema import SCHEMA_VERSION
from vocab.store.sqlite_write import Progress, build_store

EVIDENCE_SHOWN = 20
"""Integrity errors quoted when the source is refused."""


def source_files(source: Path) -> list[Path]:
    """Return the Turtle files of the source: the file itself, or every *.ttl in a folder."""
    if source.is_dir():
        return sorted(source.glob("*.ttl"))
    return [source] if source.exists() else []


def bibliography_file(source: Path) -> Path | None:
    """Return the file that describes the addresses a source folder cites, if there is one.

    It lives beside the folder: `ontology/sources/sources.ttl` for `ontology/vocabulary/`.
    """
    path = source.parent / "sources" / "sources.ttl"
    return path if source.is_dir() and path.is_file() else None


def input_files(source: Path) -> list[Path]:
    """Return every file a build reads: the source's Turtle files and its bibliography."""
    described = bibliography_file(source)
    return source_files(source) + ([described] if described else [])


def source_digest(source: Path) -> str:
    """Return a short hash of the source's files, names included ('' when there are none)."""
    files = source_files(source)
    if not files:
        return ""
    files = input_files(source)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def stale_reason(db: Path, source: Path, base: str) -> str | None:
    """Return why the store at `db` must be (re)built from `source`, or None if it is current."""
    if not db.exists():
        return f"no store at {db} yet"
    meta = read_meta(db)
    if meta is None:
        return f"{db} is not a readable store"
    if meta.get("schema_version") != SCHEMA_VERSION:
        return "the store was built by another version of this service"
    if meta.get("base") != base:
        return f"the base URI changed from {meta.get('base')} to {base}"
    files = source_files(source)
    if not files:
        return None  # serving a store without its source (an import, or a copied store)
    newest = max(path.stat().st_mtime for path in input_files(source))
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
    """Build the store for `snapshot`, recording its origin, base URI and the source's digest.

    Raises StoreError (with the old file untouched) if anything fails.
    """
    meta = {
        "base": base,
        "origin": origin,
        "written_at": f"{time.time():.3f}",
        "source_digest": source_digest(source),
    }
    with paused_gc():
        build_store(db, snapshot, meta=meta, progress=progress)


def require_clean(result: ReadResult) -> Snapshot:
    """Return the snapshot of a source read; raise IntegrityError quoting its integrity errors."""
    found = errors(result.problems)
    if found:
        evidence = "\n".join(f"  {p.subject}: {p.message}" for p in found[:EVIDENCE_SHOWN])
        raise IntegrityError(f"The source breaks SKOS integrity conditions:\n{evidence}")
    return result.snapshot


def validation_problems(
    result: ReadResult,
    *,
    part: bool = False,
    extra: Iterable[Callable[[Snapshot], list[Problem]]] = (),
) -> list[Problem]:
    """Return every problem of a source: reading, the quality gate, then each `extra` check.

    When `part` is set (one file of the source folder checked alone), links into the other
    files are warnings and the extra checks, which need the whole vocabulary, are skipped.
    """
    problems = list(result.problems) + quality.check(result.snapshot).findings
    if part:
        return [replace(p, severity=Severity.WARNING) if p.check == "link" else p for p in problems]
    for check in extra:
        problems += check(result.snapshot)
    return problems
