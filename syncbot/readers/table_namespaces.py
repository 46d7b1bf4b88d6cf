"""The namespaces of a document's tables of units, and the tables that only restate them.

Several tables of units may each be their own namespace (a roadmap of phases and a queue of tasks, both
numbered from 1); a table whose rows resolve into an earlier one and agree with its titles only restates those
units.  Keys two namespaces share are told apart (`phase-2`, `EPIC-2/US-1`), and a reference may name another
namespace by a word of its heading (`API 2`).  The tables come from :mod:`table_units`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from syncbot.readers.common import Document, strip_inline
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.table_columns import Roles
from syncbot.readers.table_headers import QUANTITY_H
from syncbot.readers.table_units import KeyedTable, unit_word
from syncbot.readers.titles import slug


@dataclass
class Namespace:
    """One namespace of units: a matrix, or a matrix split into one table per phase (same columns, other
    keys).  A document may hold several (a roadmap of phases and a queue of tasks, both numbered from 1)."""

    parts: list[KeyedTable]
    final: dict[str, str] = field(default_factory=dict)  # key as written -> the unit's key in the tracker

    @property
    def keys(self) -> list[str]:
        return [r[1] for k in self.parts for r in k.rows]

    @cached_property
    def index(self) -> KeyIndex:
        return KeyIndex(list(dict.fromkeys(self.keys)))

    @property
    def roles(self) -> Roles:
        return self.parts[0].roles

    def word(self) -> str | None:
        return unit_word(self.parts[0])

    def names(self) -> set[str]:
        """Words that name this namespace in a reference (`API 2` for the table under `## Platform API`):
        its unit word and the words of its section heading."""
        words = {w for w in re.findall(r"[^\W\d_]{2,}", self.parts[0].table.heading.lower())}
        word = self.word()
        return words | ({word} if word else set())


_NAMED_REF_RE = lazy_re(r"(?<![\w-])(?P<word>[^\W\d_]{2,})\s+#?(?P<num>\d+(?:\.\d+)*)(?![\w.-])")


def named_refs(text: str, groups: list[Namespace], own: Namespace) -> tuple[list[str], str]:
    """References that name another namespace by a word of its heading (`API 2` written in the Dashboard
    table): their keys there, and ``text`` with them blanked.  A word shared by several namespaces, or one of
    ``own``'s words, names none."""
    if len(groups) < 2:
        return [], text
    owners: dict[str, list[Namespace]] = {}
    for g in groups:
        for w in g.names():
            owners.setdefault(w, []).append(g)
    mine = own.names()
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        gs = owners.get(m.group("word").lower(), [])
        if len(gs) != 1 or gs[0] is own or m.group("word").lower() in mine:
            return m.group(0)
        k = gs[0].index.resolve(m.group("num"))
        if k is None:
            return m.group(0)
        found.append(gs[0].final[k])
        return " " * len(m.group(0))

    return found, _NAMED_REF_RE.sub(take, text)


