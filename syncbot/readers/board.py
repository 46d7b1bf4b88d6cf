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

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document, ReadResult, lines_note, strip_inline
from syncbot.readers.item_ids import key_by_own_number, marked_lead_id
from syncbot.readers.kinds import split_kind_key
from syncbot.readers.lane_table import lane_table_cards
from syncbot.readers.lanes import board_columns, unnamed_lanes
from syncbot.readers.lanes import cards as lane_cards
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.list_lanes import list_lanes
from syncbot.readers.outline import CHECK_STATUS, Outline, outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.progress_log import apply_log
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.status_words import classify_status, status_marks
from syncbot.readers.structure import Heading, Item
from syncbot.readers.task_roadmap import descendants
from syncbot.readers.task_units import struck
from syncbot.readers.titles import clean_title, slug

_STRUCK_WORD_RE = lazy_re(r"~~([^~]{1,30})~~")
_NAME_END_RE = lazy_re(r"(\*\*|__)(?:~~)?\s+[·—–|]\s")
_OWNER_RE = lazy_re(r"\s*\((?:@[\w.-]+(?:\s*,\s*@[\w.-]+)*)\)\s*$|\s+@[\w.-]+\s*$")


def _card(doc: Document, it: Item, column: Status, fixed: str, lead: tuple[str, int] | None) -> Session | None:
    """The card of item ``it``: ``fixed`` is its text (repaired, stripped), ``lead`` the id it leads with
    (:func:`marked_lead_id` of ``fixed``, which finds whatever :func:`lead_id` finds at its start)."""
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
    if lead and fixed.startswith(("**", "~~**", "__")) and (end := _NAME_END_RE.search(text)):
        # `**[KK-21] Terembérlés** · címkék: pénzügy · felelős: Tóth`: the bold run names the card, fields follow
        text = text[: end.end(1)]
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
    if struck_lane is None:
        # `**#527 Drop Python 3.8** — ✅` under `## Now`: a card that says its own status is ahead of its lane
        # (marks ahead of the card's id are its priority: `🔴 **PAY-498** …`)
        own = [p for p in status_phrases(fixed, item=True) if p.where != "whole" and (not lead or p.start >= lead[1])]
        # `— depende de CHK-108 (✔)`: a mark in brackets after a dependency is the prerequisite's state
        # (the dependency looked for only when a mark is in brackets)
        if any(p.where == "paren" for p in own) and (dep := MARKER_RE.search(fixed)):
            own = [p for p in own if not (p.where == "paren" and p.start > dep.start())]
        if own and own[0].status is not column:
            status, status_text = own[0].status, fixed[own[0].start : own[0].end]
            start = doc.offset(it.line, it.col + own[0].start) if not doc.mojibake else None
            if start is not None and doc.lines[it.line - 1][it.col + own[0].start :].startswith(status_text):
                spans.append(StatusSpan(Span(start, start + len(status_text)), SpanKind.TEXT, it.line))
    if it.mark is not None and it.mark_col is not None:
        box = CHECK_STATUS.get(it.mark, Status.PLANNED)
        if box is Status.DONE:
            status = Status.DONE
        elif struck(fixed):
            status = Status.DROPPED  # `- [ ] ~~sync via Dropbox API~~ nope`: an open card struck through
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


def _heading_cards(doc: Document, ol: Outline, lane: Heading, status: Status) -> list[Session]:
    """The headings one level below a lane that lead with an id each (two or more): its cards."""
    below = [x for x in ol.headings if lane.line < x.line <= lane.end_line and x.level == lane.level + 1]
    found = [(x, lead) for x in below if (lead := marked_lead_id(doc.fix(x.text))) is not None]
    if not found or 2 * len(found) < len(below):
        return []
    out = []
    for x, (key, rest) in found:
        text = doc.fix(x.text)
        title = clean_title(text[rest:].lstrip(" ·:.-–—"))
        own = [p for p in status_phrases(text, item=True) if p.where != "whole" and p.start >= rest]
        st = own[0].status if own else status
        out.append(Session(key=key, title=title or key, status=st, status_text="", line=x.line, end_line=x.end_line))
    return out


