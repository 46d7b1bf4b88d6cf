"""Identifiers that lead a task item (`T003`, `IP-04`, `#12`, `1.2`) and the keys of a run of units."""

from __future__ import annotations

import re

from syncbot.model import Session
from syncbot.readers.kinds import SECTION_WORDS
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.titles import slug

# An identifier at the start of an item: spec-kit `T003`, `TASK-PRD-10-A` / `IP-04`, `iOS-3`, `M1.2`, `E1-S3`,
# `G.1.1`, `02.A`,
# `task-12`, issue `#12`,
# Kiro's dotted numbers `1.` / `1.2` (then whitespace), a sub-item's `3a.`.  A bare `8` is a quantity
# (`8 passing tests`).
_EPIC_LETTER = r"\d{1,3}\.[A-Z]{1,2}\d{0,3}"  # `02.A`: an epic's number and the ticket's letter
TASK_ID_RE = lazy_re(
    r"^(?P<id>T\d{3,}|[A-Z]{1,2}\d{2,4}[a-z]?|[A-Z]{1,4}\d{1,4}(?:\.\d{1,4})+[a-z]?|[A-Z]{1,4}\d{1,4}[-.][A-Z]{1,2}\d{1,4}[a-z]?|"
    r"[A-Z](?:\.\d{1,4}){1,3}|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z0-9]*[a-z]?(?:-[A-Z0-9]+)*|[a-z][A-Z][A-Za-z]{0,4}-\d+[a-z]?|task-\d+(?:\.\d+)*|#\d+"
    + (r"|" + _EPIC_LETTER + r"(?=[\s:)])")
    + (
        r"|\d+(?:\.\d+)+-[A-Za-z]\d*(?=[\s:.)])|\d+(?:\.\d+)+\.?(?=\s)|\d+\.(?=\s)|\d{1,3}[a-z]\.(?=\s))"
        r"(?=[\s:.\-–—)]|$)"
    )
)


def task_key(m: re.Match[str]) -> str:
    """The key a ``TASK_ID_RE`` match names: `T003` of `T003.`, `12` of `#12`."""
    return m.group("id").rstrip(".").lstrip("#")


# `**#36** Reseñas…`, `~~T023 直播带货~~`, `` `FT-12` ``: an id leading an item, inside emphasis or a strike
_LEAD_WRAP_RE = lazy_re(r"^(?:~~|\*\*|__|`|\[)*")
_LEAD_CLOSE_RE = lazy_re(r"^(?:\*\*|__|`|\])*")


# `02.A`: an epic's number and the ticket's letter, the one id that starts with a digit (`1.` and `1.2` lead
# Kiro's items, read by the tasklist reader)
_EPIC_LETTER_RE = lazy_re(_EPIC_LETTER)


# `**M1**`, `**3a**`: emphasis alone around a short id, a sub-step's number and letter among them
_WRAPPED_SHORT_RE = lazy_re(r"^(\*\*|__|`)([A-Z]{1,3}\d{1,3}[a-z]?|\d{1,3}[a-z])\1(?=\s)")


# `T9 — CSV import: Danske Bank — doing`: a short id (`T9`, `KR3`) is an id when a dash sets it off its title
_DASHED_ID_RE = lazy_re(r"(?P<id>[A-Z]{1,3}\d{1,4}[a-z]?)(?=\s+[—–-]\s)")


# `**Étape 6** — Nettoyage`, `**Step 3**`: a step's kind word and number in emphasis; its number is its key, as
# a `## Step 3 — …` heading's is
_WRAPPED_KIND_RE = lazy_re(rf"^(\*\*|__)(?:{SECTION_WORDS})\s+(\d{{1,4}}(?:\.\d{{1,4}})*[a-z]?)\1(?=\s)", re.IGNORECASE)


# `- [ ] T3 Build the CLI`: a short id (a letter or three, a number) leads an item
SHORT_ID_RE = lazy_re(r"^(?P<id>[A-Z]{1,3}\d{1,3}[a-z]?)(?=[\s:.)\-–—]|$)")


def short_id_family(texts: list[str]) -> bool:
    """Whether short ids (`T1`, `T2`, …) lead these items as their keys: at least three and two thirds of them
    lead with one, all with the same letters, no two with the same id.  Alone, `A1 sauce` is a word."""
    ids = [m.group("id") for t in texts if (m := SHORT_ID_RE.match(t))]
    prefixes = {i.rstrip("0123456789abcdefghijklmnopqrstuvwxyz") for i in ids}
    return len(ids) >= 3 and 3 * len(ids) >= 2 * len(texts) and len(prefixes) == 1 and len(set(ids)) == len(ids)


