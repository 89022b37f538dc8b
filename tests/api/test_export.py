"""`GET /export?format=...`: every format downloads, parses and names its file."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from loaders import FORMATS, WRITERS

PARSERS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_export_downloads_with_a_file_name_and_media_type(client: TestClient, fmt: str) -> None:
    response = client.get(f"/export?format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FORMATS[fmt].media_type)
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith(
        f'{FORMATS[fmt].extension}"'
    )
    assert response.content


@pytest.mark.parametrize("fmt", list(PARSERS))
def test_rdf_exports_parse(client: TestClient, fmt: str) -> None:
    assert (
        len(Graph().parse(data=client.get(f"/export?format={fmt}").content, format=PARSERS[fmt]))
        > 500
    )


def test_csv_export_is_announced_with_a_header_row(client: TestClient) -> None:
    response = client.get("/export?format=csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8; header=present"
    rows = list(csv.reader(io.StringIO(response.text, newline="")))
    assert rows[0][:2] == ["uri", "id"]


def test_export_supports_etag_revalidation(client: TestClient) -> None:
    etag = client.get("/export?format=ttl").headers["etag"]
    assert client.get("/export?format=ttl", headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("fmt", ["xlsx", "n3", "../../etc/passwd", "trix"])
def test_unknown_formats_are_refused_with_the_list(client: TestClient, fmt: str) -> None:
    response = client.get(f"/export?format={fmt}")
    assert response.status_code == 400
    assert "ttl" in response.json()["error"]["message"]
