"""The snapshot's `vector_lists` table: the inverted file over the sign codes
(`vocab.vector_lists`), written only for a store of more than `APPROXIMATE_ABOVE` concepts.

- `vector_lists`: one row per list: its centroid (float32) and its concept rows (int32,
  0-based, ascending); the meta entry `vector_lists` records how many.

A smaller store has neither (its semantic stage scans every code, exactly), so its rows
and their digests are those of a store built before the lists existed.

To add the lists to a store built without them (one-off, in place):
`python -m bench.add_vector_lists bench/out/db/1M.db`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import numpy as np

from vocab.vector_lists import APPROXIMATE_ABOVE, VectorLists, build_lists

LISTS_SCHEMA = (
    "CREATE TABLE vector_lists (list INTEGER PRIMARY KEY, centroid BLOB NOT NULL, "
    "members BLOB NOT NULL, codes BLOB NOT NULL)"
)


def write_vector_lists(
    conn: sqlite3.Connection, embedding_meta: dict[str, str], above: int = APPROXIMATE_ABOVE
) -> dict[str, str]:
    """Cluster the stored sign codes into lists and store them, if the store has more than
    `above` concepts with codes; return the meta entries to record (none for a smaller
    store, which gets no table)."""
    # counted first: a store too small for lists (most builds) reads no code back
    if "embedding_model" not in embedding_meta:
        return {}
    if conn.execute("SELECT count(*) FROM vectors").fetchone()[0] <= above:
        return {}
    # imported here: vocab.store.sqlite_meaning imports this module to read the lists
    from vocab.store.sqlite_meaning import read_vector_index

    index = read_vector_index(conn, embedding_meta)
    assert index is not None  # the store has an embedding model, so it has codes
    centroids, members, held = build_lists(index.codes, len(index.parts))
    conn.execute(LISTS_SCHEMA)
    conn.executemany(
        "INSERT INTO vector_lists VALUES (?, ?, ?, ?)",
        (
            (i, c.astype(np.float32).tobytes(), rows.astype(np.int32).tobytes(), h.tobytes())
            for i, (c, rows, h) in enumerate(zip(centroids, members, held, strict=True))
        ),
    )
    return {"vector_lists": str(len(members))}


def read_vector_lists(conn: sqlite3.Connection, meta: dict[str, str]) -> VectorLists | None:
    """Return the store's lists, or None if it has none (a small store: exact scan)."""
    if "vector_lists" not in meta or "embedding_dim" not in meta:
        return None
    rows = conn.execute("SELECT centroid, members, codes FROM vector_lists ORDER BY list")
    dim = int(meta["embedding_dim"])
    centroids: list[bytes] = []
    members: list[np.ndarray[Any, Any]] = []
    codes: list[np.ndarray[Any, Any]] = []
    for centroid, rows_of, codes_of in rows:
        centroids.append(centroid)
        members.append(np.frombuffer(rows_of, dtype=np.int32))
        codes.append(np.frombuffer(codes_of, dtype=np.uint64).reshape(-1, dim // 64))
    held = np.frombuffer(b"".join(centroids), dtype=np.float32).reshape(-1, dim)
    coded = int(max((int(m.max()) for m in members if len(m)), default=-1)) + 1
    return VectorLists(held, members, codes, coded)


def add_vector_lists(conn: sqlite3.Connection, above: int = APPROXIMATE_ABOVE) -> dict[str, str]:
    """(Re)write the lists of a built store in place, in one transaction, and record
    them in its meta table; return the meta entries added (none for a small store)."""
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    with conn:
        conn.execute("DROP TABLE IF EXISTS vector_lists")
        conn.execute("DELETE FROM meta WHERE key = 'vector_lists'")
        added = write_vector_lists(conn, meta, above)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", added.items())
    return added
