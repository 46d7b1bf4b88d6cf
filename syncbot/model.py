"""The tracker model: plain values, no I/O.

Every reader produces a :class:`Tracker`; the graph, the writer, the planner and the summary renderer all
consume it.  Positions (``line``, :class:`Span`) always refer to the *original* text of the file, as
decoded from UTF-8 without any repair, so the writer can splice the file byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    PLANNED = "planned"
    READY = "ready"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    FAILED = "failed"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def closed(self) -> bool:
        return self in (Status.DONE, Status.DROPPED)


# One vocabulary of status words for everything a person types: `syncbot mark T.md 3 in-progress`, the
# commit trailer `Session: 3 in-progress` and the label `status:in-progress`.  Each status by its own name
# (`in_progress` and `in-progress` alike), and the synonyms people write.  (A tracker's own words, emoji and
# other languages are the readers' business: syncbot.readers.status.)
STATUS_WORDS: dict[str, Status] = {
    **{s.value.replace("_", "-"): s for s in Status},
    "complete": Status.DONE,
    "completed": Status.DONE,
    "finished": Status.DONE,
    "start": Status.IN_PROGRESS,
    "started": Status.IN_PROGRESS,
    "wip": Status.IN_PROGRESS,
    "cancelled": Status.DROPPED,
    "canceled": Status.DROPPED,
}
STATUS_WORDS_HINT = (
    "planned, ready, in-progress, blocked, failed, done or dropped "
    "(also complete, completed, finished, start, started, wip, cancelled)"
)


def normalize_status_word(text: str) -> str:
    """``In Progress``, ``in_progress`` and ``in-progress.`` all become ``in-progress``."""
    return "-".join(text.strip().rstrip(".!;").lower().replace("_", " ").replace("-", " ").split())


def status_from_word(text: str) -> Status | None:
    """The status a word of :data:`STATUS_WORDS` names, whatever its case or separator; else ``None``."""
    return STATUS_WORDS.get(normalize_status_word(text))


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` into the original text."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


class SpanKind(StrEnum):
    """How a status is written where it sits; the writer picks its replacement form from this."""

    CELL = "cell"  # the text of a table cell: `🔄 **READY**`
    HEADING = "heading"  # a status word/emoji inside a heading: `### ✅ COMPLETED - Foundation`
    FIELD = "field"  # a `**Status**: ✅ COMPLETE` / `Status: done` field
    CHECKBOX = "checkbox"  # the mark between brackets of `- [x]`: the span covers just `x`
    FRONTMATTER = "frontmatter"  # a YAML front matter value: `status: In Progress`
    TEXT = "text"  # a free status phrase inside a line (`BLOCKED on IP-04`, `Not yet started`)


@dataclass(frozen=True)
class StatusSpan:
    span: Span
    kind: SpanKind
    line: int  # 1-based


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    done: bool
    line: int  # 1-based
    mark: Span | None = None  # the character between the brackets


@dataclass
class Session:
    key: str
    title: str
    status: Status
    status_text: str  # the status as the document wrote it (mojibake repaired), e.g. "⏳ Waiting"
    prerequisites: list[str] = field(default_factory=list)  # keys, as resolved by the reader
    phase: str | None = None
    duration: str | None = None
    output: str | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    description: str = ""
    line: int = 0  # 1-based first line of the unit
    end_line: int = 0  # 1-based last line of the unit (inclusive)
    status_spans: list[StatusSpan] = field(default_factory=list)  # where the status is written
    raw_prerequisites: str | None = None  # the prerequisite text as written, for messages
    rule: str = ""  # which reader (and rule) read the unit: `table: row of the table on line 12`
    # other (first, last) line ranges that speak of the unit: its entry in a log below its matrix row
    more_lines: list[tuple[int, int]] = field(default_factory=list)

    @property
    def status_span(self) -> StatusSpan | None:
        return self.status_spans[0] if self.status_spans else None


class SummaryKind(StrEnum):
    COMPLETED = "completed"  # `Completed: 2/8`
    NEXT_READY = "next_ready"  # `Next Ready: Session 3`
    PROGRESS = "progress"  # `Overall Progress: 40%`


@dataclass(frozen=True)
class SummaryLine:
    kind: SummaryKind
    line: int  # 1-based
    span: Span  # the value part only (`0/8`, `Session 1`, `40%`)
    text: str  # the value as written


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 when the problem concerns the whole document
    severity: Severity
    message: str


@dataclass
class Tracker:
    path: str
    title: str
    shape: str
    sessions: list[Session] = field(default_factory=list)
    summary_lines: list[SummaryLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mojibake: bool = False  # the file is UTF-8 mis-decoded as Mac-Roman and re-encoded

    def by_key(self) -> dict[str, Session]:
        return {s.key: s for s in self.sessions}

    def phases(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.sessions:
            if s.phase:
                seen.setdefault(s.phase, None)
        return list(seen)
