"""Which query sets `bench.quality --mistakes` may list failures of: development sets
only, never the held-out ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.quality import SETS, held_out


@pytest.mark.parametrize(
    "name",
    [
        "search-v3.tsv",
        "vendor-v3.tsv",
        "vocabulary-v3.ttl",
        "senses-v2.tsv",
        "senses-v4.tsv",
        "senses-v5.tsv",
        "senses-v6.tsv",
    ],
)
def test_held_out_sets_never_list_their_failures(name: str) -> None:
    assert held_out(SETS / name)


@pytest.mark.parametrize(
    "path",
    [
        SETS / "search-v1.tsv",
        SETS / "search-v2.tsv",
        SETS / "vendor-v2.tsv",
        SETS / "senses-v1.tsv",
        Path("bench/dev-queries.tsv"),
    ],
)
def test_the_older_blind_sets_are_development_sets_now(path: Path) -> None:
    assert not held_out(path)
