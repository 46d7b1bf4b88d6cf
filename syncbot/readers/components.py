"""Reader for the components shape: a status summary of components (seed 001).

`### **Component 99 (Secrets Manager) - COMPLETE ✅**`, `#### ✅ API Service (100%)`, `### 🔲 Model Training`
and bullets such as `- **SPHINX Component:** Not yet started`.  See :mod:`status_headings` for the rules.
"""

from __future__ import annotations

from syncbot.readers.common import Document, ReadResult
from syncbot.readers.heading_results import result
from syncbot.readers.status_headings import analyse


def read(doc: Document) -> ReadResult:
    a = analyse(doc)
    sessions = a.heading_units + a.bullet_units
    notes = list(a.notes)
    if a.mode == "components":
        confidence = 0.9
    elif a.mode == "phases":
        # status headings over checklists are the phases shape; answer, but let that reader win
        confidence = 0.3
        notes.append("the status headings own checklists: this reads as the phases shape")
    else:
        confidence = 0.0
        notes.append("looked for `Name Component: <status>` bullets too: none found")
    return result(doc, "components", sessions, confidence, notes)
