"""The thread reader: append-only logs, later entries updating a unit, templates in code fences."""

from __future__ import annotations

import pytest
from readers_expect import CORPUS, SEEDS, assert_matches, assert_spans_exact, expected

from syncbot.model import SpanKind, Status
from syncbot.readers import load_document, read_document
from syncbot.readers.common import Document
from syncbot.readers.thread import read as read_thread

SEED_002 = SEEDS / "002_f2c13d38ec8ea35a.txt"


def doc(text: str) -> Document:
    return Document("LOG.md", text)


def test_seed_002_matches_its_ground_truth_exactly() -> None:
    d = load_document(SEED_002)
    tracker, _ = read_document(d)
    assert tracker.shape == "thread"
    assert tracker.title == "IMPLEMENTATION PROGRESS THREAD"
    assert_matches(tracker, expected(SEED_002))
    (s,) = tracker.sessions
    assert s.title == "Planning & Scaffold Creation"
    # the ADDENDUM entry (line 96) updates session 00: its status is the one that stands, and the one a
    # writer rewrites; the template's `## Session XX` inside the code fence (line 18) is no entry
    assert s.status is Status.FAILED and s.status_text == "⚠️ PARTIAL FAILURE"
    assert [(ss.line, ss.kind) for ss in s.status_spans] == [(97, SpanKind.FIELD)]
    assert (s.line, s.end_line) == (54, 144)
    assert assert_spans_exact(d, tracker.sessions) == 1
    assert tracker.problems == []


def test_a_template_in_a_code_fence_is_not_an_entry() -> None:
    text = (
        "# Log\n\n```markdown\n## Session XX - [DATE] - [STEP]\n**Status**: ✅ COMPLETE | ⛔ BLOCKED\n```\n\n"
        "~~~\n## Session 7 - 2025-01-01 - Fenced\n~~~\n\n## Session 1 - 2025-10-01 - Real\n**Status**: 🔄 IN PROGRESS\n"
    )
    res = read_thread(doc(text))
    assert [(s.key, s.title, s.status) for s in res.sessions] == [("1", "Real", Status.IN_PROGRESS)]


def test_later_entries_update_status_and_add_checklist_items() -> None:
    text = (
        "# Log\n\n## Session 1 - 2025-10-01 - Start\n**Status**: 🔄 IN PROGRESS\n- [x] a\n\n"
        "## Session 2 - 2025-10-02 - Other\n**Status:** ✅ COMPLETE\n\n"
        "## Session 1 - 2025-10-03 - continued\n**Status**: ✅ Done\n- [ ] b\n"
    )
    d = doc(text)
    res = read_thread(d)
    one, two = res.sessions
    assert (one.key, one.title, one.status, one.status_text) == ("1", "Start", Status.DONE, "✅ Done")
    assert [i.text for i in one.checklist] == ["a", "b"]
    assert one.status_spans[0].line == 11
    assert (two.status, two.status_spans[0].span.slice(text)) == (Status.DONE, "✅ COMPLETE")
    assert_spans_exact(d, res.sessions)
    assert res.confidence == pytest.approx(1.0)


def test_prerequisite_fields_in_entries() -> None:
    text = (
        "# Log\n\n## Session 1 - 2025-10-01 - A\n**Status**: Done\n**Depends on**: none\n\n"
        "## Session 2 - 2025-10-02 - B\n**Prerequisites**: Session 1\n**Status**: In progress\n"
    )
    res = read_thread(doc(text))
    assert [(s.key, s.status, s.prerequisites) for s in res.sessions] == [
        ("1", Status.DONE, []),
        ("2", Status.IN_PROGRESS, ["1"]),
    ]


def test_entries_without_a_status_read_as_done_and_say_why() -> None:
    text = (
        "# Dev Log\n\n## Session 1 — 2026-05-20\n\n### Next Steps (from Session 1)\n\n- [x] one\n- [x] two\n\n"
        "## Session 2 — 2026-05-20 (continued)\n\n### Next Steps\n\n- [x] Run dry-run — pending (see Session 3)\n"
        "- [ ] three\n"
    )
    res = read_thread(doc(text))
    assert [(s.key, s.title, s.status, len(s.checklist)) for s in res.sessions] == [
        ("1", "2026-05-20", Status.DONE, 2),
        ("2", "2026-05-20 (continued)", Status.DONE, 2),
    ]
    assert all(s.status_spans == [] for s in res.sessions)
    assert any("line 3" in n and "no status field" in n for n in res.notes)
    # the ticked box whose text says it is still pending contradicts itself
    assert [p.line for p in res.problems] == [14]


