"""Which list items carry their status as a label, and which lists of them are plans: what the status bullets
reader (`status_bullets`) reads as units."""

from __future__ import annotations

from syncbot.model import Status
from syncbot.readers.item_ids import ANNOUNCE_CAPS, ANNOUNCE_CJK, marked_lead_id
from syncbot.readers.key_shapes import key_shape
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.legend import is_legend_line
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import Phrase, bare_cross, status_phrases
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.status_fields import STATUS_FIELD_RE
from syncbot.readers.status_words import classify_status, status_marks
from syncbot.readers.structure import Heading, Item
from syncbot.readers.task_units import struck

# `## [0.8.0] — 2025-03-14`, `## v1.2 (2024-11-02)`: a version heading that is a version and its release date
_RELEASED_RE = lazy_re(r"^\[?v?\d+(?:\.\d+)+\]?\s*(?:[—–-]\s*)?\(?\d{4}-\d{2}-\d{2}\)?$")
VERSION_RE = lazy_re(r"^\[?v?\d+(?:\.\d+)+\]?(?!\S)")  # `v0.8`, `[1.2.0]`: a heading that opens with one


def released_items(ol: Outline, tops: list[Item], labelled: list[Labelled]) -> set[int]:
    """A roadmap by version written as a changelog turned around (`## [1.0.0] — not released yet` over
    `- #71 RSA signatures *(in progress)*`): the items of a released version (`## [0.8.0] — 2025-03-14`)
    carry no status because everything in it shipped, so they are done.  Only where the labelled items sit
    under version headings too, and only items that lead with an id when the labelled ones do."""

    def version(line: int) -> Heading | None:
        return next((h for h in ol.enclosing(line) if VERSION_RE.match(ol.doc.fix(h.raw).strip())), None)

    if not labelled or not all(version(it.line) for it, _, _, _ in labelled):
        return set()
    ids = all(marked_lead_id(ol.doc.fix(it.raw)) for it, _, _, _ in labelled)
    have = {it.index for it, _, _, _ in labelled}
    out: set[int] = set()
    for it in tops:
        h = version(it.line)
        if it.index in have or h is None or not _RELEASED_RE.match(ol.doc.fix(h.raw).strip()):
            continue
        if not ids or marked_lead_id(ol.doc.fix(it.raw)):
            out.add(it.index)
    return out


_LEAD_MARKS_RE = lazy_re(r"^\s*(?:[^\w\s~*_`\[(]\ufe0f?\s*)+")
Labelled = tuple[Item, Status, str, list[Phrase]]


def label(ol: Outline, it: Item) -> Labelled | None:
    """The status label an item carries, or None: `✅ Name`, `Name (planned)`, `~~Name~~`, `— status: done`."""
    fixed = ol.doc.fix(it.raw)
    # `~~Evaluate Flyway~~`, `✖ ~~**Per-tenant keys**~~ — abandoned`: a name struck through, marks before it
    # (each text tried is a part of the item's: without `~~` in it, none is struck)
    if "~~" in fixed and (struck(fixed.strip()) or struck(_LEAD_MARKS_RE.sub("", fixed))):
        return (it, Status.DROPPED, "~~", [])
    if "~~" in fixed and (own := marked_lead_id(fixed)) is not None and struck(fixed[own[1] :]):
        return (it, Status.DROPPED, "~~", [])  # `**2e** ~~\`@acme/cache\`~~ — merged into @acme/db`
    if is_legend_line(fixed):
        return None  # `- ✅ hecho · 🚧 en curso · 📋 planificado` among the conventions: the legend, no unit
    phrases = [p for p in status_phrases(fixed, item=True) if p.where != "whole"]
    if not phrases and (inline := inline_status(fixed)) is not None:
        phrases = [inline]
    if not phrases:
        return None
    p = phrases[0]
    field = _FIELD_LEAD_RE.match(fixed)
    if field is not None and p.start >= field.end() and STATUS_FIELD_RE.match(field.group("label").lower()):
        return None  # `- 状態: 🔄 進行中` under a unit's heading: a field of that unit, no unit of its own
    return (it, bare_cross(fixed, p), fixed[p.start : p.end], phrases)


