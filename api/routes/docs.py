"""`/docs` (Swagger UI) and `/redoc` (ReDoc), served offline under our Content-Security-Policy.

The JavaScript and CSS come from the `fastapi-offline` package (Swagger UI, Apache-2.0;
ReDoc, MIT), mounted at `/docs-assets`, never from a CDN; Swagger UI starts from our own
script (`static/docs.js`), so no inline script is needed. Both style their widgets at run
time, so these two pages allow inline styles; scripts stay restricted to this origin.
"""

from __future__ import annotations

import html
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from api.deps import VocabularyDep

router = APIRouter(include_in_schema=False)
ASSETS = Path(str(files("fastapi_offline") / "static"))
ASSETS_URL = "/docs-assets"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {"Content-Security-Policy": DOCS_CSP, "Cache-Control": "public, max-age=3600"}
NOSCRIPT = (
    "<noscript><p>This page needs JavaScript. The API description itself is "
    '<a href="{root}/openapi.json">/openapi.json</a>; the reference in words is docs/api.md in the '
    "repository.</p></noscript>"
)


def page(title: str, head: str, body: str, root: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="icon" href="{root}/static/favicon.svg" type="image/svg+xml">\n{head}</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def root_of(request: Request) -> str:
    """The path prefix a proxy serves the app under ('' at the root), for every link here."""
    return html.escape(str(request.scope.get("root_path", "")).rstrip("/"))


@router.get("/docs")
def swagger_ui(request: Request, vocabulary: VocabularyDep) -> HTMLResponse:
    """The interactive API description (Swagger UI)."""
    root, name = root_of(request), html.escape(vocabulary.scheme.title())
    body = (
        f'<header class="docs-bar"><a href="{root}/">{name}</a>'
        f' · <a href="{root}/redoc">the reference as one page</a>'
        f' · <a href="{root}/openapi.json">openapi.json</a></header>\n'
        '<main><h1 class="docs-title">API</h1>'
        f'<div id="swagger-ui" data-url="{root}/openapi.json"></div>{NOSCRIPT.format(root=root)}</main>\n'
        f'<script src="{root}{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
        f'<script src="{root}/static/docs.js"></script>'
    )
    head = (
        f'<link rel="stylesheet" href="{root}{ASSETS_URL}/swagger-ui.css">\n'
        f'<link rel="stylesheet" href="{root}/static/docs.css">\n'
    )
    return HTMLResponse(
        page(f"API · {vocabulary.scheme.title()}", head, body, root), headers=HEADERS
    )


@router.get("/redoc")
def redoc(request: Request, vocabulary: VocabularyDep) -> HTMLResponse:
    """The API description as one readable page (ReDoc)."""
    root = root_of(request)
    body = (
        f'<redoc spec-url="{root}/openapi.json"></redoc>{NOSCRIPT.format(root=root)}\n'
        f'<script src="{root}{ASSETS_URL}/redoc.standalone.js"></script>'
    )
    title = f"API reference · {vocabulary.scheme.title()}"
    return HTMLResponse(page(title, "", body, root), headers=HEADERS)
