"""Commands of the editorial side: `vocab editorial init|audit`, `vocab propose`, `vocab user ...`.

They work on the editorial store directly (VOCAB_EDITORIAL_DB), as its administrator
would: whoever can run them can read the store's file or database anyway. Each command
that acts names its account with `--as`, so the audit log says who did it; the very first
account (an admin) needs none.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from contextlib import closing, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.app import BaseOption, OutOption, SourceOption, app, env_help, err, load_settings
from loaders.turtle_source import read_source
from vocab.config import Settings
from vocab.editorial.accounts import Accounts
from vocab.editorial.errors import Unauthorised
from vocab.editorial.model import Account, ReviewerScope, Role
from vocab.editorial.rebase import rebase
from vocab.editorial.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from vocab.editorial.seed import head_snapshot, seed
from vocab.editorial.workflow import Workflow
from vocab.errors import InvalidInput, StoreError
from vocab.model import Snapshot

if TYPE_CHECKING:  # SQLAlchemy and Alembic load only when a command opens the store
    from vocab.editorial.sql_store import SqlEditorialStore

editorial_app = typer.Typer(
    help="The editorial store: set it up, export its audit log.", no_args_is_help=True
)
user_app = typer.Typer(
    help="Accounts: add, change roles, issue API keys (admins).", no_args_is_help=True
)
app.add_typer(editorial_app, name="editorial")
app.add_typer(user_app, name="user")

EditorialOption = Annotated[
    str | None,
    typer.Option(
        "--editorial-db",
        help=env_help("Editorial store: SQLite file or postgresql:// URL", "VOCAB_EDITORIAL_DB"),
    ),
]
AsOption = Annotated[
    str | None, typer.Option("--as", help="The account acting (an admin for `user`).")
]
RoleOption = Annotated[
    list[Role] | None, typer.Option("--role", help="A role; repeat for several.")
]
CommunityOption = Annotated[
    list[str] | None,
    typer.Option("--community", help="A community the account speaks for; repeat."),
]
CollectionOption = Annotated[
    list[str] | None,
    typer.Option("--collection", help="A collection it reviews ('*': all); repeat."),
]


def open_store(settings: Settings) -> SqlEditorialStore:
    if not settings.editorial_enabled:
        raise StoreError("The editorial store is switched off (VOCAB_EDITORIAL_DB=off).")
    from vocab.editorial.sql_store import SqlEditorialStore

    return SqlEditorialStore.open(settings.editorial_db)


def acting(accounts: Accounts, name: str | None) -> Account:
    """Return the account named by --as; raise Unauthorised naming what to pass."""
    found = accounts.store.account_by_name(name) if name else None
    if found is None:
        raise Unauthorised(f"Name an existing account with --as (not '{name or ''}').")
    return found


@editorial_app.command("init")
def init(
    editorial_db: EditorialOption = None, source: SourceOption = None, base_uri: BaseOption = None
) -> None:
    """Load the curated Turtle source into an empty editorial store (every concept at version 1)."""
    settings = load_settings(editorial_db=editorial_db, source=source, base_uri=base_uri)
    snapshot = read_source(settings.source, base=settings.base).snapshot
    with_store = open_store(settings)
    try:
        count = seed(with_store, snapshot, base=settings.base)
    finally:
        with_store.close()
    err.print(f"Seeded {count} concepts from {settings.source} into the editorial store.")


@editorial_app.command("audit")
def audit(output: OutOption = None, editorial_db: EditorialOption = None) -> None:
    """Write the whole audit log as JSON Lines, oldest first (stdout, or -o FILE)."""
    settings = load_settings(editorial_db=editorial_db)
    with (
        closing(open_store(settings)) as store,
        output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout) as out,
    ):
        count = Workflow(store).export_audit(out)
    err.print(f"Exported {count} audit entries{f' to {output}' if output else ''}.")


def edited_snapshot(path: Path, settings: Settings) -> Snapshot:
    """Return the vocabulary an edited source folder, or one edited file laid over the source, gives."""
    if path.is_dir():
        return read_source(path, base=settings.base).snapshot
    with tempfile.TemporaryDirectory(prefix="vocab-propose-") as folder:
        shutil.copytree(settings.source, folder, dirs_exist_ok=True)
        shutil.copyfile(path, Path(folder) / path.name)
        return read_source(Path(folder), base=settings.base).snapshot


@app.command()
def propose(
    path: Annotated[
        Path, typer.Argument(exists=True, help="An edited source folder, or one edited file of it.")
    ],
    as_: AsOption = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why: shown to reviewers (name your source).")
    ] = "",
    base: Annotated[
        Path | None,
        typer.Option("--base", help="The source the edits started from (a pull request's base)."),
    ] = None,
    draft: Annotated[
        bool, typer.Option(help="Keep the proposals as drafts instead of submitting them.")
    ] = False,
    editorial_db: EditorialOption = None,
    source: SourceOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Turn an edited Turtle source (a pull request) into proposals in the review queue."""
    settings = load_settings(editorial_db=editorial_db, source=source, base_uri=base_uri)
    edited = edited_snapshot(path, settings)
    store = open_store(settings)
    try:
        if base is not None:
            edited = rebase(
                head_snapshot(store), read_source(base, base=settings.base).snapshot, edited
            )
        actor = acting(Accounts(store), as_)
        filed = Workflow(store).file_source(actor, edited, reason=reason or "", submit=not draft)
    finally:
        store.close()
    for p in filed:
        print(f"{p.id}\t{p.state.value}\t{p.kind.value}\t{', '.join(p.concept_ids)}\t{p.title}")
    err.print(f"Filed {len(filed)} proposal(s)." if filed else "No change to propose.")


