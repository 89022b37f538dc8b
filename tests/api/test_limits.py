"""Back-pressure: per-client rate limits, the bounded alignment queue, the annotation slots.

Every refusal is a 429 with `Retry-After`, the JSON error envelope and the security
headers, whether a FastAPI route or the lean `/lookup/` handler would have answered.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.limits import Buckets, Limits, Rate, RateLimits, Trusted, parse_limits
from api.routes import annotate as annotate_route
from api.workers import IN_THREAD_BELOW
from tests.conftest import BASE
from vocab.vocabulary import Vocabulary

FUZZY = "segmentaton"  # a typo: search goes on to the fuzzy stage


def fresh_typo(i: int = 0) -> str:
    """A typo no earlier test searched for (a cached search costs nothing and is not charged)."""
    return f"{FUZZY}{'x' * i}q{uuid.uuid4().hex[:8]}"


EXACT = "CT"  # answered by the exact stage


def limited(shipped: Vocabulary, spec: str, proxies: str = "", **client: object) -> TestClient:
    app = create_app(shipped, base=BASE, limits=Limits.from_settings(spec, proxies))
    return TestClient(app, **client)  # type: ignore[arg-type]


def assert_refused(answer: object) -> None:
    """A 429 as the contract says: Retry-After in whole seconds, the envelope, nosniff."""
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert int(answer.headers["retry-after"]) >= 1  # type: ignore[attr-defined]
    assert answer.headers["x-content-type-options"] == "nosniff"  # type: ignore[attr-defined]
    assert answer.json()["error"]["code"] == "too_many_requests"  # type: ignore[attr-defined]
    assert "try again" in answer.json()["error"]["message"]  # type: ignore[attr-defined]


# --- E13: rate limiting on public lookup and search -------------------------------------------


def test_300_lookups_in_a_burst_are_limited_after_the_configured_burst(shipped: Vocabulary) -> None:
    """E13: 300 requests from one client; 429 with Retry-After after the configured burst
    (here lookup=100/h), on the lean /lookup handler that bypasses FastAPI."""
    client = limited(shipped, "lookup=100/h")
    statuses = [client.get(f"/lookup/CT?n={i}").status_code for i in range(300)]
    assert statuses[:100] == [200] * 100
    assert set(statuses[100:]) == {429}
    assert_refused(client.get("/lookup/MHRA"))


def test_fuzzy_searches_are_limited_and_exact_ones_are_not(shipped: Vocabulary) -> None:
    """E13: a search that reaches the typo stage is charged; an exact one never is."""
    client = limited(shipped, "search=3/min")
    fuzzy = [client.get("/search", params={"q": fresh_typo(i)}) for i in range(5)]
    assert [a.status_code for a in fuzzy] == [200, 200, 200, 429, 429]
    assert_refused(fuzzy[-1])
    assert int(fuzzy[-1].headers["retry-after"]) <= 20  # one token per 20 s
    exact = [
        client.get("/search", params={"q": EXACT, "limit": i}).status_code for i in range(1, 11)
    ]
    assert exact == [200] * 10
    assert client.get("/suggest", params={"q": fresh_typo()}).status_code == 429


def test_a_rotating_forwarded_for_from_an_untrusted_peer_changes_nothing(
    shipped: Vocabulary,
) -> None:
    """E13: X-Forwarded-For is believed only from a configured proxy."""
    client = limited(shipped, "lookup=5/h", client=("203.0.113.9", 5000))
    statuses = [
        client.get("/lookup/CT", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i in range(10)
    ]
    assert statuses == [200] * 5 + [429] * 5


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    shipped: Vocabulary,
) -> None:
    """E13: from a trusted proxy, the hop it saw names the client; the client cannot pick its
    own name by sending a forged header of its own (the proxy appends what it saw)."""
    client = limited(shipped, "lookup=3/h", "127.0.0.1", client=("127.0.0.1", 5000))

    def via_proxy(real: str, forged: str = "") -> int:
        header = f"{forged}, {real}" if forged else real
        return client.get("/lookup/CT", headers={"X-Forwarded-For": header}).status_code

    assert [via_proxy("192.0.2.1") for _ in range(4)] == [200, 200, 200, 429]
    assert [via_proxy("192.0.2.2") for _ in range(3)] == [200, 200, 200]
    # 192.0.2.1 rotates a forged first entry: the proxy's own entry is still its address
    assert [via_proxy("192.0.2.1", forged=f"10.9.9.{i}") for i in range(3)] == [429] * 3


def test_limits_are_shared_out_across_worker_processes() -> None:
    """E13: buckets live in each process, so with 4 workers each holds a quarter of every
    limit and a client spread over them never gets more than the configured total."""
    middleware = RateLimits(lambda *a: None, Limits(parse_limits("align=40/min"), workers=4))  # type: ignore[arg-type, return-value]
    assert middleware.buckets["align"].rate == Rate(10, 40 / 60 / 4)


def test_a_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = Buckets(Rate(2, 1.0), clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    now[0] = 1.0
    assert buckets.take("a") == 0.0 and buckets.take("b") == 0.0


def test_expensive_routes_are_limited_per_client(shipped: Vocabulary) -> None:
    client = limited(shipped, "align=1/min,export=1/min,sparql=1/min,annotate=1/min")
    for method, path, body in [
        ("POST", "/align", "recall\n"),
        ("GET", "/export?format=nt", None),
        ("GET", "/sparql?query=ASK%20%7B%7D", None),
        ("POST", "/annotate", "The CT scan."),
    ]:
        first = client.request(method, path, content=body, headers={"Content-Type": "text/plain"})
        second = client.request(method, path, content=body, headers={"Content-Type": "text/plain"})
        assert first.status_code == 200, (path, first.text[:200])
        assert_refused(second)
    assert client.get("/terms/t0133").status_code == 200  # cheap routes are not charged


@pytest.mark.parametrize(
    "spec", ["align=fast", "align=10", "nowhere=1/s", "align=0/s", "align=3/fortnight"]
)
def test_an_unreadable_limit_says_how_to_write_one(spec: str) -> None:
    with pytest.raises(ValueError, match="COUNT/PERIOD"):
        parse_limits(spec)


def test_default_limits_are_documented() -> None:
    assert set(parse_limits("")) == {"align", "annotate", "export", "sparql", "search"}
    assert parse_limits("off") == {}
    with pytest.raises(ValueError, match="IP address"):
        Trusted.from_list("proxy.example")


# --- the bounded alignment queue --------------------------------------------------------------


@pytest.fixture
def one_place(shipped: Vocabulary) -> Iterator[TestClient]:
    with TestClient(create_app(shipped, base=BASE, align_queue=1)) as client:
        yield client


def test_concurrent_large_alignments_past_the_queue_are_refused(one_place: TestClient) -> None:
    """Four 250-term alignments at once with one place in the queue: the first runs, the
    others are refused at once with 429 and a Retry-After instead of queueing for minutes."""
    terms = "\n".join(f"auto segmentation {i}" for i in range(IN_THREAD_BELOW + 50))
    answers: list[object] = []

    def align() -> None:
        answers.append(one_place.post("/align", content=terms))

    threads = [threading.Thread(target=align) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    statuses = sorted(a.status_code for a in answers)  # type: ignore[attr-defined]
    assert 200 in statuses and 429 in statuses and set(statuses) <= {200, 429}
    refusal = next(a for a in answers if a.status_code == 429)  # type: ignore[attr-defined]
    assert_refused(refusal)
    assert "fewer than 200 terms" in refusal.json()["error"]["message"]  # type: ignore[attr-defined]
    workers = one_place.app.serving.workers  # type: ignore[attr-defined]
    assert workers.in_flight == 0 and workers.refused == statuses.count(429)
    small = one_place.post("/align", content="recall\n" * (IN_THREAD_BELOW - 1))
    assert small.status_code == 200  # small lists never wait for the worker


# --- the annotation slots: the same Gate -------------------------------------------------------


def test_busy_annotation_slots_answer_429_from_the_shared_gate(client: TestClient) -> None:
    gate = annotate_route._slots
    held = [gate.acquire() for _ in range(gate.size)]
    try:
        answer = client.post("/annotate", content="The CT scan.")
    finally:
        for got in held:
            if got:
                gate.release()
    assert_refused(answer)
    assert gate.refused >= 1
