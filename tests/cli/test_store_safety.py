"""Issue 14, "the store never loses a vocabulary": the `vocab` command never replaces a
store implicitly, keeps a backup of every replacement, survives kill -9 and a full disk,
and validates its settings before any work (real processes, real files)."""

from __future__ import annotations

import hashlib
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import vocab
from tests.conftest import FIXTURES, ROOT, SOURCE, free_port
from vocab.store import SQLiteStore
from vocab.store.sqlite_read import read_meta

LIFECYCLE = FIXTURES / "lifecycle.ttl"
KILLS = 5  # kill -9 trials per command: bounded, each a few seconds


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture(scope="module")
def shipped_nt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped vocabulary as N-Triples, a file to import (524 concepts)."""
    path = tmp_path_factory.mktemp("export") / "shipped.nt"
    done = vocab("export", "-f", "nt", "-o", str(path), "--db", str(path.parent / "none.db"))
    assert done.returncode == 0, done.stderr
    return path


def small_store(folder: Path) -> Path:
    """A store of the 7-concept lifecycle fixture, built from it as its curated source."""
    db = folder / "x.db"
    done = vocab("build", "--db", str(db), "--source", str(LIFECYCLE))
    assert done.returncode == 0, done.stderr
    return db


def test_an_imported_store_is_served_as_it_is_and_never_rebuilt(
    tmp_path: Path, shipped_nt: Path
) -> None:
    db = tmp_path / "x.db"
    done = vocab("import", str(shipped_nt), "--db", str(db), "--source", str(LIFECYCLE))
    assert done.returncode == 0, done.stderr
    before = digest(db)
    for args in (
        ["lookup", "MHRA", "--base-uri", "http://127.0.0.1:8001"],
        ["search", "recall", "--json"],
        ["export", "-f", "ttl"],
        ["build"],  # refused: the store holds an import
    ):
        result = vocab(*args, "--db", str(db), "--source", str(LIFECYCLE))
        assert "Traceback" not in result.stderr
        assert "Building" not in result.stderr
    assert digest(db) == before
    assert "MHRA" in vocab("lookup", "MHRA", "--db", str(db)).stdout
    refused = vocab("build", "--db", str(db), "--source", str(LIFECYCLE))
    assert refused.returncode == 2
    assert "import of shipped.nt" in refused.stderr and "--force" in refused.stderr


def test_another_base_uri_needs_no_rebuild_and_shows_in_every_uri(tmp_path: Path) -> None:
    db = small_store(tmp_path)
    before = digest(db)
    result = vocab(
        "lookup",
        "CT",
        "--db",
        str(db),
        "--source",
        str(LIFECYCLE),
        "--base-uri",
        "https://v.example.org/x",
    )
    assert result.returncode == 0, result.stderr
    assert "https://v.example.org/x/terms/ct" in result.stdout
    exported = vocab(
        "export",
        "-f",
        "nt",
        "--db",
        str(db),
        "--source",
        str(LIFECYCLE),
        "--base-uri",
        "https://v.example.org/x",
    )
    assert "<https://v.example.org/x/terms/ct>" in exported.stdout
    assert "127.0.0.1:8000/terms" not in exported.stdout
    assert digest(db) == before and "Building" not in result.stderr + exported.stderr


def test_export_never_writes_the_store(tmp_path: Path) -> None:
    source = tmp_path / "source.ttl"
    source.write_bytes(LIFECYCLE.read_bytes())
    db = tmp_path / "x.db"
    assert vocab("build", "--db", str(db), "--source", str(source)).returncode == 0
    source.write_text(source.read_text().replace("Cross-sectional", "Cross-sectional (edited)"))
    before, mtime = digest(db), db.stat().st_mtime_ns
    result = vocab("export", "-f", "ttl", "--db", str(db), "--source", str(source))
    assert result.returncode == 0 and "(edited)" in result.stdout  # the source, read
    assert digest(db) == before and db.stat().st_mtime_ns == mtime
    missing = tmp_path / "none.db"
    assert (
        vocab("export", "-f", "ttl", "--db", str(missing), "--source", str(source)).returncode == 0
    )
    assert not missing.exists()


@pytest.mark.parametrize("command", [["serve", "--port", "PORT"], ["lookup", "CT"], ["build"]])
def test_an_unreadable_store_stops_the_command_with_what_to_do(
    tmp_path: Path, command: list[str]
) -> None:
    """Reliability case C11 (corrupt DB at startup): the meta page is damaged; nothing
    repairs or overwrites the file, and the message says how to rebuild or restore."""
    db = small_store(tmp_path)
    data = bytearray(db.read_bytes())
    data[4096 : 2 * 4096] = b"\xa5" * 4096  # page 2: the meta table
    db.write_bytes(bytes(data))
    before = digest(db)
    command = [str(free_port()) if part == "PORT" else part for part in command]
    result = vocab(*command, "--db", str(db), "--source", str(LIFECYCLE))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "vocab build --db" in result.stderr and "--force" in result.stderr
    assert f"{db}.bak" in result.stderr
    assert digest(db) == before


def test_build_force_replaces_and_keeps_the_old_store_as_backup(
    tmp_path: Path, shipped_nt: Path
) -> None:
    db = tmp_path / "x.db"
    assert vocab("import", str(shipped_nt), "--db", str(db)).returncode == 0
    imported = digest(db)
    done = vocab("build", "--force", "--db", str(db), "--source", str(LIFECYCLE))
    assert done.returncode == 0, done.stderr
    assert f"{db}.bak" in done.stderr
    assert digest(Path(f"{db}.bak")) == imported
    assert (read_meta(db) or {})["origin_kind"] == "source"


def run_and_kill(args: list[str], delay: float, db: Path, *, while_writing: bool) -> bool:
    """Run `vocab ARGS` and SIGKILL it `delay` seconds after its start, or after its
    temporary file appears (`while_writing`); return whether it was killed mid-write."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        start_new_session=True,
    )
    if while_writing:
        deadline = time.monotonic() + 120
        while not temporaries(db) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        writing = bool(temporaries(db))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        return writing
    return False


