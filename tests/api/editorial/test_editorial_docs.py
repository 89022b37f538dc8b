"""The README documents every editorial route and command (FastAPI 0.163 nests included
routers, so the routes are listed through `iter_route_contexts`)."""

from __future__ import annotations

import pytest
from fastapi.routing import iter_route_contexts

from cli.editorial_commands import editorial_app, user_app
from tests.api.editorial.conftest import Desk
from tests.test_docs import README, documented


def editorial_paths(desk: Desk) -> list[str]:
    routes = iter_route_contexts(desk.client.app.fastapi.routes)  # type: ignore[attr-defined]
    return sorted({r.path for r in routes if r.path and r.path.startswith("/editorial")})


def test_every_editorial_route_is_in_the_readme(lite: Desk) -> None:
    paths = editorial_paths(lite)
    assert len(paths) > 10 and [p for p in paths if not documented(p)] == []


@pytest.mark.parametrize(
    "command",
    [f"vocab editorial {c.name}" for c in editorial_app.registered_commands]
    + [f"vocab user {c.name}" for c in user_app.registered_commands],
)
def test_every_editorial_command_is_in_the_readme(command: str) -> None:
    assert command in README
