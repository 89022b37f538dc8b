"""Jinja2 templates with autoescaping forced on for every template, whatever its name.

Starlette's default escapes only .html/.htm/.xml templates (reliability-security-tests E1);
here every template escapes, and `safe_href` lets only http(s) IRIs become links (E2).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from api.rootpath import RootForTemplates

TEMPLATES = Path(__file__).parent / "templates"


def safe_href(iri: object) -> str:
    """Return the IRI if it is http(s), else '' (so javascript:, data: never become links)."""
    text = str(iri or "")
    return (
        text if text.startswith(("http://", "https://", "/")) and not text.startswith("//") else ""
    )


def acronyms_beside(acronyms: Iterable[str], label: str) -> list[str]:
    """Return the acronyms worth showing beside `label`: not those it already contains
    ("510(k) clearance" is not followed by "(510(k))")."""
    return [a for a in acronyms if a and a not in label]


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.filters["beside"] = acronyms_beside
    env.globals["Markup"] = Markup
    env.globals["root"] = RootForTemplates()
    return Jinja2Templates(env=env)


def render(templates: Jinja2Templates, name: str, **context: Any) -> str:
    """Return a template rendered to a string."""
    return templates.get_template(name).render(**context)
