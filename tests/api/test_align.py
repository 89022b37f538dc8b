"""`POST /align` and `GET /translate` over HTTP, including hostile bodies."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from api.workers import IN_THREAD_BELOW


def post(
    client: TestClient, body: bytes | str, content_type: str = "text/plain", query: str = ""
) -> object:
    return client.post(f"/align{query}", content=body, headers={"Content-Type": content_type})


def test_plain_text_one_term_a_line(client: TestClient) -> None:
    data = post(client, "Auto-segmentation\n\nrecall\n").json()  # type: ignore[attr-defined]
    assert data["summary"] == {"terms": 2, "mapped": 2}
    first = data["results"][0]
    assert first["candidates"][0]["prefLabel"] == "auto-contouring"
    assert set(first["candidates"][0]) >= {
        "uri",
        "predicate",
        "confidence",
        "matched",
        "usage",
        "reason",
        "justification",
    }


def test_json_body(client: TestClient) -> None:
    response = post(client, '{"terms": ["recall", {"term": "AUROC"}]}', "application/json")
    assert [r["candidates"][0]["prefLabel"] for r in response.json()["results"]] == [  # type: ignore[attr-defined]
        "sensitivity",
        "area under the ROC curve",
    ]


def test_csv_body_uses_the_term_column(client: TestClient) -> None:
    response = post(client, "id,term\n1,recall\n2,Dice score\n", "text/csv")
    assert [r["term"] for r in response.json()["results"]] == ["recall", "Dice score"]  # type: ignore[attr-defined]


def test_csv_output_is_one_spreadsheet_safe_row_per_term(client: TestClient) -> None:
    response = post(client, '=HYPERLINK("http://x","click")\nrecall\n', query="?format=csv")
    rows = list(csv.reader(io.StringIO(response.text, newline="")))  # type: ignore[attr-defined]
    assert rows[0][:3] == ["row", "term", "status"]
    assert rows[1][1].startswith("'=")
    assert rows[2][5] == "sensitivity"


def test_accept_header_chooses_sssom(client: TestClient) -> None:
    response = client.post(
        "/align",
        content="recall\n",
        headers={"Content-Type": "text/plain", "Accept": "text/tab-separated-values"},
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert response.text.startswith("# curie_map:")


def test_duplicates_and_bad_rows_are_noted_per_row(client: TestClient) -> None:
    results = post(client, "recall\nRECALL\n" + "x" * 500 + "\n").json()["results"]  # type: ignore[attr-defined]
    assert [r["status"] for r in results] == ["mapped", "duplicate", "invalid"]
    assert "limit is 200" in results[2]["note"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"", "text/plain", 400),
        (b"\x00\x01\x02binary", "text/plain", 422),
        (b"\x07bell\n", "text/plain", 422),
        (b'{"terms": ["a\\ud800b"]}', "application/json", 422),
        (b'{"terms": ["a\\u0000b"]}', "application/json", 422),
        (b"caf\xe9 au lait\n", "text/plain", 400),
        (b'{"terms": "recall"}', "application/json", 400),
        (b'{"terms": [1, 2]}', "application/json", 400),
        (b'{"terms": [', "application/json", 400),
        (b"recall", "application/xml", 400),
        (b"recall", "image/png", 400),
        (("a\n" * 10_001).encode(), "text/plain", 413),
        (b"x" * (10 * 1024 * 1024), "text/plain", 413),
    ],
)
def test_bad_bodies_get_a_clear_4xx(
    client: TestClient, body: bytes, content_type: str, status: int
) -> None:
    response = client.post("/align", content=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_a_chunked_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"y" * 100_000

    response = client.post("/align", content=chunks(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413


def test_utf16_with_a_bom_is_read(client: TestClient) -> None:
    response = post(client, "recall\n".encode("utf-16"))
    assert response.json()["results"][0]["status"] == "mapped"  # type: ignore[attr-defined]


def test_unknown_community_is_a_422(client: TestClient) -> None:
    assert post(client, "recall", query="?community=vendors").status_code == 422  # type: ignore[attr-defined]


def test_a_large_list_is_aligned_in_a_worker_process(client: TestClient) -> None:
    terms = [f"recall {i}" for i in range(IN_THREAD_BELOW + 10)]
    data = post(client, "\n".join(terms)).json()  # type: ignore[attr-defined]
    assert data["summary"]["terms"] == len(terms)


def test_translate_recall_to_clinical(client: TestClient) -> None:
    data = client.get("/translate?term=recall&to=clinical").json()
    assert data["result"] is True
    assert data["matches"][0]["relationship"] == "equivalent"
    assert "sensitivity" in [lb["label"] for lb in data["matches"][0]["labels"]]


def test_translate_validation_set_to_clinical_warns(client: TestClient) -> None:
    data = client.get("/translate?term=validation set&to=clinical").json()
    assert data["matches"][0]["concept"]["prefLabel"] == "tuning set"
    assert "validation" in data["warning"]


def test_translate_as_plain_text(client: TestClient) -> None:
    text = client.get("/translate?term=recall&to=clinical&format=txt").text
    assert text.startswith("recall → clinical: sensitivity")


@pytest.mark.parametrize(
    "query",
    [
        "term=recall&to=vendors",
        "to=clinical",
        "term=&to=clinical",
        "term=recall&to=clinical&from=x",
    ],
)
def test_translate_bad_parameters_are_422(client: TestClient, query: str) -> None:
    assert client.get(f"/translate?{query}").status_code == 422


def test_curl_data_binary_without_a_content_type_is_read_as_text(client: TestClient) -> None:
    # curl --data-binary @terms.txt sends application/x-www-form-urlencoded
    response = client.post(
        "/align?format=sssom",
        content=b"recall\nAuto-segmentation\n",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert "vocab:t0133" in response.text
