"""The commonest dependency text, read without the reference parser: one of the document's keys, as written
and nothing else (`(depends on T00001)`: 8,000 such texts in a 20,000-task list, each a full pass of
:func:`refs.parse_refs` of about 20 µs).

Such a text is one token of ASCII letters and digits that opens with a letter and holds a digit.  Every step
of the full reading leaves it whole: it holds no link, address, `#`, `.md`, `-` (no external reference, no
ticket), no markup, no `~~`, no word boundary before a digit (no date, no quantity), no space (no `all
previous`, no range of containers, no exception, no dependency marker: markers are whole words with no
digit), no `_` or `-` (no identifier); so it is read as the one token, the key itself.  What could still
take it is checked here: a word of parallel work inside it (`parallel2`) and a container's name matching in
it; either sends it the long way.
"""

from __future__ import annotations

import re

from syncbot.readers.key_index import KeyIndex
from syncbot.readers.ref_markers import PARALLEL_RE

_PLAIN_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*\d[A-Za-z0-9]*")


def single_key(text: str, index: KeyIndex) -> bool:
    """Whether ``text`` is one key of ``index`` that :func:`refs.parse_refs` reads as that key alone (outside
    prose, as a forward dependency)."""
    if text not in index.pos or not _PLAIN_KEY_RE.fullmatch(text) or PARALLEL_RE.search(text):
        return False
    crx = index._container_re
    return crx is None or crx.search(text) is None
