"""Hostile text on the way in and out: HTTP query text with invalid UTF-8 or FTS syntax
never answers 500 (C12, C14), and text for terminals carries no escape sequences (E8).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from loaders.terminal import safe
from tests.conftest import BASE
from vocab.model import Concept, Label, LabelKind, LangText, Scheme, Snapshot
from vocab.source import write_store
from vocab.vocabulary import Vocabulary

# --- C12, C14: HTTP query text ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/search?q=%ED%A0%80", "/suggest?q=%ED%A0%80", "/search?q=a%ffb", "/suggest?q=%C0%80"]
)
def test_invalid_utf8_in_search_text_never_answers_500(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert (
        "\ufffd" in response.json()["query"]
    )  # invalid bytes became U+FFFD, never a lone surrogate


@pytest.mark.parametrize("text", ["%ED%A0%80", "%ff", "%ED%A0%80%ED%B0%80"])
def test_invalid_utf8_in_lookup_text_is_a_404_with_json(client: TestClient, text: str) -> None:
    response = client.get(f"/lookup/{text}", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("route", ["/search", "/suggest"])
@pytest.mark.parametrize(
    "q",
    ['neural"', "AND", "*", "NEAR(", '"unterminated', "a OR b NOT", "label:neural", "^", "-", '""'],
)
def test_fts_syntax_in_query_text_is_ordinary_text(client: TestClient, route: str, q: str) -> None:
    response = client.get(route, params={"q": q})
    assert response.status_code == 200
    assert response.json()["query"] == q


@pytest.mark.parametrize(
    "q",
    ['machine learning"', '"machine learning', "machine*", "NEAR(machine learning)", "(machine"],
)
def test_fts_syntax_around_a_term_still_finds_it(client: TestClient, q: str) -> None:
    assert (
        client.get("/search", params={"q": q}).json()["results"][0]["prefLabel"]
        == "machine learning"
    )


# --- E8: terminal escapes ----------------------------------------------------------------------

ESCAPES = {
    "clear-screen": "\x1b[2J",
    "window-title": "\x1b]0;PWNED\x07",
    "hyperlink": "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
    "carriage-return": "\rFAKE",
    "c1-csi": "\x9b31m",
    "bidi-override": "\u202e",
    "bidi-isolate": "\u2066",
    "backspace": "\x08\x08",
}
TERMINAL_CONTROLS = [
    chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
] + ["\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_safe_text_holds_no_terminal_control(escape: str) -> None:
    cleaned = safe(f"before {escape} after")
    assert [c for c in cleaned if c in TERMINAL_CONTROLS] == []
    assert cleaned.startswith("before ") and cleaned.endswith(" after")


def test_safe_text_keeps_newlines_and_tabs() -> None:
    assert safe("one\ttwo\nthree") == "one\ttwo\nthree"


@pytest.fixture(scope="module")
def escapes_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A store holding escape sequences (as an older or hand-built store might), served."""
    scheme = f"{BASE}/scheme"
    concept = Concept(
        id="esc",
        uri=f"{BASE}/terms/esc",
        in_schemes=(scheme,),
        labels=(
            Label("escape\x1b[2Jtest", "en", LabelKind.PREF),
            Label("ESC", "en", LabelKind.ACRONYM),
        ),
        definitions=(LangText("Defined " + "".join(ESCAPES.values()) + " here.", "en"),),
    )
    db = tmp_path_factory.mktemp("escapes") / "vocab.db"
    write_store(
        db,
        Snapshot(
            (Scheme(scheme, titles=(LangText("Escapes", "en"),)),),
            (concept,),
            (),
            {scheme: (concept.uri,)},
        ),
        origin="test",
        source=db.parent / "none",
        base=BASE,
    )
    return TestClient(create_app(Vocabulary.open(db), base=BASE))


@pytest.mark.parametrize("url", ["/terms/esc", "/lookup/ESC"])
def test_plain_text_answers_hold_no_terminal_control(escapes_client: TestClient, url: str) -> None:
    response = escapes_client.get(url, headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/plain")
    assert [c for c in response.text if c in TERMINAL_CONTROLS] == []
    assert "Defined" in response.text


def test_the_shipped_bidi_override_is_stripped_from_plain_text(
    lifecycle_client: TestClient,
) -> None:
    response = lifecycle_client.get("/terms/xss", headers={"Accept": "*/*"})
    assert "gnp.exe" in response.text
    assert "\u202e" not in response.text