def test_a_status_in_the_entry_heading() -> None:
    text = "# Log\n\n## Session 3 - 2025-10-01 - Tests (BLOCKED)\nwaiting on CI\n"
    d = doc(text)
    res = read_thread(d)
    (s,) = res.sessions
    assert (s.title, s.status, s.status_spans[0].kind) == ("Tests (BLOCKED)", Status.BLOCKED, SpanKind.HEADING)
    assert s.status_spans[0].span.slice(text) == "BLOCKED"


def test_session_sections_out_of_order_are_weak_evidence_of_a_log() -> None:
    text = "# X\n\n## Session 4 notes\ntext\n\n## Session 1 notes\ntext\n"
    res = read_thread(doc(text))
    assert len(res.sessions) == 2 and res.confidence < 0.3


def test_nothing_found_says_what_was_looked_for() -> None:
    res = read_thread(doc("# Notes\n\n## Goal\n\n## Plan\n"))
    assert res.sessions == [] and res.confidence == 0
    assert "none of the 3 headings" in res.notes[0]


@pytest.mark.corpus
def test_devlog_corpus_document() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/trackers/corpus is absent")
    path = next(CORPUS.glob("13_*.md"))
    d = load_document(path)
    tracker, _ = read_document(d)
    assert tracker.shape == "thread"
    assert_matches(tracker, expected(path))
    assert_spans_exact(d, tracker.sessions)
    assert [p.line for p in tracker.problems] == [134]


def test_entries_named_by_only_a_date_and_a_count_are_a_diary_about_other_units() -> None:
    """`### 2025-01-08 — session 1` over `M1.T1 done.`: the entries have no name and no status of their own;
    the plan table's rows are the units, and the diary cannot join them as units of its own."""
    text = (
        "# Progress\n\n## Plan\n\n| Task | What | Status |\n|---|---|---|\n| M1.T1 | Workspace | todo |\n"
        "| M1.T2 | Reader | todo |\n| M1.T3 | Endpoint | todo |\n\n## Log\n\n"
        "### 2025-01-08 — session 1\nM1.T1 done. Started M1.T2.\n\n"
        "### 2025-01-11 — session 2\nM1.T2 done.\n\n### 2025-01-15 — session 3\nM1.T3 in progress.\n"
    )
    assert read_thread(doc(text)).confidence < 0.9
    tracker, _ = read_document(doc(text))
    assert [s.key for s in tracker.sessions] == ["M1.T1", "M1.T2", "M1.T3"]


def test_a_log_that_introduces_units_as_it_goes() -> None:
    # an agent's log adds work it finds with a new key of the document's family; later entries update it
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = """# PROGRESS.md

## Session 1

| ID | Task | Needs | Status |
|----|------|-------|--------|
| L-1 | Skeleton | — | ✅ done |
| L-2 | Schema | L-1 | ✅ done |
| L-3 | CSV importer | L-2 | 🟡 in progress |

## Session 2

- L-3 ✅ done. The reader chokes on a BOM → new **L-4** "Strip the UTF-8 BOM", fixed in the same session ✅.
- New **L-5**: interactive categorize TUI. Needs L-3.
- New **L-6** (experiment): DuckDB storage. **❌ failed**, reverted.

## Session 3

- **L-5 ✅ done** — replaced the snapshot tests with pilot-based ones.
"""
    tracker, _ = read_document(Document("PROGRESS.md", text))
    got = {s.key: (s.title, s.status.value, s.prerequisites) for s in tracker.sessions}
    assert got["L-4"] == ("Strip the UTF-8 BOM", "done", [])
    assert got["L-5"] == ("interactive categorize TUI", "done", ["L-3"])  # `replaced` explains `done`
    assert got["L-6"][1] == "failed"
    assert got["L-3"][1] == "done"


def test_a_log_entry_whose_status_closes_it_in_bold() -> None:
    # `- API-02：レビュー OK、マージ。**完了**。`: the note comes first, the entry's status last, set off
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = """# API 基盤改修

| ID | 内容 | 状態 |
|---|---|---|
| API-01 | Node 22 へ更新 | 完了 |
| API-02 | Fastify へ移行 | 対応中 |
| API-03 | OpenAPI 自動生成 | 未着手 |

## 日報

- API-02：レビュー OK、マージ。**完了**。
- API-03：着手。**対応中**。
"""
    tracker, _ = read_document(Document("PLAN.md", text))
    assert {s.key: s.status.value for s in tracker.sessions} == {
        "API-01": "done",
        "API-02": "done",
        "API-03": "in_progress",
    }
