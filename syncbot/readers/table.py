"""Reader for the table shape: a status matrix (`| Session | Title | Status | ... |`).

The matrix is the table whose first or second column holds unit keys.  Other tables keyed by the same
units contribute what the matrix lacks (a "Completion tracker" with the status, a `From | To` edge list
with dependencies), and sections below whose heading names one unit ("Session 3 Handoff Package") give
its checklist and may restate its status or prerequisites; disagreements become problems.
"""

from __future__ import annotations

from syncbot.readers.common import Document, ReadResult
from syncbot.readers.structure import title_of


def read(doc: Document) -> ReadResult:
    if not doc.structure.has_tables:
        # cannot apply: answer at once, without importing the column inference (a tenth of a second)
        note = "looked for a status matrix (a GFM table with a key column); the document has no tables"
        return ReadResult(reader="table", title=title_of(doc), notes=[note], confidence=0.0)
    from syncbot.readers.table_reading import read_tables

    return read_tables(doc)
