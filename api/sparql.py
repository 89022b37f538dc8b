"""The SPARQL engine behind `/sparql`: read-only, bounded in time and size, off the event loop.

Queries run in a worker process (spawned, never forked) that loads the release's export
graph into an in-memory pyoxigraph store once, then answers query after query. The
server waits for each answer at most `timeout` seconds; a query still running then has
its worker killed (and a new one started for the next query), so a runaway query holds
neither the event loop nor a core. Updates and `SERVICE` are refused before a query
reaches the store, and no answer holds more than `cap` solutions or triples.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import anyio.to_thread
import pyoxigraph as ox

from api.caching import AnswerCache
from api.negotiation import Offers, choose
from loaders.namespaces import PREFIXES
from loaders.skos import write_skos
from loaders.sparql_results import RESULT_MEDIA_TYPES, write_boolean, write_results
from vocab.errors import ParseError, StoreError, TooLarge, UnsafeInput, UnsupportedFormat
from vocab.store import ReadStore
from vocab.vocabulary import Vocabulary

TIMEOUT_S = 10.0
"""How long a query may run (Skosmos allows 20 s; a vocabulary this size needs far less).
VOCAB_SPARQL_TIMEOUT (seconds) overrides it."""
RESULT_CAP = 10_000
"""The most solutions or triples one answer holds; the rest are dropped and the answer says so."""
MAX_QUERY_CHARS = 20_000
LOAD_TIMEOUT_S = 120.0

SOLUTION_OFFERS: Offers = (
    *RESULT_MEDIA_TYPES.items(),
    ("json", "application/json"),
)
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
GRAPH_OFFERS: Offers = tuple((name, f.media_type) for name, f in GRAPH_FORMATS.items())
FORMAT_NAMES = (*RESULT_MEDIA_TYPES, *GRAPH_FORMATS)
DEFAULT_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

# Strings, IRIs and comments are blanked out before looking for keywords, so that a label
# or IRI that contains "SERVICE" or "INSERT" is never mistaken for one.
_OPAQUE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*'
)
_KEYWORD = r"(?<![\w?$:]){}(?![\w:-])"
_UPDATE = re.compile(
    _KEYWORD.format("(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)"), re.IGNORECASE
)
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.IGNORECASE)


def check_query(query: str) -> None:
    """Raise UnsafeInput for an update or a SERVICE call, TooLarge for an over-long query."""
    if len(query) > MAX_QUERY_CHARS:
        raise TooLarge(f"The query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}.")
    bare = _OPAQUE.sub(" ", query)
    update = _UPDATE.search(bare)
    if update:
        raise UnsafeInput(
            f"This endpoint is read-only: '{update.group(1).upper()}' is an update. "
            "Use SELECT, ASK, CONSTRUCT or DESCRIBE."
        )
    if _SERVICE.search(bare):
        raise UnsafeInput(
            "SERVICE is not allowed: this endpoint never queries other endpoints. "
            "Query this vocabulary only."
        )


@dataclass(frozen=True)
class SparqlAnswer:
    body: bytes
    media_type: str
    truncated: bool


# --- the worker process -----------------------------------------------------------------------


def load_store(opener: Callable[[], ReadStore]) -> ox.Store:
    """Return an in-memory store holding the release's export graph (what /export serves)."""
    store = ox.Store()
    graph = write_skos(Vocabulary(opener()).snapshot(), "nt")
    store.load(input=graph, format=ox.RdfFormat.N_TRIPLES)
    return store


def execute(
    store: ox.Store, query: str, accept: bytes, override: str | None, cap: int
) -> SparqlAnswer:
    """Return the answer to one query in the negotiated format; raise SyntaxError or UnsupportedFormat."""
    results = store.query(query, prefixes=DEFAULT_PREFIXES)
    if isinstance(results, ox.QueryTriples):
        fmt = _format(override, GRAPH_OFFERS, "ttl", accept, "CONSTRUCT and DESCRIBE")
        triples = _take(results, cap)
        body = ox.serialize(triples[:cap], format=GRAPH_FORMATS[fmt], prefixes=DEFAULT_PREFIXES)
        return SparqlAnswer(body or b"", GRAPH_FORMATS[fmt].media_type, len(triples) > cap)
    fmt = _format(override, SOLUTION_OFFERS, "json", accept, "SELECT and ASK")
    if isinstance(results, ox.QueryBoolean):
        return SparqlAnswer(write_boolean(bool(results), fmt), RESULT_MEDIA_TYPES[fmt], False)
    variables = [v.value for v in results.variables]
    rows = _take(results, cap)
    body = write_results(variables, [list(row) for row in rows[:cap]], fmt)
    return SparqlAnswer(body, RESULT_MEDIA_TYPES[fmt], len(rows) > cap)


