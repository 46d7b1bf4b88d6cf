"""Reader for a Mermaid gantt chart kept as the plan (GitHub renders ```` ```mermaid ```` blocks):

    section Firmware
    BSP port          :done,   fw2, after fw1 hw1, 10d
    Metering driver   :active, fw3, after fw2, 8d
    Secure boot       :crit,   fw7, 2024-04-01, 10d

Each task line is a unit: its title before the colon, its key the task's Mermaid id (the only name the chart
gives it; a task with none is keyed by its title), its status the chart's tags (`done`; `active` is under way;
no tag, not started; `crit` marks the critical path, no status), what it waits for the ids after `after`, its
phase the `section` it is in.  Milestones (`:milestone, m1, …`) are points in time, not work.  The status is
where the task stands on the chart, not a word rewritten in place: the units carry no status span, so marking
one reports that it cannot be written (as cards of a board drawn as a table).  A log below the chart (`⛔
**hw3** stuck`) says more, read as any log is.
"""

from __future__ import annotations

from syncbot.model import Session, Status
from syncbot.readers.common import Document, ReadResult
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.phrases import status_phrases
from syncbot.readers.progress_log import apply_log
from syncbot.readers.structure import title_of
from syncbot.readers.titles import clean_title, slug

_TAGS = {"done": Status.DONE, "active": Status.IN_PROGRESS}
_OTHER_TAGS = frozenset({"crit", "milestone"})
_ID_RE = lazy_re(r"[A-Za-z_][\w-]*")
_SKIP_RE = lazy_re(r"(?:title|dateFormat|axisFormat|tickInterval|excludes|includes|todayMarker|weekday)\b|%%")
_AT_LEAST = 3


def _task(line: str) -> tuple[str, list[str], str | None, list[str]] | None:
    """(title, tags, id, ids it comes after) of a task line `Title :tag, id, after a b, 5d`, or None."""
    title, colon, meta = line.partition(":")
    if not colon or not title.strip() or _SKIP_RE.match(title.strip()):
        return None
    fields = [f.strip() for f in meta.split(",")]
    tags = []
    while fields and fields[0] in _TAGS.keys() | _OTHER_TAGS:
        tags.append(fields.pop(0))
    own = None
    if len(fields) >= 3 and _ID_RE.fullmatch(fields[0]) and not fields[0].startswith("after"):
        own = fields.pop(0)  # id, start, end (`hw1, 2024-03-04, 5d`); with two left they are start and end
    after = [w for f in fields if f.startswith("after ") for w in f.split()[1:]]
    return title.strip(), tags, own, after


def read(doc: Document) -> ReadResult:
    res = ReadResult(reader="gantt", title=title_of(doc))
    units: list[Session] = []
    for tok in doc.structure.fences:
        if not tok.map or tok.info.strip() != "mermaid" or not tok.content.lstrip().startswith("gantt"):
            continue
        section = None
        for i, raw in enumerate(tok.content.splitlines()):
            text = raw.strip()
            if text.startswith("section "):
                section = text[len("section ") :].strip()
                continue
            task = _task(text)
            if task is None or "milestone" in task[1]:
                continue
            title, tags, own, after = task
            status = next((_TAGS[t] for t in tags if t in _TAGS), Status.PLANNED)
            # `差分 OTA 更新（已取消）`: a status the title carries in brackets, when the tags say none
            said = [p for p in status_phrases(title) if p.where == "paren"]
            if said:
                status = status if tags and status is not Status.PLANNED else said[0].status
                title = clean_title(title, said[:1]) or title
            line = tok.map[0] + 2 + i
            units.append(
                Session(
                    key=own or slug(title)[:60] or f"task-{line}",
                    title=title,
                    status=status,
                    status_text=",".join(t for t in tags if t in _TAGS),
                    prerequisites=after,
                    phase=section,
                    line=line,
                    end_line=line,
                    rule="a task of the Mermaid gantt chart",
                )
            )
    if len(units) < _AT_LEAST:
        res.notes.append(
            "looked for a Mermaid gantt chart (```mermaid / gantt / `Task :done, t1, 2024-03-04, 5d`): "
            f"{len(units)} tasks in the document's {len(doc.lines)} lines"
        )
        res.confidence = 0.0
        return res
    for u in units:
        u.prerequisites = list(dict.fromkeys(u.prerequisites))  # (`after a a`: once)
    apply_log(doc, units, res.problems)  # `⛔ **hw3** stuck: the supplier slipped`, below the chart
    res.sessions = units
    res.notes.append(f"{len(units)} tasks of a Mermaid gantt chart")
    return res