def lead_id(text: str) -> tuple[str, int] | None:
    """The id an item leads with (``#`` kept off), and where the rest of the item starts; None without one."""
    struck = 2 if text.startswith("~~") else 0  # `~~**Étape 14** — …~~`: a struck item keeps its id
    lead = text[struck:] if struck else text
    short = _WRAPPED_SHORT_RE.match(lead) or _WRAPPED_KIND_RE.match(lead)
    if short:  # `**M1** Discovery`: emphasis alone around a short id sets it off as one
        return short.group(2), struck + short.end()
    w = _LEAD_WRAP_RE.match(text)
    start = w.end() if w else 0
    body = text[start:]
    if start:  # the closing `**` / `~~` right after the id ends it as a space would
        body = re.sub(r"\*\*|__|`|\]|~~", lambda x: " " * len(x.group(0)), body, count=1)
    m = TASK_ID_RE.match(body + " ") or _DASHED_ID_RE.match(body)
    if not m or (m.group("id")[0].isdigit() and not _EPIC_LETTER_RE.fullmatch(m.group("id"))):
        return None
    end = start + m.end()
    c = _LEAD_CLOSE_RE.match(text[end:])
    return m.group("id").lstrip("#"), end + (c.end() if c else 0)


_LEAD_MARKS_RE = lazy_re(r"^\s*(?:(?:[-*+]|\d+[.)])(?=\s))?\s*(?:[^\w\s\[(~*_#`]\ufe0f?\s*)*")
# a status label ahead of the id, inside the item's emphasis or not: `**[DONE] LGPD-01 — …**`
# the word a log adds a unit with, ahead of its id: CJK, or a marker in capitals (`- NEW T-05 Account tree`);
# `New **L-12**: …` is the logged units' reading
ANNOUNCE_CJK = "新增|新加|新建|追加|新規|신규"
ANNOUNCE_CAPS = "NEW|ADDED|NEU|NUEVO|NUEVA|NOUVEAU|NOVO|NOVA"  # (in capitals: a marker, not the word `new`)
_LEAD_NEW_RE = lazy_re(rf"(?:{ANNOUNCE_CJK}|{ANNOUNCE_CAPS})\s*[:：]?\s*")
_LEAD_LABEL_RE = lazy_re(r"(?:\*\*|__)?\s*(?:\[[^\]\n]{1,20}\](?!\()|【[^】\n]{1,8}】)\s*")


def marked_lead_id(text: str) -> tuple[str, int] | None:
    """The id an item's text leads with after its list marker and any status or priority marks or labels
    (`🚨 **PAY-512** Payouts …`, `**[DONE] LGPD-01 — …**`), and where the rest starts."""
    m = _LEAD_MARKS_RE.match(text)
    start = m.end() if m else 0
    if (when := _LEAD_WHEN_RE.match(text, start)) is not None:
        start = when.end()  # `` `05/02 → 16/02` **S-201** Entrevistas ``: the dates it is planned for, ahead of it
    found = lead_id(text[start:])
    if found is None and (new := _LEAD_NEW_RE.match(text, start)) is not None:
        start = new.end()  # `- 新增 PAY-6 差异明细导出 CSV`: a log entry that adds a unit
        found = lead_id(text[start:])
    if found is None and (label := _LEAD_LABEL_RE.match(text, start)) is not None:
        start = label.end()
        found = lead_id(re.sub(r"\*\*|__", "  ", text[start:]))  # the emphasis closing after the id
    return (found[0], start + found[1]) if found else None


# a date or a window of dates in code ahead of an item's id: `` `05/02 → 16/02` ``, `` `2024-07-01` ``
_LEAD_WHEN_RE = lazy_re(r"`[\d/.:\-–—→> ]{2,24}`\s*")

# `Combobox keyboard navigation (#1834, @lena) — waits for #1822`: the card's own number, in its brackets
_LEAD_NUMBER_RE = lazy_re(r"\s*(#\d+)\b\s*")  # `#399 SchemaStore catalog …`
OWN_NUMBER_RE = lazy_re(r"\s*\(\s*(#\d+)\b[^()]*\)")


