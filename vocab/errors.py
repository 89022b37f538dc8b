"""One exception family for the whole service, named after the problem.

Every error carries a message that says what would be right, so the CLI can print it
as-is and the HTTP layer can map the class to a status in one table (`api/errors.py`).
"""

from __future__ import annotations


class VocabError(Exception):
    """Base of every error the core raises on purpose."""

    code = "vocab_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(VocabError):
    """Nothing answers the request (unknown concept id, no lookup hit)."""

    code = "not_found"


class InvalidInput(VocabError):
    """A query or parameter is malformed: empty, too long, bad characters."""

    code = "invalid_input"


class UnsupportedFormat(VocabError):
    """A format name or media type that no reader or writer handles."""

    code = "unsupported_format"


class ParseError(VocabError):
    """A file could not be read; the message names the line/column or element at fault."""

    code = "parse_error"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        where = ""
        if line is not None:
            where = f" (line {line}" + (f", column {column}" if column is not None else "") + ")"
        super().__init__(message + where)
        self.line = line
        self.column = column


class UnsafeInput(ParseError):
    """Input refused for safety: entity expansion, remote contexts, nesting, size or time."""

    code = "unsafe_input"


class TooLarge(UnsafeInput):
    """Input over a documented size limit."""

    code = "too_large"


class IntegrityError(VocabError):
    """Data that breaks a SKOS integrity condition or our own profile, with the evidence."""

    code = "integrity_error"


class StoreError(VocabError):
    """The SQLite store is missing, stale, corrupt or was built by an incompatible version."""

    code = "store_error"


class ReleaseConflict(VocabError):
    """A release that exists already, or one being cut by someone else at the same time."""

    code = "release_conflict"


class ReleaseRefused(VocabError):
    """The quality gate found errors: no release is cut; the message quotes them."""

    code = "release_refused"
