"""SSSOM mapping tables (TSV with a YAML metadata block) for alignments and for the
vocabulary's own mappings.

Conventions (checked by tests/test_sssom.py against the `sssom` package and our own
SSSOM-01..12 checks): the metadata block is `#`-prefixed YAML written with JSON-style
quoted strings only (no tags, anchors or aliases); every identifier is a CURIE whose
prefix is declared in `curie_map`; UTF-8 without BOM, LF line ends, canonical column
order, rows sorted; values holding a tab, newline or quote are double-quoted; `|` joins
multiple values. An identifier is written as a CURIE only when the declared prefix expands
it back to exactly the same IRI; an IRI whose last segment a CURIE cannot hold
(`%3Cscript%3E`) is written whole. Text cells are spreadsheet-safe as in our CSV (a cell
starting with `= + - @`, tab, CR or LF gets a leading `'`). A vendor term is a literal mapping (`subject_type: rdfs literal`,
`subject_label` only); a term with no good candidate is mapped to `sssom:NoTermFound`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import date

from loaders.csv_table import spreadsheet_safe
from vocab.align import Alignment, Candidate
from vocab.model import LabelKind, Snapshot

SSSOM_VERSION = "1.0"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
COLUMNS: tuple[str, ...] = (
    "subject_id",
    "subject_label",
    "subject_type",
    "subject_source",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "match_string",
    "object_match_field",
    "comment",
)
BUILTIN_PREFIXES = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
KNOWN_PREFIXES = {
    "radlex": "http://radlex.org/RID/",
    "wikidata": "http://www.wikidata.org/entity/",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "airt": "https://w3id.org/airt/ns#",
}
MATCH_FIELD = {
    LabelKind.PREF: "skos:prefLabel",
    LabelKind.ACRONYM: "skos:altLabel",
    LabelKind.ALT: "skos:altLabel",
    LabelKind.HIDDEN: "skos:hiddenLabel",
}
_PREFIX_NAME = re.compile(r"[^A-Za-z0-9_]")
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-~]*")
"""A local part every CURIE reader takes as it is: ASCII letters, digits, `_ . - ~`."""
TEXT_COLUMNS = ("subject_label", "object_label", "match_string", "comment")


class CurieMap:
    """Turns IRIs into CURIEs, declaring a prefix for every namespace it meets."""

    def __init__(self, vocab_namespace: str) -> None:
        self.prefixes: dict[str, str] = {"vocab": vocab_namespace, **KNOWN_PREFIXES}
        self.used: set[str] = {"vocab"}

    def curie(self, iri: str) -> str:
        """Return `prefix:local` when the prefix map expands it back to `iri` exactly, else `iri`."""
        for prefix, namespace in sorted(self.prefixes.items(), key=lambda p: -len(p[1])):
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL.fullmatch(local):
                self.used.add(prefix)
                return f"{prefix}:{local}"
        cut = max(iri.rfind("/"), iri.rfind("#"))
        namespace, local = iri[: cut + 1], iri[cut + 1 :]
        if cut < 0 or not _LOCAL.fullmatch(local) or "://" not in namespace:
            return self._whole(iri)  # no CURIE would name exactly this IRI
        prefix = (
            _PREFIX_NAME.sub("", namespace.split("//")[-1].split("/")[0].split(".")[-2:][0]) or "ns"
        )
        prefix = prefix if prefix[0].isalpha() or prefix[0] == "_" else "ns" + prefix
        while prefix in self.prefixes and self.prefixes[prefix] != namespace:
            prefix += "x"
        self.prefixes[prefix] = namespace
        self.used.add(prefix)
        return f"{prefix}:{local}"

    def _whole(self, iri: str) -> str:
        """Return `iri` as it is. A reader takes `urn:isbn:1` for a CURIE of prefix `urn`, so
        a scheme other than http(s) is declared as the prefix that expands to itself."""
        scheme = iri.split(":", 1)[0]
        plain = scheme not in ("http", "https") and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", scheme)
        if plain and self.prefixes.setdefault(scheme, f"{scheme}:") == f"{scheme}:":
            self.used.add(scheme)
        return iri

    def declared(self) -> dict[str, str]:
        """The prefixes used, plus the built-in ones (declared, since they must match anyway)."""
        return {p: self.prefixes[p] for p in sorted(self.used)} | BUILTIN_PREFIXES


def _split(iri: str) -> tuple[str, str]:
    cut = max(iri.rfind("/"), iri.rfind("#"))
    local = re.sub(r"[^\w.\-~]", "_", iri[cut + 1 :]) or "x"
    return iri[: cut + 1], local


def write_sssom(metadata: dict[str, object], rows: Iterable[dict[str, str]]) -> bytes:
    """Return an SSSOM/TSV file: the metadata block, the header, then the rows sorted."""
    lines = []
    for key, value in metadata.items():
        if isinstance(value, dict):
            lines.append(f"# {key}:")
            lines += [f"#   {k}: {json.dumps(v)}" for k, v in value.items()]
        else:
            lines.append(f"# {key}: {json.dumps(value, ensure_ascii=False)}")
    body = io.StringIO()
    writer = csv.writer(body, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: tuple(r.get(c, "") for c in COLUMNS)):
        writer.writerow(
            [
                spreadsheet_safe(row.get(c, "")) if c in TEXT_COLUMNS else row.get(c, "")
                for c in COLUMNS
            ]
        )
    return ("\n".join(lines) + "\n" + body.getvalue()).encode("utf-8")


def _metadata(
    mapping_set_id: str, title: str, curies: CurieMap, **extra: object
) -> dict[str, object]:
    return {
        "curie_map": curies.declared(),
        "mapping_set_id": mapping_set_id,
        "mapping_set_title": title,
        "license": LICENSE,
        "sssom_version": SSSOM_VERSION,
        "mapping_date": date.today().isoformat(),
        **extra,
    }


def _match_field(candidate: Candidate) -> str:
    """Return the field whose text matched: a label property, the definition, or none
    (a match by meaning compares vectors of labels and definitions together)."""
    if candidate.on_label:
        return MATCH_FIELD[candidate.row.kind]
    return "skos:definition" if candidate.reason == "definition" else ""


def alignment_sssom(alignments: list[Alignment], *, base: str, set_id: str) -> bytes:
    """Return the SSSOM table of an alignment: one row per candidate, NoTermFound for unmapped."""
    curies = CurieMap(f"{base.rstrip('/')}/terms/")
    rows = []
    for a in alignments:
        if a.status == "invalid":
            continue
        if a.status == "unmapped" or not a.candidates:
            rows.append(
                {
                    "subject_label": a.term,
                    "subject_type": "rdfs literal",
                    "predicate_id": "skos:exactMatch",
                    "object_id": "sssom:NoTermFound",
                    "mapping_justification": "semapv:LexicalMatching",
                    "confidence": "0.0",
                    "comment": f"row {a.row}: {a.status}. {a.note}".strip(),
                }
            )
            continue
        for c in a.candidates:
            rows.append(
                {
                    "subject_label": a.term,
                    "subject_type": "rdfs literal",
                    "predicate_id": f"skos:{c.predicate.value}",
                    "object_id": curies.curie(c.row.uri),
                    "object_label": c.row.pref_label,
                    "mapping_justification": c.justification,
                    "confidence": f"{c.confidence:.3f}",
                    "match_string": c.matched if c.on_label else "",
                    "object_match_field": _match_field(c),
                    "comment": f"row {a.row}: {a.status}; {c.reason}"
                    + (f"; used by {', '.join(c.usage)}" if c.usage else "")
                    + (f". {a.note}" if a.note else ""),
                }
            )
    return write_sssom(
        _metadata(
            set_id,
            "Alignment of a term list with the shared vocabulary",
            curies,
            mapping_tool="airt-vocab align",
        ),
        rows,
    )


def vocabulary_sssom(snapshot: Snapshot) -> bytes:
    """Return the vocabulary's own mappings: community synonyms (labels) and external matches."""
    scheme = snapshot.scheme
    namespace = _split(snapshot.concepts[0].uri)[0] if snapshot.concepts else _split(scheme.uri)[0]
    curies = CurieMap(namespace)
    rows = []
    for concept in snapshot.concepts:
        if not concept.is_active:
            continue
        subject = curies.curie(concept.uri)
        pref = concept.pref_label()
        for label in concept.labels:
            if label.kind is LabelKind.HIDDEN or not label.usage:
                continue
            for community in label.usage:
                curies.used.add("airt")
                rows.append(
                    {
                        "subject_label": label.text,
                        "subject_type": "rdfs literal",
                        "subject_source": f"airt:{community}",
                        "predicate_id": "skos:exactMatch",
                        "object_id": subject,
                        "object_label": pref,
                        "mapping_justification": "semapv:ManualMappingCuration",
                        "confidence": "1.0",
                        "object_match_field": MATCH_FIELD[label.kind],
                        "comment": f"{label.kind.value} label used by the {community} community",
                    }
                )
        for mapping in concept.mappings:
            rows.append(
                {
                    "subject_id": subject,
                    "subject_label": pref,
                    "predicate_id": f"skos:{mapping.kind.value}",
                    "object_id": curies.curie(mapping.target),
                    "mapping_justification": "semapv:ManualMappingCuration",
                    "confidence": "1.0",
                }
            )
    extra = {"mapping_set_version": scheme.version} if scheme.version else {}
    return write_sssom(
        _metadata(
            f"{_split(scheme.uri)[0]}export?format=sssom",
            f"Mappings of {scheme.title()}",
            curies,
            **extra,
        ),
        rows,
    )
