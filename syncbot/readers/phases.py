"""Reader for the phases shape: status headings over checklists (seed 004).

`### ✅ COMPLETED - Foundation` / `### ⭕ PENDING - Production features` over `- [x]` / `- [ ]` items;
`## 📦 Phase 1 — Data Sourcing ✅ COMPLETE` with nested checklists.  See :mod:`status_headings`.
"""

from __future__ import annotations

from syncbot.readers.common import Document, ReadResult
from syncbot.readers.heading_results import result
from syncbot.readers.status_headings import analyse


def read(doc: Document) -> ReadResult:
    a = analyse(doc)
    notes = list(a.notes)
    if a.mode == "phases":
        # numbered headings whose status is only implied by their boxes are a weaker sign than written ones
        confidence = 0.95 if any(s.status_spans for s in a.heading_units) else 0.8
    elif a.mode == "components":
        confidence = 0.3
        notes.append("fewer than half of the status headings own a checklist: this reads as the components shape")
    else:
        confidence = 0.0
    return result(doc, "phases", a.heading_units, confidence, notes)
