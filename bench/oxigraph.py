"""The peer: Oxigraph (pyoxigraph, already a dependency) over the same Turtle files.

    python -m bench.oxigraph load --source bench/out/vocab-100k --store bench/out/oxigraph/100k

`load` bulk-loads every Turtle file of a source (a folder or one file) into a new on-disk
Oxigraph store, with the same base IRI as `vocab build`: what `bench.build` times beside
our build. `label_matcher` answers an exact label with Oxigraph's own indexes, as a
SPARQL query over the four label properties: what `bench.lookup_vs_oxigraph` times beside
our lookup.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from vocab.source import source_files

BASE_URI = "http://127.0.0.1:8000"
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://w3id.org/airt/ns#acronym",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
)
LABEL_QUERY = (
    "SELECT ?concept ?property WHERE { VALUES ?property { "
    + " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    + " } ?concept ?property %s }"
)


def load(source: Path, store: Path, base: str = BASE_URI) -> int:
    """Bulk-load the Turtle files of `source` into a new store at `store`; return its size."""
    shutil.rmtree(store, ignore_errors=True)
    store.parent.mkdir(parents=True, exist_ok=True)
    db = ox.Store(str(store))
    for path in source_files(source):
        db.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base.rstrip("/") + "/")
    db.flush()
    return len(db)


Matcher = Callable[[str, str], list[tuple[str, str]]]


def label_matchers(store: Path) -> dict[str, Matcher]:
    """Return two functions answering (concept IRI, label property) for a label's exact text
    and language through the store's object index: `sparql`, a SPARQL query with the literal
    written in it (what a client sends), and `pattern`, the bare index scan."""
    db = ox.Store.read_only(str(store))
    properties = frozenset(LABEL_PROPERTIES)

    def literal(text: str, lang: str) -> ox.Literal:
        return ox.Literal(text, language=lang) if lang else ox.Literal(text)

    def sparql(text: str, lang: str) -> list[tuple[str, str]]:
        rows = db.query(LABEL_QUERY % literal(text, lang))
        assert isinstance(rows, ox.QuerySolutions)
        return [(row["concept"].value, row["property"].value) for row in rows]

    def pattern(text: str, lang: str) -> list[tuple[str, str]]:
        quads = db.quads_for_pattern(None, None, literal(text, lang))
        return [
            (q.subject.value, q.predicate.value) for q in quads if q.predicate.value in properties
        ]

    return {"sparql": sparql, "pattern": pattern}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["load"])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--base-uri", default=BASE_URI)
    args = parser.parse_args()
    print(f"{load(args.source, args.store, args.base_uri)} triples in {args.store}")


if __name__ == "__main__":
    main()