def _take(results: Any, cap: int) -> list[Any]:
    out = []
    for item in results:
        out.append(item)
        if len(out) > cap:
            break
    return out


def _format(override: str | None, offers: Offers, default: str, accept: bytes, kind: str) -> str:
    names = dict(offers)
    if override is not None:
        if override not in names:
            raise UnsupportedFormat(
                f"Format '{override}' does not suit {kind}; use one of: {', '.join(dict.fromkeys(names))}."
            )
        return override
    return choose(accept, offers, default)


def serve(conn: Connection, opener: Callable[[], ReadStore]) -> None:
    """The worker's loop: load the release, then answer each (query, accept, format, cap) sent.

    A release it cannot read (a damaged page) is reported to the server, which answers the
    503 envelope; the worker then ends quietly instead of printing a traceback to the log.
    """
    try:
        store = load_store(opener)
    except Exception as exc:  # a damaged page fails in any decoder: all of them mean "unreadable"
        conn.send(("unreadable", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            query, accept, override, cap = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", execute(store, query, accept, override, cap)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except UnsupportedFormat as exc:
            conn.send(("format", exc.message))
        except (OSError, ValueError, RuntimeError) as exc:
            conn.send(("error", str(exc)))


# --- the server side --------------------------------------------------------------------------


@dataclass
class Worker:
    digest: str
    process: BaseProcess
    conn: Connection


class SparqlEndpoint:
    """Runs queries for one server: one worker process per release, one query at a time."""

    def __init__(self, timeout: float | None = None, cap: int = RESULT_CAP) -> None:
        self.timeout = timeout or float(os.environ.get("VOCAB_SPARQL_TIMEOUT") or TIMEOUT_S)
        self.cap = cap
        self.answers: AnswerCache[SparqlAnswer] = AnswerCache(2_000)
        self._worker: Worker | None = None
        self._lock = threading.Lock()

    async def query(
        self, vocabulary: Vocabulary, query: str, accept: bytes, override: str | None
    ) -> SparqlAnswer:
        """Return the answer to `query`; raise UnsafeInput, ParseError, StoreError (timeout, busy)."""
        check_query(query)
        key = (vocabulary.digest, query, accept, override, self.cap)
        found = self.answers.get(key)
        if found is None:
            found = await anyio.to_thread.run_sync(self._run, vocabulary, query, accept, override)
            self.answers.put(key, found)
        return found

    def _run(
        self, vocabulary: Vocabulary, query: str, accept: bytes, override: str | None
    ) -> SparqlAnswer:
        if not self._lock.acquire(timeout=self.timeout):
            raise StoreError(
                f"The SPARQL endpoint is busy; try again in {int(self.timeout)} seconds."
            )
        try:
            worker = self._worker_for(vocabulary)
            worker.conn.send((query, accept, override, self.cap))
            if not worker.conn.poll(self.timeout):
                self._stop()
                raise StoreError(
                    f"The query ran past the {self.timeout:g} s limit and was stopped; "
                    "narrow it (more specific patterns, a LIMIT)."
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._stop()
            raise StoreError("The SPARQL worker stopped; try the query again.") from None
        finally:
            self._lock.release()
        if status == "ok":
            answer: SparqlAnswer = payload
            return answer
        if status == "syntax":
            raise ParseError(f"The query is not valid SPARQL 1.1: {payload}")
        if status == "format":
            raise UnsupportedFormat(payload)
        raise ParseError(f"The query could not be run: {payload}")

    def _worker_for(self, vocabulary: Vocabulary) -> Worker:
        if self._worker is not None and (
            self._worker.digest != vocabulary.digest or not self._worker.process.is_alive()
        ):
            self._stop()  # a new release (or a dead worker): start afresh
        if self._worker is None:
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            process = context.Process(
                target=serve, args=(theirs, vocabulary.store.opener()), daemon=True
            )
            process.start()
            theirs.close()
            said: tuple[str, ...] = ours.recv() if ours.poll(LOAD_TIMEOUT_S) else ("silent",)
            if said != ("ready",):
                process.kill()
                process.join(5)
                reason = f" ({said[1]})" if said[0] == "unreadable" else ""
                raise StoreError(
                    f"The SPARQL store could not be loaded{reason}; try again shortly."
                )
            self._worker = Worker(vocabulary.digest, process, ours)
        return self._worker

    def _stop(self) -> None:
        if self._worker is not None:
            self._worker.process.kill()
            self._worker.process.join(5)
            self._worker.conn.close()
            self._worker = None

    def close(self) -> None:
        with self._lock:
            self._stop()
