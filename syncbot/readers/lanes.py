"""Kanban lanes: sibling headings that each name only a status (`### To Do`, `### In Progress`, `### Done`),
the cards under them, and lanes beside them whose names are no status word we know.  The board reader reads
its cards; the tasklist reader asks whether a document is a board before reading its items as tasks."""

from __future__ import annotations

import re

from syncbot.model import Status
from syncbot.readers.common import Document
from syncbot.readers.item_ids import lead_id
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.structure import Heading, Item
from syncbot.readers.titles import clean_title, slug

_OPEN = {Status.PLANNED, Status.READY, Status.IN_PROGRESS, Status.BLOCKED}


def column_status(doc: Document, h: Heading) -> tuple[Status, bool] | None:
    """The status a heading names and nothing else, or ahead of a remark (`✅ Merged — ships in 4.2`); and
    whether a remark follows."""
    return name_status(doc.fix(h.raw))


def name_status(text: str) -> tuple[Status, bool] | None:
    """:func:`column_status` of a lane's name as text (repaired)."""
    phrases = status_phrases(text)
    if not phrases and (bare := _RELEASE_TAIL_RE.sub("", text)) != text:
        text, phrases = bare, status_phrases(bare)  # `🧊 Deferred to 4.3`: the lane, less the release it names
    if not any(p.where == "whole" for p in phrases) and " / " in text:
        # `👀 Review / Playtest`: a lane named twice, the first name a status (or `Later / ideas`, the last)
        first, *others = text.split(" / ")
        found = name_status(first)
        if found and not found[1] and len(others) <= 2 and all(len(o.split()) <= 2 for o in others):
            return found
        last = name_status(others[-1])
        if len(others) == 1 and last and not last[1] and len(first.split()) <= 2 and len(others[0].split()) <= 2:
            return last
    if not any(p.where == "whole" for p in phrases) and (bilingual := _BILINGUAL_RE.match(text)) is not None:
        # `📋 本周可以开始 Ready`: a lane named in two languages, the status word in the second
        found = name_status(bilingual.group("status"))
        if found is None and bilingual.group("status").isupper():
            found = name_status(bilingual.group("cjk"))  # `🧪 测试中 QA`: the status in the first, an acronym after
        return (found[0], False) if found and not found[1] else None
    if len(phrases) != 1:
        return None
    p = phrases[0]
    if p.where == "whole":
        return p.status, False
    if p.where == "lead" and _REMARK_RE.match(text, p.end):
        return p.status, True
    return None


# `## Now` / `## Next` / `## Later`: the roadmap whose lanes are times, not statuses
_NOW = ("now", "ahora", "agora", "maintenant", "jetzt", "adesso", "现在", "当前", "今", "今すぐ", "지금")
_NEXT = ("next", "próximo", "proximo", "siguiente", "a-seguir", "ensuite", "prochainement", "als-nächstes")
_NEXT_TOO = ("demnächst", "nächste", "dopo", "下一步", "接下来", "次", "다음")
_LATER = ("later", "someday", "someday-maybe", "maybe", "maybe-later", "eventually", "más-adelante", "mas-adelante")
_LATER_TOO = ("después", "despues", "algún-día", "mais-tarde", "depois", "plus-tard", "später", "irgendwann")
_LATER_CJK = ("più-avanti", "以后", "之后", "将来", "後で", "いずれ", "나중에")
_ROADMAP_LANES = {
    **dict.fromkeys(_NOW, Status.IN_PROGRESS),
    **dict.fromkeys((*_NEXT, *_NEXT_TOO), Status.READY),
    **dict.fromkeys((*_LATER, *_LATER_TOO, *_LATER_CJK), Status.PLANNED),
}


def _roadmap_lane(doc: Document, h: Heading, siblings: list[Heading]) -> tuple[Status, bool] | None:
    name = slug(clean_title(doc.fix(h.raw)))
    if name not in _ROADMAP_LANES:
        return None
    names = {slug(clean_title(doc.fix(x.raw))) for x in siblings}
    return (_ROADMAP_LANES[name], False) if len(names & _ROADMAP_LANES.keys()) >= 2 else None


_REMARK_RE = lazy_re(r"\s*(?:[—–:(（·|]|-\s|<(?:sub|sup|small|span)\b)")
_BILINGUAL_RE = lazy_re(
    r"^\W*(?P<cjk>[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+)\s+(?P<status>[A-Za-z][A-Za-z' -]{1,20})$"
)
_RELEASE_TAIL_RE = lazy_re(r"\s+(?:v?\d+(?:\.\d+)*[\w.-]*|Q[1-4](?:\s+\d{4})?|\d{4}-\d{2}(?:-\d{2})?)\s*$")


