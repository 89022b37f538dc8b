"""Reading a concept's labels: SKOS labels, our acronyms, SKOS-XL, and who uses each.

One prefLabel per language (S14: the first in the file stays, the others become
altLabels), pref/alt/hidden disjoint (S13: the more significant kind wins), literals only
(S12); SKOS-XL labels are dumbed down to plain labels (S55-S57) and the label resources
themselves are not kept; a property the file declares a sub-property of a SKOS label
property is read as that property; community labels name the communities that use a label.
"""

from __future__ import annotations

from collections import defaultdict

from loaders.rdf_input import Lit
from loaders.skos_terms import (
    ACRONYM,
    ALT,
    COMMUNITIES,
    HIDDEN,
    LABEL_KIND,
    LABEL_NAME,
    LITERAL_FORM,
    PREF,
    TYPE,
    XL_LABELS,
    few,
    name,
    quoted,
)
from loaders.skos_values import ValueReader
from vocab.model import Label, LabelKind, LangText


class LabelReader(ValueReader):
    """Reads the labels of concepts; `label_subproperties` maps file-declared sub-properties."""

    label_subproperties: dict[str, str]

    def labels(self, uri: str) -> tuple[Label, ...]:
        props = self.g.out.get(uri, {})
        by_kind: dict[str, list[LangText]] = {PREF: [], ACRONYM: [], ALT: [], HIDDEN: []}
        for p in by_kind:
            if p in props:
                by_kind[p] = self.texts(uri, p, label=True)
        for sub, plain in self.label_subproperties.items():
            for t in self.texts(uri, sub, label=True) if sub in props else ():
                self.warn(
                    uri,
                    f"{name(sub)} is declared a sub-property of {name(plain)} in the "
                    f"file; its value {quoted(t)} was read as a {LABEL_NAME[plain]}.",
                )
                if t not in by_kind[plain]:
                    by_kind[plain].append(t)
        if any(xl in props for xl in XL_LABELS):
            self.xl_labels(uri, by_kind)
        first: dict[str, LangText] = {}
        for t in list(by_kind[PREF]):
            if t.lang not in first:
                first[t.lang] = t
                continue
            by_kind[PREF].remove(t)
            if t == first[t.lang]:  # the same text twice (e.g. once with trailing spaces)
                continue
            where = f"in '{t.lang}'" if t.lang else "without a language tag"
            if t in by_kind[ALT]:
                done = f"{quoted(t)} is also an altLabel, so it was kept only as an altLabel"
            else:
                by_kind[ALT].append(t)
                done = (
                    f"kept {quoted(first[t.lang])} as the prefLabel and {quoted(t)} as an altLabel"
                )
            self.report("error", uri, f"More than one prefLabel {where} (S14); {done}.")
        usage: dict[LangText, list[str]] = defaultdict(list)
        for prop, community in COMMUNITIES.items():
            for t in self.texts(uri, prop) if prop in props else ():
                usage[t].append(community)
        labels: list[Label] = []
        placed: dict[LangText, str] = {}
        for p in (PREF, ACRONYM, ALT, HIDDEN):
            for t in by_kind[p]:
                if not t.text:
                    self.report("error", uri, f"Empty {name(p)} label; dropped.")
                    continue
                if t in placed:
                    if not (p == ALT and placed[t] == ACRONYM):  # acronyms are also altLabels
                        first_kind = LABEL_NAME[placed[t]]
                        self.report(
                            "error",
                            uri,
                            f"A label is both a {first_kind} and a "
                            f"{LABEL_NAME[p]} (S13); {quoted(t)} was kept "
                            f"only as the {first_kind}.",
                        )
                    continue
                placed[t] = p
                labels.append(Label(t.text, t.lang, LABEL_KIND[p], tuple(usage.pop(t, ()))))
        for t in usage:
            self.warn(
                uri,
                f"Community label {quoted(t)} is none of the concept's labels; "
                "added as an altLabel.",
            )
            labels.append(Label(t.text, t.lang, LabelKind.ALT, tuple(usage[t])))
        if not any(label.kind is LabelKind.PREF for label in labels):
            self.warn(uri, "The concept has no prefLabel; it is shown by its id.")
        untagged = [f"'{label.text}'" for label in labels if not label.lang]
        if untagged:
            self.warn(
                uri,
                "Labels without a language tag (qSKOS oilt); kept untagged: "
                f"{', '.join(untagged)}.",
            )
        return tuple(labels)

    def xl_labels(self, uri: str, by_kind: dict[str, list[LangText]]) -> None:
        """Dumb SKOS-XL labels down to plain ones (S55-S57); report what the label nodes lose."""
        read: list[str] = []
        dropped: set[str] = set()
        for xl, plain in XL_LABELS.items():
            for node in self.g.values(uri, xl):
                if isinstance(node, Lit) or node not in self.g.out:
                    shown = f"'{node.value}'" if isinstance(node, Lit) else f"<{node}>"
                    self.warn(
                        uri,
                        f"SKOS-XL label not described in the file; {name(xl)} {shown} "
                        "has no skosxl:literalForm here, so it was dropped.",
                    )
                    continue
                forms = self.texts(node, LITERAL_FORM, label=True)
                if len(forms) != 1:
                    done = f"kept {quoted(forms[0])}." if forms else "dropped."
                    self.report(
                        "error",
                        uri,
                        f"SKOS-XL label <{node}> has {len(forms)} "
                        f"skosxl:literalForm values (S52); {done}",
                    )
                by_kind[plain] += [f for f in forms[:1] if f not in by_kind[plain]]
                read.append(node)
                dropped |= {name(q) for q in self.g.out[node] if q not in (TYPE, LITERAL_FORM)}
        if read:
            lost = f", nor their {', '.join(sorted(dropped))}." if dropped else "."
            self.warn(
                uri,
                "SKOS-XL labels read as plain labels (S55-S57); the label resources "
                f"{few(read)} are not kept{lost}",
            )
