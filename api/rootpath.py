"""Serving under a sub-path behind a proxy (`vocab serve --root-path /airt`).

The ASGI convention (uvicorn's `--root-path`, Starlette's routing): `scope["root_path"]`
is the prefix and `scope["path"]` the whole path, prefix included; routes match the path
less the prefix (`route_path`). `Service` puts every request in that shape, whether the
proxy strips the prefix (nginx `proxy_pass http://replicas/;`) or passes it on, and
records the prefix for the request (`ROOT`), so every root-relative link the service
writes (pages, redirects, `Location`, scripts, the OpenAPI `servers`) starts with it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

from markupsafe import escape

from vocab.config import normalise_root_path as normalise

__all__ = ["ROOT", "RootForTemplates", "enter", "normalise", "rooted", "route_path"]

ROOT: ContextVar[str] = ContextVar("root_path", default="")


def enter(scope: MutableMapping[str, Any], configured: str) -> MutableMapping[str, Any]:
    """Return `scope` with root_path and the full path set; remember the prefix for links."""
    root = configured or str(scope.get("root_path", "")).rstrip("/")
    ROOT.set(root)
    if not root:
        return scope
    path = scope["path"]
    if path != root and not path.startswith(root + "/"):
        path = root + path  # the proxy stripped the prefix
    return {**scope, "root_path": root, "path": path}


def route_path(scope: MutableMapping[str, Any]) -> str:
    """The path routes match: the whole path less the prefix."""
    path: str = scope["path"]
    root = str(scope.get("root_path", "")).rstrip("/")
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :] or "/"
    return path


def rooted(path: str) -> str:
    """`path` (root-relative, '/terms/t0001') under the request's prefix; other URLs as they are."""
    if path.startswith("/") and not path.startswith("//"):
        return ROOT.get() + path
    return path


class RootForTemplates:
    """`{{ root }}` in a template: the request's prefix ('' at the root), escaped."""

    def __str__(self) -> str:
        return ROOT.get()

    def __html__(self) -> str:
        return str(escape(ROOT.get()))