_FIELD_LEAD_RE = lazy_re(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?[*_]*(?P<label>[^\W\d_][^:：*_]{0,20}?)[*_]*\s*[:：]")


def labelled_lists(ol: Outline, tops: list[Item], labelled: list[Labelled]) -> list[Labelled]:
    """The labelled items of the lists that are plans, in a document of several lists: under `## Plan`
    `- T9 — CSV import — doing` beside `## Commands` `- make test — unit tests`, or `## Σχέδιο υλοποίησης`
    `3. ▶ **Πολιτικές RLS**` beside a numbered list of open questions.  A list is the top-level items of one
    section; it is a plan when at least three of its items, and at least half, carry a status label, and
    they do not all say the same."""
    count: dict[int, int] = {}
    for it in tops:
        h = id(ol.heading_before(it.line))
        count[h] = count.get(h, 0) + 1
    have: dict[int, list[Status]] = {}
    for x in labelled:
        have.setdefault(id(ol.heading_before(x[0].line)), []).append(x[1])
    # and its items are at different stages: `- NEW: src/app.py` on every line of a list of files is a tag
    plans = {h for h, sts in have.items() if len(sts) >= 3 and 2 * len(sts) >= count[h] and len(set(sts)) >= 2}
    return [x for x in labelled if id(ol.heading_before(x[0].line)) in plans]


# `Parser — status: done — after 1`, `… — สถานะ: เสร็จแล้ว`: a status field written inside an item's line.
# Blanks before the separator are read from the first (or from where the search starts: a separator, or a
# blank and `-`), not again from each blank; the value is the shortest that blanks and then the end, a
# separator or ` - ` follow, read in one pass: a run of blanks goes whole into it unless such an end follows
# the run (`\s*(?:…)` from each blank and a lazy value asking `\s*` on at each blank made 20,000 blanks take
# seconds; tests/test_hostile_inputs.py checks the matches against that form)
INLINE_STATUS_RE = lazy_re(
    r"(?:(?<!\s)\s*(?:[—–|·;,]|\s-)|[—–|·;,]|\s-)\s*\**(?P<label>[^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+)?)\**\s*[:：]"
    r"\**\s*(?P<value>[^—–|;·(\[](?:[^\s—–|;·(\[]++|\s++(?=[^\s—–|;·(\[])(?!-\s))*+)\s*(?=$|[—–|;·(\[]|\s-\s)"
)


def inline_status(fixed: str) -> Phrase | None:
    """The status of an item line's own status field (its label one of the status field names)."""
    if ":" not in fixed and "：" not in fixed:
        return None  # (a field needs its colon)
    for m in INLINE_STATUS_RE.finditer(fixed):
        if not STATUS_FIELD_RE.match(m.group("label").strip().lower()):
            continue
        st = classify_status(m.group("value"))
        if st is not None:
            return Phrase(m.start("value"), m.end("value"), st, "trail", True)
    return None


def announced_items(ol: Outline) -> list[Labelled]:
    """A log that announces its tasks as it goes (`- NEW T-05 Account tree (needs T-03)`, `- 新增 PAY-6 …`), at
    any depth, three or more of one key shape, each once: the announcements are the units, planned unless
    their own line says more (`→ ✅ done right away`); the later items are news of them (``apply_log``)."""
    doc = ol.doc
    found: list[Labelled] = []
    if _ANNOUNCING_WORD_RE.search(doc.text) is None:
        return found  # (one scan of the text: most documents announce nothing)
    for it in ol.items:
        fixed = doc.fix(it.raw)
        # (or under an item that announces its children: `- Release prep, NEW:` / `  - [ ] T-18 CHANGELOG`)
        parent = ol.items[it.parent].raw if it.parent is not None else ""
        announced = _ANNOUNCED_RE.match(fixed) or _ANNOUNCES_RE.search(doc.fix(parent))
        own = marked_lead_id(fixed) if announced else None
        if own is None or it.line in ol.code_lines:
            continue
        said = [p for p in status_phrases(fixed, item=True) if p.start >= own[1]]
        status, text = (said[-1].status, fixed[said[-1].start : said[-1].end]) if said else (Status.PLANNED, "")
        arrow = fixed.find("→", own[1])
        if not said and arrow >= 0 and (marks := status_marks(fixed[arrow:])):
            status, text = marks[0][2], fixed[arrow + marks[0][0] : arrow + marks[0][1]]  # `… → ✅ done right away`
        found.append((it, status, text, said[-1:]))
    ids = [own[0] for it, _, _, _ in found if (own := marked_lead_id(doc.fix(it.raw)))]
    if len(ids) < 3 or len(set(ids)) != len(ids) or len({key_shape(k) for k in ids}) != 1:
        return []
    # (every task the log names at the head of an item is one it announced: else the announcements are only
    # the later ones, beside a plan listed plainly first)
    shape = key_shape(ids[0])
    led = {own[0] for it in ol.items if (own := marked_lead_id(doc.fix(it.raw))) and key_shape(own[0]) == shape}
    return found if led <= set(ids) else []


# (the words are item_ids' own: the id after them is read there too)
_ANNOUNCING_WORD_RE = lazy_re(rf"{ANNOUNCE_CJK}|\b(?:{ANNOUNCE_CAPS})\b")
_ANNOUNCES_RE = lazy_re(rf"(?:{ANNOUNCE_CJK}|\b(?:{ANNOUNCE_CAPS}))[*_]*\s*[:：]\s*$")
_ANNOUNCED_RE = lazy_re(rf"\s*[*_]*(?:{ANNOUNCE_CJK}|{ANNOUNCE_CAPS})[*_]*[\s:：]")


def indexed_lists(ol: Outline, tops: list[Item]) -> list[Labelled]:
    """A task index with no statuses of its own (`## Task index` / `- #4 Port JWT auth [requires #3]`): a
    section whose items all lead with ids of one shape, each once, at least three, that are work: most of them
    name what they wait for in a bracketed note, or the document names most of them again further down beside
    a status (the log that says how they stand, which ``apply_log`` then reads).  They are planned until said."""
    doc = ol.doc
    by_heading: dict[int, list[Item]] = {}
    heads: dict[int, Heading | None] = {}
    for it in tops:
        h = ol.heading_before(it.line)
        by_heading.setdefault(id(h), []).append(it)
        heads[id(h)] = h
    lists: list[tuple[list[tuple[Item, str]], bool]] = []  # (the items, whether their notes say they are work)
    for hid, section in by_heading.items():
        h = heads[hid]
        if len(section) < 3 or (h is not None and status_phrases(doc.fix(h.raw))):
            continue  # (a lane of a board, `## In Progress`, is no index)
        items = [(it, own[0] if (own := marked_lead_id(doc.fix(it.raw))) else "") for it in section]
        ids = [k for _, k in items]
        if len(ids) < 3 or not all(ids) or len(set(ids)) != len(ids) or len({key_shape(k) for k in ids}) != 1:
            continue
        noted = sum(any(MARKER_RE.match(n) for n in _NOTE_RE.findall(doc.fix(it.raw))) for it, _ in items)
        lists.append((items, 2 * noted >= len(items)))
    asked = {k for items, noted in lists if not noted for _, k in items}
    said = _last_said(ol, asked, min((items[-1][0].end_line for items, _ in lists), default=0)) if asked else {}
    out: list[Labelled] = []
    for items, noted in lists:
        end = items[-1][0].end_line
        if noted or 2 * sum(said.get(k, 0) > end for _, k in items) >= len(items):
            out.extend((it, Status.PLANNED, "", []) for it, _ in items)
    return out


_NOTE_RE = lazy_re(r"[(\[]([^()\[\]]*)[)\]]")  # `[requires #3]`, `(after 1, 2)`
_ID_WORD_RE = lazy_re(r"#?[\w.-]+")


def _last_said(ol: Outline, ids: set[str], after: int) -> dict[str, int]:
    """The last line below ``after`` that names each of ``ids`` beside a status word or mark (`- #3 done.`):
    one pass over the lines, however many lists ask."""
    doc = ol.doc
    last: dict[str, int] = {}
    for n in range(after, len(doc.lines)):
        line = doc.lines[n]
        here = {w.lstrip("#").rstrip(".-") for w in _ID_WORD_RE.findall(line)} & ids
        if here and status_marks(doc.fix(line)):
            for k in here:
                last[k] = n + 1
    return last
