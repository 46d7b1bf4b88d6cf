"""The writer changes a status with a minimal diff, in the document's own words.

Round trip for every unit of every seed and corpus document: mark → re-read gives the new status, the
other units keep theirs, and a line diff shows only that unit's status lines and the summary lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncbot.model import SpanKind, Status, Tracker
from syncbot.readers import load_document, read_document
from syncbot.readers.common import Document, detect_mojibake
from syncbot.writer import WriteError, set_statuses, write_atomically

HERE = Path(__file__).parent
SEEDS = sorted((HERE / "fixtures" / "seeds").glob("*.txt"))
CORPUS_DIR = HERE.parent.parent / "shared" / "trackers" / "corpus"
CORPUS = sorted(CORPUS_DIR.glob("*.md")) if CORPUS_DIR.is_dir() else []


def changed_lines(old: str, new: str) -> set[int]:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    assert len(a) == len(b), "the writer must never add or remove lines"
    return {i + 1 for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}


def targets(tracker: Tracker, key: str) -> list[Status]:
    session = tracker.by_key()[key]
    kinds = {ss.kind for ss in session.status_spans}
    wanted = (
        [Status.DONE, Status.PLANNED]
        if kinds == {SpanKind.CHECKBOX}
        else [
            Status.DONE,
            Status.PLANNED,
            Status.IN_PROGRESS,
        ]
    )
    return [s for s in wanted if s is not session.status]


def assert_round_trip(doc: Document, tracker: Tracker) -> int:
    checked = 0
    allowed_summary = {sl.line for sl in tracker.summary_lines}
    for session in tracker.sessions:
        if not session.status_spans:
            continue
        for target in targets(tracker, session.key):
            new_text = set_statuses(doc, tracker, {session.key: target})
            after, _ = read_document(Document(doc.path, new_text), tracker.shape)
            by_key = after.by_key()
            assert by_key[session.key].status is target, (session.key, target, new_text[:0])
            for other in tracker.sessions:
                if other.key != session.key:
                    assert by_key[other.key].status is other.status, f"{other.key} changed when marking {session.key}"
            allowed = {ss.line for ss in session.status_spans} | allowed_summary
            assert changed_lines(doc.text, new_text) <= allowed
            if doc.mojibake:
                assert detect_mojibake(new_text), "a mojibake file must stay mojibake"
                new_text.encode("mac_roman")  # never half repaired: the whole file still round-trips
            checked += 1
    return checked


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_round_trip_on_seeds(path: Path) -> None:
    doc = load_document(path)
    tracker, _ = read_document(doc)
    assert tracker.sessions
    assert assert_round_trip(doc, tracker) > 0


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_round_trip_on_corpus(path: Path) -> None:
    doc = load_document(path)
    tracker, _ = read_document(doc)
    assert_round_trip(doc, tracker)


def test_table_cell_uses_the_documents_own_words_and_updates_summary_lines() -> None:
    text = (
        "# T\n\n**Completed**: 1/3\n**Next Ready**: Session 2\n**Overall Progress**: 33%\n\n"
        "| Session | Title | Status | Prerequisites |\n|---|---|---|---|\n"
        "| 1 | One | ✅ **COMPLETE** | None |\n"
        "| 2 | Two | 🔄 **READY** | Session 1 |\n"
        "| 3 | Three | ⏳ Waiting | Session 2 |\n"
    )
    doc = Document("T.md", text)
    tracker, _ = read_document(doc, "table")
    new = set_statuses(doc, tracker, {"2": Status.DONE})
    assert "| 2 | Two | ✅ **COMPLETE** | Session 1 |" in new
    assert "**Completed**: 2/3" in new
    assert "**Next Ready**: Session 3" in new
    assert "**Overall Progress**: 67%" in new
    assert changed_lines(text, new) == {3, 4, 5, 10}


def test_unused_status_gets_a_form_in_the_documents_style() -> None:
    text = "| Session | Title | Status |\n|---|---|---|\n| 1 | One | ✅ **COMPLETE** |\n| 2 | Two | ⏳ **WAITING** |\n"
    doc = Document("T.md", text)
    tracker, _ = read_document(doc, "table")
    new = set_statuses(doc, tracker, {"2": Status.BLOCKED})
    assert "| 2 | Two | 🚫 **BLOCKED** |" in new


def test_mojibake_document_gets_mojibake_words() -> None:
    clean = "| Session | Title | Status |\n|---|---|---|\n| 1 | One | ⏳ Waiting |\n| 2 | Two | ⏳ Waiting |\n"
    text = clean.encode("utf-8").decode("mac_roman")
    doc = Document("T.md", text)
    assert doc.mojibake
    tracker, _ = read_document(doc, "table")
    new = set_statuses(doc, tracker, {"1": Status.DONE})
    assert "‚úÖ Done" in new and "✅" not in new


def test_line_endings_and_missing_final_newline_are_kept() -> None:
    text = "| Session | Title | Status |\r\n|---|---|---|\r\n| 1 | One | Waiting |\r\n| 2 | Two | Done |"
    doc = Document("T.md", text)
    tracker, _ = read_document(doc, "table")
    new = set_statuses(doc, tracker, {"1": Status.DONE})
    assert new == text.replace("| One | Waiting |", "| One | Done |")


def test_unknown_session_is_an_error_that_names_the_keys() -> None:
    doc = Document("T.md", "| Session | Title | Status |\n|---|---|---|\n| 1 | One | Waiting |\n")
    tracker, _ = read_document(doc, "table")
    with pytest.raises(WriteError, match=r"no session '9'; known keys: 1"):
        set_statuses(doc, tracker, {"9": Status.DONE})


def test_atomic_write_keeps_bom_and_mode(tmp_path: Path) -> None:
    p = tmp_path / "T.md"
    p.write_bytes(b"\xef\xbb\xbfold\n")
    p.chmod(0o640)
    write_atomically(p, "new\n")
    assert p.read_bytes() == b"\xef\xbb\xbfnew\n"
    assert p.stat().st_mode & 0o777 == 0o640
    assert [x.name for x in tmp_path.iterdir()] == ["T.md"]


WORDS = {
    Status.DONE: ["✅ Done", "**COMPLETE**", "done", "✅ COMPLETED"],
    Status.PLANNED: ["⏳ Waiting", "Pending", "TODO", "not started"],
    Status.IN_PROGRESS: ["🚧 In Progress", "WIP", "in progress"],
    Status.BLOCKED: ["Blocked", "🚫 BLOCKED"],
}


@settings(max_examples=60, deadline=None)
@given(
    statuses=st.lists(st.sampled_from(list(WORDS)), min_size=2, max_size=8),
    data=st.data(),
    crlf=st.booleans(),
)
def test_property_marking_a_generated_table(statuses: list[Status], data: st.DataObject, crlf: bool) -> None:
    nl = "\r\n" if crlf else "\n"
    rows = ["# Generated", "", "| Session | Title | Status | Prerequisites |", "|---|---|---|---|"]
    for i, s in enumerate(statuses, 1):
        rows.append(f"| {i} | Unit {i} | {data.draw(st.sampled_from(WORDS[s]))} | None |")
    text = nl.join(rows) + nl
    doc = Document("G.md", text)
    tracker, _ = read_document(doc, "table")
    assert [s.status for s in tracker.sessions] == statuses
    key = str(data.draw(st.integers(1, len(statuses))))
    target = data.draw(st.sampled_from([Status.DONE, Status.PLANNED, Status.IN_PROGRESS, Status.BLOCKED]))
    new = set_statuses(doc, tracker, {key: target})
    after, _ = read_document(Document("G.md", new), "table")
    assert after.by_key()[key].status is target
    assert changed_lines(text, new) <= {4 + int(key)}
    assert new.count("\r\n") == text.count("\r\n")


@settings(max_examples=60, deadline=None)
@given(done=st.lists(st.booleans(), min_size=1, max_size=10), data=st.data())
def test_property_marking_a_generated_checklist(done: list[bool], data: st.DataObject) -> None:
    lines = ["# Tasks", ""] + [f"- [{'x' if d else ' '}] {i}. Task number {i}" for i, d in enumerate(done, 1)]
    text = "\n".join(lines) + "\n"
    doc = Document("tasks.md", text)
    tracker, _ = read_document(doc, "tasklist")
    assert [s.status is Status.DONE for s in tracker.sessions] == done
    i = data.draw(st.integers(0, len(done) - 1))
    key = tracker.sessions[i].key
    target = Status.PLANNED if done[i] else Status.DONE
    new = set_statuses(doc, tracker, {key: target})
    assert changed_lines(text, new) == {3 + i}
    after, _ = read_document(Document("tasks.md", new), "tasklist")
    assert after.by_key()[key].status is target


def test_a_written_status_takes_the_documents_own_mark() -> None:
    text = "# T\n\nLegend: 🟢 done · 🟡 in progress · ⏳ waiting on review\n\n| ID | Task | Status |\n|---|---|---|\n"
    text += "| A1 | Build | 🟡 In progress |\n| A2 | Ship | ⏳ Waiting |\n"
    doc = Document("T.md", text)
    tracker, _ = read_document(doc)
    out = set_statuses(doc, tracker, {"A1": Status.DONE})
    assert "| A1 | Build | 🟢 Done |" in out  # the legend's mark for done, not ours (✅)
