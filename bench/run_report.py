"""The report of `bench.run`: results.md, a table per measurement and the targets."""

from __future__ import annotations

from typing import Any

from bench import serving


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    aligns = [
        "---:" if h.endswith((" s", " ms", "/s", " MB", "bytes", "ratio")) else "---"
        for h in header
    ]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"] + [
        "| " + " | ".join(row) + " |" for row in rows
    ]


def _build_section(builds: dict[str, Any]) -> list[str]:
    rows = [
        [
            name,
            b.get("concepts", ""),
            b.get("triples", ""),
            f"{b['wall']:.2f}",
            ", ".join(map(str, b["runs"])),
            f"{b['cpu']:.2f}",
            f"{b['rss_mb']:.0f}",
            f"`{b['command']}`",
        ]
        for name, b in builds.items()
    ]
    header = [
        "vocabulary",
        "concepts",
        "triples",
        "best wall s",
        "runs",
        "CPU s",
        "peak RSS MB",
        "command",
    ]
    return [
        "## Build: `vocab build` (parse Turtle, read SKOS, write the store)",
        "",
        *_table(header, rows),
        "",
    ]


def _cold_section(cold: dict[str, Any]) -> list[str]:
    rows = []
    for name, c in cold.items():
        for key, label in (("uvicorn", "uvicorn factory"), ("serve", "vocab serve")):
            runs = ", ".join(f"{t:.2f}" for t in c[key])
            rows.append([name, label, f"{median(c[key]):.2f}", runs, f"`{c[f'{key}_command']}`"])
    return [
        "## Cold start to first answer",
        "",
        "Process start until `GET /lookup/<acronym>` answers 200, on a prebuilt store.",
        "",
        *_table(["vocabulary", "server", "median s", "runs (sorted)", "command"], rows),
        "",
    ]


def _latency_section(latency: dict[str, Any]) -> list[str]:
    rows = []
    for name, r in latency.items():
        for method in ("lookup", "search"):
            s = r[method]["all"]
            rows.append(
                [
                    name,
                    method,
                    f"{s['p50']:.3f}",
                    f"{s['p99']:.3f}",
                    f"{s['mean']:.3f}",
                    f"{s['max']:.2f}",
                    f"{r[f'first_{method}_ms']:.2f}",
                    f"`{r['command']}`",
                ]
            )
    kinds = list(next(iter(latency.values()))["quality"])
    by_kind = [
        [name]
        + [
            f"{r['search'][k]['p50']:.2f} / {r['search'][k]['p99']:.2f}; "
            f"{r['quality'][k]['top1']:.0%} / {r['quality'][k]['top10']:.0%}"
            for k in kinds
        ]
        for name, r in latency.items()
    ]
    header = [
        "vocabulary",
        "method",
        "p50 ms",
        "p99 ms",
        "mean ms",
        "max ms",
        "first call ms",
        "command",
    ]
    return [
        "## In-process latency: `Vocabulary.lookup` and `Vocabulary.search`",
        "",
        "Each of 1,200 queries (200 of each kind below) once, after a warm-up pass.",
        "",
        *_table(header, rows),
        "",
        "Search by kind of query: p50 / p99 ms; top-1 / top-10 = the intended concept is the "
        "first hit / among the first ten (for misses: no hit at all). Acronyms are ambiguous "
        "by design (initials of generated terms), so several senses compete for the top.",
        "",
        *_table(["vocabulary", *kinds], by_kind),
        "",
    ]


