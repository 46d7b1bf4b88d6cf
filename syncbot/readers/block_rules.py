"""markdown-it's block rules that can match somewhere in a text, and a parser that runs only those.

markdown-it tries its block rules one after another at the start of every line (and, as terminators, at
every line a paragraph, list or blockquote goes on to), and each rule looks at a character or two before
giving up.  Most of those calls are for rules whose mark appears nowhere in the document: an indented code
block needs four columns of indentation, a fence three backticks or tildes, a blockquote a ``>``, a thematic
break three ``*``, ``-`` or ``_`` with only spaces between them, a link reference definition ``]:``, an HTML
block a ``<``, a setext heading a line of only ``=`` or ``-``, a table a ``|``.  A rule that cannot match
anywhere in a text makes the same tokens whether it runs or not, so :func:`parser_for` leaves it out: one
scan of the text for each mark instead of a call per line.  The checks are necessary conditions only (a
``<`` in prose keeps the HTML rule on); the prechecks look at the text as markdown-it's ``normalize`` leaves it.

``code`` also decides whether other rules treat a line as indented code (``StateBlock.is_code_block``), so it
is left out only where no line has four columns of indentation (a tab or four spaces) anywhere.
``tests/test_block_rules.py`` compares the tokens with and without the checks on every tracker and on
generated texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt

from syncbot.readers.lazy_re import lazy_re

_NEWLINES_RE = lazy_re(r"\r\n?|\n")  # as markdown-it's `normalize` core rule
# three of one thematic-break mark with nothing but spaces and tabs between them
_HR_RE = lazy_re(r"([*_-])[ \t]*\1[ \t]*\1")
# a line that is only `=` or `-` (and trailing blanks) after blockquote marks, list markers and indentation
_UNDERLINE_RE = lazy_re(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*(?:=+|-+)[ \t]*$", re.MULTILINE)

# rule name -> whether the (normalised) text holds what the rule needs to match anywhere
_NEEDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("table", lambda t: "|" in t),
    ("code", lambda t: "\t" in t or "    " in t),
    ("fence", lambda t: "```" in t or "~~~" in t),
    ("blockquote", lambda t: ">" in t),
    ("hr", lambda t: _HR_RE.search(t) is not None),
    ("reference", lambda t: "]:" in t),
    ("html_block", lambda t: "<" in t),
    ("lheading", lambda t: _UNDERLINE_RE.search(t) is not None),
)


def idle_rules(text: str) -> frozenset[str]:
    """The block rules that cannot match anywhere in ``text``."""
    norm = _NEWLINES_RE.sub("\n", text) if "\r" in text else text
    return frozenset(name for name, can_match in _NEEDS if not can_match(norm))


_PARSERS: dict[tuple[Callable[[], MarkdownIt], frozenset[str]], MarkdownIt] = {}


def parser_for(text: str, make: Callable[[], MarkdownIt]) -> MarkdownIt:
    """A parser made by ``make``, without the block rules that cannot match in ``text`` (made once for each
    set of rules left out)."""
    key = (make, idle_rules(text))
    md = _PARSERS.get(key)
    if md is None:
        md = _PARSERS[key] = make()
        if key[1]:
            md.disable(sorted(key[1]))
    return md
