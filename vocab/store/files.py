"""A store's files: temporary names, atomic replacement with a backup, orphan removal.

A store file is only ever replaced whole: the new one is written under a temporary name
in the same folder (`.{name}.{pid}.{thread}.tmp`), synced, and renamed over the old one.
Before the rename the old file is kept as `{name}.bak` (a hard link, or a synced copy where
links are not possible, itself renamed into place), so every replacement can be undone:
`cp x.db.bak x.db`. One backup is kept: the file the last replacement replaced.

A process killed mid-write leaves its temporary file behind; `remove_orphans` deletes the
temporary files of a store whose writing process is gone, at the start of every command.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

BACKUP_SUFFIX = ".bak"


def backup_path(path: Path) -> Path:
    """Where the previous file of the store at `path` is kept."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def temp_path(path: Path, kind: str = "") -> Path:
    """A temporary name beside `path` that names this process and thread."""
    middle = f".{kind}" if kind else ""
    return path.with_name(f".{path.name}{middle}.{os.getpid()}.{threading.get_ident()}.tmp")


def replace_with_backup(tmp: Path, path: Path) -> Path | None:
    """Rename the finished file `tmp` over `path`, keeping the old `path` as its backup.

    Returns the backup's path, or None when there was no old file. Raises OSError.
    """
    fsync_file(tmp)
    kept = None
    if path.exists():
        kept = backup_path(path)
        staged = temp_path(path, "bak")
        staged.unlink(missing_ok=True)
        try:
            try:
                os.link(path, staged)
            except OSError:
                shutil.copyfile(path, staged)
                fsync_file(staged)
            os.replace(staged, kept)
        finally:
            staged.unlink(missing_ok=True)
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return kept


def fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_orphans(path: Path) -> list[Path]:
    """Delete the temporary files of the store at `path` whose writer is gone; return them.

    A temporary file names the process that writes it; it is an orphan when that process
    no longer runs, or runs but started after the file was last written (its number was
    reused).
    """
    path = Path(path)
    pattern = re.compile(rf"^\.{re.escape(path.name)}(?:\.bak)?\.(\d+)\.\d+\.tmp$")
    removed: list[Path] = []
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        match = pattern.match(candidate.name)
        if match is None:
            continue
        try:
            written = candidate.stat().st_mtime
            if _writer_alive(int(match.group(1)), written):
                continue
            candidate.unlink()
        except OSError:
            continue
        removed.append(candidate)
    return removed


def _writer_alive(pid: int, written: float) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    try:
        started = os.stat(f"/proc/{pid}").st_ctime
    except OSError:
        return True  # no /proc: trust that the process exists
    return started <= written + 1.0
