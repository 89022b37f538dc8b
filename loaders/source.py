"""The curated source: Turtle under `ontology/`, with IRIs relative to the service's base.

The source says `<terms/t0019>` and `<scheme>`; reading it against the configured base URI
gives `{base}/terms/t0019`, so one source serves any deployment. It must be clean: any
integrity error is refused with the evidence, where an import would repair and report.
"""

from __future__ import annotations

from pathlib import Path

from loaders.rdf_input import parse_triples
from loaders.skos_read import ReadResult, read_triples
from vocab.build import source_files
from vocab.errors import IntegrityError, ParseError


def read_source(source: Path, *, base: str) -> ReadResult:
    """Return the Snapshot of the curated source; raise ParseError or IntegrityError."""
    files = source_files(source)
    if not files:
        raise ParseError(f"No Turtle source at {source}; pass --source or set VOCAB_SOURCE.")
    triples = []
    for path in files:
        try:
            triples += parse_triples(path.read_bytes(), "ttl", base=base.rstrip("/") + "/")
        except ParseError as exc:
            raise ParseError(f"{path.name}: {exc.message}") from None
    result = read_triples(triples, base=base, source_name=files[0].stem)
    errors = [i for i in result.issues if i.severity == "error"]
    if errors:
        evidence = "\n".join(f"  {i.subject}: {i.reason}" for i in errors[:20])
        raise IntegrityError(f"The source breaks SKOS integrity conditions:\n{evidence}")
    return result
