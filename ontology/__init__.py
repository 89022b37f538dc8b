"""The vocabulary's curated artefacts, shipped as package data so an installed wheel serves them.

`vocabulary/` (the Turtle source), `profile.ttl` (our SKOS profile), `shapes.ttl` (SHACL),
`context.jsonld` (the JSON-LD context), `sources/` and `seed/`. Nothing here is code: the
module only makes the folder importable, so `pip install .` puts it beside `vocab/`, and
every path to it (`vocab.config.ROOT / "ontology"`, `loaders.skos.ONTOLOGY_DIR`) resolves the
same way in a checkout and in site-packages.
"""
