"""Reader for the board shape: kanban columns written as headings, one card per bullet under them.

`### To Do` / `### In Progress` / `### Done` headings, each a status and nothing else, over `- ONB-27 Email
verification screen` bullets: a card's status is its column.  A card that names an id (`ONB-27`, `#12`,
`T003`) is keyed by it, else by its text.  A ticked box on a card (`- [x] …`) says done whatever the column.

A card's status is where its line sits, so there is no span to rewrite: moving a card is a person's edit,
and `mark` says so rather than rewriting the column heading all its cards share.  Headings that name
changelog sections (`### Fixed`, `### Removed`) are statuses too, so a board needs a column of open work
(to do, in progress, blocked) beside another column before it is read as one.
"""

from __future__ import annotations

import re

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document, ReadResult, classify_status, lines_note, status_marks, strip_inline
from syncbot.readers.item_ids import lead_id
from syncbot.readers.kinds import split_kind_key
from syncbot.readers.lanes import board_columns, unnamed_lanes
from syncbot.readers.lanes import cards as lane_cards
from syncbot.readers.outline import CHECK_STATUS, outline
from syncbot.readers.phrases import clean_title, slug
from syncbot.readers.progress_log import apply_log
from syncbot.readers.structure import Heading, Item

_STRUCK_WORD_RE = re.compile(r"~~([^~]{1,30})~~")
_OWNER_RE = re.compile(r"\s*\((?:@[\w.-]+(?:\s*,\s*@[\w.-]+)*)\)\s*$|\s+@[\w.-]+\s*$")


def _card(doc: Document, it: Item, column: Status) -> Session | None:
    fixed = doc.fix(it.raw).strip()
    lead = lead_id(fixed)
    key = ""
    text = fixed
    if lead:
        # `**#36** Reseñas…`, `~~T023 直播带货~~（取消）`: the id leads the card, emphasis or strike around it
        key, rest = lead
        text = ("~~" if fixed.startswith("~~") else "") + fixed[rest:].lstrip(" :.-–—)")
    else:
        # `- Session 3: Billing` under `## In Progress`: the card names a numbered unit
        kk = split_kind_key(strip_inline(fixed))
        if kk and kk[2]:
            key, text = kk[1], kk[2]
    title = clean_title(_OWNER_RE.sub("", text))
    if not title:
        return None
    status = column
    spans: list[StatusSpan] = []
    status_text = ""
    # `#41 PWA — ~~descartado~~ reabierto, pasa a Pendiente` under `## Descartado`: the card strikes its
    # lane's status out and says where it goes now
    struck_lane = next((m for m in _STRUCK_WORD_RE.finditer(text) if classify_status(m.group(1)) is column), None)
    if struck_lane is not None:
        later = [mk for mk in status_marks(text[struck_lane.end() :]) if mk[3] and mk[2] is not column]
        status = later[-1][2] if later else Status.PLANNED
    if it.mark is not None and it.mark_col is not None:
        box = CHECK_STATUS.get(it.mark, Status.PLANNED)
        if box is Status.DONE:
            status = Status.DONE
        status_text = f"[{it.mark}]"
        start = doc.offset(it.line, it.mark_col)
        spans.append(StatusSpan(Span(start, start + 1), SpanKind.CHECKBOX, it.line))
    return Session(
        key=key or slug(title)[:60].strip("-") or f"card-{it.line}",
        title=title,
        status=status,
        status_text=status_text,
        line=it.line,
        end_line=it.end_line,
        status_spans=spans,
    )


# `Combobox keyboard navigation (#1834, @lena) — waits for #1822`: the card's own number, in its brackets
_OWN_NUMBER_RE = re.compile(r"\s*\(\s*(#\d+)\b[^()]*\)")


def _key_by_number(sessions: list[Session], id_cards: set[int]) -> None:
    """Cards without an id that each carry one number in brackets (a pull request's, an issue's) are keyed
    by it, when most cards do and no number is on two cards: `Task: #1834 done` then reaches the card."""
    unnamed = [s for s in sessions if s.line not in id_cards]
    found = {s.line: m for s in unnamed if (m := _OWN_NUMBER_RE.search(s.title))}
    numbers = [m.group(1) for m in found.values()]
    if len(found) < 3 or 3 * len(found) < 2 * len(unnamed) or len(set(numbers)) != len(numbers):
        return
    taken = {s.key for s in sessions}
    for s in unnamed:
        m = found.get(s.line)
        if m is None or m.group(1) in taken:
            continue
        s.key = m.group(1)
        s.title = (s.title[: m.start()] + " " + s.title[m.end() :]).strip()
        s.title = re.sub(r"\s+[—–]\s+.*$", "", s.title) or s.title  # the remark after the card's number


def read(doc: Document) -> ReadResult:
    ol = outline(doc)
    res = ReadResult(reader="board", title=ol.title())
    columns, seen_cols = board_columns(doc)
    if not columns:
        res.notes.append(
            "looked for board columns: two or more sibling headings that are only a status (`### In Progress`, "
            "`### Done`), each once, with bullets under them, one of them open work; found "
            + (
                f"status-only headings at lines {lines_note(h.line for h, _ in seen_cols)}"
                if seen_cols
                else f"none among the {len(ol.headings)} headings"
                + (f" (lines {lines_note(h.line for h in ol.headings)})" if ol.headings else "")
            )
        )
        res.confidence = 0.0
        return res
    sessions: list[Session] = []
    keys: set[str] = set()
    empty: list[int] = []
    id_cards: set[int] = set()
    lanes: list[tuple[Heading, Status]] = sorted(columns + unnamed_lanes(doc, columns), key=lambda c: c[0].line)
    for h, st in lanes:
        cards = lane_cards(doc, h)
        if not cards:
            empty.append(h.line)
        for it in cards:
            if lead_id(doc.fix(it.raw).strip()):
                id_cards.add(it.line)
            s = _card(doc, it, st)
            if s is None:
                continue
            children = [ol.items[c] for c in it.children]
            s.checklist = checklist_of(ol, [c for c in children if c.mark is not None])
            base, n = s.key, 2
            while s.key in keys:
                s.key, n = f"{base}-{n}", n + 1
            keys.add(s.key)
            sessions.append(s)
    if empty:
        res.notes.append(f"board columns with no cards: lines {lines_note(empty)}")
    if not sessions:
        res.notes.append(f"board columns at lines {lines_note(h.line for h, _ in columns)} hold no bullets")
        res.confidence = 0.0
        return res
    _key_by_number(sessions, id_cards)
    apply_log(doc, sessions, res.problems)
    res.sessions = sessions
    # a column of checkboxes is a checklist the tasklist reader also reads; plain bullets, or cards that
    # name their ids (`- [ ] T011 …` under `## 进行中`), are surely cards
    plain = sum(s.status_text == "" for s in sessions)
    named = sum(s.line in id_cards for s in sessions)
    res.confidence = 0.85 if plain * 2 >= len(sessions) or named * 2 >= len(sessions) else 0.3
    res.notes.append(
        f"{len(columns)} board columns (lines {lines_note(h.line for h, _ in columns)}), {len(sessions)} cards; "
        "a card's status is its column"
    )
    return res
