"""`Editorial`: what the editorial routes share — the store, the workflow, accounts, webhooks.

`api.main` opens it from the settings (`open_editorial`); tests build it around a store
of their own. Routes reach it through `EditorialDep`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from api.editorial.offload import WriteWorker
from api.editorial.webhooks import WebhookSender
from vocab.config import Settings
from vocab.editorial.accounts import Accounts
from vocab.editorial.database import create_engine
from vocab.editorial.model import Proposal
from vocab.editorial.notify import NoNotifier, Notifier
from vocab.editorial.protocol import EditorialStore
from vocab.editorial.security import RateLimiter
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.editorial.workflow import Workflow

KEY_LIMIT_PER_MINUTE = 300
"""Requests a minute one API key may make (the core counts every use of a key)."""


@dataclass
class Editorial:
    """The editorial side of one server process."""

    store: EditorialStore
    workflow: Workflow
    accounts: Accounts
    notifier: Notifier = field(default_factory=NoNotifier)
    writer: WriteWorker | None = None
    names: dict[int, str] = field(default_factory=dict)
    sender_store: EditorialStore | None = None

    def write(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run a workflow step that writes: in the worker process if there is one, else here."""
        if self.writer is not None:
            return self.writer.run(method, *args, **kwargs)
        return getattr(self.workflow, method)(*args, **kwargs)

    def name(self, account_id: int | None) -> str | None:
        """Return an account's public name (cached: names never change)."""
        if account_id is None:
            return None
        if account_id not in self.names:
            self.names[account_id] = self.store.account(account_id).name
        return self.names[account_id]

    def announce(self, proposal: Proposal) -> Proposal:
        """Wake the webhook sender (the step's audit entry is its event); return the proposal."""
        self.notifier.wake()
        return proposal

    def start(self, base: str) -> None:
        """Start the webhook sender, if any, on connections of its own to the store (links
        in events start with `base`)."""
        if not isinstance(self.notifier, WebhookSender) or self.notifier.started:
            return
        store = self.store
        if isinstance(store, SqlEditorialStore):
            url = store.engine.url.render_as_string(hide_password=False)
            store = self.sender_store = SqlEditorialStore(create_engine(url))
        self.notifier.start(store, base)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.notifier.close()
        if self.sender_store is not None:
            self.sender_store.close()
        self.store.close()


def make_editorial(
    store: EditorialStore,
    *,
    notifier: Notifier | None = None,
    writer: WriteWorker | None = None,
    login_limiter: RateLimiter | None = None,
    key_limiter: RateLimiter | None = None,
) -> Editorial:
    """Return the editorial side over `store`."""
    accounts = Accounts(
        store,
        login_limiter=login_limiter,
        key_limiter=key_limiter or RateLimiter(limit=KEY_LIMIT_PER_MINUTE, window_s=60),
    )
    return Editorial(store, Workflow(store), accounts, notifier or NoNotifier(), writer)


def open_editorial(settings: Settings) -> Editorial | None:
    """Return the editorial side named by the settings, or None when it is switched off."""
    if not settings.editorial_enabled:
        return None
    notifier = (
        WebhookSender(settings.webhook_urls, settings.webhook_secret)
        if settings.webhook_urls
        else None
    )
    store = SqlEditorialStore.open(settings.editorial_db)  # migrates before the worker opens it
    return make_editorial(store, notifier=notifier, writer=WriteWorker(settings.editorial_db))


async def get_editorial(request: Request) -> Editorial:
    editorial: Editorial = request.app.state.editorial
    return editorial


EditorialDep = Annotated[Editorial, Depends(get_editorial)]
