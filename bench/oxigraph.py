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
    + " } ?concept ?property ?label }"
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


def label_matcher(store: Path, lang: str) -> Callable[[str], list[tuple[str, str]]]:
    """Return a function answering (concept IRI, label property) for a label's exact text in
    `lang`, through the store's indexes (the label bound as a literal, as an index key)."""
    db = ox.Store.read_only(str(store))

    def match(text: str) -> list[tuple[str, str]]:
        label = ox.Literal(text, language=lang) if lang else ox.Literal(text)
        rows = db.query(LABEL_QUERY, substitutions={ox.Variable("label"): label})
        assert isinstance(rows, ox.QuerySolutions)
        return [(row["concept"].value, row["property"].value) for row in rows]

    return match


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
