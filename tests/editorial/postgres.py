"""A private, throwaway PostgreSQL cluster for the tests: unix socket only, gone at the end.

The server binaries come from Debian's `postgresql` package (`make postgres` installs it).
As root, initdb and pg_ctl run as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
START_TIMEOUT_S = 60


def find_bin(pattern: str = PG_BIN_GLOB) -> Path:
    """Return the newest PostgreSQL server bin folder; fail saying how to install one."""
    found = sorted(
        (Path(p) for p in glob.glob(pattern) if (Path(p) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        raise RuntimeError(
            f"No PostgreSQL server binaries ({pattern}/initdb); run `make postgres` "
            "to install Debian's postgresql package, then run the tests again."
        )
    return found[-1]


class Cluster:
    """One initdb'd cluster listening on a unix socket in its own temporary folder."""

    def __init__(self) -> None:
        self.bin = find_bin()
        self.root = Path(tempfile.mkdtemp(prefix="vocab-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT_S)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{log}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--no-locale", "--no-sync")  # fmt: skip
        options = (
            f"-k {self.root} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.root} user=postgres dbname={dbname}"

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@/{dbname}?host={self.root}"

    def new_database(self, template: str = "template1") -> str:
        """Create a database (a copy of `template`, empty by default) and return its URL."""
        name = f"test_{next(self._names)}"
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)
