"""Third generalization guard: trackers in styles none of the earlier sets use.

``tests/fixtures/generalization3/`` holds `### Task 1.1: Schema [x]` headings whose closing box is the
status, a log of bold paragraphs (`**2025-03-01 — Session 1: Setup.** Status: done.`), an `Est.`/`Actual`
hour table whose `Blocked by` names other rows by title and says `⚠️ At risk`, Spanish and Korean session
logs (`## Sesión 1`, `**Estado:**`, `**Depende de:**`; `## 세션 1`, `- 상태:`, `- 선행:`), a sprint
`| Story | Points | Status |` table, a numbered plan with `(after 2, 3)` dependencies, an org-style
`* TODO` / `* DONE` list, a traffic-light legend table and struck-through checked items.
Ground truth was written before the readers were run on each document; they are scored with the rules of
``../shared/tools/score_trackers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from readers_truth import title_ok

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.writer import set_statuses

DIR = Path(__file__).parent / "fixtures" / "generalization3"
TRUTHS = sorted(DIR.glob("*.expected.json"))


# (name, text, [(key, title, status, prerequisites)])
SMALL: list[tuple[str, str, list[tuple[str, str, str, list[str]]]]] = [
    (
        "a box closing the heading is the status (sections)",
        "# Tasks\n\n### Task 1: Schema [x]\n- [x] table\n\n### Task 2: API [ ]\nDepends on: Task 1\n- [ ] routes\n",
        [("1", "Schema", "done", []), ("2", "API", "planned", ["1"])],
    ),
    (
        "a Spanish session log (thread)",
        "# Registro\n\n## Sesión 1: Base\n**Estado:** Completada\n\n## Sesión 2: API\n**Estado:** En progreso\n"
        "**Depende de:** Sesión 1\n",
        [("1", "Base", "done", []), ("2", "API", "in_progress", ["1"])],
    ),
    (
        "a Korean session log (thread)",
        "# 기록\n\n## 세션 1: 설정\n- 상태: ✅ 완료\n\n## 세션 2: 로그인\n- 상태: 🔄 진행 중\n- 선행: 세션 1\n",
        [("1", "설정", "done", []), ("2", "로그인", "in_progress", ["1"])],
    ),
    (
        "a numbered plan naming earlier steps by number (tasklist)",
        "# Plan\n\n1. Parse — done\n2. Validate — in progress (after 1)\n3. Render — todo (after 1, 2)\n",
        [("1", "Parse", "done", []), ("2", "Validate", "in_progress", ["1"]), ("3", "Render", "planned", ["1", "2"])],
    ),
    (
        "a log of bold-led paragraphs with an inline status (thread)",
        "# Log\n\n**2025-03-01 — Session 1: Setup.** Status: done. Repo and CI.\n\n"
        "**2025-03-02 — Session 2: Export.** Status: blocked. Waiting for keys.\n",
        [("1", "Setup", "done", []), ("2", "Export", "blocked", [])],
    ),
]


@pytest.mark.parametrize("text,want", [(t, w) for _, t, w in SMALL], ids=[n for n, _, _ in SMALL])
def test_small_shapes(text: str, want: list[tuple[str, str, str, list[str]]]) -> None:
    tracker, _ = read_document(Document("probe.md", text))
    got = [(s.key, s.title, s.status.value, s.prerequisites) for s in tracker.sessions]
    assert [(k, st, p) for k, _, st, p in got] == [(k, st, p) for k, _, st, p in want], got
    for (_, title, _, _), (_, t, _, _) in zip(got, want, strict=True):
        assert title_ok(t, title), (title, t)


def test_points_column_is_no_key() -> None:
    text = (
        "# Sprint\n\n| Story | Points | Status |\n|---|---|---|\n| Login | 5 | Done |\n| Invite | 3 | Done |\n"
        "| Import | 5 | To Do |\n"
    )
    tracker, _ = read_document(Document("probe.md", text))
    assert [(s.title, s.status.value) for s in tracker.sessions] == [
        ("Login", "done"),
        ("Invite", "done"),
        ("Import", "planned"),
    ]


def test_a_heading_box_is_rewritten_as_a_box() -> None:
    text = "# Tasks\n\n### Task 1: Schema [x]\n\n### Task 2: API [ ]\nDepends on: Task 1\n"
    doc = Document("probe.md", text)
    tracker, _ = read_document(doc)
    out = set_statuses(doc, tracker, {"2": Status.DONE})
    assert "### Task 2: API [x]\n" in out
    assert "### Task 1: Schema [x]\n" in out


def test_blocked_by_names_rows_by_title() -> None:
    text = (
        "# Plan\n\n| Task | Est. (h) | Status | Blocked by |\n|---|---|---|---|\n| Inventory jobs | 4 | Done | — |\n"
        "| Containerize workers | 8 | In progress | Inventory jobs |\n| Move queue | 6 | Not started | "
        "Containerize workers, Inventory jobs |\n"
    )
    tracker, _ = read_document(Document("probe.md", text))
    assert [s.prerequisites for s in tracker.sessions] == [
        [],
        ["inventory-jobs"],
        ["containerize-workers", "inventory-jobs"],
    ]
