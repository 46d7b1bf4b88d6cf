"""Second generalization guard: trackers in styles neither the visible corpus nor ``generalization/`` uses.

``tests/fixtures/generalization2/`` holds a Claude-style ``SESSION_TRACKER.md`` (`## Session 4: API layer
✅ COMPLETED (date)`, `**Prerequisites:** Sessions 2, 3`), an emoji-only status column, `### Step 3.2`
sections nested in `## Phase 3`, bold-session bullets with `(blocked: …)` notes, a handoff log whose
`### Next session should:` lists are no units, `[~]` / `[-]` / `[!]` boxes explained by a legend, an issue
table with a `Depends On` column, `Wave N` groups of `### T1:` tasks, a numbered emoji list, a summary table
repeated by detail sections, phase headings with the status emoji at the end, `[DONE] Session 1` headings,
a lowercase todo, numbered bold items whose nested boxes are their checks, and a 64-task breakdown.
Ground truth was written before the readers were run on each document; they are scored with the rules of
``../shared/tools/score_trackers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from readers_truth import title_ok

from syncbot.readers import read_document
from syncbot.readers.common import Document

DIR = Path(__file__).parent / "fixtures" / "generalization2"
TRUTHS = sorted(DIR.glob("*.expected.json"))


# (name, text, [(key, title, status, prerequisites)])
SMALL: list[tuple[str, str, list[tuple[str, str, str, list[str]]]]] = [
    (
        "a status emoji before the entry word (thread)",
        "# Plan\n\n## ✅ Session 1: Setup\n- [x] repo\n\n## 🔄 Session 2: Billing\n**Prerequisites:** Session 1\n"
        "- [ ] invoices\n\n## ⏳ Session 3: Reports\n**Prerequisites:** Sessions 1-2\n",
        [("1", "Setup", "done", []), ("2", "Billing", "in_progress", ["1"]), ("3", "Reports", "planned", ["1", "2"])],
    ),
    (
        "a bold short id and a closing dependency clause on a task line (tasklist)",
        "# Tasks\n\n- [ ] **T1** Set up repo — depends: none\n- [x] **T2** CI pipeline — depends: T1\n"
        "- [ ] **T3** API skeleton — depends: T1, T2\n",
        [
            ("T1", "Set up repo", "planned", []),
            ("T2", "CI pipeline", "done", ["T1"]),
            ("T3", "API skeleton", "planned", ["T1", "T2"]),
        ],
    ),
    (
        "board cards that name numbered sessions (board)",
        "# Status\n\n## Completed ✅\n- Session 1: Setup\n\n## In Progress 🔄\n- Session 2: Auth\n\n"
        "## Blocked\n- Session 3: Billing\n",
        [("1", "Setup", "done", []), ("2", "Auth", "in_progress", []), ("3", "Billing", "blocked", [])],
    ),
    (
        "a legend gives the box marks their meaning; `[!]` is blocked (tasklist)",
        "# Tasks\n\nLegend: `[~]` doing, `[-]` cancelled, `[!]` blocked\n\n- [~] Retry logic\n- [-] gRPC transport\n"
        "- [!] Vault secrets\n- [x] Skeleton loaders\n",
        [
            ("retry-logic", "Retry logic", "in_progress", []),
            ("grpc-transport", "gRPC transport", "dropped", []),
            ("vault-secrets", "Vault secrets", "blocked", []),
            ("skeleton-loaders", "Skeleton loaders", "done", []),
        ],
    ),
    (
        "a status emoji closing a log heading, a date after it (thread)",
        "# Tracker\n\n## Session 1: Scaffolding ✅ COMPLETED (2025-02-26)\n**Prerequisites:** None\n\n"
        "## Session 2: Domain model 🔄 IN PROGRESS\n**Prerequisites:** Session 1\n",
        [("1", "Scaffolding", "done", []), ("2", "Domain model", "in_progress", ["1"])],
    ),
    (
        "a one-line dependency sentence under a status heading (phases)",
        "# Roadmap\n\n## Phase 1: Core ✅\n- [x] loop\n\n## Phase 2: Editor 📋\n- [ ] palette\n\n"
        "## Phase 3: Mods 📋\nRequires Phase 1 and Phase 2.\n- [ ] sandbox\n",
        [("1", "Core", "done", []), ("2", "Editor", "planned", []), ("3", "Mods", "planned", ["1", "2"])],
    ),
]

SMALL += [
    (
        "a matrix with no title column takes titles from the unit sections below it (table)",
        "# Sessions\n\n| Session | Status |\n|---|---|\n| 1 | ✅ |\n| 2 | 🔄 |\n\n## Session 1 — Project setup\n"
        "- [x] repo\n\n## Session 2 — Auth\n**Depends on:** Session 1\n",
        [("1", "Project setup", "done", []), ("2", "Auth", "in_progress", ["1"])],
    ),
    (
        "a trailing status emoji and a done date on session checkboxes (tasklist)",
        "# Progress\n\n- [x] Session 1 - Setup ✅ (2025-01-02)\n- [ ] Session 2 - Billing 🔄\n"
        "- [ ] Session 3 - Reports\n",
        [("1", "Setup", "done", []), ("2", "Billing", "in_progress", []), ("3", "Reports", "planned", [])],
    ),
    (
        "middle dots between date, session and title in log headings (thread)",
        "# Session log\n\n### 2025-06-01 · Session 12 · Caching layer\nStatus: ✅\n\n"
        "### 2025-06-02 · Session 13 · Rate limits\nStatus: 🔄\nDepends on: 12\n",
        [("12", "Caching layer", "done", []), ("13", "Rate limits", "in_progress", ["12"])],
    ),
]


@pytest.mark.parametrize("text,want", [(t, w) for _, t, w in SMALL], ids=[n for n, _, _ in SMALL])
def test_small_shapes(text: str, want: list[tuple[str, str, str, list[str]]]) -> None:
    tracker, _ = read_document(Document("probe.md", text))
    got = [(s.key, s.title, s.status.value, s.prerequisites) for s in tracker.sessions]
    assert [(k, st, p) for k, _, st, p in got] == [(k, st, p) for k, _, st, p in want], got
    for (_, title, _, _), (_, t, _, _) in zip(got, want, strict=True):
        assert title_ok(t, title), (title, t)


def test_next_session_lists_are_no_units() -> None:
    text = (
        "# HANDOFF\n\n## Session 1 Handoff\n**Status:** Complete\n\n### Next session should:\n- [ ] build the parser\n"
        "- [ ] keep line/col\n\n## Session 2 Handoff\n**Status:** Blocked\n"
    )
    tracker, _ = read_document(Document("probe.md", text))
    assert [(s.key, s.status.value) for s in tracker.sessions] == [("1", "done"), ("2", "blocked")]
