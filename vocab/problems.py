"""One record for every problem found in a vocabulary: by a reader, the quality gate or SHACL.

A reader reports what it repaired, dropped or found odd in a file; the quality gate reports
broken integrity conditions and quality heuristics. Both are `Problem`s, so the CLI, the
API and the editorial workflow show them the same way.

>>> p = Problem("read", Severity.ERROR, "http://x/terms/t1", "Two prefLabels in 'en'.")
>>> p.is_error, str(p.severity)
(True, 'error')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from vocab.model import Snapshot


class Severity(StrEnum):
    """ERROR breaks a SKOS integrity condition or our profile; WARNING is lossy, guessed or odd."""

    ERROR = "error"
    WARNING = "warning"


CHECK_NAMES: dict[str, str] = {
    "read": "reading the file",
    "shacl": "SHACL shape",
    "ipl": "more than one preferred label in a language",
    "ml": "missing preferred label",
    "el": "empty label",
    "dlv": "label of two kinds at once",
    "ucil": "unprintable characters in a label",
    "dup": "preferred label shared by two concepts",
    "chr": "cycle in the hierarchy",
    "rc": "related link that clashes with the hierarchy",
    "rrc": "concept related to itself",
    "mc": "exact match that clashes with a broad or related match",
    "def": "missing definition or plain-language definition",
    "src": "missing source",
    "link": "link to a concept that does not exist",
    "dep": "retired concept without a valid replacement",
    "oc": "orphan concept (no broader, narrower or related link)",
    "ol": "labels that overlap across concepts",
    "hr": "redundant broader link",
    "var": "siblings marked related",
    "oilt": "missing or unusual language tag",
    "husv": "URI that is not HTTP",
    "otc": "top concept with a broader concept",
    "anr": "notation shared by two concepts",
}
"""What each check id means, in words (qSKOS ids where qSKOS has the check)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: which check found it, how bad it is, about which resource, and what is wrong."""

    check: str
    severity: Severity
    subject: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def check_name(self) -> str:
        """The check in words ("shared label without a usage warning"), else its id."""
        return CHECK_NAMES.get(self.check, self.check)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems of severity ERROR, in order."""
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems of severity WARNING, in order."""
    return [p for p in problems if p.severity is Severity.WARNING]


@dataclass(frozen=True)
class ReadResult:
    """A Snapshot read from some input, with every problem found (and repaired) while reading."""

    snapshot: Snapshot
    problems: tuple[Problem, ...]
