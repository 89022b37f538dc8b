"""The published read path while proposals are being written: is lookup still as fast?

    python -m bench.editorial [--source ontology/vocabulary] [--seconds 10] [--writes-per-s 5]
    python -m bench.editorial --before DIR   # also another checkout (`git archive`), beside ours

One uvicorn worker serves the release and the editorial side (as `vocab serve` does); a
writer in this process files proposals through the HTTP API, takes and approves them, at
a steady rate, while wrk measures `GET /lookup/MHRA`. The baseline is `bench.bare_app`
(a bare ASGI app answering a constant) under the same server and wrk load, twice: with its
short constant (66 bytes of body), and answering the very bytes our server sent for the
lookup (the same 645-byte body and headers, recorded at start), so that the second floor
differs from our server only by the work our app does. Each round runs the floors and our
server back to back; besides the medians of each, the bench gives the median of the
per-round ratios (a round's runs share the machine's load at that moment). Target: lookup
while writing >= 0.8x the bare floor (the same bar as `bench.serving`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.routes import app_command, measure
from bench.serving import _env, bare_command, free_port, started
from loaders.turtle_source import read_source
from vocab.editorial.accounts import Accounts
from vocab.editorial.model import ReviewerScope, Role
from vocab.editorial.seed import seed
from vocab.editorial.sql_store import SqlEditorialStore
from vocab.source import write_store

ROOT = Path(__file__).resolve().parent.parent
TEXT = "MHRA"


def prepare(source: Path, folder: Path, base: str) -> tuple[Path, Path, dict[str, str]]:
    """Build the release store and a seeded editorial store with an editor and two reviewers."""
    snapshot = read_source(source, base=base).snapshot
    db, editorial = folder / "vocab.db", folder / "editorial.db"
    write_store(db, snapshot, origin="bench", source=source, base=base)
    store = SqlEditorialStore.open(str(editorial))
    seed(store, snapshot, base=base)
    accounts = Accounts(store)
    admin = accounts.bootstrap_admin("admin", "bench passphrase 1")
    keys = {}
    for name, role, community in (("eve", Role.EDITOR, "clinical"), ("carol", Role.REVIEWER, "clinical"),
                                  ("ivan", Role.REVIEWER, "industry")):  # fmt: skip
        made = accounts.create_account(
            admin, name, roles=[role], scope=ReviewerScope((community,), ("*",))
        )
        keys[name] = accounts.issue_key(admin, made.id, "bench")[1]
    store.close()
    return db, editorial, keys


def record(port: int, path: str, folder: Path) -> Path:
    """Our server's answer to GET `path`, as `bench.bare_app` replays it (less date/server)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    headers = [
        [name.lower(), value]
        for name, value in answer.getheaders()
        if name.lower() not in ("date", "server")
    ]  # fmt: skip  (uvicorn adds both)
    recorded = folder / "answer.json"
    recorded.write_text(json.dumps(
        {"status": answer.status, "headers": headers, "body": body.decode("latin-1")}
    ))  # fmt: skip
    return recorded


