"""Every example of the README runs, and what it shows is what the service answers.

Each `$ curl ...` or `$ vocab ...` line of a ```console block is run (curl through the app
in process, vocab through its command line in process) from the repository's root folder,
and the lines under it, up to the next command, must match the real output. `...` in
the README stands for text left out; a JSON answer shown wrapped over several lines
matches the one line the service sends. A command shown without output must succeed.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli
from loaders.turtle_source import read_release_source
from tests.conftest import BASE, ROOT, SOURCE
from vocab.release import ReleaseArchive
from vocab.release_shelf import ReleaseShelf
from vocab.vocabulary import Vocabulary

README = (ROOT / "README.md").read_text(encoding="utf-8")
HOST = "127.0.0.1:8000"


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    output: str


def examples(readme: str = README) -> list[Example]:
    """Every command of the README's console blocks, with the output shown under it."""
    found: list[Example] = []
    lines = readme.splitlines()
    in_console = False
    current: tuple[int, str, list[str]] | None = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("```"):
            if current:
                found.append(Example(current[0], current[1], _shown(current[2])))
                current = None
            in_console = line.strip() == "```console" and not in_console
            continue
        if not in_console:
            continue
        if line.startswith("$ "):
            if current:
                found.append(Example(current[0], current[1], _shown(current[2])))
            current = (number, line[2:], [])
        elif current:
            current[2].append(line)
    return found


def _shown(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def matches(shown: str, real: str) -> bool:
    """True if `real` is what `shown` shows: exactly, or with `...` standing for any text."""
    real = real.replace("\r\n", "\n").strip("\n")  # a terminal shows CRLF as LF
    if "..." not in shown:
        if shown.startswith(("{", "[")):  # JSON shown wrapped: each line break stands for nothing
            return re.sub(r"\n\s*", "", shown) == real
        return shown == real
    pieces = []
    for part in shown.split("..."):
        words = part.split()
        # A line break in the README is a wrap: it may stand for a space or for nothing.
        pieces.append(r"\s*".join(re.escape(w) for w in words))
    pattern = r".*?".join(pieces)
    return re.fullmatch(r"\s*" + pattern + r".*", real, flags=re.DOTALL) is not None


@pytest.fixture(scope="module")
def client(shipped: Vocabulary, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The app over the shipped vocabulary and the repository's releases, as `make run`."""
    cache = tmp_path_factory.mktemp("releases")
    shelf = ReleaseShelf(
        ReleaseArchive(ROOT / "releases"), base=BASE, cache=cache, read=read_release_source
    )
    return TestClient(create_app(shipped, base=BASE, releases=shelf))


def run_curl(client: TestClient, argv: list[str]) -> tuple[int, str]:
    """Run a curl line through the app; `| sha256sum` after it hashes the answer's bytes."""
    if "|" in argv:
        cut = argv.index("|")
        assert argv[cut + 1 :] == ["sha256sum"], f"only `| sha256sum` is run: {argv}"
        status, _, raw = _request(client, argv[:cut])
        return status, f"{hashlib.sha256(raw).hexdigest()}  -"
    status, text, _ = _request(client, argv)
    return status, text


def _request(client: TestClient, argv: list[str]) -> tuple[int, str, bytes]:
    method, headers, body, url, params = "GET", {}, None, "", []
    get_form = False
    args = iter(argv[1:])
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "--data-binary":
            data = next(args)
            body = (ROOT / data[1:]).read_bytes() if data.startswith("@") else data.encode()
        elif arg == "--data-urlencode":
            name, _, value = next(args).partition("=")
            params.append((name, value))
        elif arg == "-G":
            get_form = True
        elif arg in ("-s", "-OJ"):
            continue
        else:
            url = arg
    path = url.removeprefix("http://").removeprefix(HOST)
    if get_form and params:
        path += ("&" if "?" in path else "?") + urlencode(params)
    response = client.request(method, path, headers=headers, content=body)
    return response.status_code, response.text, response.content


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("readme")
    return {  # nothing an example does may write into the repository
        "VOCAB_DB": str(folder / "vocab.db"),
        "VOCAB_SOURCE": str(SOURCE),
        "VOCAB_RELEASES": str(folder / "releases"),
    }


def run_vocab(argv: list[str], env: dict[str, str], tmp_path: Path) -> tuple[int, str]:
    argv = [str(tmp_path / a) if a.endswith(".csv") else a for a in argv[1:]]  # -o FILE
    argv = [str(ROOT / a) if a.startswith("examples/") else a for a in argv]
    result = CliRunner().invoke(cli, argv, env=env)
    return (0 if result.exit_code == 0 else 500), result.stdout


EXAMPLES = examples()


def test_the_readme_has_examples_with_output() -> None:
    assert len(EXAMPLES) > 20
    assert sum(1 for e in EXAMPLES if e.output) > 15


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line{e.line}" for e in EXAMPLES])
def test_a_readme_example_answers_what_it_shows(
    example: Example, client: TestClient, cli_env: dict[str, str], tmp_path: Path
) -> None:
    argv = shlex.split(example.command)
    if argv[0] == "curl":
        status, real = run_curl(client, argv)
    else:
        assert argv[0] == "vocab", f"line {example.line}: only curl and vocab are run"
        status, real = run_vocab(argv, cli_env, tmp_path)
    if not example.output:  # shown output may be an error answer (a 404 lookup)
        assert status < 400, f"line {example.line}: {example.command} answered {status}: {real}"
    else:
        assert matches(example.output, real), (
            f"line {example.line} shows:\n{example.output}\n\nbut the service answers:\n{real}"
        )


@pytest.mark.parametrize(
    ("shown", "real", "same"),
    [
        ("a\nb", "a\nb\n", True),
        ("a\nb", "a\nc", False),
        ('{"a":1,\n "b":2, ...}', '{"a":1,"b":2,"c":3}', True),
        ('{"a":1,\n "b":2}', '{"a":1,"b":2}', True),
        ('{"a":1,\n "b":2}', '{"a":1,"b":3}', False),
        ("first ...\nlast", "first middle\nlast", True),
        ("first ...\nlast", "first middle\nother", False),
    ],
)
def test_shown_output_matches_only_the_real_one(shown: str, real: str, same: bool) -> None:
    assert matches(shown, real) is same


def test_every_file_the_readme_sends_is_in_the_repository() -> None:
    sent = re.findall(r"@((?:[\w.-]+/)*[\w.-]+\.\w+)", README)
    files = [s for s in sent if "/" in s or s.endswith((".txt", ".html", ".md"))]
    assert files and [f for f in files if not (ROOT / f).exists()] == []


@pytest.mark.parametrize("outside", ["../shared", "reference list", "/work/"])
def test_the_readme_and_api_reference_name_nothing_outside_the_repository(outside: str) -> None:
    for doc in (README, (ROOT / "docs" / "api.md").read_text(encoding="utf-8")):
        assert outside not in doc
