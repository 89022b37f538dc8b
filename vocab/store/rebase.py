"""`Rebase`: a store's own URIs moved to the base URI the service answers with.

A store is compiled once with the base URI it was built for (recorded in its `meta` as
`base`); a server may answer under another one (another host, port or public address).
Every URI of the store's own namespace (`{stored base}/...`: concepts, collections, the
scheme) is rewritten on the way out and back on the way in; URIs of other namespaces (an
imported vocabulary's own, RadLex mappings) are left exactly as they are. So no store is
ever rebuilt for another base.
"""

from __future__ import annotations


class Rebase:
    """Maps URIs between the base a store was built for and the base answers use."""

    def __init__(self, stored: str, served: str | None) -> None:
        self.stored = stored.rstrip("/") + "/"
        self.served = (served or stored).rstrip("/") + "/"
        self.active = bool(stored) and self.stored != self.served
        self._stored_json = ('"' + self.stored).encode()
        self._served_json = ('"' + self.served).encode()

    def out(self, uri: str) -> str:
        """A stored URI as answers show it."""
        if self.active and uri.startswith(self.stored):
            return self.served + uri[len(self.stored) :]
        return uri

    def back(self, uri: str) -> str:
        """A URI as answers show it, as the store holds it."""
        if self.active and uri.startswith(self.served):
            return self.stored + uri[len(self.served) :]
        return uri

    def json(self, data: bytes | str) -> bytes | str:
        """Stored JSON with every string value that is a URI of the store's base rewritten."""
        if not self.active:
            return data
        if isinstance(data, str):
            return data.replace('"' + self.stored, '"' + self.served)
        return data.replace(self._stored_json, self._served_json)
