"""SSSOM exports and alignment tables: valid for the `sssom` package and for our own checks
of what it lets through (standards-checklist.md, SSSOM-01..12)."""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

CURIE = re.compile(r"^[A-Za-z_][\w.-]*:\S+$")
JUSTIFICATIONS = {
    "semapv:LexicalMatching",
    "semapv:LexicalSimilarityThresholdMatching",
    "semapv:ManualMappingCuration",
    "semapv:SemanticSimilarityThresholdMatching",
}
TERMS = "Auto-segmentation\nrecall\nvalidation\nprecision\nDark mode\nCT\nLung nodule CADe\nsaliency maps\n"


@pytest.fixture(scope="module")
def export(client: TestClient) -> bytes:
    return client.get("/export?format=sssom").content


@pytest.fixture(scope="module")
def aligned(client: TestClient) -> bytes:
    response = client.post(
        "/align?format=sssom", content=TERMS, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 200
    return response.content


def split(data: bytes) -> tuple[dict[str, object], list[dict[str, str]]]:
    text = data.decode("utf-8")
    lines = text.split("\n")
    meta = [line for line in lines if line.startswith("#")]
    body = lines[len(meta) :]
    metadata = yaml.safe_load("\n".join(line[2:] for line in meta))
    rows = list(csv.DictReader(io.StringIO("\n".join(body)), delimiter="\t"))
    return metadata, rows


@pytest.fixture(params=["export", "aligned"])
def table(request: pytest.FixtureRequest) -> bytes:
    data: bytes = request.getfixturevalue(request.param)
    return data


def test_the_sssom_package_validates_the_table(table: bytes, tmp_path: Path) -> None:
    path = tmp_path / "mappings.sssom.tsv"
    path.write_bytes(table)
    with warnings.catch_warnings():  # sssom 0.4.21 and its pandas use emit deprecation noise
        warnings.simplefilter("ignore")
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate

        mapping_set = parse_sssom_table(path)
        validate(mapping_set, fail_on_error=True)
    assert len(mapping_set.df) > 0


def test_metadata_block_is_yaml_and_the_header_follows_at_once(table: bytes) -> None:
    lines = table.decode().split("\n")
    first_row = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert all(line.startswith("# ") for line in lines[:first_row])
    assert lines[first_row].startswith("subject_id\t")
    assert "" not in lines[:-1]


def test_no_yaml_directives_tags_anchors_or_aliases(table: bytes) -> None:
    meta = "\n".join(line for line in table.decode().split("\n") if line.startswith("#"))
    assert not re.search(r"^#\s*%|![A-Za-z]|[&*][A-Za-z]", meta, re.M)


def test_set_id_and_licence_are_http_uris(table: bytes) -> None:
    metadata, _ = split(table)
    assert str(metadata["mapping_set_id"]).startswith(("http://", "https://"))
    assert str(metadata["license"]).startswith("https://")


def test_every_row_has_the_required_slots_and_curie_identifiers(table: bytes) -> None:
    metadata, rows = split(table)
    prefixes = set(metadata["curie_map"])  # type: ignore[arg-type]
    slots = ("predicate_id", "object_id", "mapping_justification")
    bad_curies = [
        (slot, row[slot])
        for row in rows
        for slot in slots
        if not CURIE.match(row[slot])
        or row[slot].startswith("http")
        or row[slot].split(":")[0] not in prefixes
    ]
    assert bad_curies == []
    unnamed = [
        row
        for row in rows
        if not (
            row["subject_id"] or (row["subject_type"] == "rdfs literal" and row["subject_label"])
        )
    ]
    assert unnamed == []
    assert {row["mapping_justification"] for row in rows} <= set(JUSTIFICATIONS)
    assert all(0.0 <= float(row["confidence"] or 1) <= 1.0 for row in rows)


def test_encoding_is_utf8_without_bom_with_lf_line_ends(table: bytes) -> None:
    assert not table.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in table


def test_rows_are_in_canonical_order(table: bytes) -> None:
    from loaders.sssom import COLUMNS

    _, rows = split(table)
    keys = [tuple(row[c] for c in COLUMNS) for row in rows]
    assert keys == sorted(keys)


def test_vocabulary_mappings_carry_community_synonyms_and_external_matches(export: bytes) -> None:
    _, rows = split(export)
    recall = [r for r in rows if r["subject_label"] == "recall"]
    assert {r["subject_source"] for r in recall} >= {"airt:industry"}
    assert all(r["object_label"] == "sensitivity" for r in recall)
    assert any(r["object_id"].startswith("radlex:RID") for r in rows)


def test_alignment_marks_unmapped_terms_no_term_found(aligned: bytes) -> None:
    _, rows = split(aligned)
    dark = [r for r in rows if r["subject_label"] == "Dark mode"]
    assert [r["object_id"] for r in dark] == ["sssom:NoTermFound"]


def test_values_with_tabs_quotes_and_newlines_are_quoted() -> None:
    from loaders.sssom import write_sssom

    data = write_sssom(
        {"mapping_set_id": "http://x", "license": "https://y"},
        [{"subject_label": 'a "quoted"\tterm\nwith a newline', "predicate_id": "skos:exactMatch"}],
    )
    _, rows = split(data)
    assert rows[0]["subject_label"] == 'a "quoted"\tterm\nwith a newline'


def test_the_sssom_gate_can_fail_on_an_undeclared_prefix(export: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_bytes(export.replace(b"vocab:t0133", b"UNDECLARED:t0133"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate

        with pytest.raises(Exception, match="validation error"):
            validate(parse_sssom_table(path), fail_on_error=True)


# --- identifiers kept exactly, cells safe in a spreadsheet (issue 14) -----------------------

HOSTILE = """
@prefix airt: <https://w3id.org/airt/ns#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<scheme> a skos:ConceptScheme ; dct:title "Hostile"@en-GB .
<terms/t0001> a skos:Concept ; skos:inScheme <scheme> ;
    skos:prefLabel "contour"@en-GB ;
    airt:industryLabel "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"@en-GB, "contour"@en-GB ;
    skos:altLabel "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"@en-GB ;
    skos:definition "An outline."@en-GB ; dct:source <https://example.org/src> ;
    skos:exactMatch <https://example.org/%3Cscript%3E>, <https://example.org/ok_id>,
        <urn:isbn:0451450523>, <https://example.org/a#b%20c> .
"""


def hostile_table() -> bytes:
    from loaders import READERS
    from loaders.rdf_input import DEFAULT_LIMITS
    from loaders.sssom import vocabulary_sssom

    result = READERS["ttl"](HOSTILE.encode(), "https://example.com/", "h.ttl", DEFAULT_LIMITS)
    return vocabulary_sssom(result.snapshot)


def test_identifiers_survive_a_round_trip_through_the_sssom_package(tmp_path: Path) -> None:
    """A CURIE only where the prefix map expands it back to the same IRI; else the full IRI
    (`https://example.org/%3Cscript%3E` is not rewritten to `example:_3Cscript_3E`)."""
    path = tmp_path / "hostile.sssom.tsv"
    path.write_bytes(hostile_table())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate

        mapping_set = parse_sssom_table(path)
        validate(mapping_set, fail_on_error=True)
    converter = mapping_set.converter
    objects = {
        converter.expand(o) or o for o in mapping_set.df["object_id"] if o != "sssom:NoTermFound"
    }
    assert objects >= {
        "https://example.org/%3Cscript%3E",
        "https://example.org/ok_id",
        "urn:isbn:0451450523",
        "https://example.org/a#b%20c",
        "https://example.com/terms/t0001",
    }
    assert not any("_3C" in o or "_20c" in o for o in mapping_set.df["object_id"])


def test_formula_leading_labels_are_neutralised() -> None:
    """Cells starting with = + - @ get a leading ' as in our CSV, so a spreadsheet shows them."""
    _, rows = split(hostile_table())
    labels = [row["subject_label"] for row in rows if row["subject_label"].lstrip("'")[:1] == "="]
    assert labels and all(label.startswith("'=") for label in labels)
