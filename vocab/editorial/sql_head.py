"""The editorial head in SQL: seeding, the current concepts and their versions, applying edits."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

import sqlalchemy as sa

from vocab.codec import collection_to_dict, concept_from_dict, concept_to_dict, scheme_to_dict
from vocab.diff import memberships
from vocab.editorial import schema as t
from vocab.editorial import sql_rows as rows
from vocab.editorial.codec import (
    dumps,
    stamp,
)
from vocab.editorial.errors import Conflict, StaleConcept
from vocab.editorial.model import (
    AuditEntry,
    ConceptEdit,
    HeadConcept,
)
from vocab.editorial.sql_base import SqlBase
from vocab.errors import NotFound, StoreError
from vocab.model import Concept, Snapshot

_NUMBERED_ID = re.compile(r"^t(\d+)$")
T = TypeVar("T")


class SqlHead(SqlBase):
    """The concepts, schemes and collections of the editorial head, versioned per concept.

    `head()` and `head_snapshot()` are kept per head generation (the number of concept
    versions: every change to the head adds one, in the same transaction), so a workflow
    step reads the whole head once, not once per call, and a change made by another
    process is seen at the next call.
    """

    _cache: dict[str, tuple[int, Any]]

    def _generation(self, c: sa.Connection) -> int:
        return int(
            c.execute(sa.select(sa.func.count()).select_from(t.concept_versions)).scalar_one()
        )

    def _cached(self, name: str, c: sa.Connection, build: Callable[[], T]) -> T:
        cache = self.__dict__.setdefault("_cache", {})
        generation = self._generation(c)
        found = cache.get(name)
        if found is not None and found[0] == generation:
            return cast(T, found[1])
        value = build()
        cache[name] = (generation, value)
        return value

    def is_seeded(self) -> bool:
        with self._read() as c:
            return (
                c.execute(sa.select(t.meta.c.value).where(t.meta.c.key == "base")).first()
                is not None
            )

    def seed(self, snapshot: Snapshot, base: str, audit: AuditEntry) -> None:
        at = stamp(audit.at)
        members = memberships(snapshot)
        with self._write() as c:
            if c.execute(sa.select(t.meta).where(t.meta.c.key == "base")).first():
                raise Conflict("The editorial store already holds a vocabulary; seed an empty one.")
            c.execute(sa.insert(t.meta).values(key="base", value=base))
            for s in snapshot.schemes:
                top = list(snapshot.top_concepts.get(s.uri, ()))
                c.execute(
                    sa.insert(t.schemes).values(
                        uri=s.uri, doc=dumps(scheme_to_dict(s)), top_concepts=dumps(top)
                    )
                )
            for col in snapshot.collections:
                doc = {k: v for k, v in collection_to_dict(col).items() if k != "members"}
                c.execute(sa.insert(t.collections).values(id=col.id, uri=col.uri, doc=dumps(doc)))
                if col.members:
                    c.execute(
                        sa.insert(t.collection_members),
                        [
                            {"collection_id": col.id, "member_uri": m, "position": i}
                            for i, m in enumerate(col.members)
                        ],
                    )
            if snapshot.concepts:
                docs = [(x, dumps(concept_to_dict(x))) for x in snapshot.concepts]
                c.execute(
                    sa.insert(t.concepts),
                    [{"id": x.id, "uri": x.uri, "version": 1, "doc": doc} for x, doc in docs],
                )
                c.execute(
                    sa.insert(t.concept_versions),
                    [
                        {
                            "concept_id": x.id,
                            "version": 1,
                            "doc": doc,
                            "created_at": at,
                            "collections": dumps(list(members.get(x.uri, ()))),
                            "proposal_id": None,
                        }
                        for x, doc in docs
                    ],
                )
            numbers = [
                int(m.group(1)) for x in snapshot.concepts if (m := _NUMBERED_ID.match(x.id))
            ]
            c.execute(
                sa.update(t.counters)
                .where(t.counters.c.name == "concept")
                .values(value=max(numbers, default=0))
            )
            self._audit(c, audit)

    def base(self) -> str:
        with self._read() as c:
            value = c.execute(sa.select(t.meta.c.value).where(t.meta.c.key == "base")).scalar()
        if value is None:
            raise StoreError("The editorial store is empty; run `vocab editorial init` first.")
        return str(value)

    def _collections_of(
        self, c: sa.Connection, uri: str | None = None
    ) -> dict[str, tuple[str, ...]]:
        query = sa.select(t.collection_members.c.member_uri, t.collection_members.c.collection_id)
        if uri is not None:
            query = query.where(t.collection_members.c.member_uri == uri)
        found: dict[str, list[str]] = {}
        for member, collection in c.execute(query):
            found.setdefault(member, []).append(collection)
        return {k: tuple(sorted(v)) for k, v in found.items()}

    def head(self) -> list[HeadConcept]:
        with self._read() as c:

            def build() -> tuple[HeadConcept, ...]:
                members = self._collections_of(c)
                return tuple(
                    HeadConcept(concept, version, members.get(uri, ()))
                    for uri, version, concept in self._head_rows(c)
                )

            return list(self._cached("head", c, build))

    def _head_rows(self, c: sa.Connection) -> list[tuple[str, int, Concept]]:
        """Every concept of the head (uri, version, concept), by id. A document decoded for
        the previous read of the head is not decoded again: a change of the head rewrites a
        few concepts, and decoding all of them was most of a workflow step's time."""
        known: dict[str, Concept] = self.__dict__.get("_decoded", {})
        decoded: dict[str, Concept] = {}
        found = []
        for r in c.execute(sa.select(t.concepts).order_by(t.concepts.c.id)):
            concept = known.get(r.doc) or decoded.get(r.doc)
            if concept is None:
                concept = concept_from_dict(json.loads(r.doc))
            decoded[r.doc] = concept
            found.append((r.uri, r.version, concept))
        self.__dict__["_decoded"] = decoded  # only this head's documents are kept
        return found

    def head_concept(self, concept_id: str) -> HeadConcept:
        with self._read() as c:
            row = c.execute(sa.select(t.concepts).where(t.concepts.c.id == concept_id)).first()
            if row is None:
                raise NotFound(f"No concept '{concept_id}' in the editorial head.")
            return rows.head_concept(row, self._collections_of(c, row.uri).get(row.uri, ()))

    def concept_version(self, concept_id: str, version: int) -> HeadConcept:
        v = t.concept_versions.c
        with self._read() as c:
            row = c.execute(
                sa.select(t.concept_versions).where(
                    v.concept_id == concept_id, v.version == version
                )
            ).first()
        if row is None:
            raise NotFound(f"Concept '{concept_id}' has no version {version}.")
        return rows.head_concept(row, tuple(json.loads(row.collections)))

    def head_snapshot(self) -> Snapshot:
        with self._read() as c:
            return self._cached("snapshot", c, lambda: self._snapshot(c))

    def _snapshot(self, c: sa.Connection) -> Snapshot:
        schemes = [
            rows.scheme(r) for r in c.execute(sa.select(t.schemes).order_by(t.schemes.c.uri))
        ]
        m = t.collection_members.c
        members: dict[str, list[str]] = {}
        for r in c.execute(
            sa.select(m.collection_id, m.member_uri).order_by(m.position, m.member_uri)
        ):
            members.setdefault(r.collection_id, []).append(r.member_uri)
        collections = tuple(
            rows.collection(r, tuple(members.get(r.id, ())))
            for r in c.execute(sa.select(t.collections).order_by(t.collections.c.id))
        )
        concepts = tuple(concept for _, _, concept in self._head_rows(c))
        return Snapshot(
            tuple(s for s, _ in schemes), concepts, collections, {s.uri: top for s, top in schemes}
        )

    def allocate_concept_id(self) -> str:
        with self._write() as c:
            while True:
                c.execute(
                    sa.update(t.counters)
                    .where(t.counters.c.name == "concept")
                    .values(value=t.counters.c.value + 1)
                )
                n = c.execute(
                    sa.select(t.counters.c.value).where(t.counters.c.name == "concept")
                ).scalar_one()
                concept_id = f"t{n:04d}"
                if not c.execute(
                    sa.select(t.concepts.c.id).where(t.concepts.c.id == concept_id)
                ).first():
                    return concept_id

    def _apply(self, c: sa.Connection, edit: ConceptEdit, proposal_id: int, at: datetime) -> None:
        k = t.concepts.c
        doc = dumps(concept_to_dict(edit.after))
        found = c.execute(sa.select(k.version).where(k.id == edit.concept_id)).scalar()
        if edit.base_version is None:
            if found is not None:
                raise StaleConcept(edit.concept_id, None, found)
            c.execute(
                sa.insert(t.concepts).values(
                    id=edit.concept_id, uri=edit.after.uri, version=1, doc=doc
                )
            )
            version = 1
        else:
            version = edit.base_version + 1
            done = c.execute(
                sa.update(t.concepts)
                .where(k.id == edit.concept_id, k.version == edit.base_version)
                .values(version=version, doc=doc, uri=edit.after.uri)
            )
            if done.rowcount != 1:
                raise StaleConcept(edit.concept_id, edit.base_version, found)
        c.execute(
            sa.insert(t.concept_versions).values(
                concept_id=edit.concept_id,
                version=version,
                doc=doc,
                created_at=stamp(at),
                collections=dumps(sorted(edit.collections_after)),
                proposal_id=proposal_id,
            )
        )
        m = t.collection_members.c
        current = set(self._collections_of(c, edit.after.uri).get(edit.after.uri, ()))
        wanted = set(edit.collections_after)
        for gone in sorted(current - wanted):
            c.execute(
                sa.delete(t.collection_members).where(
                    m.collection_id == gone, m.member_uri == edit.after.uri
                )
            )
        for added in sorted(wanted - current):
            last = c.execute(
                sa.select(sa.func.max(m.position)).where(m.collection_id == added)
            ).scalar()
            c.execute(
                sa.insert(t.collection_members).values(
                    collection_id=added, member_uri=edit.after.uri, position=(last or 0) + 1
                )
            )
