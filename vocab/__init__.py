"""The core of the vocabulary service: the SKOS model, normalisation, lookup, search,
alignment and translation, the quality gate, the curated source's policy, and read stores
behind a protocol. It imports no edge (`api`, `cli`) and no format (`loaders`)."""
