"""The README documents what a user can call: every route and every CLI command."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from tests.conftest import ROOT
from cli.main import app as cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def routes(client) -> list[str]:  # type: ignore[no-untyped-def]
    api = client.app.fastapi
    found = [r.path for r in api.routes if isinstance(r, APIRoute) and r.include_in_schema]
    return sorted(set(found) | {"/lookup/{text}"})


@pytest.fixture(scope="module")
def paths(client) -> list[str]:  # type: ignore[no-untyped-def]
    return routes(client)


def test_every_documented_route_is_in_the_readme(paths: list[str]) -> None:
    missing = [
        p for p in paths if re.sub(r"\{\w+\}", "{", p).split("{")[0].rstrip("/") + "" not in README
    ]
    assert missing == []


@pytest.mark.parametrize(
    "command", sorted(c.name or c.callback.__name__ for c in cli.registered_commands)
)
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert f"vocab {command}" in README


def test_readme_has_the_two_quick_start_commands() -> None:
    assert "make run" in README and "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