def _norm_title(doc: Document, text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", strip_inline(doc.fix(text)).lower()).split())


def _same_units(doc: Document, k: KeyedTable, g: Namespace, mine: list[tuple[str, str]]) -> bool:
    """Whether table ``k``'s rows (``mine``: its title, the group key it resolves to) restate units of ``g``
    (a completion tracker, a dashboard) rather than being other units numbered the same way."""
    if k.roles.title is None or g.roles.title is None:
        return True
    titles = {r[1]: r[3][g.roles.title].text for p in g.parts for r in p.rows}
    agree = 0
    for title, key in mine:
        a, b = _norm_title(doc, title), _norm_title(doc, titles.get(key, ""))
        agree += bool(a and b and (a == b or (len(a) >= 4 and a in b) or (len(b) >= 4 and b in a)))
    if all(re.search(r"[^\W\d_]", key) for _, key in mine):
        # `R1`…`R7` in both tables: ids that say which unit they are, not a count from 1; unless one table cut
        # per section numbers each section's units afresh (`## EPIC-2` / `| US-1 | … |`), none of them the same
        return agree > 0 or k.table.header != g.parts[0].table.header
    return agree >= 0.5 * len(mine)


_MILESTONE_H = lazy_re(r"^(milestones?|jalons?|hitos?|meilensteine?|marcos?|里程碑|マイルストーン|마일스톤)$")


def _more_units(k: KeyedTable) -> bool:
    """A further table of units beside the best one says what its rows are: a status or prerequisite column,
    or a header that names them (`Task`); a numbered list of criteria or notes is not work."""
    r = k.roles
    if r.named or (_MILESTONE_H.match(k.table.header[r.key]) and any(QUANTITY_H.search(h) for h in k.table.header)):
        return False  # a milestone calendar (`| Jalon | Date cible | Statut |`) frames the units, it is none
    return r.status is not None or r.prereq is not None or (r.title is not None and not r.title_guessed)


def namespaces(doc: Document, keyed: list[KeyedTable]) -> tuple[list[Namespace], list[tuple[KeyedTable, Namespace]]]:
    """Tables of units in namespaces, best table first; and the tables that only restate those units."""
    groups: list[Namespace] = []
    restating: list[tuple[KeyedTable, Namespace]] = []
    for k in sorted(keyed, key=lambda k: -k.quality):
        keys = {r[1] for r in k.rows}
        same = next((g for g in groups if g.parts[0].table.header == k.table.header and not keys & set(g.keys)), None)
        if same is not None and k.defines_units:
            same.parts.append(k)
            continue
        home = None
        for g in groups:
            mine = [
                (r[3][k.roles.title].text if k.roles.title is not None else "", g.index.resolve(r[1])) for r in k.rows
            ]
            hits = [(t, key) for t, key in mine if key is not None]
            if len(hits) >= max(2, 0.5 * len(k.rows)) and _same_units(doc, k, g, hits):
                home = g
                break
        if home is not None:
            restating.append((k, home))
        elif k.defines_units and (not groups or _more_units(k)):
            groups.append(Namespace([k]))
    for g in groups:
        g.parts.sort(key=lambda k: k.table.line)
    return groups, restating


_HEADING_KEY_RE = lazy_re(r"[A-Za-z]{1,8}-\d{1,4}(?=\s|$)")


def name_keys(doc: Document, groups: list[Namespace]) -> None:
    """Each group's keys as the tracker spells them: as written, unless two namespaces share a key; then the
    one that names its units (`Phase`) says so (`phase-2`), or else the later one takes its section's name."""
    taken: set[str] = set()
    # `## EPIC-2 · Agenda` over `| US-1 | … |`: sections named by keys of their own, each numbering its units
    # afresh, name them all `EPIC-2/US-1` (the form such documents ask commits to use)
    leads = [_HEADING_KEY_RE.match(g.parts[0].table.heading or "") for g in groups]
    if len(groups) >= 2 and all(leads) and len({m.group(0) for m in leads if m}) == len(groups):
        shared = set.intersection(*({k.lower() for k in g.keys} for g in groups))
        if shared:
            for g, m in zip(groups, leads, strict=True):
                g.final.update({k: f"{m.group(0)}/{k}" for k in g.keys} if m else {})
            return
    for g in sorted(groups, key=lambda g: -g.parts[0].quality):
        raw = list(dict.fromkeys(g.keys))
        prefix = ""
        if any(k.lower() in taken for k in raw):
            word = g.word()
            # (`## 1. Backend (bank-api)`: the heading's first word, not its number)
            words = [w for w in slug(g.parts[0].table.heading or "").split("-") if not w.isdigit()]
            heading = words[0] if words else ""
            prefix = f"{word or heading or 'table'}-"
        for k in raw:
            g.final[k] = prefix + k
            taken.add((prefix + k).lower())
