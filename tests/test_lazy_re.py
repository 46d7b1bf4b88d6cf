"""Patterns compiled when first used (syncbot/readers/lazy_re.py): each answers as ``re.compile`` would, is
compiled once, and every pattern the readers hold compiles (an error in one the tests never reach still shows
here, not in a user's reading)."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import syncbot.readers
from syncbot.readers.lazy_re import _Deferred, lazy_re

TEXTS = ["", "T1 done, T2 Done", "x\nT3 done", "DONE done dOnE", "é T12 done ✅"]
CALLS = [
    ("search", ()),
    ("match", ()),
    ("fullmatch", ()),
    ("findall", ()),
    ("split", ()),
    ("sub", ("<\\1>",)),
    ("subn", ("-",)),
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("method", "args"), CALLS)
def test_a_deferred_pattern_answers_as_the_compiled_one(text: str, method: str, args: tuple[str, ...]) -> None:
    source, flags = r"(T\d+) done", re.IGNORECASE
    deferred, compiled = lazy_re(source, flags), re.compile(source, flags)

    def answer(p: re.Pattern[str]) -> object:
        out = getattr(p, method)(*args, text) if method in ("sub", "subn") else getattr(p, method)(text)
        return out.span() if isinstance(out, re.Match) else out

    assert answer(deferred) == answer(compiled)
    assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in compiled.finditer(text)]


def test_the_source_is_there_before_compiling_and_the_methods_after() -> None:
    p = lazy_re(r"a(?P<b>b)", re.IGNORECASE)
    assert (p.pattern, vars(p)) == (r"a(?P<b>b)", {"pattern": r"a(?P<b>b)", "flags": re.IGNORECASE})
    assert p.search("xAB") is not None
    # the compiled pattern's own methods, found on the instance: no step of Python in a later call
    assert type(p.search) is type(re.compile("x").search) and "sub" in vars(p)
    assert (p.groups, p.groupindex, p.flags) == (1, {"b": 1}, re.IGNORECASE | re.UNICODE)


def test_a_mistake_in_a_pattern_is_an_error_when_it_is_first_used() -> None:
    p = lazy_re(r"(unclosed")
    with pytest.raises(re.error):
        p.search("x")


def test_every_pattern_the_readers_hold_compiles() -> None:
    deferred = []
    for info in pkgutil.iter_modules(syncbot.readers.__path__, "syncbot.readers."):
        module = importlib.import_module(info.name)
        deferred += [v for v in vars(module).values() if isinstance(v, _Deferred)]
    assert len(deferred) > 200
    for p in deferred:
        assert isinstance(re.compile(p.pattern, p.flags), re.Pattern), p
