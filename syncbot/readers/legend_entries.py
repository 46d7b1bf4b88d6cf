"""One entry of a document's status legend: what a mark is (a symbol, a bracketed word, a GitHub
`:shortcode:`) and what status the words beside it mean (`in progress: someone is on it`, `accepted, nobody on it
yet`).  :mod:`legend` finds the entries; these say what each is."""

from __future__ import annotations

import re
import unicodedata

from syncbot.model import Status
from syncbot.readers.common import strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.status_words import classify_status

# a mark: a run of symbol characters (emoji, with their variation selectors and joiners), not punctuation
# (the vowel signs and points of Indic, Thai, Hebrew and Arabic script are no \w, but no marks either)
_SYMBOL = (
    r"[^\w\s\[\]()（）|｜／·•・,，、;；:=*_`~/\\.!?#'\"<>{}+&%$@^"
    r"\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0900-\u0e7f-]"
)
# or a short word in brackets, the way some documents label their items: `【済】`, `［未］`, `[wip]`
_BRACKETED = r"【[^】\s]{1,6}】|［[^］\s]{1,6}］|\[[^\]\s]{1,12}\]"
MARK = rf"(?:{_BRACKETED}|{_SYMBOL}(?:[\ufe0f\u200d]|{_SYMBOL})*)"
_BRACKETED_RE = lazy_re(_BRACKETED)
_MAX_MEANING = 40
GLOSS_RE = lazy_re(r"[:：(（]|\s[—–-]\s|\.\s")  # where a meaning's gloss starts (or its sentence ends)


_SHORTCODE_RE = lazy_re(r":[a-z0-9_+-]{1,40}:")


def is_mark(s: str) -> bool:
    if _BRACKETED_RE.fullmatch(s) or s == "…":  # `… = being written`: an ellipsis for work under way
        return True
    if _SHORTCODE_RE.fullmatch(s):  # `:white_check_mark:`: GitHub's name of an emoji, as written in the file
        return True
    return bool(s) and all(unicodedata.category(ch)[0] in "S" or ch in "\ufe0f\u200d" for ch in s)


_NOT_DOING_RE = lazy_re(r"^(?:not|won['’]t|will\s+not)\s+(?:be\s+)?[a-z]+(?:ing|ed)\b", re.IGNORECASE)


def meaning(text: str) -> Status | None:
    """The status a legend entry's words name: short words that open with the status (`in progress`,
    `blocked by a dependency`), not a sentence that mentions one (`awaiting architecture planning`)."""
    text = GLOSS_RE.split(strip_inline(text), maxsplit=1)[0].strip()  # `In progress: someone is on it`
    if not text or len(text) > _MAX_MEANING or len(text.split()) > 6:
        return None
    first = " ".join(text.split()[:2])
    if _NOT_DOING_RE.match(text) and classify_status(first) is None:
        return Status.DROPPED  # `➖ Not migrating (retired or moved elsewhere)`: what will not be done
    # verb-final languages close with the status (`इस बैच से हटाया गया`, `作業中`); `good first issue` opens in three
    last = " ".join(text.split()[-3:]) if not text.isascii() else ""
    opens = classify_status(first) is not None or classify_status(" ".join(text.split()[:3])) is not None
    opens_or_closes = opens or (last and classify_status(last) is not None)
    if not opens_or_closes:
        return None
    said = classify_status(text)
    if said is Status.DONE and "," in text:
        # `accepted, nobody on it yet`: the work has not started; what was done is the triage
        rest = [classify_status(part) for part in text.split(",")[1:]]
        if Status.PLANNED in rest:
            return Status.PLANNED
    return said
