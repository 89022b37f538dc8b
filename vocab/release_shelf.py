"""Old releases, served from their own snapshots: opened lazily, read-only, a few at a time.

`ReleaseShelf.vocabulary(version)` returns a Vocabulary over the release's read snapshot:
the `snapshot.db` it was cut with when that was built for this server's base URI, else one
rebuilt once from the release's own source (`source/*.ttl`, checksummed in its manifest)
into a cache folder. The last `kept` releases stay open (least recently used goes first).
The snapshot reader is passed in (`read`), as reading Turtle is a format, not the core.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from vocab.bulk import paused_gc
from vocab.errors import StoreError
from vocab.model import Snapshot
from vocab.release import SNAPSHOT, SOURCE_DIR, Manifest, ReleaseArchive, stamp
from vocab.release_history import ReleaseHistory
from vocab.release_publish import snapshot_meta
from vocab.store.sqlite_read import read_meta
from vocab.store.sqlite_write import build_store
from vocab.vocabulary import Vocabulary

SourceReader = Callable[[Path, str], Snapshot]
"""Read a release's source folder against a base URI (`loaders.turtle_source.read_source`)."""

RELEASES_OPEN = 3


class ReleaseShelf:
    """The releases of an archive as Vocabularies, plus their history, for one base URI."""

    def __init__(
        self,
        archive: ReleaseArchive,
        *,
        base: str,
        cache: Path,
        read: SourceReader,
        kept: int = RELEASES_OPEN,
        db: Path | None = None,
    ) -> None:
        self.archive = archive
        self.history = ReleaseHistory(archive)
        self.base = base.rstrip("/")
        self.cache = Path(cache)
        self.read = read
        self.kept = kept
        self.db = db  # the served store a release cut here switches (None: none)
        self._open: OrderedDict[str, Vocabulary] = OrderedDict()
        self._lock = threading.Lock()

    def manifests(self) -> list[Manifest]:
        return self.history.manifests()

    def manifest(self, version: str) -> Manifest:
        """Return a release's manifest; raise NotFound naming the releases there are."""
        return self.archive.manifest(version)

    def latest(self) -> Manifest | None:
        found = self.manifests()
        return found[-1] if found else None

    def vocabulary(self, version: str) -> Vocabulary:
        """Return release `version` as a Vocabulary; raise NotFound, or StoreError if unreadable."""
        manifest = self.archive.manifest(version)  # NotFound first, before any lock
        with self._lock:
            found = self._open.get(version)
            if found is not None:
                self._open.move_to_end(version)
                return found
            vocabulary = Vocabulary.open(self._snapshot_path(manifest))
            self._open[version] = vocabulary
            while len(self._open) > self.kept:
                self._open.popitem(last=False)
            return vocabulary

    def _snapshot_path(self, manifest: Manifest) -> Path:
        folder = self.archive.folder(manifest.version)
        cut = folder / SNAPSHOT
        if cut.is_file() and self._fits(cut, manifest):
            return cut
        tag = hashlib.sha256(self.base.encode()).hexdigest()[:10]
        rebuilt = self.cache / f"{manifest.version}-{tag}.db"
        if rebuilt.is_file() and self._fits(rebuilt, manifest):
            return rebuilt
        bad = self.archive.verify(manifest.version)
        if bad:
            raise StoreError(
                f"Release {manifest.version} fails its checksums ({', '.join(bad[:5])}); "
                "restore the release folder from the repository."
            )
        source = folder / SOURCE_DIR
        snapshot = stamp(self.read(source, self.base), manifest, self.base)
        with paused_gc():
            build_store(rebuilt, snapshot, meta=snapshot_meta(manifest, source, self.base))
        return rebuilt

    def _fits(self, path: Path, manifest: Manifest) -> bool:
        meta = read_meta(path) or {}
        return meta.get("base") == self.base and meta.get("release") == manifest.version
