"""Commands about the curated source: validate, format, glossary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from cli.app import BaseOption, OutOption, SourceOption, app, emit, err, load_settings
from loaders.glossary import glossary_snapshot, read_glossary
from loaders.skos import write_skos
from loaders.terminal import safe
from loaders.turtle_source import concept_homes, read_source, validate_source, write_source
from vocab.config import settings_from_env
from vocab.problems import CHECK_NAMES, errors, warnings
from vocab.source import source_files

SEED_CITATION = (
    "Society of Radiographers (2021). Artificial intelligence: guidance for clinical imaging "
    "and therapeutic radiography workforce professionals. Glossary of terms."
)


@app.command()
def validate(
    source: SourceOption = None,
    base_uri: BaseOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every finding, warnings included.")
    ] = False,
    shapes: Annotated[
        bool, typer.Option(help="Also run the SHACL shapes of ontology/shapes.ttl.")
    ] = True,
) -> None:
    """Check the Turtle source: SKOS integrity, qSKOS quality checks and SHACL shapes; exit 1 on any error."""
    settings = load_settings(source=source, base_uri=base_uri)
    folder = settings_from_env().source.resolve()
    part = settings.source.is_file() and settings.source.resolve().parent == folder
    result, findings = validate_source(
        settings.source, base=settings.base, shapes=shapes, part=part
    )
    found_errors, found_warnings = errors(findings), warnings(findings)
    for f in found_errors + (found_warnings if verbose else []):
        err.print(safe(f"  {f.severity} [{f.check}] {f.subject}: {f.message}"), markup=False)
    if found_warnings and not verbose:
        counts = Counter(f.check for f in found_warnings)
        err.print(
            "  warnings: "
            + "; ".join(
                f"{n} {CHECK_NAMES.get(check, check)} ({check})"
                for check, n in counts.most_common()
            )
            + " (--verbose lists them)"
        )
    err.print(
        f"{settings.source}: {len(result.snapshot.concepts)} concepts, "
        f"{len(found_errors)} errors, {len(found_warnings)} warnings."
    )
    if found_errors:
        raise typer.Exit(1)


@app.command("format")
def format_source(
    source: SourceOption = None,
    base_uri: BaseOption = None,
    check: Annotated[
        bool, typer.Option(help="Only report files that would change; exit 1 if any.")
    ] = False,
) -> None:
    """Rewrite the Turtle source folder in the house style (one file per collection)."""
    settings = load_settings(source=source, base_uri=base_uri)
    result = read_source(settings.source, base=settings.base)
    homes = concept_homes(settings.source, base=settings.base) if settings.source.is_dir() else None
    files = write_source(result.snapshot, base=settings.base, homes=homes)
    folder = settings.source if settings.source.is_dir() else settings.source.parent
    changed = [
        name
        for name, text in files.items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]
    stale = [p for p in source_files(folder) if p.name not in files]
    if check:
        for name in changed:
            err.print(f"would reformat {folder / name}")
        for path in stale:
            err.print(f"would remove {path}")
        if changed or stale:
            err.print(f"{len(changed) + len(stale)} file(s) not formatted; run: vocab format")
            raise typer.Exit(1)
        err.print(f"{len(files)} file(s) formatted, in {folder}.")
        return
    for name in changed:
        (folder / name).write_text(files[name], encoding="utf-8")
    for path in stale:
        path.unlink()
    err.print(f"{len(changed)} file(s) rewritten, {len(stale)} removed, in {folder}.")


@app.command()
def glossary(
    seed: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="The seed document (plain text).")
    ],
    output: OutOption = None,
    base_uri: BaseOption = None,
) -> None:
    """Print the starting Turtle made from the seed's "Glossary of Terms" (one concept per entry)."""
    entries = read_glossary(seed.read_text(encoding="utf-8"))
    base = (base_uri or load_settings().base).rstrip("/")
    snapshot = glossary_snapshot(entries, base=base, citation=SEED_CITATION)
    turtle = write_skos(snapshot, "ttl").decode()
    emit(turtle.replace(f"<{base}/", "<").encode(), output)