def _password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return None


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Account name: lower-case letters, digits, . _ -")],
    role: RoleOption = None,
    community: CommunityOption = None,
    collection: CollectionOption = None,
    display_name: Annotated[str, typer.Option(help="The name pages show.")] = "",
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from stdin's first line.")
    ] = False,
    as_: AsOption = None,
    editorial_db: EditorialOption = None,
) -> None:
    """Add an account (the first one must be an admin and needs no --as)."""
    with closing(open_store(load_settings(editorial_db=editorial_db))) as store:
        accounts = Accounts(store)
        password = _password(password_stdin)
        if not store.accounts():
            if set(role or ()) != {Role.ADMIN} or password is None:
                raise InvalidInput(
                    "The first account is an admin with a password: --role admin --password-stdin."
                )
            made = accounts.bootstrap_admin(name, _checked(password))
        else:
            scope = ReviewerScope(tuple(community or ()), tuple(collection or ()))
            made = accounts.create_account(
                acting(accounts, as_), name, roles=role or (), scope=scope,
                display_name=display_name, password=_checked(password) if password is not None else None,
            )  # fmt: skip
    err.print(
        f"Added '{made.name}' ({', '.join(sorted(r.value for r in made.roles)) or 'no role'})."
    )


def _checked(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters."
        )
    return password


@user_app.command("role")
def user_role(
    name: str,
    role: RoleOption = None,
    community: CommunityOption = None,
    collection: CollectionOption = None,
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Reactivate or deactivate.")
    ] = None,
    as_: AsOption = None,
    editorial_db: EditorialOption = None,
) -> None:
    """Change an account's roles, communities, collections or standing (what is not given stays)."""
    with closing(open_store(load_settings(editorial_db=editorial_db))) as store:
        accounts = Accounts(store)
        target = _named(store, name)
        scope = None
        if community is not None or collection is not None:
            scope = ReviewerScope(
                tuple(community) if community is not None else target.scope.communities,
                tuple(collection) if collection is not None else target.scope.collections,
            )
        made = accounts.update_account(
            acting(accounts, as_), target.id, roles=role, scope=scope, active=active
        )
    err.print(
        f"'{made.name}': roles {', '.join(sorted(r.value for r in made.roles)) or 'none'}; communities "
        f"{', '.join(made.scope.communities) or 'none'}; collections {', '.join(made.scope.collections) or 'none'}"
        f"{'' if made.active else '; deactivated'}."
    )


def _named(store: SqlEditorialStore, name: str) -> Account:
    found = store.account_by_name(name)
    if found is None:
        raise InvalidInput(f"No account '{name[:63]}'; `vocab user list` shows them.")
    return found


@user_app.command("key")
def user_key(
    name: str,
    label: Annotated[str, typer.Option(help="What the key is for.")] = "cli",
    revoke: Annotated[
        str | None, typer.Option(help="Revoke the key with this prefix instead.")
    ] = None,
    as_: AsOption = None,
    editorial_db: EditorialOption = None,
) -> None:
    """Issue an API key for an account and print it once (stdout), or --revoke one."""
    with closing(open_store(load_settings(editorial_db=editorial_db))) as store:
        accounts = Accounts(store)
        actor = acting(accounts, as_)
        if revoke:
            accounts.revoke_key(actor, revoke)
            err.print(f"Revoked key {revoke}.")
            return
        record, token = accounts.issue_key(actor, _named(store, name).id, label)
    print(token)
    err.print(f"Issued key {record.prefix} for '{name}'; it is shown this once.")


@user_app.command("list")
def user_list(editorial_db: EditorialOption = None) -> None:
    """List the accounts: name, roles, communities, collections, standing."""
    with closing(open_store(load_settings(editorial_db=editorial_db))) as store:
        for a in store.accounts():
            roles = ",".join(sorted(r.value for r in a.roles)) or "-"
            state = "active" if a.active else "inactive"
            print(
                f"{a.name}\t{roles}\t{','.join(a.scope.communities) or '-'}\t{','.join(a.scope.collections) or '-'}\t{state}"
            )
