"""References that point outside the document: `owner/repo#14`, `other-repo#14`, a link into another file,
`api/ROADMAP.md task 3`, a ticket of another tracker.  They are kept as written, never resolved to a local key
spelled the same; each is replaced by a placeholder so no local reference is read from it."""

from __future__ import annotations

import re

from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.lazy_re import lazy_re

# --- external references: another document or repository ---
_LINK_RE = lazy_re(r"!?\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


_URL_RE = lazy_re(r"https?://[^\s)>\]]+")
_PAREN_URL_RE = lazy_re(r"(?<=\w)\s*\(\s*https?://[^\s)]+\s*\)")


_REPO_ISSUE_RE = lazy_re(r"(?<![\w/.#-])(?:[\w.-]+/)?[A-Za-z][\w.-]*#\d+\b")


_FILE_REF_RE = lazy_re(
    rf"(?<![\w/.-])(?:\.\.?/)*(?:[\w.-]+/)*[\w.-]+\.mdx?(?:#[\w.-]+|\s+(?:{UNIT_WORDS}\s+)?#?(?=[\w.-]*\d)[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)?",
    re.IGNORECASE,
)


TICKET_RE = lazy_re(r"(?<![\w-])[A-Z][A-Z0-9]{1,9}-\d+")


def externals(text: str, index: KeyIndex, foreign_ids: bool, out: list[str]) -> str:
    """Collect references to other documents and repositories, and blank them (and local link syntax)."""

    def link(m: re.Match[str]) -> str:
        text_, target = m.group("text"), m.group("target")
        if target.startswith("#"):
            return f" {text_} "  # a link inside this document: its text names the unit
        inner = target.startswith("../") or "#" in target or "://" in target
        if not inner and index.resolve(text_.strip(" `*_#")) is not None:
            return f" {text_} "  # `[R1](r1.md)`: a unit's own detail file, named by the unit's key
        if _REPO_ISSUE_RE.fullmatch(text_.strip(" `*_")):
            return _keep(text_.strip(" `*_"), out)  # `[org/repo#12](https://…)`: named as people write it
        return _keep(target, out)

    if "](" in text:
        text = _LINK_RE.sub(link, text)
    if "://" in text:
        # `Sign the lease (https://www.notion.so/…)`: an address in brackets is where the words before it
        # live, and those words name the unit
        text = _PAREN_URL_RE.sub(" ", text)
        text = _URL_RE.sub(lambda m: _keep(m.group(0), out), text)
    if "#" in text:
        text = _REPO_ISSUE_RE.sub(lambda m: _keep(m.group(0), out), text)
    if ".md" in text.lower():
        text = _FILE_REF_RE.sub(lambda m: _keep(m.group(0), out) if m.group(0) != _bare_file(m.group(0)) else " ", text)
    if foreign_ids:
        # a dependency column naming another tracker's ticket (`SEC-7`): kept as written
        text = TICKET_RE.sub(lambda m: m.group(0) if index.local_shaped(m.group(0)) else _keep(m.group(0), out), text)
    return text


def _bare_file(s: str) -> str:
    """A file named without a unit in it (`see SETUP.md`) points at no unit."""
    return re.sub(r"(?:#[\w.-]+|\s.*)$", "", s)


_PLACE = "\ue000"  # a private-use character: no word character, so no reference is read from a placeholder


def _keep(s: str, out: list[str]) -> str:
    """Record an external reference; leave a placeholder naming it, so prose can tell which clause held it."""
    if s not in out:
        out.append(s)
    return f" {_PLACE}{chr(0xE100 + out.index(s))} "


def placed(piece: str, found: list[str]) -> list[str]:
    """The external references whose placeholders sit in ``piece``."""
    if _PLACE not in piece:  # (most pieces of prose hold none: no step per character then)
        return []
    return [found[ord(piece[i + 1]) - 0xE100] for i in range(len(piece) - 1) if piece[i] == _PLACE]
