"""The editorial side against hostile callers (see test_editorial_security.py): rate limits
(E13 for sign-in and keys), CORS and CSRF (E14, E23).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.editorial.conftest import (  # noqa: F401  (fixtures)
    BASE,
    NEW_CONCEPT,
    PASSWORD,
    Desk,
    lite,
    make_desk,
    published,
    sign_in,
)
from tests.safety.editorial_proposals import propose
from vocab.editorial.security import RateLimiter
from vocab.vocabulary import Vocabulary

# --- rate limits (E13 for sign-in and keys) ---------------------------------------------------


@pytest.fixture
def limited(tmp_path: Path, published: Vocabulary) -> Iterator[Desk]:  # noqa: F811
    desk = make_desk(str(tmp_path / "e.db"), published, passwords=("carol",),
                     login_limiter=RateLimiter(3, 60), key_limiter=RateLimiter(3, 60))  # fmt: skip
    with desk.client:
        yield desk


def test_sign_in_attempts_are_rate_limited_with_retry_after(limited: Desk) -> None:
    statuses = [sign_in(limited.client, name="carol", password="wrong guess 1234")
                for _ in range(4)]  # fmt: skip
    assert [s.status_code for s in statuses] == [401, 401, 401, 429]
    assert int(statuses[-1].headers["retry-after"]) >= 1


def test_key_attempts_are_rate_limited_with_retry_after(limited: Desk) -> None:
    wrong = limited.tokens["carol"][:-4] + "AAAA"
    answers = [limited.client.get("/editorial/me", headers={"X-API-Key": wrong}) for _ in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429] and answers[-1].headers[
        "retry-after"
    ]


# --- CORS and CSRF (E14, E23) ------------------------------------------------------------------


def test_editorial_answers_are_not_shared_across_origins(lite: Desk) -> None:  # noqa: F811
    answer = lite.client.get("/editorial/proposals", headers={"Origin": "https://evil.example"})
    assert (
        "access-control-allow-origin" not in answer.headers
        and answer.headers["cache-control"] == "no-store"
    )


def test_a_cross_origin_preflight_for_an_editorial_write_fails(lite: Desk) -> None:  # noqa: F811
    answer = lite.client.options("/editorial/proposals", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert answer.status_code == 403 and "access-control-allow-origin" not in answer.headers


@pytest.fixture
def signed_in(tmp_path: Path, published: Vocabulary) -> Iterator[Desk]:  # noqa: F811
    desk = make_desk(str(tmp_path / "e.db"), published, passwords=("carol",))
    with desk.client:
        sign_in(desk.client, name="carol", password=PASSWORD)
        yield desk


@pytest.mark.parametrize("token", [None, "", "forged-token-of-another-visitor-0123456789"])
def test_a_sign_in_without_the_pages_token_is_refused(
    tmp_path: Path,
    published: Vocabulary,  # noqa: F811
    token: str | None,
) -> None:
    """Login CSRF: a post from another site carries no cookie of ours (SameSite=Strict)."""
    desk = make_desk(str(tmp_path / "e.db"), published, passwords=("carol",))
    desk.client.get("/editorial/sign-in")  # the visitor's own token is in the cookie jar
    form = {"name": "carol", "password": PASSWORD} | (
        {} if token is None else {"csrf_token": token}
    )
    answer = desk.client.post("/editorial/sign-in", data=form)
    assert answer.status_code == 403 and "came from another site" in answer.text
    assert "vocab_session" not in answer.headers.get("set-cookie", "")


def test_a_sign_in_with_no_login_cookie_is_refused(tmp_path: Path, published: Vocabulary) -> None:  # noqa: F811
    desk = make_desk(str(tmp_path / "e.db"), published, passwords=("carol",))
    form = {"name": "carol", "password": PASSWORD, "csrf_token": "a" * 43}
    answer = desk.client.post("/editorial/sign-in", data=form)
    assert answer.status_code == 403 and "vocab_session" not in answer.headers.get("set-cookie", "")


def test_the_sign_in_page_sets_a_strict_login_token_in_cookie_and_form(
    tmp_path: Path,
    published: Vocabulary,  # noqa: F811
) -> None:
    desk = make_desk(str(tmp_path / "e.db"), published)
    answer = desk.client.get("/editorial/sign-in")
    cookie = answer.headers["set-cookie"]
    token = desk.client.cookies["vocab_login_csrf"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and len(token) >= 40
    assert f'name="csrf_token" value="{token}"' in answer.text


def test_signing_in_sets_strict_http_only_cookies(tmp_path: Path, published: Vocabulary) -> None:  # noqa: F811
    desk = make_desk(str(tmp_path / "e.db"), published, passwords=("carol",))
    answer = sign_in(desk.client, name="carol", password=PASSWORD)
    cookies = answer.headers.get_list("set-cookie")
    assert answer.status_code == 303 and len(cookies) == 2
    assert all(
        "HttpOnly" in c and "SameSite=strict" in c and "Path=/editorial" in c for c in cookies
    )


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_a_form_post_without_the_csrf_token_is_refused(signed_in: Desk, token: str | None) -> None:
    pid = propose(signed_in, "pat", kind="add_concept", fields=NEW_CONCEPT).json()["id"]
    data = {"action": "take"} | ({"csrf_token": token} if token is not None else {})
    answer = signed_in.client.post(f"/editorial/review/{pid}", data=data)
    assert (
        answer.status_code == 403
        and signed_in.editorial.store.proposal(pid).state.value == "submitted"
    )


def test_a_form_post_with_the_csrf_token_is_taken(signed_in: Desk) -> None:
    pid = propose(signed_in, "pat", kind="add_concept", fields=NEW_CONCEPT).json()["id"]
    csrf = signed_in.client.cookies.get("vocab_csrf")
    answer = signed_in.client.post(
        f"/editorial/review/{pid}", data={"action": "take", "csrf_token": csrf}
    )
    assert (
        answer.status_code == 303
        and signed_in.editorial.store.proposal(pid).state.value == "in_review"
    )


def test_the_json_api_ignores_the_session_cookie(signed_in: Desk) -> None:
    answer = signed_in.client.post(
        "/editorial/proposals", json={"kind": "add_concept", "reason": "r", "fields": NEW_CONCEPT}
    )
    assert answer.status_code == 401


def test_a_read_only_service_has_no_write_route(published: Vocabulary) -> None:  # noqa: F811
    client = TestClient(create_app(published, base=BASE))
    paths = client.get("/openapi.json").json()["paths"]
    assert [p for p in paths if p.startswith("/editorial")] == []
    assert client.post("/editorial/proposals", json={}).status_code in (404, 405)
