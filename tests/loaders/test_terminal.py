"""Plain text for terminals (loaders/terminal.py), on the tiny lifecycle vocabulary."""

from __future__ import annotations

import pytest

from loaders.terminal import (
    concept_text,
    lookup_text,
    not_found_text,
    problem_lines,
    safe,
    search_text,
)
from vocab.problems import Problem, Severity
from vocab.vocabulary import Vocabulary


def test_a_single_sense_lookup_heads_with_acronym_and_label(lifecycle: Vocabulary) -> None:
    text = lookup_text(lifecycle, lifecycle.lookup("computed tomography"))
    assert text.splitlines()[0] == "CT — computed tomography"


def test_an_ambiguous_lookup_numbers_every_sense(lifecycle: Vocabulary) -> None:
    lines = lookup_text(lifecycle, lifecycle.lookup("CT")).splitlines()
    assert lines[0] == "CT — 2 senses"
    assert [line[:3] for line in lines if line[:2] in ("1.", "2.")] == ["1. ", "2. "]


def test_a_replaced_concept_points_to_its_replacement(lifecycle: Vocabulary) -> None:
    text = concept_text(lifecycle, lifecycle.record("old").concept)
    assert "Deprecated: use computed tomography" in text


def test_not_found_offers_a_search_link(lifecycle: Vocabulary) -> None:
    text = not_found_text("zzz", [], "http://x/search")
    assert text == (
        'No term matches "zzz".\n'
        "No close term: nothing in the vocabulary is spelt or worded like it.\n"
        "Search all labels: http://x/search?q=zzz\n"
    )


def test_search_text_says_how_each_hit_matched(lifecycle: Vocabulary) -> None:
    text = search_text("tumor size", lifecycle.search("tumor size", limit=1))
    assert text.startswith("tumour volume (via tumour size)  [synonym")


@pytest.mark.parametrize("escape", ["\x1b", "\u202e", "\r", "\x07"])
def test_safe_removes_terminal_controls(escape: str) -> None:
    assert safe(f"a{escape}b") == "ab"


def test_problem_lines_count_each_kind_of_problem() -> None:
    problems = tuple(
        Problem("read", Severity.WARNING, f"http://x/{i}", "Untagged label; kept.")
        for i in range(3)
    )
    assert problem_lines(problems, verbose=False) == [
        "3 issue(s):",
        "  warning x3: Untagged label (e.g. http://x/0)",
    ]
