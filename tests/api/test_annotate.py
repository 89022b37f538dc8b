"""`POST /annotate` and the `/annotate` page over HTTP, on the tiny annotation fixture."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import annotate as route
from tests.conftest import BASE, FIXTURES, build_vocabulary

SENTENCE = "The CT scanner and MRI."


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    vocabulary = build_vocabulary(
        FIXTURES / "annotate.ttl", tmp_path_factory.mktemp("api") / "a.db"
    )
    return TestClient(create_app(vocabulary, base=BASE))


def post(client: TestClient, body: str | bytes, media: str = "text/plain", query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(f"/annotate{query}", content=body, headers={"content-type": media})


def test_plain_text_answers_json_spans(client: TestClient) -> None:
    response = post(client, SENTENCE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert [(s["text"], s["id"]) for s in response.json()["spans"]] == [
        ("CT", "ct"),
        ("scanner", "scanner"),
        ("MRI", "mri"),
    ]


@pytest.mark.parametrize(
    ("body", "media", "query"),
    [
        ('{"text": "<i title=\\"CT\\">MRI</i>", "kind": "html"}', "application/json", ""),
        ('<i title="CT">MRI</i>', "text/html", ""),
        ('<i title="CT">MRI</i>', "text/plain", "?kind=html"),
        ('`CT` <i title="CT">MRI</i>', "text/markdown", ""),
    ],
)
def test_the_kind_comes_from_the_body_the_content_type_or_the_query(
    client: TestClient, body: str, media: str, query: str
) -> None:
    spans = post(client, body, media, query).json()["spans"]
    assert [s["text"] for s in spans] == ["MRI"]  # read as HTML or Markdown: the tag is markup


def test_plain_text_reads_markup_as_words(client: TestClient) -> None:
    spans = post(client, '<i title="CT">MRI</i>').json()["spans"]
    assert [s["text"] for s in spans] == ["CT", "MRI"]


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("html", "text/html"),
        ("jsonld", "application/ld+json"),
        ("csv", "text/csv"),
        ("txt", "text/plain"),
        ("json", "application/json"),
    ],
)
def test_every_format_answers_its_media_type(client: TestClient, fmt: str, media: str) -> None:
    response = post(client, SENTENCE, query=f"?format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["cache-control"] == "no-store"


def test_annotated_html_is_served_sandboxed(client: TestClient) -> None:
    response = post(client, "<p>CT</p><script>alert(1)</script>", "text/html", "?format=html")
    assert "sandbox; default-src 'none'" in response.headers.get_list("content-security-policy")


@pytest.mark.parametrize(
    ("body", "media", "status", "code"),
    [
        (b"\xff\xfeCT", "text/plain", 422, "invalid_input"),
        (b"   ", "text/plain", 422, "invalid_input"),
        (b'{"text": 3}', "application/json", 422, "invalid_input"),
        (b"{not json", "application/json", 422, "invalid_input"),
        (b"x" * (route.MAX_BYTES + 1), "text/plain", 413, "too_large"),
    ],
)
def test_bad_bodies_get_a_json_error(
    client: TestClient, body: bytes, media: str, status: int, code: str
) -> None:
    response = post(client, body, media)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("query", ["?format=pdf", "?kind=pdf"])
def test_unknown_format_or_kind_is_refused(client: TestClient, query: str) -> None:
    assert post(client, SENTENCE, query=query).status_code == 422


def test_every_slot_busy_answers_429_with_retry_after(client: TestClient) -> None:
    held = [route._slots.acquire(blocking=False) for _ in range(route.CONCURRENT)]
    try:
        response = post(client, SENTENCE)
    finally:
        for got in held:
            if got:
                route._slots.release()
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["code"] == "too_many_requests"


def test_slots_are_released_after_each_annotation(client: TestClient) -> None:
    threads = [threading.Thread(target=post, args=(client, SENTENCE)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert post(client, SENTENCE).status_code == 200


def test_cors_lets_any_origin_post_without_credentials(client: TestClient) -> None:
    preflight = client.options(
        "/annotate",
        headers={"origin": "https://school.example", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204
    response = client.post(
        "/annotate", content=SENTENCE, headers={"origin": "https://school.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_the_page_is_a_form_that_posts_to_annotate(client: TestClient) -> None:
    page = client.get("/annotate")
    assert page.status_code == 200
    assert 'action="/annotate" method="post"' in page.text


def test_a_form_post_answers_the_page_with_the_text_linked_and_escaped(client: TestClient) -> None:
    response = client.post(
        "/annotate", data={"text": "<img src=x onerror=alert(1)> CT scanner", "kind": "text"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert "<img src=x" not in response.text
    assert 'href="http://127.0.0.1:8000/terms/ct"' in response.text
