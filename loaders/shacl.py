"""The SHACL shapes of `ontology/shapes.ttl`, run with pySHACL over a snapshot's export graph."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from loaders.skos import ONTOLOGY_DIR, snapshot_graph
from vocab.model import Snapshot
from vocab.problems import Problem, Severity

SHAPES = ONTOLOGY_DIR / "shapes.ttl"


def shacl_problems(snapshot: Snapshot) -> list[Problem]:
    """Return one error per SHACL violation of the snapshot's export graph."""
    from pyshacl import validate  # imported here: heavy, and only `vocab validate` needs it

    shapes = Graph().parse(data=SHAPES.read_bytes(), format="turtle")
    conforms, results, _ = validate(
        snapshot_graph(snapshot), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if conforms:
        return []
    return list(_violations(results))


def _violations(results: Graph) -> Iterator[Problem]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = f" ({path.n3(results.namespace_manager)})" if isinstance(path, URIRef) else ""
        yield Problem("shacl", Severity.ERROR, str(focus), f"{message}{where}")
