"""schemathesis, with every check, against a real `vocab serve`: the service does what
`/openapi.json` says, for generated valid and invalid requests alike.

The settings, and the reason for each documented exception, are in `schemathesis.toml`
beside this file. The seed is fixed so that CI is repeatable; run the printed command with
another seed to explore further.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Site, serve

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = "20261202"
RUN_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    # read-only: the editorial routes need keys, and tests/api/editorial runs schemathesis
    # over them with one (test_editorial_schemathesis.py)
    folder = tmp_path_factory.mktemp("schemathesis")
    with serve(FIXTURES / "lifecycle.ttl", folder, "--editorial-db", "off") as running:
        yield running


@pytest.mark.slow
def test_schemathesis_with_every_check_reports_no_failure(site: Site, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        site.url("/openapi.json"),
        "--checks",
        "all",
        "--seed",
        SEED,
        "--no-color",
    ]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
    )
    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, f"{' '.join(command)}\n{report}"
    assert " passed" in done.stdout or "warnings in" in done.stdout or "No issues" in done.stdout
