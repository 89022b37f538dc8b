"""`python -m vocab` runs the command line, like the `vocab` script."""

from vocab.cli import main

main()
