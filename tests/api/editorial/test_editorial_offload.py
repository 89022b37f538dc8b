"""Writes through the worker process (what `vocab serve` does): the same answers, the same
errors with their evidence, and the serving process sees the worker's changes at once."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from api.editorial.offload import WRITER_NICENESS, WriteWorker
from tests.api.editorial.conftest import NEW_CONCEPT, Desk, label, make_desk
from vocab.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def offloaded(tmp_path_factory: pytest.TempPathFactory, published: Vocabulary) -> Iterator[Desk]:
    url = str(tmp_path_factory.mktemp("offload") / "editorial.db")
    desk = make_desk(url, published)
    desk.editorial.writer = WriteWorker(url)
    with desk.client:
        yield desk


def test_a_proposal_goes_through_review_in_the_worker(offloaded: Desk) -> None:
    body = {"kind": "add_concept", "reason": "r", "fields": NEW_CONCEPT, "submit": True}
    pid = offloaded.post("/editorial/proposals", "pat", body).json()["id"]
    offloaded.post(f"/editorial/proposals/{pid}/take", "carol")
    answer = offloaded.post(f"/editorial/proposals/{pid}/approve", "ivan", {})
    assert answer.json()["state"] == "approved" and offloaded.version("t0004") == 2


def test_a_stale_proposal_from_the_worker_keeps_its_evidence(offloaded: Desk) -> None:
    version = offloaded.version("t0005")
    fields = {"labels": offloaded.labels("t0005", label("market regulator", "alt", "industry"))}
    body = {
        "kind": "edit_labels",
        "concept_id": "t0005",
        "reason": "r",
        "fields": fields,
        "submit": True,
    }
    first = offloaded.post("/editorial/proposals", "pat", {**body, "base_version": version}).json()[
        "id"
    ]
    offloaded.post(f"/editorial/proposals/{first}/take", "carol")
    offloaded.post(f"/editorial/proposals/{first}/approve", "carol", {})
    stale = offloaded.post("/editorial/proposals", "pat", {**body, "base_version": version})
    assert (
        stale.status_code == 409 and stale.json()["error"]["details"]["head_version"] == version + 1
    )


def test_a_forbidden_step_in_the_worker_is_403(offloaded: Desk) -> None:
    body = {"kind": "add_concept", "reason": "r", "fields": NEW_CONCEPT, "submit": True}
    pid = offloaded.post("/editorial/proposals", "pat", body).json()["id"]
    assert offloaded.post(f"/editorial/proposals/{pid}/take", "pat").status_code == 403


def test_the_worker_gives_way_to_the_serving_process(offloaded: Desk) -> None:
    # the quality gate runs at a lower CPU priority than the event loop answering reads
    writer = offloaded.editorial.writer
    assert isinstance(writer, WriteWorker)
    niceness = writer._pool.submit(os.nice, 0).result()
    assert niceness == min(19, os.nice(0) + WRITER_NICENESS)
