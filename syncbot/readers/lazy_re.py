"""Patterns compiled when first used.

The readers hold about 350 module-level regular expressions, and Python compiles a pattern in Python code (its
parser and compiler are pure Python): together about 70 ms of CPU at every start, more than the reading of a
small tracker takes.  A document uses a part of them (a 20,000-task list about a fifth; the readers for
tables, logs, legends and boards leave theirs unused), so ``lazy_re`` stands in for ``re.compile`` at module
level: it keeps the source, and the first method called compiles the pattern and puts the compiled pattern's
own bound methods on the stand-in, so every later ``search``/``match``/``sub``... is the compiled pattern's
C method found on the instance, with no step of Python in between.

``pattern`` and ``flags`` are there before compiling (other patterns are built from a pattern's source); any
other attribute compiles first.  Only methods are called on these objects: a stand-in is no ``re.Pattern``
for ``isinstance``, nor something to pass to ``re.compile`` or the module-level ``re`` functions.
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _Deferred:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:  # (called only for what the instance does not hold yet)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.flags, self.groups, self.groupindex = compiled.flags, compiled.groups, compiled.groupindex
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_re({self.pattern!r}, {self.flags!r})"


def lazy_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return cast(re.Pattern[str], _Deferred(pattern, flags))
