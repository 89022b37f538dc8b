"""The table `bench.routes` prints: each route against the bare-ASGI floor and its target,
then the loop-stall and worker figures."""

from __future__ import annotations

from typing import Any

TARGETS = {"lookup": 0.9, "search typo (uncached)": 0.3}
TARGET = 0.7


def report(
    table: dict[str, Any],
    stalled: dict[str, Any] | None,
    scaled: dict[str, Any] | None,
    inside: dict[str, tuple[float, float]] | None = None,
) -> None:
    if inside:
        print(f"{'in the app, CPU per answer':26} {'service':>10} {'FastAPI alone':>14}")
        for name, (lean, full) in inside.items():
            print(
                f"{name:26} {lean:8.1f} us {full:11.1f} us" if full else f"{name:26} {lean:8.1f} us"
            )
    print(
        f"{'route':26} {'req/s':>8} {'÷ bare':>7} {'req/CPU-s':>10} {'÷ bare':>7} "
        f"{'target':>7} {'p99 ms':>8}"
    )
    for name, row in table.items():
        if name == "typo_search_ms":
            continue
        target = 1.0 if name == "bare" else TARGETS.get(name.removesuffix(" (before)"), TARGET)
        best = max(row["ratio"], row.get("cpu_ratio", 0.0))
        mark = "" if name == "bare" else ("ok" if best >= target else "BELOW")
        print(
            f"{name:26} {row['rps']:8.0f} {row['ratio']:7.2f} {row.get('per_cpu_second', 0):10.0f} "
            f"{row.get('cpu_ratio', 0):7.2f} {target:7.1f} {row['p99']:8.2f} {mark}"
            + (f"  non-2xx {row['non2xx']}" if row["non2xx"] else "")
        )
    if table:
        print(f"wrk: {table['bare']['command']} (and the same per route)")
    print(
        "req/CPU-s: answers per CPU second of the server process over the same run "
        "(steadier than req/s on a shared machine)"
    )
    if "search typo (uncached)" in table:
        typo = table["search typo (uncached)"]
        print(
            f"uncached typo search: Vocabulary.search alone takes {table['typo_search_ms']:.2f} ms "
            f"(median, in process); over HTTP {1000 / max(typo['rps'], 1):.2f} ms per request "
            "at the throughput above"
        )
    if stalled:
        s = stalled
        print(
            f"loop stall: {s['path']} alone {s['idle_rps']:.0f} req/s p99 {s['idle_p99']:.2f} ms; "
            f"with a client sending uncached miss searches {s['busy_rps']:.0f} req/s "
            f"p99 {s['busy_p99']:.2f} ms ({s['p99_ratio']:.2f}x idle; target <= 2x); "
            f"{s['miss_searches']} miss searches, p50 {s['miss_p50_ms']:.1f} ms"
        )
    if scaled:
        for key, row in scaled.items():
            print(f"workers: {key:16} {row['rps']:8.0f} req/s  p99 {row['p99']:7.2f} ms")
