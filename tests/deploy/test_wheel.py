"""Install anywhere: the wheel carries the vocabulary, so an installed `vocab` works from any folder.

The wheel is built from this checkout (`pip wheel --no-deps`: its build backend comes from
the package registry pip is set up with, as for any user) and installed into
a fresh venv; the venv borrows the already-installed dependencies of the running
interpreter through a `.pth` file (a folder named in a `.pth` file is not itself a site
folder, so the checkout's editable install is not seen there). Everything then runs from
a temporary folder with its own XDG data home: the built store must land there, never in
site-packages.
"""

from __future__ import annotations

import site
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, START_TIMEOUT_S, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
         "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=out,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    (found,) = out.glob("airt_vocab-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed and the dependencies borrowed from this one."""
    where = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    (purelib,) = where.glob("lib/python3*/site-packages")
    (purelib / "borrowed-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(where / "bin" / "python"), "install",
         "--no-deps", "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return where


def test_the_wheel_ships_the_vocabulary_templates_and_both_licences(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "ontology/vocabulary/scheme.ttl",
        "ontology/vocabulary/organisations.ttl",
        "ontology/profile.ttl",
        "ontology/shapes.ttl",
        "ontology/context.jsonld",
        "api/templates/base.html",
        "api/templates/editorial/queue.html",
        "api/static/style.css",
        "vocab/editorial/migrations/script.py.mako",
        "vocab/editorial/migrations/versions/0001_initial.py",
    ):
        assert needed in names, f"{needed} is missing from {wheel.name}"
    licences = {Path(n).name for n in names if ".dist-info/" in n}
    assert {"LICENSE", "LICENSE-DATA"} <= licences
    assert not any(n.startswith(("tests/", "data/", "bench/")) for n in names)


def _env(home: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "share")}


def test_installed_vocab_looks_up_and_serves_from_any_folder(venv: Path, tmp_path: Path) -> None:
    vocab = str(venv / "bin" / "vocab")
    env = _env(tmp_path)
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import api, ontology; print(api.__file__, ontology.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    assert str(ROOT) not in where.stdout and str(venv) in where.stdout

    looked = subprocess.run(
        [vocab, "lookup", "MHRA"], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=600,
    )  # fmt: skip
    assert looked.returncode == 0, looked.stderr[-2000:]
    assert "Medicines and Healthcare products Regulatory Agency" in looked.stdout
    store = tmp_path / "share" / "airt-vocab" / "vocab.db"
    assert store.is_file(), "the store goes to the user's data folder"
    assert not list(venv.rglob("*.db")), "nothing is written inside the venv"

    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [vocab, "serve", "--port", str(port), "--editorial-db", "off"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lookup/MHRA", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                assert time.monotonic() < deadline, "the installed server did not answer"
                time.sleep(0.3)
        assert "Medicines and Healthcare products Regulatory Agency" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200 and "<html" in r.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/style.css", timeout=10) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
