"""Which fields of a document's units state a status or name prerequisites, learnt from their values.

Field names come in every language (`Trạng thái:`, `Durum:`, `Stato:`); a vocabulary of names
(``status_fields``) covers the common ones, and structure covers the rest: a label that several units
carry, whose values are status phrases nearly every time, is that document's status field; one whose
values are references to the document's own units is its prerequisites field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from syncbot.readers.common import Document
from syncbot.readers.fields import Field
from syncbot.readers.status_fields import DEPENDS_FIELD_RE, STATUS_FIELD_RE
from syncbot.readers.status_words import classify_status

# a label is learnt when at least this many units carry it and this share of its values fit the role
_MIN_UNITS = 2
_MIN_SHARE = 2 / 3


def _learn(groups: Iterable[Sequence[Field]], fits: Callable[[Field], bool], known: Callable[[str], bool]) -> set[str]:
    seen: dict[str, int] = defaultdict(int)
    fitting: dict[str, int] = defaultdict(int)
    for fields in groups:
        for name in {f.name for f in fields if not known(f.name)}:
            own = [f for f in fields if f.name == name]
            seen[name] += 1
            fitting[name] += any(fits(f) for f in own)
    return {n for n, k in fitting.items() if k >= _MIN_UNITS and k >= _MIN_SHARE * seen[n]}


def _known_role(name: str) -> bool:
    return bool(STATUS_FIELD_RE.match(name) or DEPENDS_FIELD_RE.match(name))


def status_names(doc: Document, groups: Iterable[Sequence[Field]]) -> set[str]:
    """Labels, beyond the vocabulary, whose values are status phrases in most of the units carrying them."""

    def fits(f: Field) -> bool:
        value = doc.fix(f.value)
        return len(value) <= 120 and classify_status(value) is not None

    return _learn(groups, fits, _known_role)


def depends_names(
    groups: Iterable[Sequence[Field]], refers: Callable[[Field], bool], skip: Callable[[str], bool]
) -> set[str]:
    """Labels, beyond the vocabulary, whose values name other units of the document in most units carrying
    them (``refers`` says whether one value does)."""
    return _learn(groups, refers, lambda n: _known_role(n) or skip(n))


def is_status_name(name: str, learnt: set[str]) -> bool:
    return bool(STATUS_FIELD_RE.match(name)) or name in learnt
