"""How a key is spelled, apart from any document: its shape (`VS-001` is `vs-9`, of one family with every
`VS-` key), its number (`03` is `3`), its natural order (`01.C` after `01.B`, `10` after `9`), and spellings
that are no id of this document (a slug made from a title, a reference into another file or repository).
Pure functions of one key; :class:`key_index.KeyIndex` and the readers compare keys by them."""

from __future__ import annotations

import re

from syncbot.readers.lazy_re import lazy_re

KEY_CORE = r"[A-Za-z]{1,6}[-_]?\d+(?:\.\d+)*[a-z]?|\d+(?:\.\d+)*[a-z]?"


NUMERIC_RE = lazy_re(r"\d+(?:\.\d+)*")


DIGITS_RE = lazy_re(r"\d+")


def slug_shaped(k: str) -> bool:
    """A key made from a title, not written as an id: `ups-for-the-rack`, `32-gb-ram-kit-for-the-ds923`."""
    return k.count("-") >= 2 and k == k.lower() and sum(bool(re.search(r"[^\W\d_]", p)) for p in k.split("-")) >= 3


def external_shaped(ref: str) -> bool:
    """A reference that points outside the document by its spelling: a repository, a file, a URL, ``#12``."""
    return "/" in ref or "#" in ref or ".md" in ref.lower() or "://" in ref


def norm_num(k: str) -> str | None:
    """``03`` and ``3`` are the same unit; ``R1`` and ``1`` are not."""
    if k.isdecimal():  # the usual numeric key (`isdecimal` is exactly what `\d` matches)
        return str(int(k))
    if NUMERIC_RE.fullmatch(k):
        return ".".join(str(int(p)) for p in k.split("."))
    return None


_SUFFIX_LETTER_RE = lazy_re(r"(?<=[.\-_])[a-z](?![a-z])")  # `02.A`…`02.D` are one family


def key_shape(k: str) -> str:
    """``VS-001`` -> ``vs-9``, ``1.2`` -> ``9.9``: keys of one family share a shape."""
    return _SUFFIX_LETTER_RE.sub("x", DIGITS_RE.sub("9", k.lower()))


def family_shape(key: str) -> str:
    """:func:`key_shape` less a letter after the last number: `S-02b` is of `S-01`'s family, and `S-205a` to
    `S-205c` or `A-3a` to `A-4` are ranges."""
    return _SUFFIX_RE.sub("", key_shape(key))


_SUFFIX_RE = lazy_re(r"(?<=9)[a-z]$")


NaturalKey = tuple[tuple[int, int | str], ...]


def natural_key(key: str) -> NaturalKey:
    """``01.C`` -> ((0, 1), (1, '.'), (1, 'C')): numbers by value, the rest as written."""
    return tuple((0, int(p)) if p.isdecimal() else (1, p) for p in _NATURAL_PART_RE.findall(key))


_NATURAL_PART_RE = lazy_re(r"\d+|\D+")


def ident_form(name: str) -> str:
    """`Stg_Orders` and `stg-orders` are one identifier."""
    return name.lower().replace("_", "-")
