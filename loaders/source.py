"""The curated source: Turtle under `ontology/`, with IRIs relative to the service's base.

The source says `<terms/t0019>` and `<scheme>`; reading it against the configured base URI
gives `{base}/terms/t0019`, so one source serves any deployment. It must be clean: any
integrity error is refused with the evidence, where an import would repair and report.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rdflib.namespace import SKOS

from loaders.rdf_input import Triple, parse_triples
from loaders.skos_read import Issue, ReadResult, read_triples
from vocab import quality
from vocab.build import source_files
from vocab.errors import IntegrityError, ParseError
from vocab.quality import Finding

# Terms of the SKOS namespace (the 2009 Recommendation), from rdflib's closed namespace.
SKOS_TERMS = frozenset(str(SKOS[name]) for name in SKOS.__annotations__)


def read_source(source: Path, *, base: str, strict: bool = True) -> ReadResult:
    """Return the Snapshot of the curated source; raise ParseError, or IntegrityError if `strict`."""
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
    result = ReadResult(result.snapshot, result.issues + tuple(undefined_skos_terms(triples)))
    errors = [i for i in result.issues if i.severity == "error"]
    if strict and errors:
        evidence = "\n".join(f"  {i.subject}: {i.reason}" for i in errors[:20])
        raise IntegrityError(f"The source breaks SKOS integrity conditions:\n{evidence}")
    return result


def undefined_skos_terms(triples: list[Triple]) -> list[Issue]:
    """Return an error for each IRI in the SKOS namespace that SKOS does not define (qSKOS usr)."""
    namespace = str(SKOS)
    found = []
    for s, p, o in triples:
        for term in (p, o):
            if isinstance(term, str) and term.startswith(namespace) and term not in SKOS_TERMS:
                found.append(
                    Issue(
                        "error",
                        s,
                        f"<{term}> is not a SKOS term (a typo, or a deprecated SKOS Core term).",
                    )
                )
    return found


def validate_source(
    source: Path, *, base: str, shapes: bool = True, part: bool = False
) -> tuple[ReadResult, list[Finding]]:
    """Return the source and every finding: reading repairs, quality checks and SHACL shapes.

    When `part` is set (one file of the source folder checked alone), links into the other
    files are warnings and the shapes, which need the whole vocabulary, are skipped.
    """
    result = read_source(source, base=base, strict=False)
    findings = [Finding("read", i.severity, i.subject, i.reason) for i in result.issues]
    findings += quality.check(result.snapshot).findings
    if part:
        findings = [replace(f, severity="warning") if f.check == "link" else f for f in findings]
    elif shapes:
        from loaders.shacl import shacl_findings

        findings += shacl_findings(result.snapshot)
    return result, findings


def concept_homes(source: Path, *, base: str) -> dict[str, str]:
    """Return which file (stem) of the source folder each concept is written in."""
    concept_type = str(SKOS.Concept)
    homes: dict[str, str] = {}
    for path in source_files(source):
        for s, p, o in parse_triples(path.read_bytes(), "ttl", base=base.rstrip("/") + "/"):
            if o == concept_type and p.endswith("#type"):
                homes.setdefault(s, path.stem)
    return homes