def ratios(runs: dict[str, list[dict[str, Any]]], name: str, floor: str, key: str) -> float:
    """The median over rounds of run `name` / run `floor` of the same round."""
    pairs = zip(runs[name], runs[floor], strict=True)
    values = sorted(r[key] / f[key] for r, f in pairs if f.get(key))
    return float(values[len(values) // 2]) if values else 0.0


def post(port: int, path: str, key: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


class Writer(threading.Thread):
    """Propose a definition change, take it, approve it; `rate` proposals a second."""

    def __init__(
        self, port: int, keys: dict[str, str], concept: str, rate: float, first: int = 0
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.keys, self.concept, self.rate = port, keys, concept, rate
        self.stop = threading.Event()
        self.approved = 0
        self.failed = 0
        self.statuses: list[int] = []
        self.first = first

    def run(self) -> None:
        n = self.first  # every definition differs from the last, across rounds too
        due = time.monotonic()  # the first at once; each starts 1 / rate after the last
        # started, or as soon as the last ends if it took longer (no debt carried over)
        while not self.stop.wait(max(0.0, due - time.monotonic())):
            due = time.monotonic() + 1 / self.rate
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/editorial/concepts/{self.concept}"
            ) as r:
                version = json.loads(r.read())["version"]
            body = {"kind": "edit_definitions", "concept_id": self.concept, "base_version": version,
                    "reason": "bench", "submit": True,
                    "fields": {"definitions": [{"text": f"Definition {n} of the concept.", "lang": "en-GB"}]}}  # fmt: skip
            status, made = post(self.port, "/editorial/proposals", self.keys["eve"], body)
            if status == 201:
                post(self.port, f"/editorial/proposals/{made['id']}/take", self.keys["carol"], {})
                status, _ = post(
                    self.port, f"/editorial/proposals/{made['id']}/approve", self.keys["ivan"], {}
                )
            self.approved += status == 200
            self.failed += status != 200
            if status != 200:
                self.statuses.append(status)
            n += 1


def median(runs: list[dict[str, Any]], key: str) -> float:
    values = sorted(r.get(key, 0.0) for r in runs)
    return float(values[len(values) // 2])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=ROOT / "ontology" / "vocabulary")
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="bare, idle and writing runs, interleaved"
    )
    parser.add_argument("--writes-per-s", type=float, default=0.5)
    parser.add_argument("--concept", default="t0003", help="the concept the writer keeps editing")
    parser.add_argument(
        "--before", type=Path, help="also serve this checkout, measured beside ours"
    )
    args = parser.parse_args()
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "same": [], "idle": [], "writing": []}
    approved = failed = 0
    statuses: list[int] = []
    elapsed = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-editorial-") as folder, ExitStack() as servers:
        apps = [("", None), *([(" (before)", args.before)] if args.before else [])]
        served: list[tuple[str, int, int, str, dict[str, str]]] = []
        for suffix, code in apps:  # each checkout with its own release and editorial store
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            work = Path(folder) / (suffix.strip(" ()") or "this")
            work.mkdir()
            db, editorial, keys = prepare(args.source, work, base)
            env = {**_env(db), "VOCAB_BASE_URI": base, "VOCAB_EDITORIAL_DB": str(editorial)}
            if code is not None:
                env["PYTHONPATH"] = str(code)
            command = app_command(port, code=code)
            app = servers.enter_context(started(command, env, port, f"/lookup/{TEXT}"))[0]
            served.append((suffix, port, app.pid, base, keys))
        answer = record(served[0][1], f"/lookup/{TEXT}", Path(folder))
        floors = {}  # the short constant, and our server's own answer replayed
        for name, extra in (("bare", {}), ("same", {"BENCH_BARE_ANSWER": str(answer)})):
            port = free_port()
            env = {**_env(Path(folder) / "unused.db"), **extra}
            pid = servers.enter_context(started(bare_command(port), env, port, "/"))[0].pid
            floors[name] = (f"http://127.0.0.1:{port}/", pid)
        # every server runs throughout; wrk loads one at a time, so they take turns on the CPU
        for _ in range(args.rounds):
            for name, (url, pid) in floors.items():
                runs[name].append(measure(url, pid, args.seconds))
            for suffix, port, pid, base, keys in served:
                url = f"{base}/lookup/{TEXT}"
                runs.setdefault("idle" + suffix, []).append(measure(url, pid, args.seconds))
                writer = Writer(
                    port, keys, args.concept, args.writes_per_s, first=approved + failed + 1000 * _
                )
                writer.start()
                began = time.perf_counter()
                runs.setdefault("writing" + suffix, []).append(measure(url, pid, args.seconds))
                writer.stop.set()
                writer.join(timeout=60)
                if not suffix:
                    elapsed += time.perf_counter() - began
                    approved, failed = approved + writer.approved, failed + writer.failed
                    statuses += writer.statuses
    report(args, runs, approved, failed, statuses, elapsed)


def report(
    args: argparse.Namespace,
    runs: dict[str, list[dict[str, Any]]],
    approved: int,
    failed: int,
    statuses: list[int],
    elapsed: float,
) -> None:
    print(f"{args.rounds} interleaved rounds of {args.seconds} s runs; one uvicorn worker; "
          "wrk -t2 -c32; medians")  # fmt: skip
    print(f"{'measure':<52} {'req/s':>8} {'p99 ms':>7} {'÷ bare':>7} {'÷ same':>7} "
          f"{'req/CPU-s':>10} {'÷ bare':>7} {'÷ same':>7}")  # fmt: skip
    rows = [("bare", "bare ASGI app, short constant (the floor)"),
            ("same", "bare ASGI app answering our lookup's bytes")]  # fmt: skip
    for suffix in ("", " (before)") if args.before else ("",):
        rows += [("idle" + suffix, f"GET /lookup/{TEXT}, no writes{suffix}"),
                 ("writing" + suffix, f"GET /lookup/{TEXT}, proposals being written{suffix}")]  # fmt: skip
    for name, label in rows:
        print(
            f"{label:<52} {median(runs[name], 'rps'):>8,.0f} {median(runs[name], 'p99'):>7.2f}"
            f" {ratios(runs, name, 'bare', 'rps'):>6.2f}x {ratios(runs, name, 'same', 'rps'):>6.2f}x"
            f" {median(runs[name], 'per_cpu_second'):>10,.0f}"
            f" {ratios(runs, name, 'bare', 'per_cpu_second'):>6.2f}x"
            f" {ratios(runs, name, 'same', 'per_cpu_second'):>6.2f}x"
        )
    print("÷: the median over rounds of the run's figure over the floor's in the same round; "
          "req/CPU-s: answers per CPU second of the server process (steadier than req/s on a "
          "shared machine; while writing, the writes' CPU counts too)")  # fmt: skip
    writing = [r["rps"] / f["rps"] for r, f in zip(runs["writing"], runs["bare"], strict=True)]
    print("while writing ÷ short-constant floor, each round: "
          + ", ".join(f"{v:.2f}" for v in writing))  # fmt: skip
    print(f"\nwrites meanwhile: {approved} proposals filed, taken and approved "
          f"({approved / max(elapsed, 1e-9):.1f}/s), {failed} failed {sorted(statuses)}")  # fmt: skip
    for floor, label in (("bare", "the short-constant floor"), ("same", "the same-bytes floor")):
        ratio = ratios(runs, "writing", floor, "rps")
        print(f"lookup while writing ÷ {label} = {ratio:.3f}x (target >= 0.8x): "
              f"{'met' if ratio >= 0.8 else 'NOT met'}")  # fmt: skip
    print(f"reproduce: python -m bench.editorial --source {args.source} --seconds {args.seconds} "
          f"--rounds {args.rounds} --writes-per-s {args.writes_per_s:g}"
          + (f" --before {args.before}" if args.before else ""))  # fmt: skip


if __name__ == "__main__":
    main()
