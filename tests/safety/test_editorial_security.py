"""The editorial side against hostile callers (reliability-security-tests E13-E24).

Every write route of the whole app refuses a caller without credentials; trust never comes
from the network; objects are checked per account; bodies cannot assign what the service
sets; secrets never leak; sign-in and key attempts are rate-limited.

This file holds write routes and credentials, object-level checks (E17), mass assignment
and bad input (E18, E22).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from tests.api.editorial.conftest import (  # noqa: F401  (fixtures)
    BASE,
    NEW_CONCEPT,
    Desk,
    label,
    lite,
    make_desk,
    published,
)
from tests.safety.editorial_proposals import propose
from vocab.vocabulary import Vocabulary

PUBLIC_POSTS = {
    "/align": "computes an alignment; stores nothing",
    "/annotate": "annotates the posted text; stores nothing",
    "/sparql": "a read-only SPARQL query (updates are refused); stores nothing",
    **{
        f"/fhir/{operation}": "a read-only FHIR terminology operation (POST carries Parameters)"
        for operation in (
            "CodeSystem/$lookup",
            "CodeSystem/$subsumes",
            "CodeSystem/$validate-code",
            "ConceptMap/$translate",
            "ValueSet/$expand",
            "ValueSet/$validate-code",
        )
    },
}
"""Non-GET routes open to anyone, each with why it changes no state."""
SAMPLE = {"proposal_id": "1", "concept_id": "t0001"}


def write_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) of the app that is not a read, with path parameters filled in."""
    found = set()
    for route in iter_route_contexts(client.app.fastapi.routes):  # type: ignore[attr-defined]
        for method in (route.methods or set()) - {"GET", "HEAD", "OPTIONS"}:
            path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "x"), route.path or "")
            found.add((method, path))
    return sorted(found)


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory, published: Vocabulary) -> Iterator[Desk]:  # noqa: F811
    desk = make_desk(str(tmp_path_factory.mktemp("inventory") / "e.db"), published)
    with desk.client:
        yield desk


def routes_of(tmp: Path, published: Vocabulary) -> list[tuple[str, str]]:  # noqa: F811
    return write_routes(make_desk(str(tmp / "e.db"), published).client)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "write_route" in metafunc.fixturenames:
        import tempfile

        from tests.api.editorial.conftest import SOURCE
        from tests.conftest import build_vocabulary

        folder = Path(tempfile.mkdtemp(prefix="routes-"))
        routes = [
            r for r in routes_of(folder, build_vocabulary(SOURCE, folder / "v.db", base=BASE))
            if r[1] not in PUBLIC_POSTS
        ]  # fmt: skip
        metafunc.parametrize("write_route", routes, ids=[f"{m} {p}" for m, p in routes])


def test_the_inventory_covers_the_editorial_writes(inventory: Desk) -> None:
    routes = write_routes(inventory.client)
    assert ("POST", "/editorial/proposals") in routes and len(routes) >= 12


@pytest.mark.parametrize("kind", ["json", "form"])
def test_no_write_route_answers_a_caller_without_credentials(
    inventory: Desk, write_route: tuple[str, str], kind: str
) -> None:
    method, path = write_route
    body: dict[str, Any] = (
        {"json": {}} if kind == "json" else {"data": {"comment": "x", "action": "approve"}}
    )
    answer = inventory.client.request(method, path, **body)
    assert answer.status_code in (401, 403), answer.text


def test_the_public_posts_change_nothing(inventory: Desk) -> None:
    before = inventory.editorial.store.audit(limit=10_000)
    inventory.client.post("/align", json={"terms": ["recall"]})
    inventory.client.post(
        "/annotate", content=b"Sensitivity and MHRA.", headers={"Content-Type": "text/plain"}
    )
    assert inventory.editorial.store.audit(limit=10_000) == before


