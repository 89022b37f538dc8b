"""Start nginx in front of `vocab serve` replicas on loopback, as an ordinary user.

    python -m deploy.topology --db data/vocab.db --replicas 2 --port 8080
    python -m deploy.topology --print-config

Each replica is `vocab serve --db DB` on its own port (read-only: `--editorial-db off`); every
replica watches DB, so publishing a release (replacing the file at DB in one step) reaches all
of them without a restart. nginx runs from a private prefix folder (its config, cache, logs
and temporary files) with `daemon off`, so no root and no system service are needed. The
tests (tests/deploy/test_replicas.py) and the benchmark (bench/replicas.py) use `running()`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from vocab.store.sqlite_read import read_meta

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "nginx.conf"
START_TIMEOUT_S = 90


def nginx_binary() -> str:
    """The nginx executable (Debian's package puts it in /usr/sbin)."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        raise RuntimeError("nginx is not installed: `make nginx` (apt-get install nginx)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render(
    prefix: Path,
    listen: int,
    replicas: Sequence[int],
    *,
    root_path: str = "",
    host: str = "127.0.0.1",
) -> str:
    """The nginx config for these ports; `root_path` (`/airt`) serves everything under it."""
    upstreams = "\n".join(
        f"        server {host}:{port} max_fails=1 fail_timeout=5s;" for port in replicas
    )
    root_path = root_path.rstrip("/")
    fields = {
        "@PREFIX@": str(prefix),
        "@UPSTREAMS@": upstreams,
        "@LISTEN@": f"{host}:{listen}",
        "@LOCATION@": f"{root_path}/",
        "@PASS@": "/" if root_path else "",
    }
    # nginx started by root hands its workers to `nobody`, who may not write the prefix
    # folder: keep them as the user who started it (an ordinary user needs no directive)
    user = ""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import grp
        import pwd

        entry = pwd.getpwuid(os.geteuid())
        user = f"user {entry.pw_name} {grp.getgrgid(entry.pw_gid).gr_name};\n"
    fields["@USER@"] = user
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace(name, value)
    return text


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited early:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S} s") from None
            time.sleep(0.2)


@dataclass
class Replica:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: the crash nothing can clean up after."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Topology:
    url: str  # nginx, with the sub-path if any
    prefix: Path
    replicas: list[Replica] = field(default_factory=list)


def start_replica(
    db: Path,
    port: int,
    log: BinaryIO,
    *,
    base_uri: str,
    root_path: str,
    source: Path | None,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    # nginx runs on loopback: the X-Forwarded-For it sends names the client
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--db", str(db),
               "--base-uri", base_uri, "--editorial-db", "off",
               "--trusted-proxy", "127.0.0.1"]  # fmt: skip
    if source is not None:
        command += ["--source", str(source)]
    settings = {"VOCAB_WATCH_INTERVAL": "0.5", **os.environ, **(env or {})}
    if root_path:
        settings["VOCAB_ROOT_PATH"] = root_path
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=settings)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running(
    db: Path,
    *,
    replicas: int = 2,
    base_uri: str | None = None,
    root_path: str = "",
    source: Path | None = None,
    listen: int | None = None,
    workdir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[Topology]:
    """nginx on `listen` (a free port by default) in front of `replicas` `vocab serve` of `db`.

    The replicas serve the store's own base URI unless `base_uri` is given; `env` adds
    settings (VOCAB_*) to theirs."""
    if base_uri is None:
        base_uri = (read_meta(db) or {}).get("base") or "http://127.0.0.1:8000"
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vocab-deploy-")))
        prefix = workdir / "nginx"
        shutil.rmtree(prefix / "cache", ignore_errors=True)  # every run starts cold
        for sub in ("tmp", "cache"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        ports = [free_port() for _ in range(replicas)]
        listen = listen or free_port()
        topology = Topology(f"http://127.0.0.1:{listen}{root_path.rstrip('/')}", prefix)
        for n, port in enumerate(ports, 1):
            log = stack.enter_context((workdir / f"replica-{n}.log").open("wb"))
            process = start_replica(
                db, port, log, base_uri=base_uri, root_path=root_path, source=source, env=env
            )
            stack.callback(stop, process)
            topology.replicas.append(Replica(port, process))
        for n, replica in enumerate(topology.replicas, 1):
            wait_for(f"{replica.url}/health", replica.process, workdir / f"replica-{n}.log")
        (prefix / "nginx.conf").write_text(render(prefix, listen, ports, root_path=root_path))
        command = [nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                   "-e", str(prefix / "error.log"), "-g", "daemon off;"]  # fmt: skip
        log = stack.enter_context((workdir / "nginx.log").open("wb"))
        nginx = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(stop, nginx)
        wait_for(f"{topology.url}/health", nginx, workdir / "nginx.log")
        yield topology


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "vocab.db")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--base-uri", default=None, help="default: the store's own")
    parser.add_argument("--root-path", default="")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--print-config", action="store_true", help="print the nginx config and stop"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the replicas and nginx too
    if args.print_config:
        prefix = (args.workdir or Path("deploy/run")).absolute() / "nginx"
        print(
            render(
                prefix,
                args.port,
                [8001 + n for n in range(args.replicas)],
                root_path=args.root_path,
            )
        )
        return
    with running(args.db, replicas=args.replicas, base_uri=args.base_uri,
                 root_path=args.root_path, listen=args.port, workdir=args.workdir) as topology:  # fmt: skip
        ports = ", ".join(str(r.port) for r in topology.replicas)
        print(f"nginx on {topology.url}/ in front of replicas on ports {ports}; Ctrl-C to stop.")
        try:
            while all(r.process.poll() is None for r in topology.replicas):
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
