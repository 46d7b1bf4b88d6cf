"""Commit message trailers, parsed the way git parses them, and the session grammar on top.

A local clone asks git itself (``%(trailers)`` in ``git log``, see :mod:`syncbot.git`).  The daemon in
forge mode has only the commit messages the forge's API returns, so :func:`parse_trailers` re-implements
git's rules (``trailer.c`` and ``ignore_non_trailer()`` in git 2.39, default configuration: separators
``:``, comment character ``#``, no ``trailer.<token>.*`` settings) and is tested against
``git interpret-trailers --parse`` as the oracle.

Git works on bytes with its own ASCII-only ``isspace``/``isalnum``; the helpers below mirror that instead of
using Python's Unicode-aware ``str`` methods, which would disagree on ``\\v``, ``\\f`` and non-ASCII letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from syncbot.model import STATUS_WORDS, Status, normalize_status_word

BOT_TRAILER_KEY = "Syncbot-Commit"
BOT_TRAILER_VALUE = "yes"
BOT_TRAILER = f"{BOT_TRAILER_KEY}: {BOT_TRAILER_VALUE}"

SEPARATORS = ":"
COMMENT_CHAR = "#"
# Lines git itself writes; one of them lets a trailer block be only 25% trailers.
_GIT_GENERATED_PREFIXES = ("Signed-off-by: ", "(cherry picked from commit ")
_CUT_LINE = "------------------------ >8 ------------------------\n"

_GIT_SPACE = " \t\n\r"
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _isspace(ch: str) -> bool:
    return ch != "" and ch in _GIT_SPACE


def _trim(s: str) -> str:
    return s.strip(_GIT_SPACE)


def _char_at(buf: str, i: int) -> str:
    """``buf[i]``, or ``""`` where C would read the terminating NUL."""
    return buf[i] if i < len(buf) else ""


def _next_line(buf: str, pos: int) -> int:
    nl = buf.find("\n", pos)
    return len(buf) if nl < 0 else nl + 1


def _last_line(buf: str, length: int) -> int:
    """Start of the last line of ``buf[:length]``; a final newline belongs to that line."""
    if length == 0:
        return -1
    if length == 1:
        return 0
    nl = buf.rfind("\n", 0, length - 1)
    return nl + 1


def _is_blank_line(buf: str, pos: int) -> bool:
    i = pos
    while i < len(buf) and buf[i] != "\n" and _isspace(buf[i]):
        i += 1
    return i >= len(buf) or buf[i] == "\n"


def _find_separator(buf: str, pos: int = 0) -> int:
    """Offset of the separator from ``pos``, or -1: a token of alnum/``-``, optional blanks, then ``:``.

    Anything else (a space inside the key, ``=`` with the default separators) means "not a trailer".
    """
    whitespace_found = False
    i = pos
    while i < len(buf):
        c = buf[i]
        if c in SEPARATORS:
            return i - pos
        if not whitespace_found and (c in _ASCII_ALNUM or c == "-"):
            i += 1
            continue
        if i != pos and c in " \t":
            whitespace_found = True
            i += 1
            continue
        break
    return -1


def _find_patch_start(buf: str) -> int:
    pos = 0
    while pos < len(buf):
        if buf.startswith("---", pos) and _isspace(_char_at(buf, pos + 3)):
            return pos
        pos = _next_line(buf, pos)
    return len(buf)


def _locate_cut_line(buf: str, length: int) -> int:
    pattern = f"\n{COMMENT_CHAR} {_CUT_LINE}"
    if buf.startswith(pattern[1:]):
        return 0
    found = buf.find(pattern)
    # git 2.39 loops forever when the cut line sits after a `---` divider; stop at the divider instead.
    return min(found + 1, length) if found >= 0 else length


def _ignored_tail(buf: str, length: int) -> int:
    """Length of the trailing comments, blank lines and old ``Conflicts:`` block git ignores."""
    boc = 0
    bol = 0
    in_old_conflicts_block = False
    cutoff = _locate_cut_line(buf, length)
    while bol < cutoff:
        nl = buf.find("\n", bol, length)
        next_bol = length if nl < 0 else nl + 1
        c = buf[bol]
        if c in (COMMENT_CHAR, "\n"):
            if not boc:
                boc = bol
        elif buf.startswith("Conflicts:\n", bol):
            in_old_conflicts_block = True
            if not boc:
                boc = bol
        elif in_old_conflicts_block and c == "\t":
            pass
        elif boc:
            boc = 0
            in_old_conflicts_block = False
        bol = next_bol
    return length - boc if boc else length - cutoff


def _find_trailer_start(buf: str, length: int) -> int:
    # The first paragraph is the title and never holds trailers.
    s = 0
    while s < length:
        if buf[s] == COMMENT_CHAR:
            s = _next_line(buf, s)
            continue
        if _is_blank_line(buf, s):
            break
        s = _next_line(buf, s)
    end_of_title = s

    only_spaces = True
    recognized_prefix = False
    trailer_lines = 0
    non_trailer_lines = 0
    # Indented lines count as continuations of a trailer above them, or as prose if prose is above them.
    possible_continuation_lines = 0

    bol = _last_line(buf, length)
    while bol >= end_of_title:
        first = _char_at(buf, bol)
        if first == COMMENT_CHAR:
            non_trailer_lines += possible_continuation_lines
            possible_continuation_lines = 0
        elif _is_blank_line(buf, bol):
            if not only_spaces:
                non_trailer_lines += possible_continuation_lines
                if recognized_prefix and trailer_lines * 3 >= non_trailer_lines:
                    return _next_line(buf, bol)
                if trailer_lines and not non_trailer_lines:
                    return _next_line(buf, bol)
                return length
        else:
            only_spaces = False
            if buf.startswith(_GIT_GENERATED_PREFIXES, bol):
                trailer_lines += 1
                possible_continuation_lines = 0
                recognized_prefix = True
            elif _find_separator(buf, bol) >= 1 and not _isspace(first):
                trailer_lines += 1
                possible_continuation_lines = 0
            elif _isspace(first):
                possible_continuation_lines += 1
            else:
                non_trailer_lines += 1 + possible_continuation_lines
                possible_continuation_lines = 0
        bol = _last_line(buf, bol)
    return length


def _unfold(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        i += 1
        if c == "\n":
            while i < len(value) and _isspace(value[i]):
                i += 1
            out.append(" ")
        else:
            out.append(c)
    return _trim("".join(out))


def trailer_block(message: str) -> list[str]:
    """The raw lines of the trailer block, continuation lines already joined to their trailer."""
    patch_start = _find_patch_start(message)
    end = patch_start - _ignored_tail(message, patch_start)
    start = _find_trailer_start(message, end)
    # str.splitlines also splits on \r, \v, \x1c…; git splits on \n only.
    lines = message[start:end].split("\n") if start < end else []
    if lines and lines[-1] == "":
        lines.pop()
    joined: list[str] = []
    last_is_trailer = False
    for line in lines:
        # An empty piece is git's "\n", which counts as whitespace and so as a continuation.
        if last_is_trailer and (line == "" or _isspace(line[:1])):
            joined[-1] += "\n" + line
            continue
        joined.append(line)
        last_is_trailer = _find_separator(line) >= 1
    return joined


def parse_trailers(message: str) -> list[tuple[str, str]]:
    """``(key, value)`` pairs as ``git interpret-trailers --parse`` prints them: trimmed and unfolded."""
    result: list[tuple[str, str]] = []
    for trailer in trailer_block(message):
        if trailer.startswith(COMMENT_CHAR):
            continue
        sep = _find_separator(trailer)
        if sep < 1:
            continue
        result.append((_trim(trailer[:sep]), _unfold(_trim(trailer[sep + 1 :]))))
    return result


def is_bot_commit(message: str) -> bool:
    return any(
        key.lower() == BOT_TRAILER_KEY.lower() and value.lower() == BOT_TRAILER_VALUE
        for key, value in parse_trailers(message)
    )


# --- the session grammar -------------------------------------------------------------------------------

# The status words are syncbot.model's, shared with `syncbot mark` and `status:*` labels; a trailer may
# also say `reopen`: None marks it, the status it returns to is decided by the merge, not by the commit.
_STATUS_WORDS: dict[str, Status | None] = {**STATUS_WORDS, "reopen": None, "reopened": None}
_STATUS_HINT = "done, in-progress, blocked, ready, planned, failed, dropped or reopen"
_RANGE = re.compile(r"^(\d+)[-–](\d+)$")
_MAX_RANGE = 500  # `1-100000` is a typo, not a plan
_CONNECTORS = frozenset({"and", "&", "+"})


@dataclass(frozen=True)
class SessionUpdate:
    """One ``Session: …`` trailer, understood.  ``status`` is None exactly when ``reopen`` is set."""

    keys: tuple[str, ...]  # as written, ranges of integers expanded; checked against the tracker later
    status: Status | None
    reopen: bool = False
    note: str = ""  # free text after the status word: `blocked on IP-04` → "on IP-04"
    trailer: str = ""  # the trailer as written, for warnings and summaries


def _status_word(token: str) -> str:
    return normalize_status_word(token)


def _expand(token: str) -> tuple[list[str], str | None]:
    match = _RANGE.match(token)
    if not match:
        return [token], None
    low_text, high_text = match.groups()
    # (no session is numbered with ten digits or more; a number of more than 4,300 Python refuses to read)
    too_long = max(len(low_text), len(high_text)) >= 10
    low, high = (0, 0) if too_long else (int(low_text), int(high_text))
    if too_long or low > high or high - low >= _MAX_RANGE:
        return [], f"range {token!r} is not a range of sessions; write it low-high, e.g. 3-5"
    # `03-05` names keys the way a zero-padded tracker spells them.
    width = len(low_text) if low_text.startswith("0") and len(low_text) > 1 else 0
    return [str(n).zfill(width) for n in range(low, high + 1)], None


def parse_session_value(value: str, key: str = "Session") -> tuple[SessionUpdate | None, list[str]]:
    """Parse one trailer value such as ``3, 4 done`` or ``3-5 blocked on IP-04``."""
    trailer = f"{key}: {value}"
    tokens = list(re.finditer(r"[^\s,]+", value))
    words = [_status_word(t.group()) for t in tokens]

    status_at: int | None = None
    status_len = 1
    for i in range(1, len(tokens)):
        if words[i] in _STATUS_WORDS:
            status_at = i
            break
        # `in progress` written as two words
        if words[i] == "in" and i + 1 < len(words) and words[i + 1] == "progress":
            status_at, status_len = i, 2
            break

    if not tokens:
        return None, [f"commit trailer {trailer!r} names no session; write e.g. '{key}: 3 done'"]
    if status_at is None:
        if words[0] in _STATUS_WORDS or (len(words) > 1 and words[:2] == ["in", "progress"]):
            return None, [f"commit trailer {trailer!r} names no session; write e.g. '{key}: 3 {value.strip()}'"]
        if len(tokens) == 1:
            return None, [f"commit trailer {trailer!r} has no status word; write e.g. '{key}: {value.strip()} done'"]
        return None, [
            f"commit trailer {trailer!r}: unknown status word {tokens[-1].group()!r}; use one of {_STATUS_HINT}"
        ]

    word = "in-progress" if status_len == 2 else words[status_at]
    status = _STATUS_WORDS[word]
    keys: list[str] = []
    warnings: list[str] = []
    for token in tokens[:status_at]:
        text = token.group()
        if text.lower() in _CONNECTORS:
            continue
        expanded, problem = _expand(text)
        if problem:
            warnings.append(f"commit trailer {trailer!r}: {problem}")
        keys.extend(expanded)
    if not keys:
        return None, [*warnings, f"commit trailer {trailer!r} names no session; write e.g. '{key}: 3 {word}'"]
    note = value[tokens[status_at + status_len - 1].end() :].strip()
    update = SessionUpdate(
        keys=tuple(dict.fromkeys(keys)),
        status=status,
        reopen=status is None,
        note=note,
        trailer=trailer,
    )
    return update, warnings


def session_keys(key: str) -> frozenset[str]:
    """Trailer keys that carry session updates, lower-cased: the setting and its plural."""
    base = key.strip().rstrip(":").lower()
    return frozenset({base, base + "s"})


def updates_from_values(values: Iterable[str], key: str = "Session") -> tuple[list[SessionUpdate], list[str]]:
    """Session updates from trailer values already picked out (by git's ``%(trailers:key=…,valueonly)``)."""
    updates: list[SessionUpdate] = []
    warnings: list[str] = []
    for value in values:
        update, problems = parse_session_value(value, key)
        warnings.extend(problems)
        if update is not None:
            updates.append(update)
    return updates, warnings


def session_updates(message: str, key: str = "Session") -> tuple[list[SessionUpdate], list[str]]:
    """Session updates in a commit message, in trailer order, and warnings for trailers not understood."""
    wanted = session_keys(key)
    updates: list[SessionUpdate] = []
    warnings: list[str] = []
    for name, value in parse_trailers(message):
        if name.lower() not in wanted:
            continue
        update, problems = parse_session_value(value, name)
        warnings.extend(problems)
        if update is not None:
            updates.append(update)
    return updates, warnings
