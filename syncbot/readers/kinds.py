"""Kind words: what a numbered heading or item says it is (`Phase 3`, `Fase 2`, `阶段 3`, `3단계`, `Step 4`).

A kind word is recognised in the languages trackers are written in and mapped to one canonical kind, so a
reader asks "is this a phase?" once, whatever the language.  ``split_kind_key`` gives (kind, number, name).
"""

from __future__ import annotations

import re

from syncbot.readers.lazy_re import lazy_re

_LEAD_SEP_RE = lazy_re(r"^[\s:.\-–—|·•：、]+")
_PARENS_RE = lazy_re(r"\((.+)\)")

# canonical kind -> the words people write for it (lower case; CJK need no spaces around the number)
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "phase": ("phase", "fase", "phasen", "阶段", "階段", "フェーズ", "페이즈", "фаза", "faza", "aşama", "tahap"),
    "step": (
        *("step", "schritt", "paso", "passo", "étape", "etape", "etapa", "步骤", "ステップ", "스텝"),
        *("шаг", "krok", "adım", "bước", "langkah"),
    ),
    "stage": ("stage", "stufe", "段階", "этап", "etap", "стадия"),
    "milestone": ("milestone", "meilenstein", "hito", "marco", "jalon", "里程碑", "マイルストーン", "마일스톤", "веха"),
    "sprint": ("sprint", "スプリント", "스프린트", "спринт"),
    "task": (
        *("task", "aufgabe", "tarea", "tarefa", "tâche", "tache", "任务", "タスク", "태스크"),
        *("задача", "zadanie", "görev", "tugas", "compito"),
    ),
    "part": ("part", "teil", "parte", "partie", "часть", "część", "bölüm", "bagian"),
    "iteration": (
        *("iteration", "iteración", "iteracion", "iteração", "iteracao", "itération", "迭代"),
        *("итерация", "iteracja", "iterasyon", "iterazione"),
    ),
    "wave": ("wave", "welle", "ola", "onda", "vague"),
    "session": (
        *("session", "sesión", "sesion", "sessão", "sessao", "sitzung", "séance", "세션", "セッション", "会话"),
        *("сессия", "сеанс", "sesja", "oturum", "sesi", "sessione"),
    ),
}
_CANONICAL = {w: k for k, ws in _KIND_WORDS.items() for w in ws}
# English-only kinds that are units by their number, as the readers always knew them
_OTHER_KINDS = "component|improvement|module|epic|story|release|feature|item|packet|workstream|track|chapter"
_WORDS_ALT = "|".join(sorted((re.escape(w) for w in _CANONICAL), key=len, reverse=True))
UNIT_KINDS = f"{_WORDS_ALT}|{_OTHER_KINDS}"
# the words of the kinds a section-per-unit plan is written in (`## Schritt 3`, `## Session 2`), every
# language; phases (status headings over checklists) and sprints/iterations (log entries) are other shapes
SECTION_WORDS = "|".join(
    sorted(
        (re.escape(w) for w, k in _CANONICAL.items() if k in ("step", "stage", "milestone", "task", "part", "session")),
        key=len,
        reverse=True,
    )
)
KIND_NUM_RE = lazy_re(
    rf"^(?P<kind>{UNIT_KINDS})\s*#?\s*(?P<num>\d+(?:\.\d+)*[a-z]?)(?![\w.])\s*(?P<rest>.*)$", re.IGNORECASE
)
# `第3阶段：…`, `3단계: …`, `第2步`: the number before an East Asian kind word
_NUM_KIND_RE = lazy_re(r"^第?\s*(?P<num>\d+(?:\.\d+)*)\s*(?P<kind>阶段|階段|段階|단계|步|期|フェーズ)\s*(?P<rest>.*)$")
_NUM_KIND = {"阶段": "phase", "階段": "phase", "段階": "stage", "단계": "phase", "步": "step", "期": "phase"}

# kinds whose numbered headings are units even with no status written (it is read from their checklists)
PLAN_KINDS = frozenset({"phase", "step", "stage", "milestone", "sprint", "iteration", "release", "wave", "part"})
# kinds that hold other units when they do not stand as units themselves
CONTAINER_KINDS = frozenset({"phase", "milestone", "stage", "sprint", "release", "wave", "iteration", "part"})

_MILESTONE_RE = lazy_re(rf"^[^\w]*(?:{'|'.join(_KIND_WORDS['milestone'])}|release|version)\b", re.IGNORECASE)


def canonical(kind: str) -> str:
    k = kind.lower()
    return _CANONICAL.get(k, _NUM_KIND.get(kind, k))


def is_milestone(heading_text: str) -> bool:
    """`## Milestone: v2.1-stabilized`, `## 🏁 Release 3`, `## 里程碑 1`."""
    return bool(_MILESTONE_RE.match(heading_text))


def split_kind_key(title: str) -> tuple[str, str, str] | None:
    """(kind, number, name) of `Phase 3: Name`; the name is the rest without separators or parentheses."""
    m = KIND_NUM_RE.match(title) or _NUM_KIND_RE.match(title)
    if not m:
        return None
    rest = m.group("rest").strip()
    rest = _LEAD_SEP_RE.sub("", rest).strip()
    pm = _PARENS_RE.fullmatch(rest)
    if pm:
        rest = pm.group(1).strip()
    return canonical(m.group("kind")), m.group("num"), rest
