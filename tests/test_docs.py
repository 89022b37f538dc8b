"""The README documents what a user can call: every route and every CLI command."""

from __future__ import annotations

import re

import pytest

from cli.main import app as cli
from tests.conftest import ROOT, app_routes

README = (ROOT / "README.md").read_text(encoding="utf-8")


def routes(client) -> list[str]:  # type: ignore[no-untyped-def]
    """Every path the service answers: API routes, HTML pages, and the bare /lookup handler."""
    found = [path for path, _ in app_routes(client.app.fastapi.routes)]
    return sorted(set(found) | {"/lookup/{text}"})


def documented(path: str, readme: str = README) -> bool:
    """True if the README names `path` as code: `/terms/{id}`, `GET /`, `/search?q=`..."""
    stem = path.split("{")[0]
    stem = stem if stem == "/" else stem.rstrip("/")
    methods = r"(?:(?:GET|POST)(?:\\?\|(?:GET|POST))* )?"  # `GET /x`, `GET\|POST /x`
    return re.search("`" + methods + re.escape(stem) + r"[`?{/ ]", readme) is not None


@pytest.fixture(scope="module")
def paths(client) -> list[str]:  # type: ignore[no-untyped-def]
    return routes(client)


def test_every_route_is_in_the_readme(paths: list[str]) -> None:
    assert len(paths) > 20  # the inventory sees inside the included routers
    assert [p for p in paths if not documented(p)] == []


@pytest.mark.parametrize("path", ["/", "/terms/{concept_id}", "/search", "/a-z"])
def test_a_route_missing_from_the_readme_is_caught(path: str) -> None:
    assert not documented(path, readme="A README that names no route at all.")


@pytest.mark.parametrize(
    "command", sorted(c.name or c.callback.__name__ for c in cli.registered_commands)
)
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert f"vocab {command}" in README


def test_readme_has_the_two_quick_start_commands() -> None:
    assert "make run" in README and "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
