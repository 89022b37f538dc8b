"""nginx as cache and load balancer in front of two `vocab serve` replicas, all on loopback.

The topology is deploy/topology.py's, with deploy/nginx.conf: nginx runs as the current
user from a temporary prefix (`daemon off`), the replicas read one store file and watch it.
Checked: ETag revalidation through the cache (304, `X-Cache-Status: HIT`); a release
published by replacing the store file is served by every replica without a restart and no
answer mixes two releases; a replica killed (SIGKILL) under load costs no client an error;
a sub-path (`location /airt/`) keeps every link under the prefix. Load loops are bounded
in count and time, and only loopback is addressed.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from deploy.topology import Topology, running
from tests.conftest import FIXTURES, build_vocabulary

pytestmark = pytest.mark.slow

BASE = "https://vocab.example.org"
OLD_DEFINITION = "Cross-sectional imaging built from many X-ray projections."
NEW_DEFINITION = "Imaging that rebuilds slices of the body from X-ray projections."
LOAD_SECONDS = 6.0


def second_release(tmp_path: Path, db: Path) -> None:
    changed = tmp_path / "second.ttl"
    source = (FIXTURES / "lifecycle.ttl").read_text(encoding="utf-8")
    changed.write_text(source.replace(OLD_DEFINITION, NEW_DEFINITION), encoding="utf-8")
    build_vocabulary(changed, db, base=BASE)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("stores")
    build_vocabulary(FIXTURES / "lifecycle.ttl", where / "vocab.db", base=BASE)
    second_release(where, where / "next.db")
    return where


@pytest.fixture(scope="module")
def topology(stores: Path) -> Iterator[Topology]:
    # the replicas serve the fixture with no release history, as the in-process apps whose
    # ETags the tests compare (the repository's releases are of another vocabulary)
    with running(
        stores / "vocab.db",
        replicas=2,
        base_uri=BASE,
        source=FIXTURES / "lifecycle.ttl",
        workdir=stores / "run",
        env={"VOCAB_RELEASES": str(stores / "no-releases")},
    ) as started:
        yield started


def etag_of(db: Path, path: str) -> str:
    from vocab.vocabulary import Vocabulary

    return str(TestClient(create_app(Vocabulary.open(db), base=BASE)).get(path).headers["etag"])


def test_etag_revalidation_through_the_cache(topology: Topology) -> None:
    url = f"{topology.url}/terms/ct?format=json"
    with httpx.Client(timeout=10) as client:
        first = client.get(url)
        assert first.status_code == 200
        assert first.headers["x-cache-status"] in ("MISS", "EXPIRED", "HIT")
        again = client.get(url)
        assert again.headers["x-cache-status"] == "HIT"
        assert again.headers["etag"] == first.headers["etag"]
        assert "max-age" in again.headers["cache-control"]
        revalidated = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert revalidated.status_code == 304
        assert revalidated.headers["x-cache-status"] == "HIT"
        never_kept = client.post(f"{topology.url}/align", json={"terms": ["CT"]})
        assert never_kept.status_code == 200
        again = client.post(f"{topology.url}/align", json={"terms": ["CT"]})
        assert again.headers.get("x-cache-status") != "HIT"  # POST: never from the cache


def test_a_published_release_reaches_every_replica_without_a_mixed_answer(
    topology: Topology, stores: Path
) -> None:
    path = "/terms/ct?format=json"
    etags = {OLD_DEFINITION: etag_of(stores / "vocab.db", path)}
    etags[NEW_DEFINITION] = etag_of(stores / "next.db", path)
    assert etags[OLD_DEFINITION] != etags[NEW_DEFINITION]
    mixed: list[str] = []
    seen = {OLD_DEFINITION: 0, NEW_DEFINITION: 0}

    def check(answer: httpx.Response) -> None:
        assert answer.status_code == 200, answer.text[:300]
        found = [d for d in etags if d in answer.text]
        if len(found) != 1 or answer.headers["etag"] != etags[found[0]]:
            mixed.append(f"{answer.headers.get('etag')} {answer.text[:160]}")
        else:
            seen[found[0]] += 1

    n = 0
    with httpx.Client(timeout=10) as client:
        deadline = time.monotonic() + 60  # bounded
        published = False
        while time.monotonic() < deadline:
            n += 1
            # a new query string misses the cache, so every answer comes from a replica
            check(client.get(f"{topology.url}{path}&n={n}"))
            for replica in topology.replicas:
                check(client.get(f"{replica.url}{path}"))
            if not published and seen[OLD_DEFINITION] >= 30:
                os.replace(stores / "next.db", stores / "vocab.db")  # publish
                published = True
            if published and all(
                NEW_DEFINITION in client.get(f"{r.url}{path}").text for r in topology.replicas
            ):
                break
        for _ in range(10):
            check(client.get(f"{topology.url}{path}&after={time.monotonic_ns()}"))
    assert published and not mixed, mixed[:3]
    assert seen[NEW_DEFINITION] >= 10, seen
    for replica in topology.replicas:
        assert replica.process.poll() is None, "the replicas were not restarted"


def test_a_replica_killed_under_load_costs_no_client_an_error(topology: Topology) -> None:
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def load(worker: int) -> None:
        with httpx.Client(timeout=15) as client:
            i = 0
            while not stop.is_set():
                i += 1
                # half of the requests miss the cache, so both replicas carry load
                suffix = f"&w={worker}-{i}" if i % 2 else ""
                try:
                    answer = client.get(f"{topology.url}/lookup/CT?format=json{suffix}")
                    if answer.status_code != 200:
                        failures.append(f"{answer.status_code} {answer.text[:120]}")
                    else:
                        answered[0] += 1
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))

    threads = [threading.Thread(target=load, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(LOAD_SECONDS / 2)
        topology.replicas[0].kill()
        time.sleep(LOAD_SECONDS / 2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not failures, failures[:5]
    assert answered[0] > 20


def test_served_under_a_sub_path_through_nginx(stores: Path) -> None:
    link = re.compile(r'(?:href|src|action)="(/[^"]*)"')
    build_vocabulary(FIXTURES / "lifecycle.ttl", stores / "airt.db", base=f"{BASE}/airt")
    with (
        running(
            stores / "airt.db",
            replicas=1,
            base_uri=f"{BASE}/airt",
            root_path="/airt",
            source=FIXTURES / "lifecycle.ttl",
            workdir=stores / "run-airt",
        ) as airt,
        httpx.Client(timeout=10, follow_redirects=False) as client,
    ):
        assert airt.url.endswith("/airt")
        page = client.get(f"{airt.url}/terms/ct", headers={"Accept": "text/html"})
        assert page.status_code == 200
        links = link.findall(page.text)
        assert links and all(x.startswith("/airt/") for x in links), links[:5]
        for x in {x.split("?")[0] for x in links if "/static/" in x}:
            assert client.get(f"{airt.url.removesuffix('/airt')}{x}").status_code == 200, x
        moved = client.get(
            f"{airt.url}/lookup/computed%20tomography", headers={"Accept": "text/html"}
        )
        assert moved.status_code == 303 and moved.headers["location"] == "/airt/terms/ct"
        spec = client.get(f"{airt.url}/openapi.json").json()
        assert spec["servers"] == [{"url": "/airt"}]
        bare = client.get(airt.url.removesuffix("/airt") + "/airt")
        assert bare.status_code == 301 and bare.headers["location"].endswith("/airt/")
