"""`/openapi.json` tells the truth and `docs/api.md` describes the same routes; `/docs` works offline."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.editorial.context import make_editorial
from tests.conftest import BASE, ROOT
from vocab.editorial.sql_store import SqlEditorialStore

API_MD = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^#+ .*", re.MULTILINE)
OPERATION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)`")


def normalised(path: str) -> str:
    """A path with its parameter names dropped: `/terms/{concept_id}` and `/terms/{id}` agree."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented(markdown: str) -> set[tuple[str, str]]:
    """The operations a Markdown reference names in its headings: (method, normalised path)."""
    return {
        (method, normalised(path))
        for heading in HEADING.findall(markdown)
        for method, path in OPERATION.findall(heading)
    }


@pytest.fixture(scope="module")
def schema(lifecycle: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The description of a service with every route, the editorial ones included."""
    store = SqlEditorialStore.open(str(tmp_path_factory.mktemp("openapi") / "editorial.db"))
    app = create_app(lifecycle, base=BASE, editorial=make_editorial(store))
    return TestClient(app).get("/openapi.json").json()


@pytest.fixture(scope="module")
def described(schema: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), normalised(path))
        for path, operations in schema["paths"].items()
        for method in operations
    }


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, ops in schema["paths"].items()
        for method, operation in ops.items()
    ]


def test_every_operation_in_openapi_is_in_docs_api_md(described: set[tuple[str, str]]) -> None:
    assert sorted(described - documented(API_MD)) == []


def test_every_operation_in_docs_api_md_is_in_openapi(described: set[tuple[str, str]]) -> None:
    assert sorted(documented(API_MD) - described) == []


def test_a_missing_or_extra_heading_is_caught(described: set[tuple[str, str]]) -> None:
    partial = "## Concepts\n\n### `GET /terms/{id}`\n\n### `GET /nowhere`\n"
    assert ("GET", "/nowhere") in documented(partial) - described
    assert ("GET", "/search") in described - documented(partial)


def test_the_readme_links_the_api_reference_in_the_repository() -> None:
    assert "(docs/api.md)" in README and "shared/API.md" not in README


def test_no_operation_documents_fastapis_validation_error(schema: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in str(schema) and '"detail"' not in str(schema)


def test_every_422_is_our_error_body(schema: dict[str, Any]) -> None:
    wrong = [
        (method, path)
        for method, path, operation in operations(schema)
        if "422" in operation["responses"]
        and "#/components/schemas/Error" not in str(operation["responses"]["422"])
        and "OperationOutcome" not in str(operation["responses"]["422"])
    ]
    assert wrong == []


def test_every_json_answer_has_a_schema(schema: dict[str, Any]) -> None:
    missing = [
        (method, path, status, media)
        for method, path, operation in operations(schema)
        for status, response in operation["responses"].items()
        for media, content in response.get("content", {}).items()
        if media.endswith("json") and media != "application/ld+json" and "schema" not in content
    ]
    assert missing == []


def test_every_success_says_which_media_types_it_answers(schema: dict[str, Any]) -> None:
    silent = [
        (method, path)
        for method, path, operation in operations(schema)
        if "200" in operation["responses"] and not operation["responses"]["200"].get("content")
    ]
    assert silent == []


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/export", "text/csv"),
        ("/export", "application/rdf+xml"),
        ("/export", "text/tab-separated-values"),
        ("/terms/{concept_id}", "text/turtle"),
        ("/search", "text/html"),
        ("/sparql", "application/sparql-results+json"),
        ("/scheme", "application/n-triples"),
    ],
)
def test_negotiating_routes_list_their_media_types(
    schema: dict[str, Any], path: str, media: str
) -> None:
    assert media in schema["paths"][path]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/terms/{concept_id}", "404"),
        ("get", "/terms/{concept_id}", "410"),
        ("get", "/export", "400"),
        ("post", "/align", "413"),
        ("get", "/sparql", "503"),
        ("get", "/oembed", "501"),
        ("get", "/fhir/CodeSystem/$lookup", "404"),
    ],
)
def test_routes_document_the_errors_they_give(
    schema: dict[str, Any], method: str, path: str, status: str
) -> None:
    assert status in schema["paths"][path][method]["responses"]


def test_every_parameter_is_described(schema: dict[str, Any]) -> None:
    silent = [
        (method, path, p["name"])
        for method, path, operation in operations(schema)
        for p in operation.get("parameters", [])
        if not p.get("description")
    ]
    assert silent == []


def test_the_collection_filter_lists_the_releases_collections(schema: dict[str, Any]) -> None:
    collection = next(
        p for p in schema["paths"]["/search"]["get"]["parameters"] if p["name"] == "collection"
    )
    assert collection["schema"]["anyOf"][0]["enum"] == ["imaging"]


@pytest.mark.parametrize(
    "path",
    ["/docs-assets/swagger-ui-bundle.js", "/docs-assets/redoc.standalone.js", "/static/docs.js"],
)
def test_the_documentation_assets_are_served_here(lifecycle_client: TestClient, path: str) -> None:
    response = lifecycle_client.get(path)
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documentation_pages_load_nothing_from_elsewhere(
    lifecycle_client: TestClient, path: str
) -> None:
    response = lifecycle_client.get(path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'none'" in policy
    assert not re.search(r"""(src|href)=["']https?:""", response.text)
    assert "<script>" not in response.text  # no inline script: the policy would block it


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documentation_pages_work_under_a_path_prefix(lifecycle: Any, path: str) -> None:
    client = TestClient(create_app(lifecycle, base=BASE), root_path="/airt")
    page = client.get(path).text
    assert 'src="/airt/docs-assets/' in page and '"/airt/openapi.json"' in page
