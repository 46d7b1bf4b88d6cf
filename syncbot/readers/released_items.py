"""A roadmap by version whose other versions list their items without boxes: under `## v0.9 🚧` the work is a
checklist (`- [ ] #63 Semver resolver`), under `## v0.8 ✅ lançada em 2024-11-02` the shipped items are plain
bullets (`- #41 Event API v2`), under `## v1.0 📅 planejada` the planned ones, under `## Descartado` the struck
ones.  Those items are units too, with the status their heading gives them (struck through: dropped)."""

from __future__ import annotations

from syncbot.model import Session, Status
from syncbot.readers.bullet_labels import VERSION_RE
from syncbot.readers.common import strip_inline
from syncbot.readers.item_ids import OWN_NUMBER_RE, marked_lead_id
from syncbot.readers.lanes import name_status
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.status_words import status_marks
from syncbot.readers.structure import Heading
from syncbot.readers.task_units import struck
from syncbot.readers.titles import clean_title, slug

_LEAD_MARKS_RE = lazy_re(r"^\W*(?=\[?v?\d)")  # `✅ 0.8 — released`: marks before the version
_DATE_RE = lazy_re(r"\b\d{4}-\d{2}-\d{2}\b")


def _version(ol: Outline, line: int) -> Heading | None:
    """The innermost heading over ``line`` that opens with a version."""
    known: dict[int, bool] = ol.__dict__.setdefault("_opens_with_version", {})  # (by heading line: asked per item)
    for h in reversed(ol.chain(line)):
        opens = known.get(h.line)
        if opens is None:
            opens = known[h.line] = bool(VERSION_RE.match(_LEAD_MARKS_RE.sub("", ol.doc.fix(h.raw).strip())))
        if opens:
            return h
    return None


def _heading_status(ol: Outline, h: Heading) -> Status | None:
    """What a version heading says of its items: shipped (`✅ lançada`, `released`, or only a date beside the
    version: `## v1.2 (2024-11-02)`), planned (`📅 planejada`); None for work under way or nothing said."""
    text = strip_inline(ol.doc.fix(h.raw))
    said = {m[2] for m in status_marks(text)}
    if len(said) == 1 and (only := next(iter(said))) in (Status.DONE, Status.PLANNED):
        return only
    return Status.DONE if not said and _DATE_RE.search(text) else None


def _section_status(ol: Outline, line: int) -> tuple[Heading, Status] | None:
    """The heading an item sits under and the status it gives its items: a version heading's, or a heading
    that names only a status (`## Descartado`)."""
    v = _version(ol, line)
    if v is not None:
        st = _heading_status(ol, v)
        return (v, st) if st is not None else None
    h = ol.heading_before(line)
    if h is None:
        return None
    named = name_status(ol.doc.fix(h.raw))
    return (h, named[0]) if named and not named[1] else None


def released_units(ol: Outline, units: list[Session]) -> list[Session]:
    """The plain items of the versions of a roadmap whose task units sit under version headings: led by an
    id, or struck through; ids already read as units are left to them."""
    if not units or not any(_version(ol, s.line) for s in units):
        return []
    taken = {s.key for s in units}
    out: list[Session] = []
    for it in ol.items:
        if it.mark is not None or it.parent is not None or it.line in ol.code_lines:
            continue
        where = _section_status(ol, it.line)
        if where is None:
            continue
        h, status = where
        fixed = ol.doc.fix(it.raw)
        is_struck = struck(fixed.lstrip())
        lead = marked_lead_id(fixed.replace("~~", "  ", 1)) if is_struck else marked_lead_id(fixed)
        if lead is None and not is_struck and (status is Status.DROPPED or _version(ol, it.line) is not None):
            # (under a lane of work to do, `## Later / ideas`, every item is a unit, its issue number its key;
            # `## Not planned` lists what will not be built)
            continue
        key, end = lead if lead is not None else (None, len(fixed) - len(fixed.lstrip()))
        title = clean_title(_REMARK_RE.sub("", fixed[end:]).replace("~~", ""))
        if not title or (key is not None and key in taken):
            continue
        if key is None and (own := OWN_NUMBER_RE.search(title)) is not None:
            # `Query result caching layer (#388)`: keyed `#388`, as key_by_own_number keys a checkbox
            key, title = own.group(1), clean_title(title[: own.start()] + title[own.end() :])
        key = key or slug(title)
        taken.add(key)
        dropped = is_struck or status is Status.DROPPED
        out.append(
            Session(
                key=key,
                title=title,
                status=Status.DROPPED if dropped else status,
                status_text="~~" if is_struck else "",
                line=it.line,
                end_line=it.end_line,
                phase=strip_inline(ol.doc.fix(h.raw)),
            )
        )
    return out


# `→ adiado para a v0.9`, `— dobraria a superfície de API`: a remark after the item's name
_REMARK_RE = lazy_re(r"\s+(?:→|->|—|–)\s.*$")
