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

The next commonest is a unit word and a number, `Session 12` (every `**Depends on:** Session N` of a `##
Session N:` plan).  The full reading finds one token in it, the number (the word holds no digit and a space
follows it), and reads it as the key the index resolves it to, outside prose with nothing more asked, unless
another step takes the text first: an address, link, file or ticket (none: letters, one space, digits), a
date or quantity (`May 12`), parallel work, a dependency marker, `all previous`, an exception, a container's
name, the version of a product (`Python 3`), a measure after it.  Each of those is asked here of the text
as the full reading asks it; any of them sends it the long way (tests/test_readers_ref_shortcut.py compares both on
generated texts).
"""

from __future__ import annotations

from syncbot.readers.container_refs import container_spans
from syncbot.readers.external_refs import TICKET_RE
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.marker_scan import has_marker
from syncbot.readers.ref_markers import ALL_PREV_RE, DATE_RE, MEASURE_RE, PARALLEL_RE, QUANTITY_RE
from syncbot.readers.ref_scope import exception_spans, version_of_name

_PLAIN_KEY_RE = lazy_re(r"[A-Za-z][A-Za-z0-9]*\d[A-Za-z0-9]*")


def single_key(text: str, index: KeyIndex) -> bool:
    """Whether ``text`` is one key of ``index`` that :func:`refs.parse_refs` reads as that key alone (outside
    prose, as a forward dependency)."""
    if text not in index.pos or not _PLAIN_KEY_RE.fullmatch(text) or PARALLEL_RE.search(text):
        return False
    return not _names_a_container(text, index)


def _names_a_container(text: str, index: KeyIndex) -> bool:
    """Whether a container's name matches in ``text`` (what the full reading takes before the keys)."""
    crx = index._container_re
    return crx is not None and crx.search(text) is not None


_UNIT_REF_RE = lazy_re(rf"(?i:{UNIT_WORDS}) ([0-9]+)")


def unit_word_key(text: str, index: KeyIndex) -> str | None:
    """The key ``text`` names when it is a unit word and a number that :func:`refs.parse_refs` reads as that
    one key (outside prose, as a forward dependency): `Session 12`; ``None`` for any other text."""
    m = _UNIT_REF_RE.fullmatch(text) if text[-1:].isdigit() else None
    if m is None or not text.isascii() or (key := index.resolve(m.group(1))) is None:
        return None
    if (
        TICKET_RE.search(text)
        or DATE_RE.search(text)
        or QUANTITY_RE.search(text)
        or PARALLEL_RE.search(text)
        or has_marker(text)
        or ALL_PREV_RE.search(text)
        or exception_spans(text)
        or version_of_name(text, m.start(1))
        or MEASURE_RE.match(text, m.end(1))
    ):
        return None
    if _names_a_container(text, index) or next(container_spans(text, index), None) is not None:
        return None
    return key