def key_by_own_number(sessions: list[Session], id_cards: set[int]) -> int:
    """Cards without an id that each carry one number in brackets (a pull request's, an issue's) are keyed
    by it, when most cards do and no number is on two cards: `Task: #1834 done` then reaches the card.
    Returns how many cards it keyed."""
    unnamed = [s for s in sessions if s.line not in id_cards]
    found = {s.line: m for s in unnamed if (m := OWN_NUMBER_RE.search(s.title) or _LEAD_NUMBER_RE.match(s.title))}
    numbers = [m.group(1) for m in found.values()]
    if len(found) < 3 or 3 * len(found) < 2 * len(unnamed) or len(set(numbers)) != len(numbers):
        return 0
    taken = {s.key for s in sessions}
    keyed = 0
    for s in unnamed:
        m = found.get(s.line)
        if m is None or m.group(1) in taken:
            continue
        keyed += 1
        s.key = m.group(1)
        s.title = (s.title[: m.start()] + " " + s.title[m.end() :]).strip()
        s.title = re.sub(r"\s+[—–]\s+.*$", "", s.title) or s.title  # the remark after the card's number
    return keyed


# `Implement login (AUTH-12)`, `### SSO with Okta [AUTH-14]`, `**SSO** · AUTH-14 · @bob`: an id the unit's
# title carries after its name, in brackets or as a segment of its own
_OWN_ID_RE = lazy_re(
    r"(?:\s*[(\[]\s*(?P<a>[A-Z][A-Z0-9]{0,9}-\d+[a-z]?|#\d{1,6})\s*[)\]]"
    r"|\s+·\s+(?P<b>[A-Z][A-Z0-9]{0,9}-\d+[a-z]?)(?=\s+·|\s*$))"
)


def _keyed_by_title(s: Session) -> bool:
    """``s.key.startswith(slug(s.title)[:20] or "\\0")``.  An ASCII title's slug opens with its first letter or
    digit in lower case: a key that does not (`T00002` of `Implement part 2`, most units) is told so without
    the slug (20,000 of them took 30 ms)."""
    if s.title.isascii():
        first = _ASCII_ALNUM_RE.search(s.title)
        if first is not None and not s.key.startswith(first.group().lower()):
            return False
    return s.key.startswith(slug(s.title)[:20] or "\0")


_ASCII_ALNUM_RE = lazy_re(r"[A-Za-z0-9]")


def key_by_own_id(sessions: list[Session]) -> int:
    """Units keyed by their titles (`implement-login-auth-12`) that each carry an id of one family after their
    name are keyed by it, when at least three do, half the title-keyed ones or more, and no id is on two units:
    `Task: AUTH-12 done` then reaches `Implement login (AUTH-12)`.  Returns how many it keyed."""
    named = [s for s in sessions if _keyed_by_title(s)]
    found = {id(s): m for s in named if (m := _OWN_ID_RE.search(s.title))}
    ids = [m.group("a") or m.group("b") for m in found.values()]
    families = {"#" if i.startswith("#") else i.rsplit("-", 1)[0] for i in ids}  # (`(#12)`: an issue's number)
    if len(found) < 3 or 2 * len(found) < len(named) or len(set(ids)) != len(ids) or len(families) != 1:
        return 0
    taken = {s.key for s in sessions}
    keyed = 0
    for s in named:
        m = found.get(id(s))
        if m is None or (own := m.group("a") or m.group("b")) in taken:
            continue
        keyed += 1
        s.key = own
        # (`**SSO** · AUTH-14 · @bob — needs AUTH-13`: what follows an id set off as a segment is the card's notes)
        rest = "" if m.group("b") else s.title[m.end() :]
        s.title = (s.title[: m.start()] + rest).strip(" ·") or s.title
    return keyed


def assign_keys(units: list[tuple[str | None, str, str]]) -> list[str]:
    """Keys for units given as (kind, number, title): the bare number where the numbers are unique, the
    kind-prefixed number where two kinds share numbers (`improvement-1` beside `phase-1`), else a slug."""
    nums = [n for k, n, _ in units if k]
    kinds = {k for k, _, _ in units if k}
    clash = len(nums) != len(set(nums)) and len(kinds) > 1
    keys: list[str] = []
    seen: dict[str, int] = {}
    for kind, num, title in units:
        key = (f"{kind}-{num}" if clash else num) if kind and num else slug(title) or "unit"
        if key in seen:
            seen[key] += 1
            key = f"{key}-{seen[key]}"
        else:
            seen[key] = 1
        keys.append(key)
    return keys
