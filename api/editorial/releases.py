"""`POST /editorial/releases`: a release manager cuts a release of the approved head.

The editorial head (every approved change) is written out as a curated source folder and
cut exactly as `vocab release` cuts the curated Turtle: the quality gate first, then all or
nothing, then the served store is switched (a watching server picks the new file up). The
release is recorded in the editorial store and its audit log, and announced to webhooks.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field

from api.deps import BaseDep
from api.editorial.auth import ProgramDep
from api.editorial.context import EditorialDep
from api.editorial.schemas import Strict, errors
from api.release_views import release_json, shelf_of
from loaders.release_cut import CutRequest, cut_release
from loaders.turtle_source import write_source
from vocab.editorial.rules import Action, require
from vocab.release_publish import release_lock, remove_leftovers

router = APIRouter(prefix="/editorial", tags=["editorial"])


class ReleaseIn(Strict):
    version: Annotated[
        str | None,
        Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}(\.\d{1,3})?$", examples=["2026-12-02"]),
    ] = None
    notes: Annotated[str, Field(max_length=5000)] = ""


@router.post("/releases", status_code=201, summary="Cut a release of the approved changes",
             responses={201: {"content": {"application/json": {"schema": {"type": "object"}}}},
                        **errors(400, 401, 403, 409, 422, 429)})  # fmt: skip
def cut(
    request: Request, body: ReleaseIn, editorial: EditorialDep, actor: ProgramDep, base: BaseDep
) -> dict[str, Any]:
    """Release managers only: gate, files, diff and switch, as `vocab release` does."""
    manager = require(actor, Action.RELEASE)
    shelf = shelf_of(request)
    head = editorial.store.head_snapshot()
    with tempfile.TemporaryDirectory(prefix="vocab-release-") as folder:
        source = Path(folder) / "vocabulary"
        source.mkdir()
        for name, text in write_source(head, base=base).items():
            (source / name).write_text(text, encoding="utf-8")
        today = datetime.now(UTC).date().isoformat()
        cut_request = CutRequest(
            source, base, shelf.archive, shelf.db, today, body.version, body.notes,
            provenance=f"editorial head, released by {manager.name}",
        )  # fmt: skip
        with release_lock(shelf.archive.root):
            remove_leftovers(shelf.archive.root, shelf.db)
            manifest = cut_release(cut_request)
    editorial.write("record_release", manager, manifest.version, manifest.notes)
    editorial.notifier.wake()  # the release's audit entry is its event
    return release_json(manifest, base)
