"""No hostile input reaches outside: every hostile payload, read in a child process whose
audit hook forbids the network and files outside the install, is refused with our
ParseError family and trips no hook (A10); no code hands rdflib or pyoxigraph a location to
open, only bytes (A11).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.safety.hostile_payloads import GENERATED, HOSTILE, write_payloads

# --- A10: audit hook in a child process -------------------------------------------------

AUDITED_READER = textwrap.dedent(
    """
    import json, os, sys, urllib.request
    from pathlib import Path
    from loaders import read_file
    from vocab.errors import ParseError

    payloads, allowed = Path(sys.argv[1]), tuple(sys.argv[2:])
    fired = []

    def deny(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                     "urllib.Request", "http.client.connect"):
            fired.append([event, repr(args)[:200]])
            raise PermissionError(event)
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if not path.startswith(allowed):
                fired.append([event, path])
                raise PermissionError(path)

    sys.addaudithook(deny)
    results = {}
    for path in sorted(payloads.iterdir()):
        try:
            read_file(path, base="http://127.0.0.1:8000")
            results[path.name] = "accepted"
        except ParseError as exc:
            results[path.name] = "ParseError:" + type(exc).__name__
        except BaseException as exc:
            results[path.name] = "crash:" + type(exc).__name__ + ": " + str(exc)[:200]
    payload_hooks = list(fired)
    for probe in (lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1),
                  lambda: open("/etc/hostname")):
        try:
            probe()
        except BaseException:
            continue
    controls = fired[len(payload_hooks):]
    print(json.dumps({"results": results, "fired": payload_hooks, "controls": controls}))
    """
)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Read every hostile payload in a child process that forbids network and stray files."""
    folder = tmp_path_factory.mktemp("audited")
    payloads = write_payloads(folder / "payloads")
    (folder / "ctx.jsonld").write_text('{"@context": {}}')  # what "ctx.jsonld" would name
    allowed = [sys.prefix, sys.base_prefix, str(ROOT), str(folder / "payloads")]
    done = subprocess.run(
        [sys.executable, "-c", AUDITED_READER, str(folder / "payloads"), *allowed],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    report["payloads"] = [p.name for p in payloads]
    return report


def test_the_audit_hook_catches_a_fetch_and_a_stray_open(audited: dict[str, Any]) -> None:
    """The control: the hook does see what the payloads must never cause."""
    assert [event for event, _ in audited["controls"]] == ["urllib.Request", "open"]


def test_no_hostile_payload_touches_the_network_or_files_outside_the_install(
    audited: dict[str, Any],
) -> None:
    assert audited["fired"] == []


@pytest.mark.parametrize("name", sorted([p.name for p in HOSTILE.iterdir()] + list(GENERATED)))
def test_each_hostile_payload_is_refused_with_a_parse_error_under_the_audit_hook(
    audited: dict[str, Any], name: str
) -> None:
    assert audited["results"][name].startswith("ParseError:")


# --- A11: parsers only ever get bytes --------------------------------------------------------

LOCATION_KEYWORDS = {"source", "location", "path", "file", "url", "publicID"}
# Bundled, constant files the service itself ships; never user input. (None any more.)
TRUSTED_LOCATIONS: set[tuple[str, str]] = set()


def parse_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for package in ("vocab", "api", "loaders", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = (
                        node.func.attr
                        if isinstance(node.func, ast.Attribute)
                        else getattr(node.func, "id", "")
                    )
                    if name in ("parse", "parse_file", "load"):
                        calls.append((str(path.relative_to(ROOT)), node))
    return calls


def location_of(path: str, call: ast.Call) -> str | None:
    """What the call would open, if anything: a location keyword or rdflib's positional source."""
    for keyword in call.keywords:
        if keyword.arg in LOCATION_KEYWORDS:
            return ast.unparse(keyword.value)
    receiver = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    if call.args and receiver not in ("ox", "pyoxigraph"):
        return ast.unparse(call.args[0])  # rdflib's Graph.parse(source, ...)
    return None


@pytest.mark.parametrize(
    ("code", "location"),
    [
        ('Graph().parse(location="http://169.254.169.254/")', "'http://169.254.169.254/'"),
        ("graph.parse(user_path, format='xml')", "user_path"),
        ("g.parse(source=url)", "url"),
        ("ox.parse(path=upload)", "upload"),
        ("graph.parse(data=body, format='turtle')", None),
        ("ox.parse(body, format=ox.RdfFormat.TURTLE)", None),
    ],
)
def test_the_static_check_tells_locations_from_data(code: str, location: str | None) -> None:
    call = ast.parse(code).body[0].value  # type: ignore[attr-defined]
    assert location_of("x.py", call) == location


def test_rdflib_and_pyoxigraph_are_only_given_bytes_never_a_location() -> None:
    opened = {
        (path, location)
        for path, call in parse_calls()
        if (location := location_of(path, call)) is not None
    }
    assert opened <= TRUSTED_LOCATIONS


def test_the_parse_gate_hands_pyoxigraph_the_bytes_it_checked() -> None:
    calls = [call for path, call in parse_calls() if path == "loaders/rdf_input.py"]
    assert [(ast.unparse(c.func), [ast.unparse(a) for a in c.args]) for c in calls] == [
        ("ox.parse", ["data"])
    ]