def _sub_issues(doc: Document, ol: Outline, card: Item, key: str) -> list[Session]:
    """`- Sub-issues:` / `- ✅ PAY-499 Dual-write tokens`: items below a card that lead with an id of their own
    and carry a status mark are units of their own, not the card's checklist."""
    out: list[Session] = []
    for d in descendants(ol, card):
        if d.mark is not None:
            continue
        fixed = doc.fix(d.raw)
        lead = marked_lead_id(fixed)
        marks = status_marks(fixed[: lead[1]]) if lead else []
        if lead is None or not marks or lead[0] == key:
            continue
        title = clean_title(fixed[lead[1] :])
        if title:
            start, end, status, _ = marks[0]
            span = StatusSpan(ol.span(d.line, d.col, fixed[start:end], fixed[:start]), SpanKind.TEXT, d.line)
            out.append(
                Session(
                    key=lead[0],
                    title=title,
                    status=status,
                    status_text=fixed[start:end],
                    line=d.line,
                    end_line=d.end_line,
                    status_spans=[span],
                )
            )
    return out


def read(doc: Document) -> ReadResult:
    ol = outline(doc)
    res = ReadResult(reader="board", title=ol.title())
    columns, seen_cols = board_columns(doc)
    # (line of the lane, its status, its cards, whether a card's checklist is every box below it, the lane)
    lanes: list[tuple[int, Status, list[Item], bool, Heading | Item]] = [
        (h.line, st, lane_cards(doc, h), False, h)
        for h, st in sorted(columns + unnamed_lanes(doc, columns), key=lambda c: c[0].line)
    ]
    if not columns:
        # `- **Lista: Kész ✅**` over nested `- **[KK-12] Közgyűlés**` cards: a board exported as a list
        lanes = [(it.line, st, [ol.items[c] for c in it.children], True, it) for it, st in list_lanes(doc)]
    if not lanes and (drawn := lane_table_cards(doc)):
        # `| To do | In progress | Done |` over cells of cards: a board drawn as a table, and the lanes
        # written below it as status headings over cards that name their ids (`### Descartado`)
        for h, st in seen_cols:
            found = [(it, doc.fix(it.raw).strip()) for it in lane_cards(doc, h)]
            leads = [marked_lead_id(fixed) for _, fixed in found]
            if found and all(leads):
                taken = {u.key for u in drawn}
                drawn += [
                    s
                    for (it, fixed), lead in zip(found, leads, strict=True)
                    if (s := _card(doc, it, st, fixed, lead)) and s.key not in taken
                ]
        res.sessions = drawn
        res.confidence = 0.9
        res.notes.append(f"a board drawn as a table, one column per lane: {len(drawn)} cards")
        return res
    if not lanes:
        res.notes.append(
            "looked for board columns: two or more sibling headings that are only a status (`### In Progress`, "
            "`### Done`), each once, with bullets under them, one of them open work, or list items that are "
            "such lanes with cards nested under them; found "
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
    for line, st, cards, nested, lane in lanes:
        if not cards:
            heading_cards = _heading_cards(doc, ol, lane, st) if isinstance(lane, Heading) else []
            if heading_cards:
                # `## 🔨 En cours` / `### SITE-09 · FranceConnect`: cards written as headings under their lane
                for u in heading_cards:
                    id_cards.add(u.line)
                    if u.key not in keys:
                        keys.add(u.key)
                        sessions.append(u)
                continue
            empty.append(line)
        for it in cards:
            fixed = doc.fix(it.raw).strip()
            lead = marked_lead_id(fixed)
            if lead:
                id_cards.add(it.line)
            s = _card(doc, it, st, fixed, lead)
            if s is None:
                continue
            below = descendants(ol, it) if nested else [ol.items[c] for c in it.children]
            s.checklist = checklist_of(ol, [c for c in below if c.mark is not None])
            for u in [s, *_sub_issues(doc, ol, it, s.key)]:
                base, n = u.key, 2
                while u.key in keys:
                    u.key, n = f"{base}-{n}", n + 1
                keys.add(u.key)
                sessions.append(u)
    if empty:
        res.notes.append(f"board columns with no cards: lines {lines_note(empty)}")
    if not sessions:
        res.notes.append(f"board columns at lines {lines_note(lane[0] for lane in lanes)} hold no bullets")
        res.confidence = 0.0
        return res
    key_by_own_number(sessions, id_cards)
    apply_log(doc, sessions, res.problems)
    res.sessions = sessions
    # a column of checkboxes is a checklist the tasklist reader also reads; plain bullets, or cards that
    # name their ids (`- [ ] T011 …` under `## 进行中`), are surely cards
    plain = sum(s.status_text == "" for s in sessions)
    named = sum(s.line in id_cards for s in sessions)
    res.confidence = 0.85 if plain * 2 >= len(sessions) or named * 2 >= len(sessions) else 0.3
    res.notes.append(
        f"{len(lanes)} board columns (lines {lines_note(lane[0] for lane in lanes)}), {len(sessions)} cards; "
        "a card's status is its column"
    )
    return res
