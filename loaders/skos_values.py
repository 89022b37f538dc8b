"""Reading values out of triples, reporting every repair or loss as a `Problem`.

`TripleIndex` indexes triples by subject (with the inverse edges SKOS reading needs);
`ValueReader` reads texts, dates, notations and single or multiple values from it,
reporting what it had to repair or drop. The SKOS reader (`skos_read`) and the label
reader (`skos_labels`) build on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from loaders.rdf_input import RDF_LANGSTRING, Lit, Node, Triple
from loaders.skos_terms import (
    NOTATION,
    TYPE,
    VALUE,
    XSD_DATE,
    XSD_DATETIME,
    date_problem,
    ill_typed,
    name,
    quoted,
)
from vocab.model import LangText
from vocab.problems import Problem, Severity


class TripleIndex:
    """Triples indexed by subject, with the inverse edges that SKOS reading needs."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[str, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.inverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            values = self.out[s][p]
            if o not in values:
                values.append(o)
            if isinstance(o, str):
                self.inverse[o][p].append(s)

    def values(self, s: str, p: str) -> list[Node]:
        props = self.out.get(s)
        return props.get(p, []) if props else []

    def iris(self, s: str, p: str) -> list[str]:
        values = self.values(s, p)
        if not values:  # most (s, p) asked about are absent: skip the comprehension
            return []
        return [o for o in values if isinstance(o, str) and not o.startswith("_:")]

    def literals(self, s: str, p: str) -> list[Lit]:
        values = self.values(s, p)
        return [o for o in values if isinstance(o, Lit)] if values else []

    def subjects(self, p: str, o: str) -> list[str]:
        found = self.inverse.get(o)
        return found.get(p, []) if found else []

    def types(self, s: str) -> set[str]:
        return set(self.iris(s, TYPE))


class ValueReader:
    """Values of a TripleIndex, with every repair or loss reported."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.g = TripleIndex(triples)
        self.problems: list[Problem] = []

    def report(self, severity: str, subject: str, reason: str) -> None:
        self.problems.append(Problem("read", Severity(severity), subject, reason))

    def warn(self, subject: str, reason: str) -> None:
        self.report("warning", subject, reason)

    def texts(self, s: str, p: str, *, label: bool = False) -> list[LangText]:
        """Return the texts of `s` `p`: labels must be plain literals (S12), notes may be nodes
        with an rdf:value."""
        severity, ic = ("error", " (S12)") if label else ("warning", "")
        out = []
        for value in self.g.values(s, p):
            if isinstance(value, Lit):
                if value.datatype and value.datatype != RDF_LANGSTRING:
                    self.report(
                        severity,
                        s,
                        f"{name(p)} is a typed literal{ic}; "
                        f"'{value.value[:40]}'^^<{value.datatype}> was kept "
                        f"as plain text{ill_typed(value.value, value.datatype)}.",
                    )
                out.append(LangText(value.value.strip(), value.lang))
            elif not label and self.g.literals(value, VALUE):
                forms = [LangText(v.value.strip(), v.lang) for v in self.g.literals(value, VALUE)]
                dropped = sorted({name(q) for q in self.g.out[value] if q not in (VALUE, TYPE)})
                self.warn(
                    s,
                    f"{name(p)} is a resource, not text; kept the rdf:value "
                    f"{', '.join(map(quoted, forms))} of <{value}>"
                    + (f" and dropped its {', '.join(dropped)}." if dropped else "."),
                )
                out += forms
            else:
                self.report(severity, s, f"{name(p)} is not a literal{ic}; <{value}> was dropped.")
        return out

    def date(self, s: str, p: str) -> str | None:
        for value in self.g.literals(s, p):
            text = value.value.strip()
            problem = date_problem(text)
            if problem:
                self.warn(
                    s, f"Invalid date in {name(p)}; '{text[:40]}' {problem}, so it was dropped."
                )
                continue
            typed_datetime = value.datatype == XSD_DATETIME
            if value.datatype in (XSD_DATE, XSD_DATETIME) and typed_datetime != ("T" in text):
                kept = "xsd:dateTime" if "T" in text else "xsd:date"
                self.warn(
                    s,
                    f"Date with the wrong datatype in {name(p)}; '{text}' is typed "
                    f"<{value.datatype}>, kept as an {kept}.",
                )
            return text
        return None

    def notations(self, uri: str) -> tuple[str, ...]:
        out = []
        for value in self.g.values(uri, NOTATION):
            if not isinstance(value, Lit):
                self.warn(uri, f"skos:notation is not a literal; <{value}> was dropped.")
                continue
            if value.lang or value.datatype:
                what = (
                    f"language tag @{value.lang}" if value.lang else f"datatype <{value.datatype}>"
                )
                self.warn(
                    uri,
                    f"Notation qualifier not represented; kept '{value.value}' without its {what}"
                    f"{ill_typed(value.value, value.datatype or '')}.",
                )
            if value.value not in out:
                out.append(value.value)
        return tuple(out)

    def first_texts(self, s: str, props: tuple[str, ...]) -> tuple[LangText, ...]:
        for p in props:
            found = self.texts(s, p)
            if found:
                # sorted: RDF has no order, and an export must read back to the same Scheme
                return tuple(sorted(found, key=lambda t: (t.lang, t.text)))
        return ()

    def first_value(self, s: str, props: Iterable[str]) -> str | None:
        for p in props:
            values = sorted(v.value if isinstance(v, Lit) else v for v in self.g.values(s, p))
            if len(values) > 1:
                others = ", ".join(repr(v[:60]) for v in values[1:])
                self.warn(
                    s,
                    f"{name(p)} holds {len(values)} values, one is kept; kept "
                    f"'{values[0][:60]}', dropped {others}.",
                )
            if values:
                return values[0]
        return None

    def all_values(self, s: str, props: Iterable[str]) -> tuple[str, ...]:
        found = {v.value if isinstance(v, Lit) else v for p in props for v in self.g.values(s, p)}
        return tuple(sorted(found))

    def report_unknown(self, uri: str, known: set[str], what: str) -> None:
        unknown = sorted(name(p) for p in self.g.out.get(uri, {}) if p not in known)
        if unknown:
            self.warn(
                uri,
                f"{what} properties not represented; the values of "
                f"{', '.join(unknown)} were dropped.",
            )
