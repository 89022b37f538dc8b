"""What every FHIR resource and operation shares: system URIs, the release index, inputs, answers.

Codes are our concept ids (`t0133`) in the system named by the scheme URI (`{base}/scheme`),
so a FHIR Coding and a SKOS concept URI name the same thing. Our own small code systems
(the communities, the kinds of label, the words each community uses) live under
`{base}/fhir/CodeSystem/...`, where they resolve.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from api.fhir.outcome import CONTENT_TYPE, MEDIA_TYPE
from api.negotiation import choose
from api.releases import PerRelease
from api.respond import represent
from vocab.errors import InvalidInput
from vocab.model import COMMUNITIES, Concept, LabelKind, ancestors
from vocab.vocabulary import Vocabulary

FHIR_VERSION = "5.0.0"
FHIR_CACHE = "public, max-age=300"
VOCABULARY_ID = "airt"
COMMUNITY_ID = "airt-community"
LABEL_KIND_ID = "airt-label-kind"
WORDS_ID = "airt-words"
EXPANSION_MAX = 1000
"""The most codes one $expand answers; larger value sets page with `offset` and `count`."""

LABEL_KIND_NAMES = {
    LabelKind.PREF: "preferred label",
    LabelKind.ACRONYM: "acronym",
    LabelKind.ALT: "alternative label",
    LabelKind.HIDDEN: "hidden label (a common misspelling)",
}
FORMAT_OFFERS = (
    ("json", MEDIA_TYPE),
    ("json", "application/json"),
    ("xml", "application/fhir+xml"),
    ("xml", "application/xml"),
)


@dataclass(frozen=True)
class Urls:
    """The canonical URLs of what the FHIR face serves, for one base URI and scheme."""

    base: str
    system: str  # the vocabulary's CodeSystem: the SKOS scheme URI

    def code_system(self, resource_id: str) -> str:
        return (
            self.system if resource_id == VOCABULARY_ID else f"{self.fhir}/CodeSystem/{resource_id}"
        )

    @property
    def fhir(self) -> str:
        return f"{self.base}/fhir"

    @property
    def community(self) -> str:
        return self.code_system(COMMUNITY_ID)

    @property
    def label_kind(self) -> str:
        return self.code_system(LABEL_KIND_ID)

    @property
    def words(self) -> str:
        return self.code_system(WORDS_ID)

    @property
    def all_codes(self) -> str:
        return f"{self.fhir}/ValueSet/{VOCABULARY_ID}"

    def words_of(self, community: str) -> str:
        return f"{self.fhir}/ValueSet/{WORDS_ID}-{community}"


def urls(vocabulary: Vocabulary, base: str) -> Urls:
    return Urls(base, vocabulary.scheme.uri)


@dataclass(frozen=True)
class FhirIndex:
    """A release seen as a code system: concepts by code, the hierarchy, collections, words."""

    concepts: dict[str, Concept]
    by_uri: dict[str, str]  # concept URI -> code
    ancestors: dict[str, frozenset[str]]  # code -> codes of every broader concept
    ordered: tuple[str, ...]  # codes in the order of their preferred labels
    members: dict[str, frozenset[str]]  # collection id -> codes (nested collections included)
    words: dict[str, tuple[str, ...]]  # community -> the visible labels it uses, sorted

    def concept(self, code: str) -> Concept | None:
        return self.concepts.get(code)


def build_index(vocabulary: Vocabulary) -> FhirIndex:
    """Return the FHIR index of a release (built once per release, see `PerRelease`)."""
    snapshot = vocabulary.snapshot()
    concepts = {c.id: c for c in snapshot.concepts}
    by_uri = {c.uri: c.id for c in snapshot.concepts}
    parents = {c.id: [by_uri[u] for u in c.broader if u in by_uri] for c in snapshot.concepts}
    closure = {code: frozenset(up) for code, up in ancestors(parents).items()}
    ordered = tuple(
        sorted(concepts, key=lambda code: (concepts[code].pref_label().casefold(), code))
    )
    collections = {c.uri: c for c in snapshot.collections}
    members: dict[str, frozenset[str]] = {}
    for collection in snapshot.collections:
        seen: set[str] = set()
        stack = list(collection.members)
        while stack:  # a nested collection counts with its members
            uri = stack.pop()
            if uri not in seen:
                seen.add(uri)
                stack.extend(collections[uri].members if uri in collections else ())
        members[collection.id] = frozenset(by_uri[u] for u in seen if u in by_uri)
    words = {
        community: tuple(
            sorted(
                {
                    label.text
                    for c in snapshot.concepts
                    for label in c.labels
                    if community in label.usage and label.kind is not LabelKind.HIDDEN
                },
                key=str.casefold,
            )
        )
        for community in COMMUNITIES
    }
    return FhirIndex(concepts, by_uri, closure, ordered, members, words)


index: PerRelease[FhirIndex] = PerRelease(build_index)


# --- inputs -------------------------------------------------------------------------------

SCALAR_KEYS = ("valueString", "valueCode", "valueUri", "valueCanonical", "valueUrl", "valueId")


def read_parameters(body: bytes, names: dict[str, str]) -> dict[str, Any]:
    """Return the inputs of a POSTed Parameters resource, by name, as the GET form would give them.

    `names` maps each accepted parameter to its kind: text, texts, flag, number or coding.
    Raises InvalidInput naming what is wrong.
    """
    try:
        resource = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(
            f"The body is not JSON ({exc}); send a FHIR Parameters resource."
        ) from None
    if not isinstance(resource, dict) or resource.get("resourceType") != "Parameters":
        raise InvalidInput('Send a FHIR Parameters resource ({"resourceType": "Parameters", ...}).')
    found: dict[str, Any] = {}
    for parameter in resource.get("parameter") or []:
        name = parameter.get("name") if isinstance(parameter, dict) else None
        if name not in names:
            continue
        found[name] = _value(parameter, name, names[name], found.get(name))
    return found


def _value(parameter: dict[str, Any], name: str, kind: str, previous: Any) -> Any:
    if kind == "coding":
        coding = parameter.get("valueCoding")
        if not isinstance(coding, dict):
            raise InvalidInput(f"Parameter '{name}' needs a valueCoding.")
        return {
            k: str(v) for k, v in coding.items() if k in ("system", "code", "display", "version")
        }
    if kind == "flag":
        value = parameter.get("valueBoolean")
        if not isinstance(value, bool):
            raise InvalidInput(f"Parameter '{name}' needs a valueBoolean.")
        return value
    if kind == "number":
        value = parameter.get("valueInteger")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidInput(f"Parameter '{name}' needs a valueInteger of 0 or more.")
        return value
    value = next((parameter[k] for k in SCALAR_KEYS if k in parameter), None)
    if not isinstance(value, str):
        raise InvalidInput(f"Parameter '{name}' needs a valueString, valueCode or valueUri.")
    if kind == "texts":
        return [*(previous or []), value]
    return value


def split_coding(
    coding: dict[str, str] | None, system: str | None, code: str | None
) -> tuple[str | None, str | None, str | None]:
    """Return (system, code, display) from a Coding input or the separate inputs."""
    if coding:
        return coding.get("system"), coding.get("code"), coding.get("display")
    return system, code, None


# --- answers ------------------------------------------------------------------------------


def refuses_xml(request: Request, format: str | None) -> str | None:
    """Return why the answer would not suit a client that wants XML (we answer JSON only), else None."""
    wanted = (format or "").lower()
    if wanted and "json" not in wanted:
        return f"_format '{wanted[:40]}' is not supported; this server answers JSON only (_format=json)."
    accept = request.headers.get("accept", "").encode("latin-1")
    if not wanted and accept and choose(accept, FORMAT_OFFERS, "json") == "xml":
        return "This server answers FHIR JSON only; ask for application/fhir+json."
    return None


def answer(
    request: Request,
    vocabulary: Vocabulary,
    key: tuple[str, ...],
    make: Callable[[], dict[str, Any]],
) -> Response:
    """Return a FHIR resource for a GET: ETag, 304, and rendered once per release."""
    return represent(
        request,
        vocabulary,
        key=("fhir", *key),
        variant="json",
        media_type=MEDIA_TYPE,
        render=lambda: orjson.dumps(make()),
        cache_control=FHIR_CACHE,
    )


def answer_now(resource: dict[str, Any]) -> Response:
    """Return a FHIR resource computed for a POST (not cached)."""
    return Response(
        orjson.dumps(resource), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
    )


def query_key(request: Request) -> tuple[str, ...]:
    """Return what identifies a GET answer: its path and its query, in a fixed order."""
    return (request.url.path, *sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))


def parameter(name: str, value: Any) -> dict[str, Any]:
    """Return one Parameters.parameter, typed by its Python value."""
    if isinstance(value, bool):
        return {"name": name, "valueBoolean": value}
    if isinstance(value, int):
        return {"name": name, "valueInteger": value}
    if isinstance(value, dict) and "code" in value:
        return {"name": name, "valueCoding": value}
    return {"name": name, "valueString": str(value)}


def parameters(*items: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Parameters", "parameter": list(items)}
