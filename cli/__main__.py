"""`python -m cli` runs the command line, like the `vocab` script."""

from cli.main import main

main()
