"""Bullets that are units of a component summary: `- **SPHINX Component:** Not yet started`,
`- **Component 99 Phase 3:** API keys (planned)`."""

from __future__ import annotations

import re

from syncbot.model import Session, SpanKind, StatusSpan
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.titles import clean_title, slug

_LABEL_RE = lazy_re(r"^\s*(?P<o>\*\*|__)?(?P<label>[^:*_\n]{1,60}?)(?P=o)?\s*:\s*(?:\*\*|__)?\s*(?P<value>.*)$")
_COMPONENT_RE = lazy_re(r"\bcomponents?\b", re.IGNORECASE)


def component_bullets(ol: Outline, taken: set[str]) -> list[Session]:
    """`- **SPHINX Component:** Not yet started` and `- **Component 99 Phase 3:** API keys (planned)`."""
    doc = ol.doc
    out: list[Session] = []
    for it in ol.items:
        if it.mark is not None:
            continue
        fixed = doc.fix(it.raw)
        m = _LABEL_RE.match(fixed)
        if not m or not _COMPONENT_RE.search(m.group("label")):
            continue
        value = m.group("value")
        vstart = m.start("value")
        phrases = status_phrases(value)
        if not phrases:
            continue
        p = phrases[0]
        name = " ".join(_COMPONENT_RE.sub(" ", m.group("label")).split())
        key = slug(name)
        if not key:
            continue
        rest = clean_title(value, phrases)
        title = rest if p.where in ("trail", "paren") and rest else name
        if key in taken:
            continue
        taken.add(key)
        prereqs = [k for k in sorted(taken, key=len, reverse=True) if k != key and key.startswith(k + "-")][:1]
        span = ol.span(it.line, it.col, value[p.start : p.end], fixed[: vstart + p.start])
        out.append(
            Session(
                key=key,
                title=title,
                status=p.status,
                status_text=value[p.start : p.end],
                prerequisites=prereqs,
                description=rest if title == name else "",
                line=it.line,
                end_line=it.end_line,
                status_spans=[StatusSpan(span, SpanKind.TEXT, it.line)],
            )
        )
    return out
