"""Reading the pages' form posts (application/x-www-form-urlencoded) within fixed limits.

No multipart: the pages post plain forms, so no file upload parser is exposed.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from vocab.errors import InvalidInput, TooLarge

MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 200


class Form:
    """A posted form: every value of each field, in order."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values: dict[str, list[str]] = {}
        for name, value in pairs:
            self.values.setdefault(name, []).append(value)

    def get(self, name: str, default: str = "") -> str:
        """Return the first value of a field, or `default`."""
        return self.values.get(name, [default])[0]

    def all(self, name: str) -> list[str]:
        """Return every value of a field (checkboxes)."""
        return self.values.get(name, [])

    def lines(self, name: str) -> list[str]:
        """Return the non-empty lines of a text area, stripped."""
        return [line.strip() for line in self.get(name).splitlines() if line.strip()]


async def read_form(request: Request, limit: int = MAX_FORM_BYTES) -> Form:
    """Return the posted form; raise TooLarge or InvalidInput for anything but a small form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise InvalidInput("Post the page's form (application/x-www-form-urlencoded).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"The form is {int(declared):,} bytes; the limit is {limit:,}.")
    body, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"The form passes the limit of {limit:,} bytes.")
        body.append(chunk)
    try:
        text = b"".join(body).decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(
            f"The form could not be read: send UTF-8, at most {MAX_FIELDS} fields."
        ) from None
    return Form(pairs)
