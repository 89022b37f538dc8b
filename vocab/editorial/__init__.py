"""The editorial side: accounts, proposals, reviews, the audit log and releases. No HTTP here.

| module          | what it holds                                                            |
|-----------------|--------------------------------------------------------------------------|
| model.py        | Account, Role, ReviewerScope, Proposal, ConceptEdit, Review, Comment, AuditEntry, Release, Delivery |
| errors.py       | Unauthorised (401), Forbidden (403), Conflict (409), GateFailed (422), RateLimited (429) |
| rules.py        | who may do what, as data: grants, kinds and their fields, transitions, four eyes, communities |
| checks.py       | clean text, no invisible or bidi characters in labels, look-alike labels (skeletons) |
| payload.py      | a proposal's JSON fields checked per kind, then applied to a concept      |
| changes.py      | two-way relations, edits applied to a Snapshot, an edited source as draft proposals |
| review.py       | submit, withdraw, take, approve, reject (the review steps)                |
| workflow.py     | Workflow: propose, file an edited source, read the queue, comment, releases, audit export |
| accounts.py     | Accounts: create and manage accounts, API keys, sign-in sessions with CSRF |
| security.py     | argon2 passwords, SHA-256 stored keys and tokens, constant-time checks, RateLimiter |
| seed.py         | seed(store, snapshot, base=...) and head_snapshot(store)                  |
| protocol.py     | EditorialStore: what the workflow needs from storage                      |
| sql_store.py    | SqlEditorialStore on SQLite or PostgreSQL (with sql_base, sql_head, sql_accounts, sql_outbox, sql_rows) |
| notify.py       | webhook events made from audit entries, signatures, the retry schedule   |
| schema.py       | the tables, as the migrations create them                                 |
| database.py     | engines (SQLite pragmas, BEGIN IMMEDIATE), Alembic upgrade(url)           |
| migrations/     | Alembic revisions, oldest first                                           |
| codec.py        | JSON-ready forms of edits, findings, proposals, snapshots; UTC timestamps |
"""
