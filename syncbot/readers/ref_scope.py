"""How far a reference in a dependency text reaches: where a clause in prose ends, what an exception takes
out of a group, and numbers that are a product's version rather than a unit.  Pure functions of the text,
used by :mod:`syncbot.readers.refs`."""

from __future__ import annotations

import re

from syncbot.readers.kinds import UNIT_KINDS
from syncbot.readers.lazy_re import lazy_re

# in prose, a dependency clause ends at a sentence end or a closing bracket
CLAUSE_END_RE = lazy_re(
    r"(?<![\d.])\.(?![\d.])|(?<=\d)\.(?=\s+[A-Z])|[;。！!?)\]\n]|\s[—–]\s|\bbut\b|\bwhile\b|:\s+(?=[a-z])"
)  # (`After Step 19. Keep …`: a number may close a sentence too; `blocks A.8: we can't …`, a reason follows)


def in_parens(text: str, pos: int) -> bool:
    """Whether ``pos`` sits inside a bracket that is open there, `( )` or full-width `（ ）`."""
    before = text[:pos]
    return max(before.rfind("("), before.rfind("（")) > max(before.rfind(")"), before.rfind("）"))


class InParens:
    """:func:`in_parens` of one text, asked at positions further on each time (the tokens of a piece): the
    text before is searched from where the last question stopped, not from its start (a prose line of
    20,000 unknown keys searched 20,000 times)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.opened, self.closed = text, 0, -1, -1

    def __call__(self, pos: int) -> bool:
        if pos < self.pos:
            return in_parens(self.text, pos)
        t, a = self.text, self.pos
        self.opened = max(self.opened, t.rfind("(", a, pos), t.rfind("（", a, pos))
        self.closed = max(self.closed, t.rfind(")", a, pos), t.rfind("）", a, pos))
        self.pos = pos
        return self.opened > self.closed


def clause_end(piece: str) -> int | None:
    """Where the clause that opens ``piece`` ends.  A bracket the clause opened itself does not end it:
    `Inategemea kazi zote za Awamu B (isipokuwa B7) pamoja na C2` goes on after `(isipokuwa B7)`, while
    `(blocked by #12)` ends at its `)`."""
    depth = 0
    pos = 0
    for m in CLAUSE_END_RE.finditer(piece):
        depth += piece.count("(", pos, m.start()) + piece.count("[", pos, m.start())
        pos = m.end()
        if m.group(0) in ")]" and depth > 0:
            depth -= 1
            continue
        return m.start()
    return None


# an exception out of a group: `all of Backend except #222`, `todos los de Backend salvo #222`,
# `kazi zote za Awamu B (isipokuwa B7)`; what it names is no prerequisite
_EXCEPT_RE = lazy_re(
    r"(?<![\w-])(?:except(?:\s+for)?|excluding|other\s+than|apart\s+from|salvo|excepto|exceptuando|exceto|außer|"
    r"ausgenommen|sauf|hormis|tranne|eccetto|кроме|za\s+wyjątkiem|oprócz|ngoại\s+trừ|trừ|behalve|utom|förutom|"
    r"kecuali|isipokuwa|maliban\s+sa|paitsi|kivéve|hariç|除了)(?![\w-])",
    re.IGNORECASE,
)
# what an exception names runs to the end of its bracket, or to a word that adds again (`plus C2`)
_EXCEPT_END_RE = lazy_re(
    r"[)\]]|(?<![\w-])(?:plus|as\s+well\s+as|además\s+de|más|sowie|ainsi\s+que|oltre\s+a|pamoja\s+na)(?![\w-])",
    re.IGNORECASE,
)


def exception_spans(piece: str) -> list[tuple[int, int]]:
    """The spans of ``piece`` that an exception names (`salvo #222`: the span of `#222`)."""
    out: list[tuple[int, int]] = []
    for m in _EXCEPT_RE.finditer(piece):
        end = _EXCEPT_END_RE.search(piece, m.end())
        out.append((m.end(), end.start() if end else len(piece)))
    return out


# a number right after a product's name is its version (`NumPy 2 wheels`, `PostgreSQL 16`, `GTK 4`, `iOS 17`):
# a name with a capital inside it, which no word of prose and no kind of unit (`Sesiones 2, 3`, `Step 2`) has
_NAME_BEFORE_RE = lazy_re(r"(?<![\w-])([^\W\d_]+)\s$")
_KIND_RE = lazy_re(
    rf"(?:{UNIT_KINDS}|sessions?|steps?|phases?|stages?|tasks?|milestones?|parts?|sprints?|packets?|wps?)",
    re.IGNORECASE,
)


def version_of_name(piece: str, start: int) -> bool:
    """Whether the number at ``start`` is the version of a product named before it."""
    m = _NAME_BEFORE_RE.search(piece[max(0, start - 40) : start])
    if not m or len(m.group(1)) < 2 or _KIND_RE.fullmatch(m.group(1)):
        return False
    return any(c.isupper() for c in m.group(1)[1:])


# a rule for a section's units with an exception for those that say their own (`unless stated otherwise`)
EXCEPT_OWN_RE = lazy_re(
    r"除く|以外|除外|除非另有|另有说明|另有說明|unless\s+(?:stated|noted|said)|except\s+(?:where|those|as)|"
    r"sofern\s+nicht|außer\s+(?:wo|wenn)|salvo\s+(?:indicación|que|indicação)|sauf\s+(?:mention|indication)",
    re.IGNORECASE,
)


def blanked(piece: str, spans: list[tuple[int, int]]) -> str:
    """``piece`` with every span blanked (same length), in one pass: a line naming 50,000 containers is
    copied once, not once a span."""
    if not spans:
        return piece
    chunks: list[str] = []
    last = 0
    for a, b in sorted(spans):
        a = max(a, last)
        if b <= a:
            continue
        chunks.append(piece[last:a])
        chunks.append(" " * (b - a))
        last = b
    chunks.append(piece[last:])
    return "".join(chunks)
