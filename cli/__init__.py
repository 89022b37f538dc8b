"""The `vocab` command line (an edge beside `api/`): see `cli.main`."""
