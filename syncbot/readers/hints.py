"""Reading hints: what the user says about a tracker when inference reads it wrong.

A ``[[trackers]]`` entry of the TOML configuration may carry a ``read`` table (see README "Reading
hints"); ``syncbot inspect --hint NAME=VALUE`` gives the same settings on the command line.  The hints ride
on the :class:`~syncbot.readers.common.Document` (``doc.hints``) so readers consult them where they infer:

- ``table``: the table holding the units, by its heading or header text; other tables are left out.
- ``key`` / ``title`` / ``status`` / ``prerequisites``: a column, by its header text; overrides inference.
- ``status_words``: extra status words or marks (``{ "geschlossen" = "done", "🟣" = "in_progress" }``),
  consulted before the built-in vocabulary and the document's legend.
- ``key_pattern``: a regex with one group; the group is the unit's key.  Table key cells and headings that
  match it are units; after reading, every unit whose line matches is re-keyed (prerequisites follow).
- ``heading_level``: every heading of that level is a unit (the sections reader), keyed by ``key_pattern``
  or by the heading's leading number or name.
- ``shape``: force a reader, as ``--shape`` does.

A hint that names nothing in the document is a :class:`HintError` (exit 2) naming the setting and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from syncbot.errors import UserError
from syncbot.model import Session, Status
from syncbot.readers.lazy_re import lazy_re

if TYPE_CHECKING:
    from syncbot.readers.common import Document

COLUMN_HINTS = ("key", "title", "status", "prerequisites")
FIELDS = ("shape", "table", "heading_level", "key_pattern", *COLUMN_HINTS, "status_words")
_STATUS_CHOICES = ", ".join(s.value for s in Status)


class HintError(UserError):
    """A reading hint that cannot be used; the message names the setting and what to put there (exit 2)."""


@dataclass(frozen=True)
class ReadingHints:
    shape: str | None = None
    table: str | None = None  # heading or header text of the units table
    heading_level: int | None = None  # 1-6: headings of this level are the units
    key_pattern: str | None = None  # regex, group 1 is the key
    key: str | None = None  # column headers
    title: str | None = None
    status: str | None = None
    prerequisites: str | None = None
    status_words: tuple[tuple[str, Status], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.heading_level is not None and not 1 <= self.heading_level <= 6:
            raise HintError(f"hint heading_level {self.heading_level} is no heading level; put 1 to 6 (## is 2)")
        if self.key_pattern is not None:
            try:
                groups = re.compile(self.key_pattern).groups
            except re.error as exc:
                raise HintError(f"hint key_pattern {self.key_pattern!r} is not a regular expression ({exc})") from None
            if groups != 1:
                raise HintError(
                    f"hint key_pattern {self.key_pattern!r} has {groups} groups; put exactly one group around "
                    r"the key, e.g. '^(?:Ticket )?(ABC-\d+)' (use (?:...) for other groups)"
                )

    @classmethod
    def parse(cls, data: Mapping[str, Any], where: str = "hint") -> ReadingHints:
        """From a TOML ``read`` table or ``--hint`` pairs; unknown names and bad values are a HintError."""
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise HintError(f"{where}: unknown hint(s) {', '.join(unknown)}; known hints are {', '.join(FIELDS)}")
        values: dict[str, Any] = {}
        for name, v in data.items():
            if name == "status_words":
                if not isinstance(v, Mapping):
                    raise HintError(f'{where}: status_words must be a table, e.g. {{ "geschlossen" = "done" }}')
                values[name] = tuple((str(w), _status(str(w), s, where)) for w, s in v.items())
            elif name == "heading_level":
                if isinstance(v, bool) or not isinstance(v, int | str) or not str(v).strip().isdigit():
                    raise HintError(f"{where}: heading_level must be a number from 1 to 6 (## is 2)")
                values[name] = int(v)
            elif not isinstance(v, str) or not v.strip():
                raise HintError(f"{where}: {name} must be a non-empty string")
            else:
                values[name] = v.strip()
        return cls(**values)

    @classmethod
    def from_pairs(cls, pairs: list[str]) -> ReadingHints:
        """``--hint status=Zustand --hint status_word=geschlossen:done --hint heading_level=3``."""
        data: dict[str, Any] = {}
        words: dict[str, str] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep:
                raise HintError(f"--hint {pair!r}: put NAME=VALUE, e.g. --hint status=Zustand")
            if name in ("status_word", "status_words"):
                word, colon, st = value.rpartition(":")
                if not colon or not word:
                    raise HintError(f"--hint {pair!r}: put status_word=WORD:STATUS, e.g. status_word=geschlossen:done")
                words[word] = st
            else:
                data[name] = value
        if words:
            data["status_words"] = words
        return cls.parse(data, where="--hint")

    def merged(self, other: ReadingHints | None) -> ReadingHints:
        """These hints with ``other``'s set values on top (command line over configuration)."""
        if other is None:
            return self
        values = {n: getattr(other, n) or getattr(self, n) for n in FIELDS if n != "status_words"}
        words = dict(self.status_words) | dict(other.status_words)
        return ReadingHints(**values, status_words=tuple(words.items()))

    @property
    def columns(self) -> dict[str, str]:
        return {n: v for n in COLUMN_HINTS if (v := getattr(self, n))}

    @property
    def pattern(self) -> re.Pattern[str] | None:
        return re.compile(self.key_pattern) if self.key_pattern else None


