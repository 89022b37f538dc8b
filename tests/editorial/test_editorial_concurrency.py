"""Reliability: concurrent deciders, and kill -9 in the middle of proposals and reviews."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.editorial.conftest import Team
from vocab.editorial import schema as t
from vocab.editorial.errors import Conflict
from vocab.editorial.model import AuditEntry, ProposalKind, ProposalState, Review
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = {"definitions": [{"text": "Found positives over all positives.", "lang": "en-GB"}]}


class MeetingStore(SqlEditorialStore):
    """A real store whose decide() waits until both deciders are inside it, so that both
    have passed every check above the database before either writes."""

    barrier = threading.Barrier(2, timeout=20)

    def decide(self, review: Review, audit: Sequence[AuditEntry]) -> object:  # type: ignore[override]
        self.barrier.wait()
        return super().decide(review, audit)


@pytest.mark.parametrize(
    ("first", "second"), [("approve", "approve"), ("approve", "reject"), ("reject", "reject")]
)
def test_two_reviewers_at_once_exactly_one_wins(
    seeded: SqlEditorialStore, team: Team, first: str, second: str
) -> None:
    wf = Workflow(seeded)
    p = wf.propose(
        team.editor,
        ProposalKind.EDIT_DEFINITIONS,
        DEFINITION,
        concept_id="t1",
        base_version=1,
        reason="r",
        submit=True,
    )
    wf.take(team.clinical_reviewer, p.id)
    racing = MeetingStore(seeded.engine)
    MeetingStore.barrier.reset()
    outcomes: list[str] = []

    def decide(action: str, reviewer: object) -> None:
        try:
            args = ("no",) if action == "reject" else ()
            getattr(Workflow(racing), action)(reviewer, p.id, *args)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=decide, args=(first, team.clinical_reviewer)),
        threading.Thread(target=decide, args=(second, team.industry_reviewer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["conflict", "won"]
    assert len(seeded.reviews(p.id)) == 1
    decided = seeded.proposal(p.id).state
    assert seeded.head_concept("t1").version == (2 if decided is ProposalState.APPROVED else 1)
    decisions = [
        e
        for e in seeded.audit(subject=f"proposal:{p.id}")
        if e.action in ("proposal.approve", "proposal.reject")
    ]
    assert len(decisions) == 1


CHILD = """
import os
import sys
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow
from vocab.editorial.model import ProposalKind

store = SqlEditorialStore.open(sys.argv[1])
editor, reviewer = store.account(int(sys.argv[2])), store.account(int(sys.argv[3]))
wf = Workflow(store)
print("ready", flush=True)
n = 0
while True:
    n += 1
    cid = "t%d" % (n % 5 + 1)
    base = store.head_concept(cid).version
    text = {"definitions": [{"text": "Definition %d of process %d." % (n, os.getpid()), "lang": "en-GB"}]}
    p = wf.propose(editor, ProposalKind.EDIT_DEFINITIONS, text, concept_id=cid,
                   base_version=base, reason="load", submit=True)
    wf.take(reviewer, p.id)
    wf.approve(reviewer, p.id, "ok")
"""


def consistency_problems(engine: sa.Engine) -> list[str]:
    """Return every way the stored tables disagree with each other."""
    problems = []
    with engine.connect() as c:
        versions = {(r.concept_id, r.version): r for r in c.execute(sa.select(t.concept_versions))}
        for row in c.execute(sa.select(t.concepts)):
            latest = max(v for (cid, v) in versions if cid == row.id)
            if latest != row.version or versions[(row.id, latest)].doc != row.doc:
                problems.append(f"{row.id}: head version {row.version}, history ends at {latest}")
        proposals = {r.id: r for r in c.execute(sa.select(t.proposals))}
        reviews = [r.proposal_id for r in c.execute(sa.select(t.reviews))]
        audited = {(r.proposal_id, r.action) for r in c.execute(sa.select(t.audit_log))}
        for pid, p in proposals.items():
            decided = p.state in ("approved", "rejected")
            if reviews.count(pid) != (1 if decided else 0):
                problems.append(f"proposal {pid} is {p.state} with {reviews.count(pid)} reviews")
            decision = "proposal.approve" if p.state == "approved" else "proposal.reject"
            if decided and (pid, decision) not in audited:
                problems.append(f"proposal {pid} is {p.state} without its audit entry")
            applied = [k for k, v in versions.items() if v.proposal_id == pid]
            edits = json.loads(p.edits)
            if p.state == "approved" and len(applied) != len(edits):
                problems.append(
                    f"proposal {pid} approved but {len(applied)} of {len(edits)} edits applied"
                )
            if p.state != "approved" and applied:
                problems.append(f"proposal {pid} is {p.state} but changed the head")
            if p.state == "approved" and (pid, "concept.update") not in audited:
                problems.append(f"proposal {pid} applied without a concept audit entry")
    return problems


@pytest.mark.slow
def test_kill_9_during_proposals_and_reviews_leaves_the_store_consistent(
    seeded: SqlEditorialStore, team: Team
) -> None:
    url = str(seeded.engine.url.render_as_string(hide_password=False))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.3, 0.55, 0.8):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(team.editor.id), str(team.clinical_reviewer.id)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert child.stdout is not None
        ready = child.stdout.readline().strip()
        if ready == b"ready":
            time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        _, err = child.communicate(timeout=10)
        assert ready == b"ready", err.decode()
        assert child.returncode == -signal.SIGKILL, err.decode()

    reopened = SqlEditorialStore.open(url)
    assert consistency_problems(reopened.engine) == []
    assert len(reopened.proposals(states=[ProposalState.APPROVED])) > 0  # the children did work
    reopened.close()
