"""The public routes against oversize requests and unbounded result asks
(reliability-security-tests E12 request size limits, E20 result limits and paging).

E13 (rate limits) is in tests/api/test_limits.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

POSTS = [
    ("/align", "text/plain"),
    ("/annotate", "text/plain"),
    ("/annotate", "application/x-www-form-urlencoded"),
    ("/sparql", "application/sparql-query"),
    ("/sparql", "application/x-www-form-urlencoded"),
]


def chunked(size: int) -> Iterator[bytes]:
    """A body sent chunked, with no Content-Length."""
    for _ in range(size // 65536):
        yield b"x" * 65536


def assert_413(answer: object) -> None:
    assert answer.status_code == 413  # type: ignore[attr-defined]
    assert answer.json()["error"]["code"] == "too_large"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "media"), POSTS)
def test_an_oversize_body_with_content_length_is_413(
    client: TestClient, path: str, media: str
) -> None:
    """E12: an oversize body that declares its length is refused before it is read."""
    assert_413(client.post(path, content=b"x" * 2_100_000, headers={"Content-Type": media}))


@pytest.mark.parametrize(("path", "media"), POSTS)
def test_an_oversize_chunked_body_is_413(client: TestClient, path: str, media: str) -> None:
    """E12: an oversize chunked body (no Content-Length) is refused as it streams in."""
    assert_413(client.post(path, content=chunked(2_200_000), headers={"Content-Type": media}))


def test_a_2_mb_multipart_field_is_refused(client: TestClient) -> None:
    """E12: a multipart text field of 2 MB: 413 (annotate), or 4xx (routes that take no multipart)."""
    part = b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n' + b"x" * 2_000_000
    body = part + b"\r\n--b--\r\n"
    media = {"Content-Type": "multipart/form-data; boundary=b"}
    assert_413(client.post("/annotate", content=body, headers=media))
    for path in ("/align", "/sparql"):
        assert client.post(path, content=body, headers=media).status_code in (400, 413, 415)


@pytest.mark.parametrize("path", ["/annotate", "/sparql"])
def test_a_form_of_1001_fields_is_refused(client: TestClient, path: str) -> None:
    """E12: 1 001 form fields are refused (413), not parsed into a thousand-entry dict."""
    form = "&".join(f"f{i}=x" for i in range(1001)) + "&text=CT&query=ASK%20%7B%7D"
    answer = client.post(
        path, content=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_413(answer)
    assert "fields" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=CT&limit=1000000",
        "/search?q=CT&limit=-1",
        "/suggest?q=CT&limit=1000000",
        "/fhir/ValueSet/$expand?url=x&offset=1000000000",
        "/fhir/ValueSet/$expand?url=x&count=-1",
    ],
)
def test_limits_and_offsets_outside_their_range_are_422(client: TestClient, url: str) -> None:
    """E20: `limit` past the maximum or negative, and deep offsets, are refused with 422."""
    assert client.get(url).status_code == 422


@pytest.mark.parametrize(
    "url", ["/search?q={q}", "/suggest?q={q}", "/lookup/{q}", "/translate?term={q}&to=clinical"]
)
def test_a_query_of_10_000_characters_is_refused(client: TestClient, url: str) -> None:
    """E20: `q` is capped (200 characters), with a message naming the limit."""
    answer = client.get(url.format(q="a" * 10_000))
    assert answer.status_code == 422
    assert "200" in answer.json()["error"]["message"]


def test_the_largest_page_is_bounded(client: TestClient) -> None:
    """E20: the largest page a route gives is its documented maximum."""
    assert len(client.get("/search?q=a&limit=100").json()["results"]) <= 100
    posted = client.post("/align?limit=11", content="recall\n")
    assert posted.status_code == 422