def test_no_get_route_changes_state(inventory: Desk) -> None:
    before = len(inventory.editorial.store.audit(limit=10_000))
    for path in ("/editorial", "/editorial/proposals", "/editorial/proposals/1", "/editorial/me",
                 "/editorial/concepts/t0001", "/editorial/concepts/t0001/history", "/editorial/audit",
                 "/editorial/review/1", "/editorial/propose/t0001", "/editorial/suggest", "/editorial/sign-in"):  # fmt: skip
        inventory.client.get(path, headers=inventory.key("admin"))
    assert len(inventory.editorial.store.audit(limit=10_000)) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "127.0.0.1"},
        {"X-Real-IP": "127.0.0.1", "Forwarded": "for=127.0.0.1"},
        {"Host": "localhost"},
    ],
)
def test_being_on_the_server_grants_nothing(lite: Desk, headers: dict[str, str]) -> None:  # noqa: F811
    answer = lite.client.post("/editorial/proposals", json={}, headers=headers)
    assert answer.status_code == 401


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-API-Key": ""}, 401),
        ({"X-API-Key": "airt_notakey"}, 401),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, 401),
        ({"Authorization": "Bearer"}, 401),
        ({"X-API-Key": "airt_" + "a" * 8000}, 401),
    ],
)
def test_a_missing_or_malformed_key_is_401_with_a_challenge(
    lite: Desk,  # noqa: F811
    headers: dict[str, str],
    status: int,
) -> None:
    answer = lite.client.post("/editorial/proposals", json={}, headers=headers)
    assert (answer.status_code, answer.headers["www-authenticate"][:6]) == (status, "Bearer")


def test_a_key_in_the_address_is_refused(lite: Desk) -> None:  # noqa: F811
    answer = lite.client.get(f"/editorial/me?api_key={lite.tokens['carol']}")
    assert answer.status_code == 422 and lite.tokens["carol"] not in answer.text


def test_a_revoked_key_is_401_at_once(lite: Desk) -> None:  # noqa: F811
    token = lite.tokens["carol"]
    lite.editorial.accounts.revoke_key(lite.accounts["admin"], token.split("_")[1])
    assert lite.client.get("/editorial/me", headers=lite.key("carol")).status_code == 401


def test_the_bearer_scheme_works_as_well_as_the_header(lite: Desk) -> None:  # noqa: F811
    answer = lite.client.get(
        "/editorial/me", headers={"Authorization": f"Bearer {lite.tokens['ivan']}"}
    )
    assert answer.json()["name"] == "ivan"


def test_no_answer_holds_a_key_or_its_hash(lite: Desk) -> None:  # noqa: F811
    from vocab.editorial.security import sha256

    answers = [lite.client.get(p, headers=lite.key("admin")).text
               for p in ("/editorial/audit", "/editorial/me", "/editorial/proposals")]  # fmt: skip
    secrets = [t for t in lite.tokens.values()] + [sha256(t) for t in lite.tokens.values()]
    assert [s for s in secrets if any(s in a for a in answers)] == []


# --- object-level checks (E17) --------------------------------------------------------------


def test_a_proposer_cannot_take_or_decide(lite: Desk) -> None:  # noqa: F811
    pid = propose(lite, "eve", kind="add_concept", fields=NEW_CONCEPT).json()["id"]
    assert [lite.post(f"/editorial/proposals/{pid}/{step}", "pat", {"comment": "x"}).status_code
            for step in ("take", "approve", "reject")] == [403, 409, 409]  # fmt: skip


def test_a_proposer_cannot_deprecate(lite: Desk) -> None:  # noqa: F811
    answer = propose(lite, "pat", kind="deprecate", concept_id="t0002", base_version=1,
                     fields={"replaced_by": ["t0001"]})  # fmt: skip
    assert answer.status_code == 403


def test_a_reviewer_of_one_collection_cannot_review_another(lite: Desk) -> None:  # noqa: F811
    pid = propose(lite, "pat", kind="edit_definitions", concept_id="t0003", base_version=1,
                  fields={"definitions": [{"text": "The UK medicines regulator."}]}).json()["id"]  # fmt: skip
    assert lite.post(f"/editorial/proposals/{pid}/take", "rita").status_code == 403


