"""The change history across releases: what changed since a date or a version, per concept.

Each release stores its concept-level diff against the one before (`diff.json`); this
module reads them back to answer `/changes?since=&until=` and a term page's history.
`since` is exclusive: the releases after the one it names (a version) or dated after its
day (a date); `until` is inclusive: up to the release it names, or dated on or before it.

>>> window(["2026-01-01", "2026-02-01", "2026-03-01"], {"2026-01-01": "2026-01-01",
...   "2026-02-01": "2026-02-01", "2026-03-01": "2026-03-01"}, "2026-01-15", "2026-02-01")
['2026-02-01']
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any

from vocab.diff import ConceptChange, SnapshotDiff
from vocab.errors import InvalidInput, NotFound
from vocab.release import Manifest, ReleaseArchive, ReleaseVersion

DIFF_JSON = "diff.json"
DIFF_MARKDOWN = "diff.md"
DIFF_RDF = "diff.ttl"


def diff_document(
    diff: SnapshotDiff, *, version: str, previous: str | None, day: str
) -> dict[str, Any]:
    """Return the JSON a release stores of its diff: versions, date, summary and changes.

    A first release (no previous one) lists its concepts as added, without their fields:
    the release itself is their content."""
    data = diff.to_json()
    if previous is None:
        for change in data["changes"]:
            change["fields"] = []
    return {"from": previous, "to": version, "date": day, **data}


BOUND = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.(\d{1,6}))?$")
"""A bound of the change window: a date, or a release version (a date and its number)."""


def _bound(value: str, name: str) -> tuple[str, int]:
    """Return (day, number) for a bound; a plain date is that day's first release."""
    found = BOUND.match(value)
    if not found:
        raise InvalidInput(
            f"'{value[:40]}' is neither a date (YYYY-MM-DD) nor a release version; "
            f"give {name} as one of them."
        )
    return found.group(1), int(found.group(2) or 1)


def window(
    versions: list[str], dates: dict[str, str], since: str | None, until: str | None
) -> list[str]:
    """Return the versions inside (since, until]; raise InvalidInput for a malformed bound.

    Bounds compare as text, day first, so any well-formed bound works, even a day that
    does not exist (2026-02-30 falls between the 28th and March)."""

    def key(v: str) -> tuple[str, int]:
        parsed = ReleaseVersion.from_text(v)
        return (parsed.day, parsed.number)

    chosen = list(versions)
    if since:
        low = _bound(since, "since")
        chosen = [v for v in chosen if key(v) > low]
    if until:
        high = _bound(until, "until")
        chosen = [v for v in chosen if key(v) <= high]
    return chosen


@dataclass(frozen=True)
class HistoryEntry:
    """One release that changed a concept, and how."""

    version: str
    date: str
    kind: str
    fields: tuple[str, ...]


class ReleaseHistory:
    """The diffs of every release in an archive, read again only when the archive changes."""

    def __init__(self, archive: ReleaseArchive) -> None:
        self.archive = archive
        self._lock = threading.Lock()
        self._stamp: int | None = -1
        self._manifests: list[Manifest] = []
        self._diffs: dict[str, dict[str, Any]] = {}
        self._by_concept: dict[str, list[HistoryEntry]] = {}

    def _archive_stamp(self) -> int | None:
        try:  # a release appears by a rename into the folder, which changes its mtime
            return self.archive.root.stat().st_mtime_ns
        except OSError:
            return None

    def _load(self) -> tuple[list[Manifest], dict[str, dict[str, Any]]]:
        stamp = self._archive_stamp()
        with self._lock:
            if stamp != self._stamp:
                manifests = self.archive.manifests()
                diffs: dict[str, dict[str, Any]] = {}
                by_concept: dict[str, list[HistoryEntry]] = {}
                for m in manifests:
                    try:
                        diffs[m.version] = json.loads(self.archive.read(m.version, DIFF_JSON))
                    except (OSError, ValueError, NotFound):
                        diffs[m.version] = {"changes": [], "summary": {}}
                for m in reversed(manifests):
                    for change in diffs[m.version].get("changes", []):
                        fields = tuple(f["field"] for f in change.get("fields", []))
                        entry = HistoryEntry(m.version, m.date, change["kind"], fields)
                        by_concept.setdefault(change["id"], []).append(entry)
                self._stamp, self._manifests = stamp, manifests
                self._diffs, self._by_concept = diffs, by_concept
            return self._manifests, self._diffs

    def manifests(self) -> list[Manifest]:
        """Return every release's manifest, oldest first."""
        return self._load()[0]

    def diff(self, version: str) -> dict[str, Any]:
        """Return the stored diff of one release; raise NotFound for an unknown release."""
        self.archive.folder(version)
        return self._load()[1].get(version, {"changes": [], "summary": {}})

    def changes(self, since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Return the releases in (since, until] with their concept changes, oldest first."""
        manifests, diffs = self._load()
        dates = {m.version: m.date for m in manifests}
        chosen = window([m.version for m in manifests], dates, since, until)
        by_version = {m.version: m for m in manifests}
        releases = []
        for v in chosen:
            d = diffs[v]
            releases.append(
                {
                    "version": v,
                    "date": dates[v],
                    "previous": by_version[v].previous,
                    "summary": d.get("summary", {}),
                    "changes": d.get("changes", []),
                }
            )
        return {"since": since, "until": until, "releases": releases}

    def of_concept(self, concept_id: str) -> list[HistoryEntry]:
        """Return the releases that changed concept `concept_id`, newest first."""
        self._load()
        return list(self._by_concept.get(concept_id, []))


def change_summary(change: ConceptChange) -> str:
    """Return one line saying what happened to a concept: kind and the fields that changed."""
    fields = ", ".join(f.field.replace("_", " ") for f in change.fields)
    return f"{change.kind.value}: {fields}" if fields else change.kind.value