def _status(word: str, value: object, where: str) -> Status:
    try:
        return Status(str(value).strip().lower().replace(" ", "_"))
    except ValueError:
        raise HintError(f"{where}: status word {word!r} maps to {value!r}; put one of {_STATUS_CHOICES}") from None


def hints_of(doc: Document) -> ReadingHints | None:
    return doc.hints


# --- the table reader ---------------------------------------------------------------------------------------


# --- the sections reader ------------------------------------------------------------------------------------


# --- after reading ------------------------------------------------------------------------------------------

_LINE_LEAD = lazy_re(r"^\s*(?:#{1,6}\s+|[-*+]\s+(?:\[.\]\s+)?|\d+[.)]\s+(?:\[.\]\s+)?|\|\s*)?")


def rekey(doc: Document, units: list[Session], hints: ReadingHints) -> None:
    """Give every unit whose own line (heading, item or first cell) or title matches ``key_pattern`` the
    key it captures, and rename its prerequisites to match; nothing changes when two units would collide."""
    pattern = hints.pattern
    if pattern is None:
        return
    from syncbot.readers.common import strip_inline

    new: dict[str, str] = {}
    for s in units:
        line = doc.fix(doc.lines[s.line - 1]) if 0 < s.line <= len(doc.lines) else ""
        for text in (strip_inline(_LINE_LEAD.sub("", line, count=1)), s.title, s.key):
            m = pattern.search(text)
            if m:
                new[s.key] = m.group(1)
                break
    final = [new.get(s.key, s.key) for s in units]
    if len({k.lower() for k in final}) != len(final):
        return
    for s in units:
        s.key = new.get(s.key, s.key)
        s.prerequisites = [new.get(p, p) for p in s.prerequisites]


def vocabulary(doc: Document, text: str) -> Status | None:
    """The status ``text`` names by the user's ``status_words``: the first one written wins."""
    hints = hints_of(doc)
    if hints is None or not hints.status_words:
        return None
    plain = text.replace("\ufe0f", "")
    low = plain.lower()
    hits: list[tuple[int, Status]] = []
    for word, st in hints.status_words:
        w = word.replace("\ufe0f", "").lower()
        if re.match(r"\w", w):
            m = re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low)
            pos = m.start() if m else -1
        else:
            pos = low.find(w)
        if pos >= 0:
            hits.append((pos, st))
    return min(hits, key=lambda h: h[0])[1] if hits else None
