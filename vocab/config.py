"""Settings from environment variables, overridable by command-line options.

| variable          | default                          | meaning                            |
|-------------------|----------------------------------|------------------------------------|
| VOCAB_HOST        | 127.0.0.1                        | address to listen on               |
| VOCAB_PORT        | 8000                             | port to listen on                  |
| VOCAB_DB          | data/vocab.db                    | the SQLite store                   |
| VOCAB_SOURCE      | ontology/vocabulary/             | the curated Turtle source (folder) |
| VOCAB_BASE_URI    | http://{host}:{port}             | base of concept URIs ({base}/terms/{id}) |
| VOCAB_WORKERS     | 1                                | server worker processes            |
| VOCAB_EDITORIAL_DB | data/editorial.db               | the editorial store: a SQLite file or a postgresql:// URL; `off` serves read-only |
| VOCAB_WEBHOOK_URLS | (none)                          | comma-separated addresses told of submitted, decided and released changes |
| VOCAB_WEBHOOK_SECRET | (none)                        | the HMAC-SHA256 key webhook signatures are made with |
| VOCAB_RATE_LIMITS  | (the defaults of api/limits.py) | per-client limits, `align=30/min,search=120/min,...`; `off` |
| VOCAB_TRUSTED_PROXIES | (none)                       | proxies (addresses or networks) whose X-Forwarded-For is believed |
| VOCAB_ALIGN_QUEUE  | 3                                | large alignments running or waiting at most; more answer 429 |
| VOCAB_ACCESS_LOG   | off                              | `off`, `text` (uvicorn's) or `json` (one JSON line a request) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    db: Path = ROOT / "data" / "vocab.db"
    source: Path = ROOT / "ontology" / "vocabulary"
    base_uri: str = ""
    workers: int = 1
    editorial_db: str = str(ROOT / "data" / "editorial.db")
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str = ""
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
        """The base URI of concepts, without a trailing slash."""
        return (self.base_uri or f"http://{self.host}:{self.port}").rstrip("/")

    def with_options(self, **options: object) -> Settings:
        """Return these settings with every option that is not None applied."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})  # type: ignore[arg-type]


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Return Settings read from VOCAB_* environment variables."""
    env = dict(os.environ if env is None else env)
    defaults = Settings()
    return Settings(
        host=env.get("VOCAB_HOST", defaults.host),
        port=int(env.get("VOCAB_PORT", defaults.port)),
        db=Path(env.get("VOCAB_DB", defaults.db)),
        source=Path(env.get("VOCAB_SOURCE", defaults.source)),
        base_uri=env.get("VOCAB_BASE_URI", defaults.base_uri),
        workers=int(env.get("VOCAB_WORKERS", defaults.workers)),
        editorial_db=env.get("VOCAB_EDITORIAL_DB", defaults.editorial_db),
        webhook_urls=tuple(
            u.strip() for u in env.get("VOCAB_WEBHOOK_URLS", "").split(",") if u.strip()
        ),
        webhook_secret=env.get("VOCAB_WEBHOOK_SECRET", defaults.webhook_secret),
        rate_limits=env.get("VOCAB_RATE_LIMITS", defaults.rate_limits),
        trusted_proxies=env.get("VOCAB_TRUSTED_PROXIES", defaults.trusted_proxies),
        align_queue=int(env.get("VOCAB_ALIGN_QUEUE", defaults.align_queue)),
        access_log=env.get("VOCAB_ACCESS_LOG", defaults.access_log),
    )