def _http_section(http: dict[str, Any], seconds: int) -> list[str]:
    labels = {
        "bare": "bare ASGI constant",
        "lookup": "lookup",
        "search": "search, every query in turn",
    }
    rows = []
    for name, h in http.items():
        bare = (h["bare"]["rps"] + h["bare_2"]["rps"]) / 2
        for run in serving.RUNS:
            r = h[run]
            what = labels[run.removesuffix("_2")]
            path = {"bare": "`/`", "lookup": f"`{h['lookup_path']}`", "search": "`/search?q=...`"}
            rows.append(
                [
                    name,
                    f"{what} {path[run.removesuffix('_2')]}",
                    str(r.get("bytes") or ""),
                    f"{r['rps']:.0f}",
                    f"{r.get('p50', 0):.2f}",
                    f"{r.get('p99', 0):.2f}",
                    str(r["non2xx"]),
                    f"{r['rps'] / bare:.2f}",
                ]
            )
    header = [
        "vocabulary",
        "endpoint",
        "body bytes",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "vs bare ratio",
    ]
    example = next(iter(http.values()))["lookup"]["command"]
    return [
        f"## HTTP on loopback: wrk -t2 -c32 -d{seconds}s, one uvicorn worker (uvloop, httptools)",
        "",
        "Bare app and lookup alternate (bare, lookup, bare, lookup), each on a fresh server; "
        "the ratio is lookup over bare, summed over both pairs.",
        "",
        *_table(header, rows),
        "",
        f"wrk: `{example.split(' http')[0]} URL` (search adds `-s bench/out/search-<store>.lua`); "
        "servers: `python -m uvicorn --loop uvloop --http httptools --workers 1 --factory "
        "api.main:app_from_env` and `python -m uvicorn ... bench.bare_app:app`. One store: "
        "`python -m bench.serving --db bench/out/db/100k.db "
        "--queries bench/out/vocab-100k/queries.json`.",
        "",
    ]


def targets(results: dict[str, Any]) -> list[list[str]]:
    """Return [target, figure, met?] rows for the issue's performance targets."""
    rows = []

    def row(target: str, figure: str, ok: bool) -> None:
        rows.append([target, figure, "met" if ok else "**missed**"])

    build = results.get("build", {})
    if "shipped" in build:
        row(
            "build of the shipped vocabulary <= 1 s",
            f"{build['shipped']['wall']:.2f} s",
            build["shipped"]["wall"] <= 1.0,
        )
    if "100k" in build:
        row(
            "build of 100k concepts (850k triples) <= 10 s",
            f"{build['100k']['wall']:.2f} s",
            build["100k"]["wall"] <= 10.0,
        )
    search = results.get("latency", {}).get("100k", {}).get("search")
    if search:
        row(
            "search p50 <= 2 ms at 100k, in process",
            f"{search['all']['p50']:.3f} ms",
            search["all"]["p50"] <= 2.0,
        )
        row(
            "search p99 <= 10 ms at 100k, in process",
            f"{search['all']['p99']:.3f} ms",
            search["all"]["p99"] <= 10.0,
        )
    cold = results.get("cold_start", {}).get("100k")
    if cold:
        for key, label in (("uvicorn", "uvicorn factory"), ("serve", "vocab serve")):
            row(
                f"cold start <= 1 s at 100k, prebuilt store ({label}, median)",
                f"{median(cold[key]):.2f} s",
                median(cold[key]) <= 1.0,
            )
    for name, h in results.get("http", {}).items():
        row(
            f"HTTP lookup >= 0.8x bare ASGI ({name})",
            f"{h['lookup_ratio']:.2f}x",
            h["lookup_ratio"] >= 0.8,
        )
    return rows


def report(results: dict[str, Any], command: str, seconds: int) -> str:
    """Return results.md: how it was run, a table per measurement, and the targets."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m bench.run` (bench/run.py): the figures of the latest run. "
        "Data: `python -m bench.generate` (seeded: every run measures the same vocabularies).",
        "",
        f"- command: `{command}`, {results['date']}",
        f"- machine: {results['machine']}",
        f"- load average (1, 5, 15 min) before / after: {results['load_before']} / "
        f"{results['load_after']}; other work on the machine makes wall times noisy",
        "",
    ]
    if results.get("build"):
        lines += _build_section(results["build"])
    if results.get("cold_start"):
        lines += _cold_section(results["cold_start"])
    if results.get("latency"):
        lines += _latency_section(results["latency"])
    if results.get("http"):
        lines += _http_section(results["http"], seconds)
    lines += ["## Targets", "", *_table(["target", "reached", ""], targets(results)), ""]
    return "\n".join(lines)


# --- run ----------------------------------------------------------------------------------
