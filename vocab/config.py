"""Settings from environment variables, overridable by command-line options.

| variable          | default                          | meaning                            |
|-------------------|----------------------------------|------------------------------------|
| VOCAB_HOST        | 127.0.0.1                        | address to listen on               |
| VOCAB_PORT        | 8000                             | port to listen on                  |
| VOCAB_DB          | data/vocab.db (see DATA)         | the SQLite store                   |
| VOCAB_SOURCE      | ontology/vocabulary/             | the curated Turtle source (folder) |
| VOCAB_RELEASES    | releases/                        | the releases (one folder each), see vocab.release |
| VOCAB_BASE_URI    | http://127.0.0.1:8000            | base of concept URIs ({base}/terms/{id}), applied when answering |
| VOCAB_CHECK_INTERVAL | 60                            | seconds between the store's integrity checks (/ready) |
| VOCAB_WORKERS     | 1                                | server worker processes            |
| VOCAB_EDITORIAL_DB | data/editorial.db               | the editorial store: a SQLite file or a postgresql:// URL; `off` serves read-only |
| VOCAB_WEBHOOK_URLS | (none)                          | comma-separated addresses told of submitted, decided and released changes |
| VOCAB_WEBHOOK_SECRET | (none)                        | the HMAC-SHA256 key webhook signatures are made with |
| VOCAB_ROOT_PATH   | (none)                           | the sub-path a proxy serves us under (`/airt`) |
| VOCAB_DATA_DIR    | see DATA                         | where the built stores go by default |
| VOCAB_WATCH_INTERVAL | 1.0                           | seconds between checks for a new release at VOCAB_DB (0: never) |
| VOCAB_RATE_LIMITS  | (the defaults of api/limits.py) | per-client limits, `align=30/min,search=120/min,...`; `off` |
| VOCAB_TRUSTED_PROXIES | (none)                       | proxies (addresses or networks) whose X-Forwarded-For is believed |
| VOCAB_ALIGN_QUEUE  | 3                                | large alignments running or waiting at most; more answer 429 |
| VOCAB_ACCESS_LOG   | off                              | `off`, `text` (uvicorn's) or `json` (one JSON line a request) |

The base URI is the public address of concept URIs. It defaults to the service's default
address, never to the address a server binds: `vocab serve --port 8001` answers the same
canonical URIs as on 8000. A store is not tied to a base: its own URIs are answered under
the configured one (`vocab.store.rebase`). `check` validates settings before any work.

`DATA`, where the stores are written by default: `data/` of a checkout (a folder with
`pyproject.toml` beside `vocab/`); for an installed wheel, `$VOCAB_DATA_DIR`, else
`$XDG_DATA_HOME/airt-vocab`, else `~/.local/share/airt-vocab` — never inside site-packages.
The curated source (`ontology/`) is read from beside `vocab/` in both cases: the wheel
ships it as package data.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "http://127.0.0.1:8000"


def data_dir(env: dict[str, str] | None = None) -> Path:
    """Where the stores are written by default (see the module's docstring)."""
    env = dict(os.environ if env is None else env)
    if env.get("VOCAB_DATA_DIR"):
        return Path(env["VOCAB_DATA_DIR"])
    if (ROOT / "pyproject.toml").is_file():
        return ROOT / "data"
    share = (
        Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    )
    return share / "airt-vocab"


DATA = data_dir()


def normalise_root_path(root_path: str) -> str:
    """'/airt' for '/airt/', 'airt' or '/airt'; '' for '' or '/'. Raise ValueError if unusable."""
    text = root_path.strip().strip("/")
    if not text:
        return ""
    if any(c in text for c in "?#%\\ \t\"'<>") or "//" in text or ".." in text.split("/"):
        raise ValueError(
            f"The root path {root_path!r} is not a plain path: give the prefix the proxy "
            "serves the service under, such as /airt."
        )
    return "/" + text


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    db: Path = DATA / "vocab.db"
    source: Path = ROOT / "ontology" / "vocabulary"
    releases: Path = ROOT / "releases"
    base_uri: str = ""
    workers: int = 1
    editorial_db: str = str(DATA / "editorial.db")
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str = ""
    check_interval: float = 60.0
    root_path: str = ""
    watch_interval: float = 1.0
    rate_limits: str = ""
    trusted_proxies: str = ""
    align_queue: int = 3
    access_log: str = "off"

    @property
    def editorial_enabled(self) -> bool:
        """Whether the editorial routes are served (VOCAB_EDITORIAL_DB=off serves read-only)."""
        return self.editorial_db.strip().lower() not in ("", "off", "none")

    @property
    def base(self) -> str:
        """The base URI of concepts, without a trailing slash (under the root path if any)."""
        return (self.base_uri or DEFAULT_BASE + normalise_root_path(self.root_path)).rstrip("/")

    def with_options(self, **options: object) -> Settings:
        """Return these settings with every option that is not None applied."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})  # type: ignore[arg-type]


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Return Settings read from VOCAB_* environment variables."""
    env = dict(os.environ if env is None else env)
    defaults = Settings()
    return Settings(
        host=env.get("VOCAB_HOST", defaults.host),
        port=_number(env, "VOCAB_PORT", defaults.port),
        db=Path(env.get("VOCAB_DB", defaults.db)),
        source=Path(env.get("VOCAB_SOURCE", defaults.source)),
        releases=Path(env.get("VOCAB_RELEASES", defaults.releases)),
        base_uri=env.get("VOCAB_BASE_URI", defaults.base_uri),
        workers=_number(env, "VOCAB_WORKERS", defaults.workers),
        editorial_db=env.get("VOCAB_EDITORIAL_DB", defaults.editorial_db),
        webhook_urls=tuple(
            u.strip() for u in env.get("VOCAB_WEBHOOK_URLS", "").split(",") if u.strip()
        ),
        webhook_secret=env.get("VOCAB_WEBHOOK_SECRET", defaults.webhook_secret),
        check_interval=_seconds(env, "VOCAB_CHECK_INTERVAL", defaults.check_interval),
        root_path=env.get("VOCAB_ROOT_PATH", defaults.root_path),
        watch_interval=_seconds(env, "VOCAB_WATCH_INTERVAL", defaults.watch_interval),
        rate_limits=env.get("VOCAB_RATE_LIMITS", defaults.rate_limits),
        trusted_proxies=env.get("VOCAB_TRUSTED_PROXIES", defaults.trusted_proxies),
        align_queue=_number(env, "VOCAB_ALIGN_QUEUE", defaults.align_queue),
        access_log=env.get("VOCAB_ACCESS_LOG", defaults.access_log),
    )


def _number(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a whole number; set it to one.") from None


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    value = env.get(name)
    if value is None or not value.strip():
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number of seconds; set it to one.") from None


def check_base(base: str) -> str | None:
    """Return what is wrong with a base URI, or None: it must be an absolute http(s) URI."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            f"The base URI {base!r} is not an absolute http(s) URI; give one such as "
            "https://vocab.example.org (--base-uri or VOCAB_BASE_URI)."
        )
    if parts.query or parts.fragment:
        return f"The base URI {base!r} has a query or fragment; give it without them."
    return None


def check_port(port: int) -> str | None:
    """Return what is wrong with a port number, or None."""
    if not 1 <= port <= 65535:
        return f"Port {port} is out of range; give one from 1 to 65535 (--port or VOCAB_PORT)."
    return None


def check_host(host: str) -> str | None:
    """Return why `host` cannot be listened on (it does not resolve), or None."""
    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError) as exc:
        return (
            f"The host {host!r} does not resolve ({exc}); give an address such as 127.0.0.1 "
            "or 0.0.0.0 (--host or VOCAB_HOST)."
        )
    return None


def check_port_free(host: str, port: int) -> str | None:
    """Return why nothing can listen on host:port (already in use), or None."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return (
            f"Cannot listen on {host}:{port} ({exc.strerror or exc}): another process uses it. "
            "Choose another port with --port (or VOCAB_PORT), or stop the other process."
        )
    return None
