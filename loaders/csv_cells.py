"""The cells of our CSV: multi-valued cells, language suffixes, spreadsheet safety.

Shared by the concept rows (`loaders.csv_table`) and the scheme, collection and source
rows (`loaders.csv_groups`); the conventions are in `loaders.csv_table`'s docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORMULA = re.compile(r"^'*[=+\-@\t\r\n]")
_SPLIT = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_LANG_SUFFIX = re.compile(r"^(.*)@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)?$", re.S)


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def join(values: Iterable[str]) -> str:
    return "|".join(escape(v) for v in values)


def split(cell: str) -> list[str]:
    if not cell:
        return []
    parts, last = [], 0
    for m in _SPLIT.finditer(cell):
        parts.append(cell[last : m.end(1)])
        last = m.end()
    parts.append(cell[last:])
    return [unescape(p) for p in parts]


def tagged(text: str, lang: str, row_lang: str) -> str:
    if lang != row_lang or _LANG_SUFFIX.match(text):
        return f"{text}@{lang}"
    return text


def untag(value: str, row_lang: str) -> tuple[str, str]:
    m = _LANG_SUFFIX.match(value)
    return (m.group(1), m.group(2) or "") if m else (value, row_lang)


def safe(cell: str) -> str:
    return "'" + cell if _FORMULA.match(cell) else cell


def unsafe(cell: str) -> str:
    """Undo `safe`: drop the one quote it put before a formula-like cell."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell
