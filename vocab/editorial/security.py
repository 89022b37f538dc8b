"""Secrets: argon2 password hashes, API keys and session tokens stored as SHA-256, rate limits.

An API key reads `airt_<prefix>_<secret>`: the prefix is not secret and names the key in
lists and logs; the whole key is shown once and stored only as its SHA-256 (a high-entropy
token needs no slow hash). Every comparison of secrets is constant-time.

>>> key = new_api_key()
>>> key.token.startswith("airt_" + key.prefix + "_"), key_prefix(key.token) == key.prefix
(True, True)
>>> tokens_match(key.key_hash, key.token), tokens_match(key.key_hash, key.token + "x")
(True, False)
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vocab.editorial.errors import RateLimited

KEY_SCHEME = "airt"
_KEY = re.compile(r"^airt_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes anything, but nobody needs a megabyte password

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password; raise ValueError if it is too short or long."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValueError(
            f"A password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters."
        )
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether `password` matches; a missing or malformed hash never matches."""
    if not password_hash or len(password) > MAX_PASSWORD_LENGTH:
        _hasher.hash("timing-equaliser")  # cost the same whether or not the account exists
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Return whether a stored hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def sha256(token: str) -> str:
    """Return the hex SHA-256 of a token (how keys, session and CSRF tokens are stored)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def tokens_match(stored_hash: str, presented: str) -> bool:
    """Return whether a presented token hashes to the stored hash, in constant time."""
    return secrets.compare_digest(stored_hash, sha256(presented))


@dataclass(frozen=True)
class NewApiKey:
    """A fresh key: `token` is shown to its owner once; only `key_hash` is stored."""

    token: str
    prefix: str
    key_hash: str


def new_api_key() -> NewApiKey:
    """Return a new random API key (256 bits of secret from `secrets`)."""
    prefix = "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(12))
    token = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewApiKey(token, prefix, sha256(token))


def key_prefix(token: str) -> str | None:
    """Return the prefix of a well-formed key, or None for anything else."""
    match = _KEY.match(token) if len(token) < 200 else None
    return match.group(1) if match else None


@dataclass(frozen=True)
class NewSession:
    """Fresh session and CSRF tokens for a browser; only their hashes are stored."""

    token: str
    csrf_token: str

    @property
    def token_hash(self) -> str:
        return sha256(self.token)

    @property
    def csrf_hash(self) -> str:
        return sha256(self.csrf_token)


def new_session_tokens() -> NewSession:
    """Return random session and CSRF tokens."""
    return NewSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32))


class RateLimiter:
    """At most `limit` attempts per key in any `window_s` seconds (a sliding window, in memory).

    The HTTP layer keys it by account name or key prefix for logins and key attempts. It is
    per process: run one worker for the editorial routes, or put a shared limiter behind the
    same two methods.

    >>> limiter = RateLimiter(limit=2, window_s=60, clock=lambda: 0.0)
    >>> limiter.hit("alice"); limiter.hit("alice")
    >>> limiter.hit("alice")
    Traceback (most recent call last):
    vocab.editorial.errors.RateLimited: Too many attempts for 'alice'; try again in 60 s.
    """

    MAX_KEYS = 100_000  # past this many keys, forget those with no attempt in the window

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one attempt; raise RateLimited (with `retry_after`) past the limit."""
        now = self._clock()
        with self._lock:
            if len(self._attempts) >= self.MAX_KEYS:
                self._forget_idle(now)
            attempts = self._attempts.setdefault(key, deque())
            while attempts and attempts[0] <= now - self.window_s:
                attempts.popleft()
            if len(attempts) >= self.limit:
                retry = attempts[0] + self.window_s - now
                raise RateLimited(
                    f"Too many attempts for '{key}'; try again in {retry:.0f} s.", retry
                )
            attempts.append(now)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, a in self._attempts.items() if not a or a[-1] <= now - self.window_s]
        for k in idle:
            del self._attempts[k]

    def reset(self, key: str) -> None:
        """Forget the attempts of a key (after a successful login)."""
        with self._lock:
            self._attempts.pop(key, None)