def assert_whole(db: Path, counts: set[int]) -> int:
    """The store (and its backup, if any) open, pass quick_check, and hold one of `counts`."""
    for path in (db, Path(f"{db}.bak")):
        if path == db or path.exists():
            store = SQLiteStore(path)
            assert store.quick_check() is None
            assert store.count() in counts
    return SQLiteStore(db).count()


@pytest.mark.parametrize("command", ["build", "import"])
def test_kill_9_at_random_points_leaves_the_old_or_the_new_store(
    tmp_path: Path, shipped_nt: Path, command: str
) -> None:
    """Reliability case C2 (kill -9 during an import): after each kill the store is either
    the old one or the new one, whole and readable, and the next command removes the
    orphan temporary file."""
    rng = random.Random(14)
    db = small_store(tmp_path)
    args = (
        ["build", "--force", "--db", str(db), "--source", str(SOURCE)]
        if command == "build"
        else ["import", str(shipped_nt), "--db", str(db)]
    )
    old = SQLiteStore(db).count()
    seen = set()
    mid_write = 0
    for trial in range(KILLS):
        # even trials: at a random point of the write; odd ones: of the whole run
        writing = trial % 2 == 0
        delay = rng.uniform(0.0, 0.3) if writing else rng.uniform(0.3, 6.0)
        mid_write += run_and_kill(args, delay, db, while_writing=writing)
        seen.add(assert_whole(db, {old, 524}))
        tidy = vocab("import", str(LIFECYCLE), "--dry-run", "--db", str(db))
        assert tidy.returncode == 0, tidy.stderr
        assert temporaries(db) == []
    for _ in range(KILLS):  # a quiet machine may write faster than the kills: kill at once
        if mid_write:
            break
        mid_write += run_and_kill(args, 0.0, db, while_writing=True)
        seen.add(assert_whole(db, {old, 524}))
        assert vocab("import", str(LIFECYCLE), "--dry-run", "--db", str(db)).returncode == 0
        assert temporaries(db) == []
    assert seen <= {old, 524}
    assert mid_write > 0  # at least one kill hit the write itself


def limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))


def test_a_full_disk_fails_the_write_and_keeps_the_old_store(
    tmp_path: Path, shipped_nt: Path
) -> None:
    """Reliability case C10 (disk full, I/O errors): a file-size limit makes the writes of
    the new store fail; the command says so, the old store is intact, no temporary file."""
    db = small_store(tmp_path)
    before = digest(db)
    for args in (
        ["import", str(shipped_nt), "--db", str(db)],
        ["build", "--force", "--db", str(db), "--source", str(SOURCE)],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cli", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            preexec_fn=limit_file_size,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "Could not build the store" in result.stderr
        assert digest(db) == before and temporaries(db) == []
        assert SQLiteStore(db).quick_check() is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--port", "80800"], "Port 80800 is out of range"),
        (["serve", "--port", "0"], "Port 0 is out of range"),
        (["serve", "--base-uri", "vocab.example.org"], "not an absolute http(s) URI"),
        (["serve", "--base-uri", "ftp://vocab.example.org"], "not an absolute http(s) URI"),
        (["serve", "--host", "no-such-host.invalid"], "does not resolve"),
        (["lookup", "CT", "--base-uri", "/relative"], "not an absolute http(s) URI"),
        (["export", "-o", "/missing/dir/x.ttl"], "/missing/dir does not exist"),
        (["annotate", "-", "-o", "/missing/dir/x.txt"], "/missing/dir does not exist"),
        (["align", "x.txt", "-o", "/missing/dir/x.csv"], "/missing/dir does not exist"),
    ],
)
def test_bad_settings_are_refused_before_any_work(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "x.db"
    result = vocab(*args, "--db", str(db), timeout=30)
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split()).replace("│", "").replace("  ", " ") or (
        message in result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()  # refused before any build


def test_a_port_in_use_is_reported_before_any_build_with_a_hint(tmp_path: Path) -> None:
    import socket

    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        db = tmp_path / "x.db"
        started = time.monotonic()
        result = vocab("serve", "--port", str(port), "--db", str(db), timeout=60)
    assert result.returncode == 2
    assert "another process uses it" in result.stderr and "--port" in result.stderr
    assert not db.exists() and time.monotonic() - started < 60


@pytest.mark.parametrize("command", [[], ["serve"], ["build"], ["export"], ["lookup"]])
def test_help_names_each_variable_and_its_default(command: list[str]) -> None:
    result = vocab(*command, "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "VOCAB_DB" in text and "data/vocab.db" in text
    if command in ([], ["serve"]):
        assert "VOCAB_HOST" in text and "VOCAB_PORT" in text and "8000" in text
