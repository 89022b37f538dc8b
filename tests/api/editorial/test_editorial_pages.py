"""The editorial pages over HTTP, without a browser: sign in, propose from a term, suggest a
term, review side by side, decide with a comment (both backends); errors shown on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.api.editorial.conftest import PASSWORD, Desk, editorial_url, make_desk, sign_in
from vocab.vocabulary import Vocabulary


def pages_desk(url: str, published: Vocabulary, *names: str) -> Iterator[Desk]:
    desk = make_desk(url, published, passwords=names or ("pat", "carol"))
    with desk.client:
        yield desk


@pytest.fixture
def both(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, published: Vocabulary
) -> Iterator[Desk]:
    """On SQLite and PostgreSQL (the end-to-end flows)."""
    yield from pages_desk(editorial_url(backend, request, tmp_path), published)


@pytest.fixture
def pages(tmp_path: Path, published: Vocabulary) -> Iterator[Desk]:
    """On SQLite (argon2 makes every signed-in test cost a second or so)."""
    yield from pages_desk(str(tmp_path / "editorial.db"), published)


@pytest.fixture
def ivan_pages(tmp_path: Path, published: Vocabulary) -> Iterator[Desk]:
    yield from pages_desk(str(tmp_path / "editorial.db"), published, "ivan")


def browser(desk: Desk, name: str) -> TestClient:
    """A client of its own (its own cookies), signed in as `name`."""
    client = TestClient(desk.client.app, follow_redirects=False)
    answer = sign_in(client, name=name, password=PASSWORD, next="/editorial")
    assert answer.status_code == 303
    return client


def post(client: TestClient, path: str, **data: str | list[str]) -> object:
    return client.post(path, data={**data, "csrf_token": client.cookies.get("vocab_csrf") or ""})


def proposal_id(answer: object) -> int:
    location = answer.headers["location"]  # type: ignore[attr-defined]
    return int(re.fullmatch(r"/editorial/review/(\d+)", location).group(1))  # type: ignore[union-attr]


def label_form(extra: str) -> dict[str, str | list[str]]:
    """The label table of sensitivity (t0001) with one new row, as the page posts it."""
    return {
        "kind": "edit_labels", "base_version": "1", "reason": "Industry says hit rate.", "submit": "1",
        "label-0-text": "sensitivity", "label-0-kind": "pref", "label-0-lang": "en-GB", "label-0-usage": "clinical",
        "label-1-text": "recall", "label-1-kind": "alt", "label-1-lang": "en-GB", "label-1-usage": "industry",
        "label-2-text": "TPR", "label-2-kind": "acronym", "label-2-lang": "en-GB", "label-2-usage": "academic",
        "label-3-text": extra, "label-3-kind": "alt", "label-3-lang": "en-GB", "label-3-usage": ["industry", "patient"],
    }  # fmt: skip


def test_a_label_change_goes_from_the_term_page_to_approval(both: Desk) -> None:
    pages = both
    term_page = pages.client.get("/terms/t0001", headers={"Accept": "text/html"}).text
    assert 'href="/editorial/propose/t0001"' in term_page
    pat, carol = browser(pages, "pat"), browser(pages, "carol")
    pid = proposal_id(post(pat, "/editorial/propose/t0001", **label_form("hit rate")))
    assert post(carol, f"/editorial/review/{pid}", action="take").status_code == 303
    review = carol.get(f"/editorial/review/{pid}").text
    assert (
        '<ins><span class="visually-hidden">added: </span>&#34;hit rate&#34;@en-GB (alt; industry, patient)</ins>'
        in review
    )
    assert (
        post(carol, f"/editorial/review/{pid}", action="approve", comment="Agreed.").status_code
        == 303
    )
    assert pages.editorial.store.head_concept("t0001").version == 2


@pytest.mark.parametrize("query", ["qwxzv", "negative predictive value"])
def test_every_search_page_offers_to_suggest_the_term(lite: Desk, query: str) -> None:
    page = lite.client.get("/search", params={"q": query}, headers={"Accept": "text/html"}).text
    assert f"/editorial/suggest?label={quote(query, safe='')}" in page


def test_a_suggestion_from_a_search_becomes_a_proposal(both: Desk) -> None:
    pages = both
    pat = browser(pages, "pat")
    answer = post(pat, "/editorial/suggest", pref_label="negative predictive value", usage=["clinical"],
                  acronyms="NPV", definition="The share of negative results that are real negatives.",
                  plain_definition="How often a negative result is right.", sources="https://example.org/npv",
                  collection="evaluation", broader="t0004", reason="Missing.", submit="1")  # fmt: skip
    stored = pages.editorial.store.proposal(proposal_id(answer))
    assert (stored.kind.value, stored.state.value, stored.concept_ids) == (
        "add_concept",
        "submitted",
        ("t0006", "t0004"),
    )


def test_a_rejection_without_a_comment_is_shown_on_the_page(pages: Desk) -> None:
    pid = proposal_id(
        post(browser(pages, "pat"), "/editorial/propose/t0001", **label_form("hit rate"))
    )
    carol = browser(pages, "carol")
    post(carol, f"/editorial/review/{pid}", action="take")
    answer = post(carol, f"/editorial/review/{pid}", action="reject", comment="")
    assert answer.status_code == 422 and 'role="alert"' in answer.text  # type: ignore[attr-defined]


def test_own_approval_is_refused_on_the_page(ivan_pages: Desk) -> None:
    pages = ivan_pages
    pages.editorial.accounts.update_account(
        pages.accounts["admin"], pages.accounts["ivan"].id, roles=["reviewer", "proposer"]
    )
    ivan = browser(pages, "ivan")
    pid = proposal_id(post(ivan, "/editorial/propose/t0001", **label_form("hit rate")))
    answer = post(ivan, f"/editorial/review/{pid}", action="take")
    assert answer.status_code == 403 and "second pair of eyes" in answer.text  # type: ignore[attr-defined]


def test_a_stale_page_proposal_is_409_and_says_what_changed(pages: Desk) -> None:
    pat, carol = browser(pages, "pat"), browser(pages, "carol")
    first = proposal_id(post(pat, "/editorial/propose/t0001", **label_form("hit rate")))
    post(carol, f"/editorial/review/{first}", action="take")
    post(carol, f"/editorial/review/{first}", action="approve")
    answer = post(pat, "/editorial/propose/t0001", **label_form("true positive fraction"))
    assert answer.status_code == 409 and "changed since version 1" in answer.text  # type: ignore[attr-defined]


def test_signing_out_ends_the_session(pages: Desk) -> None:
    pat = browser(pages, "pat")
    post(pat, "/editorial/sign-out")
    assert post(pat, "/editorial/propose/t0001", **label_form("hit rate")).status_code == 401  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/editorial",
        "/editorial/sign-in",
        "/editorial/suggest",
        "/editorial/propose/t0001?kind=edit_labels",
    ],
)
def test_the_pages_answer_anonymous_readers(pages: Desk, path: str) -> None:
    answer = pages.client.get(path)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"


def test_a_wrong_password_is_401_on_the_sign_in_page(pages: Desk) -> None:
    answer = sign_in(pages.client, name="pat", password="not the password")
    assert answer.status_code == 401 and "Unknown account or wrong password" in answer.text


def test_sign_in_never_redirects_off_site(pages: Desk) -> None:
    client = TestClient(pages.client.app, follow_redirects=False)
    answer = sign_in(client, name="pat", password=PASSWORD, next="//evil.example/x")
    assert answer.headers["location"] == "/editorial"
