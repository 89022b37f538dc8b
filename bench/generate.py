"""Generate realistic SKOS vocabularies of any size, and a query set for each.

    python -m bench.generate --sizes 10k,100k,1M            # into bench/out/vocab-<size>/

Each concept has a preferred label of two to four words drawn from `bench.words` (Zipf-like
weights, so common words are common; one in seven starts with a made-up proper name),
an alternative label (the same term in another word
order, as real synonyms often are), a hidden label (a misspelling), an acronym for most
concepts, a definition, a notation for most, and one broader concept (a random earlier
concept: a tree about ln(N) deep under N/1000 top concepts). Output is Turtle written with
plain string formatting (rdflib would take minutes at 1M), split into files of
`CHUNK` concepts so no file passes the reader's size limit, with IRIs relative to the
service's base like the curated source: `vocab build --source bench/out/vocab-100k`.

Everything is seeded: the same size and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import string
import time
from dataclasses import dataclass
from pathlib import Path

from bench.words import CONNECTIVES, DOMAIN_WORDS, HEAD_WORDS, MODIFIER_WORDS, VERB_WORDS

OUT = Path(__file__).resolve().parent / "out"
CHUNK = 50_000  # concepts per file: about 20 MB of Turtle, well under the 64 MiB limit
SEED = 20240611
GENERATOR_VERSION = "4"  # bump when the output changes, so cached files are regenerated
QUERIES_PER_KIND = 200
LANG = "en-GB"

PREFIXES = """@prefix : <terms/> .
@prefix airt: <https://w3id.org/airt/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def parse_size(text: str) -> int:
    """Return the number of concepts that '10k', '1M' or '2500' means."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def size_name(n: int) -> str:
    """Return '10k', '1M' or '2500' for a number of concepts."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


class _Zipf:
    """Weighted choice from a word list: the word at rank r has weight 1 / (r + 8)."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.cum = list(itertools.accumulate(1.0 / (r + 8) for r in range(len(words))))
        self.rng = rng

    def __call__(self) -> str:
        return self.words[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]


@dataclass(frozen=True, slots=True)
class Term:
    """The labels of one generated concept."""

    pref: str
    alt: str
    hidden: str
    acronym: str


def _name(rng: random.Random) -> str:
    """Return a made-up proper name, such as 'Velmora' or 'Tasken'."""
    onsets = (
        "b",
        "br",
        "d",
        "f",
        "g",
        "h",
        "k",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "st",
        "t",
        "v",
        "w",
        "z",
    )
    vowels = ("a", "e", "i", "o", "u", "ae", "ei", "ou")
    codas = ("", "n", "r", "l", "s", "k", "m", "th", "nd", "rt")
    return "".join(
        rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
        for _ in range(rng.randrange(2, 4))
    ).capitalize()


class _Terms:
    """Distinct multi-word terms; no two labels share a compact key.

    About one term in seven starts with a proper name (an eponym, a product or a trial),
    drawn from a pool that grows with the vocabulary, so the number of distinct words
    grows with its size as it does in real vocabularies.
    """

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.mod = _Zipf(MODIFIER_WORDS, rng)
        self.head = _Zipf(HEAD_WORDS, rng)
        self.domain = _Zipf(DOMAIN_WORDS, rng)
        self.names = _Zipf(list(dict.fromkeys(_name(rng) for _ in range(max(50, n // 10)))), rng)
        self.keys: set[str] = set()

    def _words(self, extra: int) -> list[str]:
        r = self.rng.random()
        if r < 0.15:
            words = [self.mod(), self.head()]
        elif r < 0.40:
            words = [self.mod(), self.mod(), self.head()]
        elif r < 0.60:
            words = [self.mod(), self.domain(), self.head()]
        elif r < 0.80:
            words = [self.head(), self.rng.choice(CONNECTIVES[:3]), self.mod(), self.head()]
        else:
            words = [self.mod(), self.mod(), self.domain(), self.head()]
        words += [self.head() for _ in range(extra)]
        if self.rng.random() < 0.15:
            words.insert(0, self.names())
        return words if len(set(words)) == len(words) else []

    def _claim(self, text: str) -> bool:
        key = text.replace(" ", "").lower()
        if key in self.keys:
            return False
        self.keys.add(key)
        return True

    def new(self) -> Term:
        for attempt in itertools.count():
            words = self._words(extra=attempt // 20)  # longer terms once short ones run out
            if words and self._claim(" ".join(words)):
                break
        pref = " ".join(words)
        alt = _synonym(words, self.rng)
        if not self._claim(alt):
            alt = f"{pref} {self.domain()}"
            if not self._claim(alt):
                alt = f"{pref} {self.head()} {self.rng.randrange(10**6)}"
                self._claim(alt)
        hidden = pref
        for _ in range(10):
            hidden = misspell(pref, self.rng)
            if self._claim(hidden):
                break
        else:
            hidden = f"{pref}x{self.rng.randrange(10**6)}"
            self._claim(hidden)
        initials = "".join(w[0] for w in words if w not in CONNECTIVES).upper()
        acronym = initials if self.rng.random() < 0.8 else ""
        return Term(pref, alt, hidden, acronym)


def _synonym(words: list[str], rng: random.Random) -> str:
    """Return the term in another word order: 'a b c' -> 'c of a b', 'h of m x' -> 'm x h'."""
    if len(words) == 4 and words[1] in CONNECTIVES:
        return " ".join([*words[2:], words[0]])
    return f"{words[-1]} {rng.choice(('of', 'for'))} {' '.join(words[:-1])}"


def misspell(text: str, rng: random.Random) -> str:
    """Return `text` with one typo (swap, drop, double or replace a letter) in a long word."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5] or list(range(len(words)))
    i = rng.choice(long)
    w = words[i]
    p = rng.randrange(1, max(2, len(w) - 1))
    kind = rng.randrange(4)
    if kind == 0 and p + 1 < len(w):
        w = w[:p] + w[p + 1] + w[p] + w[p + 2 :]
    elif kind == 1:
        w = w[:p] + w[p + 1 :]
    elif kind == 2:
        w = w[:p] + w[p] + w[p:]
    else:
        w = w[:p] + rng.choice([c for c in string.ascii_lowercase if c != w[p]]) + w[p + 1 :]
    words[i] = w
    return " ".join(words)


