"""The curated source: which files it is, whether a store is current with it, and its policy.

The source is a folder of Turtle files (`ontology/vocabulary/`) or one file. Reading and
writing Turtle is a format, in `loaders.turtle_source`; what the core decides is here:

- a store records where it came from when it is written (`write_store`): its provenance
  (`origin_kind`: `source` for the curated source, `import` for a file, `release` for a
  published release), the origin's digest, and the base URI it was built for (answers may
  use another one: `vocab.store.rebase`);
- a store is never replaced implicitly unless it came from the curated source and the
  source changed since (the dev loop); a store from an import or a release is used as it
  is, and an unreadable one, or one of another schema version, stops the command with what
  to do (`check_store`);
- the source must be clean: any integrity error is refused with the evidence, where an
  import would repair and report (`require_clean`);
- validation is every reading problem plus the quality gate plus any extra checks the
  edge supplies (SHACL shapes), with links into other files demoted to warnings when one
  file of the folder is checked alone (`validation_problems`).
"""

from __future__ import annotations

import enum
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from vocab import quality
from vocab.bulk import paused_gc
from vocab.errors import IntegrityError
from vocab.model import Snapshot
from vocab.problems import Problem, ReadResult, Severity, errors
from vocab.store.sqlite_read import REPAIR_HINT, read_meta
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


class Action(enum.Enum):
    USE = "use"  # the store is current, or is not ours to rebuild
    BUILD = "build"  # missing, or built from the curated source and the source changed
    STOP = "stop"  # unreadable or of another schema: a person must decide


@dataclass(frozen=True)
class StoreCheck:
    """What to do with the store before a command uses it, and why."""

    action: Action
    reason: str = ""
    origin_kind: str = ""


def origin_kind(origin: str) -> str:
    """The provenance of a store from its `origin`: `import`, `release`, else `source`."""
    kind = origin.split(":", 1)[0]
    return kind if kind in ("import", "release") else "source"


def check_store(db: Path, source: Path) -> StoreCheck:
    """Return whether the store at `db` may be used, must be built from `source`, or neither."""
    if not db.exists():
        return StoreCheck(Action.BUILD, f"no store at {db} yet")
    meta = read_meta(db)
    if meta is None:
        return StoreCheck(
            Action.STOP,
            f"{db} is not a readable vocabulary store (damaged, or not a store at all); "
            f"nothing was changed. {REPAIR_HINT.format(db=db)}.",
        )
    kind = meta.get("origin_kind") or origin_kind(meta.get("origin", ""))
    if meta.get("schema_version") != SCHEMA_VERSION:
        if kind == "source" and source_files(source):
            # derived from the curated source, so nothing is lost by building it again
            return StoreCheck(
                Action.BUILD,
                f"{db} was built by another version of this service (schema "
                f"{meta.get('schema_version')}, this one reads {SCHEMA_VERSION})",
                kind,
            )
        return StoreCheck(
            Action.STOP,
            f"{db} was built by another version of this service (schema "
            f"{meta.get('schema_version')}, this one reads {SCHEMA_VERSION}); nothing was "
            f"changed. {REPAIR_HINT.format(db=db)}.",
            kind,
        )
    if kind != "source":
        return StoreCheck(Action.USE, f"{db} holds {_provenance(meta)}", kind)
    files = source_files(source)
    if not files:
        return StoreCheck(Action.USE, "no source to compare with", kind)
    newest = max(path.stat().st_mtime for path in input_files(source))
    if newest <= float(meta.get("written_at", "0")):
        return StoreCheck(Action.USE, "current", kind)
    if meta.get("source_digest") != source_digest(source):
        return StoreCheck(Action.BUILD, f"{source} changed since the store was written", kind)
    return StoreCheck(Action.USE, "current", kind)


def _provenance(meta: dict[str, str]) -> str:
    origin = meta.get("origin", "")
    name = origin.split(":", 1)[1] if ":" in origin else origin
    kind = meta.get("origin_kind") or origin_kind(origin)
    return f"an {kind} of {name}" if kind == "import" else f"a {kind} ({name})"


def stale_reason(db: Path, source: Path, base: str | None = None) -> str | None:
    """Return why the store at `db` cannot be used as it is, or None if it can.

    `base` is not asked: a store answers under any base URI.
    """
    check = check_store(db, source)
    return None if check.action is Action.USE else check.reason


def write_store(
    db: Path,
    snapshot: Snapshot,
    *,
    origin: str,
    source: Path,
    base: str,
    progress: Progress | None = None,
    origin_digest: str = "",
) -> None:
    """Build the store for `snapshot`, recording its provenance, base URI and digests.

    `origin` is `source:PATH`, `import:FILE` or `release:VERSION` (anything else counts as
    the curated source); `origin_digest` the imported file's or release's digest. The old
    file is kept as `{db}.bak`. Raises StoreError (with the old file untouched) if anything
    fails.
    """
    kind = origin_kind(origin)
    meta = {
        "base": base,
        "origin": origin,
        "origin_kind": kind,
        "origin_digest": origin_digest or (source_digest(source) if kind == "source" else ""),
        "written_at": f"{time.time():.3f}",
        "source_digest": source_digest(source),
    }
    with paused_gc():
        build_store(db, snapshot, meta=meta, progress=progress)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
