"""Plain items below a task list that carry the tasks' own keys: tasks not yet given a box.

    ## 阶段 5：测试与上线
    - [ ] 5.1 接口自动化测试
    ## 阶段 6：上线后迭代（待定，先列出来）
    - 6.1 管理员数据看板（ECharts）
    - 6.2 猜你喜欢 v1，依赖 3.3

A section whose top-level items are all plain (no checkbox), two or more, each led by a key of the family the
tasks are keyed in (three tasks or more of that shape) and none a task's key already, lists more tasks of the
plan: written down before anyone ticks them.  Their status is what the section's heading says (`待定`: to be
decided, not started) or, where it says nothing, not started; the prose pass reads what they wait for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from syncbot.model import Session, Status
from syncbot.readers.item_ids import TASK_ID_RE, task_key
from syncbot.readers.key_shapes import family_shape
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.structure import Item
from syncbot.readers.titles import clean_title

_AT_LEAST = 3  # tasks of the family the keys must join
# `- **FAC-1** Facturación electrónica — depende de …`: an id in bold leads the item, its name follows
_BOLD_ID_RE = lazy_re(
    r"(?:\*\*|__)(?P<id>[A-Z][A-Z0-9]{0,9}-\d{1,4}[a-z]?)(?:\*\*|__)\s*[:—–-]?\s*(?P<rest>[^\W\d_].*)$"
)


def keyed_plain_items(ol: Outline, units: list[Session]) -> list[Session]:
    """The plain items of sections that list more of the tasks (see the module docstring)."""
    if all(it.mark is not None for it in ol.items):
        return []  # (boxes only: no plain item to read)
    families = Counter(family_shape(s.key) for s in units)
    taken = {s.key.lower() for s in units}

    def key_of(it: Item) -> tuple[str, str] | None:
        if it.mark is not None:
            return None  # (a box: the tasks' own section)
        text = ol.doc.fix(it.raw).lstrip()
        m = TASK_ID_RE.match(text)
        key = task_key(m) if m else ""
        if m is None or key.lower() in taken or families[family_shape(key)] < _AT_LEAST:
            return None  # (a box, or an item of no such key: a section of other things)
        return key, text[m.end() :]

    found = _keyed_sections(ol, key_of, set(), 2)
    return _units(ol, found, "a plain item keyed like the tasks, in a section of such items")


def bold_keyed_items(ol: Outline, units: list[Session]) -> list[Session]:
    """`## T3 2025` / `- **FAC-1** Facturación electrónica`: a section of three or more plain items, every one led
    by an id in bold that no unit has, beside a document's units (a roadmap whose later quarters are written as
    lists before anyone gives them a status): work not started, or what the section's heading says."""
    if len(units) < _AT_LEAST:
        return []
    taken = {s.key.lower() for s in units}

    def key_of(it: Item) -> tuple[str, str] | None:
        m = _BOLD_ID_RE.match(ol.doc.fix(it.raw).strip()) if it.mark is None and "**" in it.raw else None
        if m is None or m.group("id").lower() in taken:
            return None
        return m.group("id"), m.group("rest")

    # (an item read already, `- **MOV-4** …` a log introduced, is neither one of them nor another thing)
    found = _keyed_sections(ol, key_of, {s.line for s in units}, _AT_LEAST)
    return _units(ol, found, "a plain item led by an id in bold, in a section of such items")


def _keyed_sections(
    ol: Outline, key_of: Callable[[Item], tuple[str, str] | None], skip: set[int], at_least: int
) -> list[list[tuple[Item, str, str]]]:
    """The sections whose top-level items (less those on ``skip`` lines) all have a key by ``key_of``, at least
    ``at_least`` of them and each key once: (item, key, the text after it) of each."""
    sections: dict[int, list[tuple[Item, str, str]]] = {}
    spoiled: set[int] = set()
    for it in ol.items:
        if it.depth != 0 or it.line in skip:
            continue
        h = ol.heading_before(it.line)
        where = h.line if h is not None else 0
        if where in spoiled:
            continue
        keyed = key_of(it)
        if keyed is None:
            spoiled.add(where)
        else:
            sections.setdefault(where, []).append((it, *keyed))
    return [
        items
        for where, items in sections.items()
        if where not in spoiled and len(items) >= at_least and len({k for _, k, _ in items}) == len(items)
    ]


def _units(ol: Outline, sections: list[list[tuple[Item, str, str]]], rule: str) -> list[Session]:
    """Units of the items of ``sections``: not started, or what the section's heading says of them."""
    found: list[Session] = []
    for items in sections:
        h = ol.heading_before(items[0][0].line)
        said = [p for p in status_phrases(ol.doc.fix(h.raw)) if p.where != "paren"] if h is not None else []
        status = said[0].status if said else Status.PLANNED
        for it, key, rest in items:
            title = clean_title(rest.strip(" :.-–—"))
            if title:
                s = Session(key=key, title=title, status=status, status_text="", line=it.line, end_line=it.end_line)
                s.rule = rule
                found.append(s)
    return found