def test_drafts_cannot_be_enumerated(lite: Desk) -> None:  # noqa: F811
    drafts = [
        propose(lite, "pat", kind="add_concept", fields=NEW_CONCEPT, submit=False).json()["id"]
    ]
    seen = [lite.client.get(f"/editorial/proposals/{i}", headers=lite.key("eve")).status_code
            for i in range(1, drafts[0] + 3)]  # fmt: skip
    assert seen == [403, 404, 404]


# --- mass assignment and bad input (E18, E22) -----------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [{"status": "approved"}, {"created_by": "admin"}, {"approved_at": "2030-01-01"}, {"id": 99},
     {"state": "approved"}, {"author": "admin"}],
)  # fmt: skip
def test_a_body_cannot_set_what_the_service_sets(lite: Desk, extra: dict[str, Any]) -> None:  # noqa: F811
    answer = propose(lite, "pat", kind="add_concept", fields=NEW_CONCEPT, **extra)
    assert (
        answer.status_code == 422
        and lite.client.get("/editorial/proposals").json()["proposals"] == []
    )


@pytest.mark.parametrize("field", ["status", "created_by", "uri", "id"])
def test_fields_cannot_set_what_the_service_sets(lite: Desk, field: str) -> None:  # noqa: F811
    answer = propose(lite, "pat", kind="add_concept", fields={**NEW_CONCEPT, field: "x"})
    assert answer.status_code == 422


@pytest.mark.parametrize(
    "text", ["recall\u200b", "re\u202ecall", "\u2066hit rate", "soft\u00adhyphen"]
)
def test_labels_with_invisible_or_bidi_characters_are_refused(lite: Desk, text: str) -> None:  # noqa: F811
    fields = {"labels": lite.labels("t0001", label(text, "alt", "industry"))}
    answer = propose(
        lite, "pat", kind="edit_labels", concept_id="t0001", base_version=1, fields=fields
    )
    assert (
        answer.status_code == 422
        and "invisible or bidirectional" in answer.json()["error"]["message"]
    )


@pytest.mark.parametrize("text", ["ＭＨＲＡ", "МНRА", "mhra"])  # fullwidth; Cyrillic М, Н, А
def test_a_look_alike_of_another_concepts_label_is_409(lite: Desk, text: str) -> None:  # noqa: F811
    fields = {"labels": lite.labels("t0005", label(text, "alt", "regulatory"))}
    answer = propose(
        lite, "pat", kind="edit_labels", concept_id="t0005", base_version=1, fields=fields
    )
    assert answer.status_code == 409 and "t0003" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [b"{", b"[]", b'{"kind": "add_concept"}', "{\"reason\": \"\ud800\"}".encode("utf-8", "surrogatepass"), b"\xff\xfe"],
)  # fmt: skip
def test_malformed_bodies_are_4xx_without_a_trace(lite: Desk, body: bytes) -> None:  # noqa: F811
    answer = lite.client.post("/editorial/proposals", content=body,
                              headers={**lite.key("pat"), "Content-Type": "application/json"})  # fmt: skip
    assert (
        400 <= answer.status_code < 500
        and "Traceback" not in answer.text
        and 'File "' not in answer.text
    )


def test_an_oversize_body_is_413(lite: Desk) -> None:  # noqa: F811
    answer = lite.client.post(
        "/editorial/proposals", content=b"x" * 300_000, headers=lite.key("pat")
    )
    assert answer.status_code == 413


def test_an_oversize_chunked_body_is_413(lite: Desk) -> None:  # noqa: F811
    chunks = (b"x" * 65536 for _ in range(8))
    answer = lite.client.post("/editorial/proposals", content=chunks, headers=lite.key("pat"))
    assert answer.status_code == 413
