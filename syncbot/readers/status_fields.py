"""`**Status**: 🚧 In progress — finishing error handling`: a status written as a field of its unit.

Shared by the section, thread and heading readers: which field names mean "status" (in the languages
trackers are written in), and how much of a field's value is the status phrase, so a rewrite keeps the
commentary after it.
"""

from __future__ import annotations

import re

from syncbot.model import Span, Status
from syncbot.readers.common import Document
from syncbot.readers.fields import Field
from syncbot.readers.hints import vocabulary
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.status_words import classify_status

STATUS_FIELD_RE = lazy_re(
    r"^(?:status|state|progress|estado|situación|situacao|situação|stand|zustand|statut|état|etat|"
    r"状态|状態|進捗|进度|ステータス|상태|진행\s*상태|stato|stan|durum|статус|состояние|trạng\s+thái|tình\s+trạng|"
    r"الحالة|حالة|סטטוס|מצב|स्थिति|สถานะ)$"
)

# a field naming a unit's prerequisites, in the languages trackers are written in
DEPENDS_FIELD_RE = lazy_re(
    r"^(?:depends\s+on|dependencies|depends|prerequisites?|prereqs?|requires|needs|after|blocked\s+by|"
    r"depende\s+de|depende|dependencias|dependências|dependencias|requisitos?|pré-requisitos?|prerrequisitos?|"
    r"abhängig\s+von|hängt\s+ab\s+von|abhängigkeiten|voraussetzung(?:en)?|vorbedingung(?:en)?|setzt\s+voraus|"
    r"dépend\s+de|dépendances|prérequis|"
    r"선행|의존|선행\s*작업|의존성|준비\s*사항|사전\s*준비|선행\s*조건|依赖|前提|前置|前置条件|依存|依存関係|前提条件|"
    r"phụ\s+thuộc|bağımlılık(?:lar)?|bağlı|afhankelijk\s+van|afhankelijkheden|beroenden?|beror\s+på|dipende\s+da|"
    r"dipendenze|zależności|zależy\s+od|зависимости|зависит\s+от|ketergantungan|tergantung\s+pada|يعتمد\s+على|"
    r"المتطلبات|תלוי\s+ב|תלויות|निर्भरता|ขึ้นอยู่กับ|งานก่อนหน้า)$"
)

# where a status phrase stops and commentary starts: `In Progress — finishing error handling`
_STATUS_TAIL = lazy_re(r"\s+(?:—|–|-)\s+|[;,]\s*|\s+(?:on|by|until|since|after|pending|awaiting)\s+|\s*\(")


_STRUCK_LEAD_RE = lazy_re(r"^\s*~~[^~]+~~\s*")


def share_status(percent: int) -> Status:
    """A share done as a status: 100% is done, 0% not started, anything between started."""
    return Status.DONE if percent >= 100 else Status.PLANNED if percent == 0 else Status.IN_PROGRESS


_PERCENT_HEAD_RE = lazy_re(r"[*_`\s]*(\d{1,3})\s*%")


def status_head(doc: Document, value: str, span: Span) -> tuple[Status | None, Span, str]:
    """The status a field states, and the span of just the status phrase when commentary follows it, so a
    rewrite keeps the commentary.  A status struck through and followed by another (`~~Not started~~
    Dropped — not needed`) is replaced by it."""
    struck = _STRUCK_LEAD_RE.match(value) if "~~" in value else None
    if struck and value[struck.end() :].strip():
        st, sp, raw = status_head(doc, value[struck.end() :], Span(span.start + struck.end(), span.end))
        if st is not None:
            return st, sp, raw
    whole = vocabulary(doc, doc.fix(value)) or classify_status(doc.fix(value))
    if whole is None and (pct := _PERCENT_HEAD_RE.match(value)) is not None:
        # `Progress: 40% · Owner: @mia`: a share done, and nothing else said
        st = share_status(int(pct.group(1)))
        return st, Span(span.start + pct.start(1), span.start + pct.end()), value[pct.start(1) : pct.end()]
    m = _STATUS_TAIL.search(value)
    if whole is not None and m and m.start() > 0:
        head = value[: m.start()].rstrip()
        if head and classify_status(doc.fix(head)) is whole:
            return whole, Span(span.start, span.start + len(head)), head
    return whole, span, value


def status_field(doc: Document, fields: list[Field]) -> tuple[Status, Span, str, int] | None:
    """The first field among ``fields`` that states a status: (status, span, text as written, line)."""
    for f in fields:
        if STATUS_FIELD_RE.match(f.name):
            st, span, raw = status_head(doc, f.value, f.span)
            if st is not None:
                return st, span, raw, f.line
    return None


# `## ~~Step 2 — Old writer~~`: the whole heading struck through
_STRUCK_HEADING_RE = lazy_re(r"^[^\w~]*~~(?=\S).*\S~~[^\w~]*$")
# `Writer (superseded by Step 4)`, `Exporter — replaced by Step 4`: a unit another one took the place of
_SUPERSEDED_RE = lazy_re(
    r"\s*(?:[-—–:|]\s*)?\(?\s*\b(?:superseded|replaced|obsoleted|ersetzt|reemplazad[oa]|substitu[íi]d[oa]|"
    r"remplac[ée]e?)\b(?:\s+(?:by|with|durch|por|par)\b[^)]*)?\)?\s*$|\s*[(（]?(?:被取代|已被替代|置き換え済み)[^)）]*[)）]?\s*$",
    re.IGNORECASE,
)


def dropped_by_heading(heading_text: str, title: str) -> tuple[str, str] | None:
    """A heading that says its unit was dropped: struck through, or superseded/replaced by another unit.
    Returns (the title without that remark, the remark as written), else None."""
    if _STRUCK_HEADING_RE.match(heading_text.strip()):
        return title, "~~"
    m = _SUPERSEDED_RE.search(title)
    if m and m.start() > 0:
        return title[: m.start()].rstrip(" -—–:|"), m.group(0).strip(" -—–:|()")
    return None
