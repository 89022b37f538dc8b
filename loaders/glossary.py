"""The seed glossary: read the "Glossary of Terms" of the SoR guidance into concepts.

The section lists entries such as `Care Quality Commission (CQC)` and then, after the
last entry, the web addresses of the bodies that have one, in entry order but with no
link between an address and its entry. `read_glossary` pairs them by a monotone
alignment that maximises how well each address matches an entry's acronym or name, so
the seeding is reproducible from the document alone. `glossary_snapshot` turns the
entries into concepts with labels and web pages; definitions are added by curation in
`ontology/vocabulary.ttl`, which is the source of truth from then on.

>>> entries = read_glossary(open("../shared/seeds/000_95c6dcd93f166210.txt").read())  # doctest: +SKIP
>>> entries[0]                                                                        # doctest: +SKIP
GlossaryEntry(name='Accelerated Access Collaborative', acronyms=('AAC',), url='https://www.england.nhs.uk/aac/')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from vocab.errors import ParseError
from vocab.model import Concept, Label, LabelKind, LangText, Scheme, Snapshot
from vocab.normalize import compact_key

SECTION_TITLE = "Glossary of Terms"
_ENTRY = re.compile(r"^(?P<before>[^()]+?)\s*\((?P<acronym>[^()]+)\)\s*(?P<after>.*)$")
_URL = re.compile(r"^https?://\S+$")
_HOST_NOISE = {
    "www",
    "org",
    "uk",
    "co",
    "ac",
    "com",
    "int",
    "eu",
    "gov",
    "net",
    "ai",
    "scot",
    "wales",
    "http",
    "https",
}
MIN_MATCH = 40.0  # least alignment score for pairing an address with an entry


@dataclass(frozen=True)
class GlossaryEntry:
    name: str
    acronyms: tuple[str, ...]
    url: str | None = None
    plural_of: str | None = None  # "EIs" is the plural of the acronym "EI"


def read_glossary(text: str) -> list[GlossaryEntry]:
    """Return the entries of the glossary section, each with its web address if it has one.

    Raises ParseError if the section is missing or holds no entries.
    """
    lines = [line.strip() for line in text.splitlines()]
    try:
        start = lines.index(SECTION_TITLE) + 1
    except ValueError:
        raise ParseError(f"No '{SECTION_TITLE}' section in the seed document.") from None
    raw_entries: list[str] = []
    urls: list[str] = []
    for line in lines[start:]:
        if not line:
            continue
        if _URL.match(line):
            urls.append(_without_tracking(line))
        elif urls:
            break  # the section ends after its list of addresses
        else:
            raw_entries.append(" ".join(line.split()))
    entries = [e for raw in raw_entries for e in _entries(raw)]
    if not entries:
        raise ParseError(f"The '{SECTION_TITLE}' section has no entries.")
    return _attach_urls(entries, urls)


def _without_tracking(url: str) -> str:
    """Drop analytics query strings (`?_ga=...`, `?utm_source=...`) from an address."""
    parts = urlsplit(url)
    if parts.query and all(p.startswith(("_ga=", "utm_")) for p in parts.query.split("&")):
        return parts._replace(query="").geturl()
    return url


def _entries(raw: str) -> list[GlossaryEntry]:
    match = _ENTRY.match(raw)
    if not match:
        return [GlossaryEntry(name=raw, acronyms=())]
    name = " ".join(f"{match['before']} {match['after']}".split())
    acronym = match["acronym"].strip()
    if (
        " and " in acronym and " and " in name
    ):  # "quality assurance and quality control (QA and QC)"
        names, acronyms = name.split(" and "), acronym.split(" and ")
        if len(names) == len(acronyms):
            return [
                GlossaryEntry(n.strip(), (a.strip(),)) for n, a in zip(names, acronyms, strict=True)
            ]
    if re.fullmatch(r"[A-Z]{2,}s", acronym):  # "EIs": a plural acronym
        return [GlossaryEntry(name, (acronym[:-1],), plural_of=acronym)]
    return [GlossaryEntry(name, (acronym,))]


def _url_words(url: str) -> list[str]:
    parts = urlsplit(url)
    words = re.split(r"[^a-z0-9]+", (parts.netloc + " " + parts.path).lower())
    return [w for w in words if w and w not in _HOST_NOISE]


def match_score(entry: GlossaryEntry, url: str) -> float:
    """Return 0-100: how well a web address names an entry (acronym or name)."""
    words = _url_words(url)
    if not words:
        return 0.0
    name_key = compact_key(entry.name)
    best = 0.0
    for word in words:
        for acronym in entry.acronyms:
            best = max(best, fuzz.ratio(acronym.lower(), word))
        if len(word) >= 4:
            best = max(best, fuzz.partial_ratio(word, name_key) * min(1.0, len(word) / 8))
    joined = "".join(words)
    best = max(best, fuzz.partial_ratio(joined, name_key) * min(1.0, len(joined) / 12))
    return best


def _attach_urls(entries: list[GlossaryEntry], urls: list[str]) -> list[GlossaryEntry]:
    """Pair addresses with entries, in order, maximising the total match score (DP)."""
    n, m = len(urls), len(entries)
    if n > m:
        raise ParseError(f"The glossary lists {n} web addresses for only {m} entries.")
    neg = float("-inf")
    # best[i][j]: best total for the first i urls placed among the first j entries
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    take = [[False] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1]
            pair = best[i - 1][j - 1] + match_score(entries[j - 1], urls[i - 1])
            if pair >= skip:
                best[i][j], take[i][j] = pair, True
            else:
                best[i][j] = skip
    paired: dict[int, str] = {}
    i, j = n, m
    while i > 0:
        if take[i][j]:
            paired[j - 1] = urls[i - 1]
            i -= 1
        j -= 1
    weak = [
        (entries[k].name, url)
        for k, url in paired.items()
        if match_score(entries[k], url) < MIN_MATCH
    ]
    if weak:
        raise ParseError(f"Could not pair these addresses with glossary entries: {weak}")
    return [
        GlossaryEntry(e.name, e.acronyms, paired.get(k), e.plural_of) for k, e in enumerate(entries)
    ]


def glossary_snapshot(entries: list[GlossaryEntry], *, base: str, citation: str) -> Snapshot:
    """Return the starting vocabulary: one concept per entry, ids t0001... in entry order."""
    base = base.rstrip("/")
    scheme = Scheme(
        uri=f"{base}/scheme",
        titles=(LangText("AI in clinical imaging and radiotherapy: shared vocabulary", "en-GB"),),
    )
    concepts = []
    for n, entry in enumerate(entries, start=1):
        labels = [Label(entry.name, "en-GB", LabelKind.PREF)]
        labels += [Label(a, "en-GB", LabelKind.ACRONYM) for a in entry.acronyms]
        if entry.plural_of:
            labels.append(Label(entry.plural_of, "en-GB", LabelKind.ALT))
        concepts.append(
            Concept(
                id=f"t{n:04d}",
                uri=f"{base}/terms/t{n:04d}",
                labels=tuple(labels),
                citations=(LangText(citation, "en-GB"),),
                pages=(entry.url,) if entry.url else (),
                in_schemes=(scheme.uri,),
            )
        )
    return Snapshot(
        schemes=(scheme,),
        concepts=tuple(concepts),
        top_concepts={scheme.uri: tuple(c.uri for c in concepts)},
    )
