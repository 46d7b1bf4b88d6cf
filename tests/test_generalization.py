"""Generalization guard: documents written to probe the readers beyond the visible corpus.

``tests/fixtures/generalization/`` holds trackers of many shapes and styles (a `Task ID | … | State |
Blocked By` matrix, a `[x]` / `✔` / `Done (date)` status column, CRLF, Mac-Roman mojibake, a German and a
Chinese matrix, a kanban board, struck-through TODOs, nested Kiro numbering, spec-kit phases, a GSD roadmap,
emoji roadmap bullets, ID-keyed feature sections, …) and two documents that are no tracker at all (a README,
a changelog).  Each has hand-made ground truth written before the readers were run on it.

They are scored with the rules of ``../shared/tools/score_trackers.py`` (units paired by key, then by
title; extras lower precision), and the totals must stay at the level reached, so a reader change that
over-fits the visible corpus shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from readers_truth import title_ok

from syncbot.readers import load_document, read_document
from syncbot.readers.common import Document

DIR = Path(__file__).parent / "fixtures" / "generalization"
TRUTHS = sorted(DIR.glob("*.expected.json"))


NOT_TRACKERS = ["README_prose.md", "CHANGELOG.md"]


@pytest.mark.parametrize("name", NOT_TRACKERS)
def test_no_tracker_no_units_and_every_reader_says_why(name: str) -> None:
    tracker, results = read_document(load_document(DIR / name))
    assert tracker.sessions == [] and tracker.shape == "unknown"
    for res in results:
        assert res.sessions == [] or res.confidence == 0, res.reader
        assert res.notes, f"{res.reader} gives no reason"
        # where it looked: line numbers, unless there was nothing of its kind at all
        assert any("line" in n or "no tables" in n for n in res.notes), (res.reader, res.notes)


# Small shapes met while probing, each read by a general rule (see the reader named in the comment).
SMALL: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "numbered headings over checklists (status_headings: `1. Name` is a unit number)",
        "# Steps\n\n### 1. Project setup ✅\n- [x] init\n- [x] ci\n\n### 2. Data layer 🚧\n- [x] models\n"
        "- [ ] migrations\n\n### 3. API\n- [ ] endpoints\n",
        [("1", "Project setup", "done"), ("2", "Data layer", "in_progress"), ("3", "API", "planned")],
    ),
    (
        "named sections with a Status line (sections: status-field sections)",
        "# Modules\n\n### Auth\n**Status:** ✅ Done\n\n"
        "### Billing\n**Status:** 🚧 In progress\n**Depends on:** Auth\n\n"
        "### Reports\n**Status:** ⏳ Not started\n**Depends on:** Billing\n",
        [("auth", "Auth", "done"), ("billing", "Billing", "in_progress"), ("reports", "Reports", "planned")],
    ),
    (
        "a board whose cards are checkboxes (board)",
        "# Board\n\n## Backlog\n- [ ] Dark mode\n\n## Doing\n- [ ] Search page\n\n## Done\n- [x] Login\n",
        [
            ("dark-mode", "Dark mode", "planned"),
            ("search-page", "Search page", "in_progress"),
            ("login", "Login", "done"),
        ],
    ),
    (
        "a progress table with names, not keys (table: named rows)",
        "# Progress\n\n| Module | Progress |\n|---|---|\n| Parser | 100% |\n| Type checker | 75% |\n| Codegen | 0% |\n",
        [
            ("parser", "Parser", "done"),
            ("type-checker", "Type checker", "in_progress"),
            ("codegen", "Codegen", "planned"),
        ],
    ),
    (
        "middle-dot separators in phase headings (outline)",
        "# Plan\n\n## Stage 1 · Foundations · ✅\n- [x] repo\n\n## Stage 2 · Beta · 🚧\n- [x] api\n- [ ] ui\n",
        [("1", "Foundations", "done"), ("2", "Beta", "in_progress")],
    ),
    (
        "a status written into a log heading is no part of the title (thread)",
        "# notes\n\n## session 1: setup — status: done\nx\n\n## session 2: api — status: in progress\ny\n",
        [("1", "setup", "done"), ("2", "api", "in_progress")],
    ),
    (
        "a numbered list with bold status labels, one struck out, keyed by its numbers (tasklist: status bullets)",
        "# Migration\n\n1. ~~Evaluate Flyway~~ — we use Alembic\n2. **DONE** Freeze schema changes\n"
        "3. **IN PROGRESS** Write migration scripts\n4. Run dry-run on staging\n",
        [
            ("1", "Evaluate Flyway", "dropped"),
            ("2", "Freeze schema changes", "done"),
            ("3", "Write migration scripts", "in_progress"),
            ("4", "Run dry-run on staging", "planned"),
        ],
    ),
    (
        "numbered lists that start again under each heading are keyed by name (tasklist: status bullets)",
        "# Plan\n\n## Backend\n\n1. **DONE** Schema\n2. **IN PROGRESS** API\n\n## Frontend\n\n"
        "1. **DONE** Shell\n2. **TODO** Forms\n",
        [
            ("schema", "Schema", "done"),
            ("api", "API", "in_progress"),
            ("shell", "Shell", "done"),
            ("forms", "Forms", "planned"),
        ],
    ),
    (
        "a repeated Phase column groups rows, it does not key them (table: regrouped rows)",
        "# Plan\n\n| Phase | Task | Status |\n|---|---|---|\n| 1 | Set up repo | Done |\n| 1 | CI pipeline | Done |\n"
        "| 2 | REST API | In progress |\n",
        [
            ("set-up-repo", "Set up repo", "done"),
            ("ci-pipeline", "CI pipeline", "done"),
            ("rest-api", "REST API", "in_progress"),
        ],
    ),
]


@pytest.mark.parametrize("text,want", [(t, w) for _, t, w in SMALL], ids=[n for n, _, _ in SMALL])
def test_small_shapes(text: str, want: list[tuple[str, str, str]]) -> None:
    tracker, _ = read_document(Document("probe.md", text))
    got = [(s.key, s.title, s.status.value) for s in tracker.sessions]
    assert [(k, st) for k, _, st in got] == [(k, st) for k, _, st in want], got
    for (_, title, _), (_, t, _) in zip(got, want, strict=True):
        assert title_ok(t, title), (title, t)


@pytest.mark.parametrize(
    "text",
    [
        "# tinyhttp\n\n## Features\n\n- ✅ Zero dependencies\n- ✅ HTTP/2\n- ✅ Middleware\n- ❌ No WebSockets\n",
        "# Compat\n\n| Runtime | Status |\n|---|---|\n| Node 18 | ✅ ok |\n| Bun | ❌ missing |\n",
        "# Changelog\n\n## [1.1.0]\n### Fixed\n- a crash\n### Removed\n- py3.8\n\n## [1.0.0]\n### Fixed\n- b\n",
    ],
    ids=["feature-list", "environment-check-table", "changelog-sections"],
)
def test_lookalikes_are_not_trackers(text: str) -> None:
    tracker, _ = read_document(Document("probe.md", text))
    assert tracker.sessions == [], [(s.key, s.title) for s in tracker.sessions]


def test_status_field_commentary_is_not_the_status_span() -> None:
    text = "# Log\n\n## Session 1 — 2025-02-01 — API\n**Status:** In Progress — finishing error handling\n"
    tracker, _ = read_document(Document("probe.md", text))
    (s,) = tracker.sessions
    assert s.status.value == "in_progress" and s.status_text == "In Progress"
    assert s.status_spans[0].span.slice(text) == "In Progress"