def _bracketed_lane(doc: Document, h: Heading) -> Status | None:
    text = doc.fix(h.raw)
    phrases = status_phrases(text)
    if len(phrases) != 1 or phrases[0].where != "paren" or text[phrases[0].end :].strip(" )）*_") != "":
        return None
    name = clean_title(text[: phrases[0].start].rstrip(" (（"))
    return phrases[0].status if 1 <= len(name.split()) <= 4 else None


def board_columns(doc: Document) -> tuple[list[tuple[Heading, Status]], list[tuple[Heading, Status]]]:
    """The board's columns in document order, and every status-only heading seen (for notes)."""
    ol = outline(doc)
    # columns are sibling headings (one parent, one level) of which most name only a status, each once:
    # `### Completed` / `### Next` repeated under every log entry are parts of the entries, not a board
    groups: dict[tuple[int, int], list[Heading]] = {}
    for h in ol.headings:
        outer = ol.enclosing(h.line)
        parent = outer[-2].line if len(outer) >= 2 else 0
        groups.setdefault((parent, h.level), []).append(h)
    columns: list[tuple[Heading, Status]] = []
    seen_cols: list[tuple[Heading, Status]] = []
    for siblings in groups.values():
        found = [
            (h, c) for h in siblings if (c := column_status(doc, h) or _roadmap_lane(doc, h, siblings)) is not None
        ]
        cols = [(h, st) for h, (st, _) in found]
        remarked = [st for _, (st, remark) in found if remark]
        if len(set(remarked)) < len(remarked):
            # `✅ COMPLETED - Foundation`, `✅ COMPLETED - Mock Token`: units named after their status, not lanes
            cols = [(h, st) for h, (st, remark) in found if not remark]
        if len(cols) >= 2:
            # `## ↩️ Zurück aus QA (durchgefallen)` among status lanes: a lane named for what it holds, its
            # status in brackets (alone, such headings are units: `## Auth (planned)`)
            taken = {h.line for h, _ in cols}
            cols += [(h, st) for h in siblings if h.line not in taken and (st := _bracketed_lane(doc, h)) is not None]
        seen_cols.extend(cols)
        names = [slug(clean_title(doc.fix(h.raw))) for h, _ in cols]
        statuses = {st for _, st in cols}
        if (
            len(cols) >= 2
            and len(statuses) >= 2
            and statuses & _OPEN
            and len(set(names)) == len(names)
            and 2 * len(cols) >= len(siblings)
        ):
            columns.extend(cols)
    columns.sort(key=lambda c: c[0].line)
    all_names = [slug(clean_title(doc.fix(h.raw))) for h, _ in seen_cols]
    if len(set(all_names)) != len(all_names):
        columns = []  # the same column twice in one document: sections of entries, not one board
    return columns, seen_cols


def cards(doc: Document, h: Heading) -> list[Item]:
    ol = outline(doc)
    return [
        it for it in ol.items_between(h.line + 1, h.end_line) if it.parent is None and ol.heading_before(it.line) is h
    ]


def _parent(doc: Document, h: Heading) -> int:
    outer = outline(doc).enclosing(h.line)
    return outer[-2].line if len(outer) >= 2 else 0


_ARCHIVE_RE = lazy_re(r"^[\W_]*(?:archive|archived|archiv|archivo|arquivo|archivé|归档|歸檔|アーカイブ)[\W_]*$", re.I)


def unnamed_lanes(doc: Document, columns: list[tuple[Heading, Status]]) -> list[tuple[Heading, Status]]:
    """A lane beside the columns whose name is no status word we know (`## 已搁置`, `## 💡 Ideas`) but whose
    cards all lead with an id: struck through, they were dropped; all ticked, they are done (`## Archive`, where a
    board puts finished cards away); in the board's first lane, before every column, they wait to be started
    (a board's leftmost lane is its intake)."""
    if not columns:
        return []
    places = {(_parent(doc, h), h.level) for h, _ in columns}
    taken = {h.line for h, _ in columns}
    first = min(taken)
    out: list[tuple[Heading, Status]] = []
    for h in outline(doc).headings:
        if h.line in taken or (_parent(doc, h), h.level) not in places:
            continue
        items = cards(doc, h)
        texts = [doc.fix(it.raw).strip() for it in items]
        if texts and _ARCHIVE_RE.search(doc.fix(h.raw)) and all(it.mark in ("x", "X") for it in items):
            out.append((h, Status.DONE))  # (Obsidian Kanban's `## Archive` of ticked cards, ids or none)
            continue
        if not texts or not all(lead_id(t) for t in texts):
            continue
        if all(t.startswith("~~") for t in texts):
            out.append((h, Status.DROPPED))
        elif all(it.mark in ("x", "X") for it in items):
            out.append((h, Status.DONE))
        elif h.line < first and not any(t.startswith("~~") for t in texts):
            out.append((h, Status.PLANNED))
    return out
