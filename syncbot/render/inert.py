"""Tracker text made inert for markdown: it shows as written and does nothing.

Titles, descriptions, phase names, commit subjects and status words come from people, and syncbot puts
them into issue bodies, comments and the summary.  Rendered as markdown by GitHub or GitLab, such text
could ping people, cross-reference issues, inject HTML or hide what follows it.  Every piece of tracker
text goes through one of:

- :func:`inline` — text inside a line (a list item, a table cell, bold): whitespace collapsed;
- :func:`block` — text of several lines (a session's description): line breaks and lists kept;
- :func:`code_span` — text shown in a fixed-width font (a path, a status word).

What they do, each so that a person still reads the same text:

- **mentions** ``@name`` get a zero-width joiner after the ``@`` (``@\\u200dname``), so no one is pinged;
- **references** ``#12``, ``GH-12``, ``owner/repo#12`` and GitLab's ``!12``, ``%12``, ``&12``, ``$12``,
  ``~12`` get one after the sign (``#\\u200d12``), and URLs (``https:/\\u200d/``, ``www\\u200d.``) are
  not auto-linked;
- **HTML** and HTML comments are shown as text (``&lt;``, ``&gt;``, ``&amp;``), so nothing is swallowed
  and no hidden marker or baseline can be forged (the raw body holds no ``<`` from people's text);
- **markdown** that would change the text (``*``, ``_``, `````, ``[``, ``|``, ``~``, ``$``, a heading or
  a fence at the start of a line) is backslash-escaped;
- **bidi controls** (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), other control characters and the
  private-use characters syncbot uses for its own placeholders are removed.
"""

from __future__ import annotations

import re

ZWJ = "\u200d"

_REMOVE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"  # bidi embeddings, overrides, isolates and marks
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters but tab and newline
    "\ue000\ue001]"  # syncbot's reference placeholders (syncbot.markers.ref)
)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BACKSLASHED = set("\\`*_[]|~$")
# After escaping: what GitHub or GitLab would turn into a link or a ping.
_LIVE = re.compile(
    r"(?P<at>@)(?=[A-Za-z0-9_])"  # @user, @org/team, user@example.com
    r"|(?P<ref>[#!%]|&amp;|\\[$~])(?=\d)"  # #12, owner/repo#12; GitLab's !12, %12, &12, $12, ~12
    r"|(?<![A-Za-z0-9])(?P<gh>GH-)(?=\d)"  # GH-12
    r"|(?P<url>:/)(?=/)"  # https://…
    r"|(?<![A-Za-z0-9.])(?P<www>www)(?=\.)",  # www.…
    re.IGNORECASE,
)
_ORDERED = re.compile(r"^(\d+)([.)])")


class Markdown(str):
    """A line syncbot wrote itself as markdown — its own words and issue numbers, with any text from people
    already passed through :func:`inline` — which renderers pass on as it is (so `#12` links)."""


def clean(text: str) -> str:
    """``text`` without bidi controls, control characters and syncbot's placeholder characters."""
    return _REMOVE.sub("", text.replace("\r\n", "\n").replace("\t", " "))


def _escape(text: str) -> str:
    out = [_ESCAPES.get(ch) or ("\\" + ch if ch in _BACKSLASHED else ch) for ch in text]
    return _LIVE.sub(lambda m: m.group(0) + ZWJ, "".join(out))


def inline(text: str) -> str:
    """One line of people's text as inert markdown (whitespace, line breaks included, collapsed)."""
    line = " ".join(clean(text).split())
    # After a bullet a line is read again as blocks: a leading `#`, `-` or `1.` would be a heading or a list.
    return _start(_escape(line), lists=False)


def block(text: str) -> str:
    """Several lines of people's text as inert markdown.

    Paragraphs and ``-``/``+``/``1.`` lists stay as they are; indentation is dropped (it would turn a
    line into a code block), and a heading, a fence, a setext underline or a quote shows as text."""
    paragraphs: list[list[str]] = [[]]
    for raw in clean(text).split("\n"):
        line = raw.strip()
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(_start(_escape(" ".join(line.split())), lists=True))
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def _start(line: str, *, lists: bool) -> str:
    """A line's first character escaped when it would make a heading or a setext underline, or (unless
    ``lists``) a list item."""
    if line.startswith(("#", "=")) or re.fullmatch(r"[-=]+", line):
        return "\\" + line
    if not lists:
        if line.startswith(("-", "+")):
            return "\\" + line
        return _ORDERED.sub(r"\1\\\2", line, count=1)
    return line


def plain(text: str) -> str:
    """A status word without its strong-emphasis markers (``✅ **COMPLETE**`` → ``✅ COMPLETE``): there they
    are formatting, not text, and :func:`inline` would show them."""
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def code_span(text: str) -> str:
    """``text`` in a code span: mentions, references and HTML are inert there already.  The span's fence
    is one backtick longer than any run inside it."""
    line = " ".join(clean(text).split())
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}" if line else "` `"
