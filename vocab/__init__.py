"""The core of the vocabulary service: model, store, lookup, search, alignment, quality, CLI."""
