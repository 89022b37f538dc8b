"""The editorial workflow: propose, submit, review, decide, comment, file an edited source.

Each public method takes the acting `Account` (None for an anonymous reader), checks the
rules of `rules.py`, and makes one store call that happens whole or not at all. A
proposal names the version each concept started from; if a concept moved on meanwhile,
the call raises Conflict whose message and `details` say what changed (the diff). Every
proposal runs the quality gate on the snapshot it would produce and keeps the findings it
adds; errors among them block approval.

>>> wf = Workflow(SqlEditorialStore.open("/tmp/doctest.db"))  # doctest: +SKIP
>>> p = wf.propose(editor, ProposalKind.EDIT_DEFINITIONS, {"definitions": [...]},
...                concept_id="t0133", base_version=1, reason="clearer", submit=True)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from vocab.editorial import payload
from vocab.editorial.changes import proposals_from_snapshots, renumber, with_inverses
from vocab.editorial.checks import check_confusables, check_text
from vocab.editorial.codec import dumps
from vocab.editorial.errors import Forbidden
from vocab.editorial.model import (
    NEW,
    Account,
    Comment,
    ConceptEdit,
    HeadConcept,
    Proposal,
    ProposalKind,
    ProposalState,
    Release,
)
from vocab.editorial.review import Reviewing
from vocab.editorial.rules import (
    KIND_ACTION,
    Action,
    require,
    signed_in,
)
from vocab.errors import InvalidInput, NotFound
from vocab.model import Concept, Snapshot

S = ProposalState


class Workflow(Reviewing):
    """Proposals and reviews over an `EditorialStore` (see the module docstring)."""

    # --- reading --------------------------------------------------------------------

    def proposal(self, actor: Account | None, proposal_id: int) -> Proposal:
        """Return a proposal; drafts only to their author (Forbidden to anyone else)."""
        found = self.store.proposal(proposal_id)
        if found.state is S.DRAFT and (actor is None or actor.id != found.author_id):
            raise Forbidden(f"Proposal {proposal_id} is a draft; only its author sees it.")
        return found

    def queue(
        self,
        actor: Account | None,
        *,
        states: Sequence[ProposalState] = (S.SUBMITTED, S.IN_REVIEW),
        concept_id: str | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> list[Proposal]:
        """Return proposals in `states` (drafts only the actor's own), at most `limit` (<= 200)."""
        found = self.store.proposals(
            states=states, concept_id=concept_id, after_id=after_id, limit=max(1, min(limit, 200))
        )
        return [p for p in found if p.state is not S.DRAFT or (actor and actor.id == p.author_id)]

    def comments(self, actor: Account | None, proposal_id: int) -> list[Comment]:
        """Return a visible proposal's comments, oldest first."""
        self.proposal(actor, proposal_id)
        return self.store.comments(proposal_id)

    # --- proposing ----------------------------------------------------------------------

    def _resolver(self, head: Mapping[str, HeadConcept], base: str) -> payload.Resolve:
        by_id = {hc.concept.id: uri for uri, hc in head.items()}

        def resolve(ref: str) -> str:
            uri = by_id.get(ref) or (ref if ref in head else None)
            if uri is None:
                raise InvalidInput(
                    f"No concept '{ref[:80]}' in the vocabulary; give an id such as t0133."
                )
            return uri

        return resolve

    def propose(
        self,
        actor: Account | None,
        kind: ProposalKind,
        fields: Any,
        *,
        concept_id: str | None = None,
        base_version: int | None = None,
        title: str = "",
        reason: str,
        submit: bool = False,
    ) -> Proposal:
        """Return a new draft proposal (submitted if `submit`); raise Unauthorised, Forbidden,
        InvalidInput, NotFound or Conflict (stale base, look-alike label)."""
        author = require(actor, KIND_ACTION[kind])
        reason = check_text(reason, "The reason")
        head = {hc.concept.uri: hc for hc in self.store.head()}
        base = self.store.base()
        parsed = payload.read_fields(kind, fields, resolve=self._resolver(head, base))
        known = {c.id for c in self.store.head_snapshot().collections}
        unknown = set(parsed.get("collections", ())) - known
        if unknown:
            raise InvalidInput(
                f"Unknown collections {sorted(unknown)}; use some of: {', '.join(sorted(known))}."
            )
        if kind is ProposalKind.ADD_CONCEPT:
            if concept_id is not None or base_version is not None:
                raise InvalidInput(
                    "A new concept's id is given by the service; send no id or version."
                )
            new_id = self.store.allocate_concept_id()
            scheme = [s.uri for s in self.store.head_snapshot().schemes][:1]
            blank = Concept(new_id, f"{base}/terms/{new_id}", in_schemes=tuple(scheme))
            edit = ConceptEdit(
                new_id,
                None,
                None,
                payload.apply_fields(blank, kind, parsed),
                (),
                tuple(sorted(parsed.get("collections", ()))),
            )
        else:
            current = next((hc for hc in head.values() if hc.concept.id == concept_id), None)
            if current is None:
                raise NotFound(f"No concept '{str(concept_id)[:80]}' in the vocabulary.")
            if not isinstance(base_version, int) or isinstance(base_version, bool):
                raise InvalidInput(
                    f"Name the version of {concept_id} you started from (base_version); it is {current.version} now."
                )
            if base_version != current.version:
                raise self._stale(current.concept.id, base_version, current)
            after = payload.apply_fields(current.concept, kind, parsed)
            collections = tuple(sorted(parsed.get("collections", current.collections)))
            edit = ConceptEdit(
                current.concept.id,
                current.version,
                current.concept,
                after,
                current.collections,
                collections,
            )
        edits = with_inverses([edit], head)
        if not edits:
            raise InvalidInput("The proposal changes nothing.")
        return self._file(author, kind, edits, title, reason, "api", submit)

    def _file(
        self,
        author: Account,
        kind: ProposalKind,
        edits: Sequence[ConceptEdit],
        title: str,
        reason: str,
        origin: str,
        submit: bool,
    ) -> Proposal:
        head_snapshot = self.store.head_snapshot()
        edited = {e.concept_id for e in edits}
        others = [c for c in head_snapshot.concepts if c.id not in edited] + [
            e.after for e in edits
        ]
        check_confusables(((e.before, e.after) for e in edits), others)
        now = self.clock()
        title = (
            check_text(title, "The title", max_length=200)
            if title.strip()
            else (f"{kind.value.replace('_', ' ')}: {edits[0].after.pref_label()}")
        )
        draft = Proposal(
            NEW,
            kind,
            S.DRAFT,
            author.id,
            title,
            reason,
            tuple(edits),
            now,
            now,
            self._gate(head_snapshot, edits),
            origin,
        )
        stored = self.store.add_proposal(
            draft,
            self._entry(
                author,
                "proposal.create",
                "proposal",
                reason=reason,
                after={"kind": kind.value, "concepts": list(draft.concept_ids)},
            ),
        )
        return self.submit(author, stored.id) if submit else stored

    def file_source(
        self, actor: Account | None, edited: Snapshot, *, reason: str, submit: bool = True
    ) -> list[Proposal]:
        """Return the proposals that turn the head into `edited` (an edited Turtle source),
        one per group of related changes, new concepts renumbered; raise as `propose` does."""
        author = signed_in(actor)
        reason = check_text(reason, "The reason")
        head = {hc.concept.uri: hc for hc in self.store.head()}
        versions = {hc.concept.id: hc.version for hc in head.values()}
        drafts = proposals_from_snapshots(self.store.head_snapshot(), edited, versions)
        for draft in drafts:
            require(
                author,
                Action.PROPOSE_RETIREMENT
                if any(e.before and e.before.status is not e.after.status for e in draft.edits)
                else Action.PROPOSE,
            )
        new_ids = {e.concept_id: "" for d in drafts for e in d.edits if e.before is None}
        new_ids = {old: self.store.allocate_concept_id() for old in new_ids}
        base = self.store.base()
        return [
            self._file(
                author, d.kind, renumber(d.edits, new_ids, base), d.title, reason, "turtle", submit
            )
            for d in drafts
        ]

    def comment(self, actor: Account | None, proposal_id: int, text: str) -> Comment:
        """Return a new comment on a proposal the actor can see."""
        author = require(actor, Action.COMMENT)
        self.proposal(author, proposal_id)
        text = check_text(text, "A comment")
        return self.store.add_comment(Comment(NEW, proposal_id, author.id, text, self.clock()))

    # --- releases and the audit log ---------------------------------------------------

    def record_release(self, actor: Account | None, version: str, note: str = "") -> Release:
        """Return a new release of the current head (release managers only); Conflict if it exists."""
        manager = require(actor, Action.RELEASE)
        version = check_text(version, "The version", max_length=50)
        release = Release(version, self.clock(), manager.id, note.strip())
        entry = self._entry(manager, "release", f"release:{version}", reason=release.note)
        return self.store.add_release(release, self.store.head_snapshot(), entry)

    def export_audit(self, out: TextIO, *, after_seq: int = 0, page: int = 500) -> int:
        """Write the audit log as JSON Lines (oldest first) and return how many entries."""
        count = 0
        while entries := self.store.audit(after_seq=after_seq, limit=page):
            for entry in entries:
                out.write(dumps(entry.to_json()) + "\n")
            count += len(entries)
            after_seq = entries[-1].seq
        return count