def _definition(rng: random.Random, terms: _Terms, pref: str) -> str:
    article = "An" if pref[0] in "aeiouAEIOU" else "A"
    return (
        f"{article} {pref} that is used in {terms.domain()} to {rng.choice(VERB_WORDS)} the "
        f"{terms.mod()} {terms.head()} of each {terms.mod()} {terms.head()}, as part of the "
        f"{terms.mod()} {terms.head()} {terms.head()}."
    )


def _scheme_turtle(n: int, seed: int) -> str:
    return PREFIXES + (
        f"\n<scheme> a skos:ConceptScheme ;\n"
        f'    dct:title "Generated vocabulary of {n:,} concepts"@{LANG} ;\n'
        f'    dct:description "A synthetic SKOS vocabulary for benchmarks '
        f'(bench/generate.py, seed {seed})."@{LANG} ;\n'
        f"    dct:license <https://creativecommons.org/licenses/by/4.0/> .\n"
    )


def generate(n: int, folder: Path, *, seed: int = SEED) -> dict[str, object]:
    """Write a vocabulary of `n` concepts and its query set into `folder`; return the manifest."""
    rng = random.Random(seed * 1_000_003 + n)
    terms = _Terms(rng, n)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.ttl"):
        old.unlink()
    (folder / "scheme.ttl").write_text(_scheme_turtle(n, seed), encoding="utf-8")
    roots = max(10, n // 1000)
    width = len(str(n))
    triples = 5  # the scheme's
    sample: list[tuple[Term, str]] = []
    sample_every = max(1, n // (QUERIES_PER_KIND * 4))
    out: list[str] = []
    for i in range(n):
        term = terms.new()
        definition = _definition(rng, terms, term.pref)
        if i % sample_every == 0:
            sample.append((term, definition))
        lines = [
            f":g{i:0{width}d} a skos:Concept ;",
            f'    skos:prefLabel "{term.pref}"@{LANG} ;',
            f'    skos:altLabel "{term.alt}"@{LANG} ;',
            f'    skos:hiddenLabel "{term.hidden}"@{LANG} ;',
        ]
        if term.acronym:
            lines.append(f'    airt:acronym "{term.acronym}"@{LANG} ;')
        lines.append(f'    skos:definition "{definition}"@{LANG} ;')
        if rng.random() < 0.7:
            lines.append(f'    skos:notation "G-{i:07d}" ;')
            triples += 1
        if i < roots:
            lines.append("    skos:topConceptOf <scheme> ;")
        else:
            lines.append(f"    skos:broader :g{rng.randrange(i):0{width}d} ;")
        lines.append("    skos:inScheme <scheme> .\n")
        triples += 7 + bool(term.acronym)
        out.append("\n".join(lines))
        if len(out) == CHUNK or i == n - 1:
            name = f"concepts-{i // CHUNK:03d}.ttl"
            (folder / name).write_text(PREFIXES + "\n" + "\n".join(out), encoding="utf-8")
            out = []
    queries = make_queries(
        [(t.pref, t.acronym) for t, _ in sample],
        random.Random(seed + n),
        definitions=[(t.pref, d) for t, d in sample],
    )
    (folder / "queries.json").write_text(json.dumps(queries, indent=1), encoding="utf-8")
    manifest = {
        "concepts": n,
        "triples": triples,
        "seed": seed,
        "version": GENERATOR_VERSION,
        "files": len(list(folder.glob("*.ttl"))),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def make_queries(
    terms: list[tuple[str, str]],
    rng: random.Random,
    k: int = QUERIES_PER_KIND,
    definitions: list[tuple[str, str]] | None = None,
) -> dict[str, list[list[str | None]]]:
    """Return [query, preferred label it aims at (None for a miss)] pairs by kind.

    Kinds, from (preferred label, acronym) pairs of a vocabulary: exact labels, acronyms,
    prefixes (the words and the start of the last one), typo'd labels, swapped word order,
    and misses (made-up words). Given (preferred label, definition) pairs, also long
    queries that reach the meaning stages: `lay` questions (the definition's first clause
    asked as "what is ...") and pasted `phrase`s (the definition without its label).
    """
    labelled = [(p, a) for p, a in terms if p]
    multi = [(p, a) for p, a in labelled if len(p.split()) >= 2] or labelled
    with_acronym = [(p, a) for p, a in labelled if a]

    def pick(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [rng.choice(items) for _ in range(k)] if items else []

    def prefix(label: str) -> str:
        words = label.split()
        last = words[-1][: max(2, len(words[-1]) // 2)]
        return " ".join([*words[:-1], last])

    letters = "bcdfghjklmnpqrstvwxz"
    misses = [
        " ".join(
            "".join(
                rng.choice(letters if j % 2 == 0 else "aeiouy") for j in range(rng.randrange(5, 9))
            )
            for _ in range(rng.randrange(1, 3))
        )
        for _ in range(k)
    ]
    queries: dict[str, list[list[str | None]]] = {
        "exact": [[p, p] for p, _ in pick(labelled)],
        "acronym": [[a, p] for p, a in pick(with_acronym)],
        "prefix": [[prefix(p), p] for p, _ in pick(multi)],
        "typo": [[misspell(p, rng), p] for p, _ in pick(labelled)],
        "swapped": [[" ".join(reversed(p.split())), p] for p, _ in pick(multi)],
        "miss": [[m, None] for m in misses],
    }
    defined = [(p, d.split(" that is ", 1)[1].rstrip(".")) for p, d in definitions or []]
    if defined:
        queries["lay"] = [["what is " + d.split(" of each ")[0], p] for p, d in pick(defined)]
        queries["phrase"] = [[d, p] for p, d in pick(defined)]
    return queries


def ensure(n: int, *, seed: int = SEED, out: Path = OUT) -> Path:
    """Return the folder of the generated vocabulary of `n` concepts, generating it if needed."""
    folder = out / f"vocab-{size_name(n)}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        found = json.loads(manifest.read_text())
        if found.get("seed") == seed and found.get("version") == GENERATOR_VERSION:
            return folder
    generate(n, folder, seed=seed)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated, e.g. 10k,100k,1M")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    for text in args.sizes.split(","):
        n = parse_size(text)
        folder = args.out / f"vocab-{size_name(n)}"
        start = time.perf_counter()
        manifest = generate(n, folder, seed=args.seed)
        print(
            f"{folder}: {manifest['concepts']:,} concepts, {manifest['triples']:,} triples, "
            f"{manifest['files']} files in {time.perf_counter() - start:.1f} s"
        )
    print(f"reproduce: python -m bench.generate --sizes {args.sizes} --seed {args.seed}")


if __name__ == "__main__":
    main()
