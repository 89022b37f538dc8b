"""Releases: the version scheme, the manifest of a release, and the archive that holds them.

A release is a folder `releases/<version>/` that never changes once written:

- `manifest.json`: version, version IRI, date, notes, the previous release, the base URI it
  was cut for, and every artefact with its size and SHA-256 checksum;
- `source/*.ttl`: the curated source as it was (IRIs relative to the base, so a release
  serves on any deployment), from which the read snapshot is rebuilt when it is missing;
- the artefacts (Turtle, RDF/XML, JSON-LD, N-Triples, CSV, SSSOM), the notes and the
  concept-level diff against the previous release (JSON, Markdown, RDF);
- `snapshot.db`: the SQLite read snapshot as cut (not committed to git: it is rebuilt
  from `source/` on first serve, and its checksum is recorded separately).

Versions are dates (`2026-12-02`), with `.2`, `.3` ... for a second or third release on
the same day: a citation says when, and versions sort in time.

>>> ReleaseVersion.from_text("2026-12-02.2") > ReleaseVersion.from_text("2026-12-02")
True
>>> next_version(["2026-12-02"], "2026-12-02")
'2026-12-02.2'
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import total_ordering
from pathlib import Path
from typing import Any

from vocab.errors import InvalidInput, NotFound
from vocab.model import Snapshot

MANIFEST = "manifest.json"
SNAPSHOT = "snapshot.db"
SOURCE_DIR = "source"
VERSION_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.([2-9]|[1-9]\d+))?$")


@total_ordering
@dataclass(frozen=True)
class ReleaseVersion:
    """A release version: its date and its number that day (1 for the first)."""

    day: str
    number: int = 1

    @classmethod
    def from_text(cls, text: str) -> ReleaseVersion:
        """Return the version `text` names; raise InvalidInput saying the expected form."""
        found = VERSION_PATTERN.match(text)
        if not found:
            raise InvalidInput(
                f"'{text[:40]}' is not a release version; use a date, YYYY-MM-DD, "
                "with .2, .3 ... for a further release on the same day."
            )
        try:
            date.fromisoformat(found.group(1))
        except ValueError:
            raise InvalidInput(f"'{text[:40]}' does not name a real date.") from None
        return cls(found.group(1), int(found.group(2) or 1))

    def __str__(self) -> str:
        return self.day if self.number == 1 else f"{self.day}.{self.number}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ReleaseVersion):
            return NotImplemented
        return (self.day, self.number) < (other.day, other.number)


def is_version(text: str) -> bool:
    """Return whether `text` is a well-formed release version."""
    try:
        ReleaseVersion.from_text(text)
    except InvalidInput:
        return False
    return True


def next_version(existing: list[str], today: str) -> str:
    """Return the version of a release cut on `today`, after every `existing` one."""
    taken = [ReleaseVersion.from_text(v) for v in existing]
    same_day = [v.number for v in taken if v.day == today]
    candidate = ReleaseVersion(today, max(same_day) + 1 if same_day else 1)
    if taken and candidate <= max(taken):
        raise InvalidInput(
            f"Release {max(taken)} is later than today ({today}); pass --version with a later one."
        )
    return str(candidate)


def version_iri(base: str, version: str) -> str:
    """Return the IRI of a release: `{base}/releases/{version}`."""
    return f"{base.rstrip('/')}/releases/{version}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Artefact:
    """One file of a release: its path inside the release folder, kind, media type, checksum."""

    name: str
    kind: str
    media_type: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Manifest:
    """What a release is: its version, dates, notes, predecessor and checksummed artefacts."""

    version: str
    date: str
    base: str
    notes: str = ""
    previous: str | None = None
    concepts: int = 0
    summary: dict[str, int] = field(default_factory=dict)
    artefacts: tuple[Artefact, ...] = ()
    snapshot_sha256: str = ""
    provenance: str = ""

    @property
    def version_iri(self) -> str:
        return version_iri(self.base, self.version)

    def artefact(self, name: str) -> Artefact:
        """Return the artefact called `name`; raise NotFound listing them."""
        for a in self.artefacts:
            if a.name == name:
                return a
        names = ", ".join(a.name for a in self.artefacts)
        raise NotFound(f"Release {self.version} has no file '{name[:80]}'; it has: {names}.")

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "versionIRI": self.version_iri,
            "date": self.date,
            "base": self.base,
            "notes": self.notes,
            "previous": self.previous,
            "concepts": self.concepts,
            "summary": self.summary,
            "provenance": self.provenance,
            "artefacts": [a.to_json() for a in self.artefacts],
            "snapshot": {
                "name": SNAPSHOT,
                "sha256": self.snapshot_sha256,
                "built_from": SOURCE_DIR,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            version=data["version"],
            date=data["date"],
            base=data["base"],
            notes=data.get("notes", ""),
            previous=data.get("previous"),
            concepts=int(data.get("concepts", 0)),
            summary=dict(data.get("summary", {})),
            artefacts=tuple(
                Artefact(a["name"], a["kind"], a["media_type"], int(a["size"]), a["sha256"])
                for a in data.get("artefacts", [])
            ),
            snapshot_sha256=data.get("snapshot", {}).get("sha256", ""),
            provenance=data.get("provenance", ""),
        )

    def dumps(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode()


def stamp(snapshot: Snapshot, manifest: Manifest, base: str) -> Snapshot:
    """Return `snapshot` with its scheme stamped as the release: version, version IRI, date."""
    schemes = list(snapshot.schemes)
    if schemes:
        schemes[0] = replace(
            schemes[0],
            version=manifest.version,
            version_iri=version_iri(base, manifest.version),
            modified=manifest.date,
        )
    return replace(snapshot, schemes=tuple(schemes))


class ReleaseArchive:
    """The folder of releases: list them, read one, verify its checksums."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def versions(self) -> list[str]:
        """Return every complete release's version, oldest first (staging folders skipped)."""
        if not self.root.is_dir():
            return []
        found = [
            p.name for p in self.root.iterdir() if is_version(p.name) and (p / MANIFEST).is_file()
        ]
        return sorted(found, key=ReleaseVersion.from_text)

    def manifests(self) -> list[Manifest]:
        """Return every release's manifest, oldest first."""
        return [self.manifest(v) for v in self.versions()]

    def latest(self) -> Manifest | None:
        versions = self.versions()
        return self.manifest(versions[-1]) if versions else None

    def folder(self, version: str) -> Path:
        """Return the folder of release `version`; raise NotFound naming the releases there are."""
        path = self.root / version
        if not is_version(version) or not (path / MANIFEST).is_file():
            known = ", ".join(self.versions()) or "none yet"
            raise NotFound(f"No release '{version[:40]}'; the releases are: {known}.")
        return path

    def manifest(self, version: str) -> Manifest:
        data = json.loads((self.folder(version) / MANIFEST).read_text(encoding="utf-8"))
        return Manifest.from_json(data)

    def read(self, version: str, name: str) -> bytes:
        """Return the bytes of one artefact of a release; raise NotFound."""
        artefact = self.manifest(version).artefact(name)
        return (self.folder(version) / artefact.name).read_bytes()

    def verify(self, version: str) -> list[str]:
        """Return every artefact whose file is missing or whose checksum differs (empty: sound)."""
        folder = self.folder(version)
        bad = []
        for a in self.manifest(version).artefacts:
            path = folder / a.name
            if not path.is_file() or file_sha256(path) != a.sha256:
                bad.append(a.name)
        return bad

    def source_files(self, version: str) -> list[Path]:
        """Return the curated source files the release was cut from."""
        return sorted((self.folder(version) / SOURCE_DIR).glob("*.ttl"))


def release_of_source(archive: ReleaseArchive, digest: str) -> Manifest | None:
    """Return the latest release cut from a source with this digest (`vocab.source.source_digest`
    of its folder), or None: a working copy with unreleased edits is not a release."""
    from vocab.source import source_digest  # the source's policy, core too; imported late

    latest = archive.latest()
    if latest is None or not digest:
        return None
    return latest if source_digest(archive.folder(latest.version) / SOURCE_DIR) == digest else None
