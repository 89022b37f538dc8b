"""Settings from environment variables, overridable by command-line options.

| variable          | default                          | meaning                            |
|-------------------|----------------------------------|------------------------------------|
| VOCAB_HOST        | 127.0.0.1                        | address to listen on               |
| VOCAB_PORT        | 8000                             | port to listen on                  |
| VOCAB_DB          | data/vocab.db                    | the SQLite store                   |
| VOCAB_SOURCE      | ontology/vocabulary/             | the curated Turtle source (folder) |
| VOCAB_BASE_URI    | http://{host}:{port}             | base of concept URIs ({base}/terms/{id}) |
| VOCAB_WORKERS     | 1                                | server worker processes            |
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
    )
