"""The three-way status merge.  The table below is the rule, one row per situation.

Every row starts from the same baseline (Session 3 was ``in_progress`` at the last sync) unless it says
otherwise.  A side either did not change, or changed to a status at an hour of the day (10, 11, 12 …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

from syncbot.forge.base import Issue
from syncbot.merge import (
    BaselineEntry,
    CommitRef,
    ForgeObservation,
    MergeResult,
    TrailerUpdate,
    baseline_entries,
    baseline_strings,
    issue_status,
    merge_statuses,
    observe_issue,
    parse_status_label,
    trailer_updates,
)
from syncbot.model import Status

IP, DONE, BLK, DROP, READY, PLAN = (
    Status.IN_PROGRESS,
    Status.DONE,
    Status.BLOCKED,
    Status.DROPPED,
    Status.READY,
    Status.PLANNED,
)
REOPEN = "reopen"


def at(hour: int) -> datetime:
    return datetime(2026, 3, 1, hour, 0, tzinfo=UTC)


def commit(sha: str, hour: int, subject: str = "Work") -> CommitRef:
    return CommitRef(sha=sha * 40, subject=subject, at=at(hour), author="Ann")


Side = tuple[Status | str, int]  # (status or REOPEN, hour of the event)
BASE = BaselineEntry(IP)


@dataclass(frozen=True)
class Row:
    what: str
    tracker: Side | None  # None: the tracker still says the baseline
    forge: Side | None  # None: the issue still matches the baseline
    trailer: Side | None  # None: no trailer for this session
    new: Status | None  # None: no change
    source: str | None  # the side whose event won
    conflict: bool = False
    baseline: BaselineEntry = BASE


T, F, C = "tracker", "forge", "trailer"
TABLE = [
    #    what                                          tracker     forge       trailer       new    source  conflict
    # --- nothing changed -------------------------------------------------------------------------------------------
    Row("nothing changed: nothing to do",                None,       None,       None,         None,  None),
    Row("a side 'changed' to the baseline is no change", None,       (IP, 11),   None,         None,  None),
    # --- one side changed: take it ---------------------------------------------------------------------------------
    Row("only the tracker changed",                      (BLK, 10),  None,       None,         BLK,   T),
    Row("only the forge changed (issue closed)",         None,       (DONE, 10), None,         DONE,  F),
    Row("only the forge changed (closed not planned)",   None,       (DROP, 10), None,         DROP,  F),
    Row("only a trailer",                                None,       None,       (DONE, 10),   DONE,  C),
    # --- two sides changed: the later event wins, the conflict is recorded -----------------------------------------
    Row("tracker, then forge later",                     (BLK, 10),  (DONE, 11), None,         DONE,  F, True),
    Row("forge, then tracker later",                     (BLK, 12),  (DONE, 11), None,         BLK,   T, True),
    Row("tracker, then trailer later",                   (BLK, 10),  None,       (DONE, 11),   DONE,  C, True),
    Row("trailer, then tracker later",                   (BLK, 12),  None,       (DONE, 11),   BLK,   T, True),
    Row("forge, then trailer later",                     None,       (DROP, 10), (DONE, 11),   DONE,  C, True),
    Row("trailer, then forge later",                     None,       (DROP, 12), (DONE, 11),   DROP,  F, True),
    # --- two sides changed to the same status: no conflict; the later one is named ---------------------------------
    Row("tracker and forge agree",                       (DONE, 10), (DONE, 11), None,         DONE,  F),
    Row("tracker and trailer agree (same commit)",       (DONE, 10), None,       (DONE, 10),   DONE,  C),
    # --- all three changed -----------------------------------------------------------------------------------------
    Row("all three, forge last",                         (BLK, 10),  (DONE, 12), (READY, 11),  DONE,  F, True),
    Row("all three, tracker last",                       (BLK, 12),  (DONE, 10), (READY, 11),  BLK,   T, True),
    Row("all three, trailer last",                       (BLK, 10),  (DONE, 11), (READY, 12),  READY, C, True),
    # --- same second: the repository wins (trailer over tracker over forge) ----------------------------------------
    Row("tie: tracker beats forge",                      (BLK, 11),  (DONE, 11), None,         BLK,   T, True),
    Row("tie: trailer beats tracker",                    (BLK, 11),  None,       (DONE, 11),   DONE,  C, True),
    # --- reopen goes back to the status before the close -----------------------------------------------------------
    # Back to in_progress, the baseline the tracker still says: no change to report; the issue gets reopened.
    Row("issue closed, later trailer reopens it",        None,       (DONE, 11), (REOPEN, 12), None,  None),
    Row("trailer reopen before the close does nothing",  None,       (DONE, 12), (REOPEN, 11), DONE,  F),
    Row("reopen of a done session goes back to blocked", None,       None,       (REOPEN, 10), BLK,   C,
        False, BaselineEntry(DONE, reopen_to=BLK)),
    Row("reopen without history goes to in_progress",    None,       None,       (REOPEN, 10), IP,    C,
        False, BaselineEntry(DONE)),
    # --- the outcome is the baseline again, but the tracker must be rewritten --------------------------------------
    Row("tracker edit loses to a later restatement",     (IP, 10),   None,       (DONE, 11),   DONE,  C,
        True, BaselineEntry(DONE)),
]  # fmt: skip


def run(row: Row) -> MergeResult:
    key = "3"
    base = row.baseline
    tracker_now = Status(row.tracker[0]) if row.tracker else base.status
    edits = {key: commit("e", row.tracker[1], "Edit tracker")} if row.tracker else {}
    forge = {}
    if row.forge:
        forge[key] = ForgeObservation(Status(row.forge[0]), at(row.forge[1]), "bob", "changed", issue=12)
    trailers = []
    if row.trailer:
        st, hour = row.trailer
        reopen = st == REOPEN
        trailers.append(
            TrailerUpdate(
                keys=(key,),
                status=None if reopen else Status(st),
                reopen=reopen,
                commit=commit("c", hour, "Trailer commit"),
                trailer=f"Session: 3 {st}",
            )
        )
    return merge_statuses({key: tracker_now}, {key: base}, tracker_edits=edits, forge=forge, trailers=trailers)


@pytest.mark.parametrize("row", TABLE, ids=[r.what for r in TABLE])
def test_merge_table(row: Row) -> None:
    result = run(row)
    assert not result.warnings
    if row.new is None and row.source is None:
        assert result.changes == []
        return
    [change] = result.changes
    expected_new = row.new if row.new is not None else row.baseline.status
    assert (change.new, change.source) == (expected_new, row.source)
    assert (change.conflict is not None) == row.conflict, change.conflict
    assert result.baseline["3"].status == expected_new


def test_no_change_when_the_outcome_is_what_the_tracker_already_says() -> None:
    # Issue closed at 11, reopened by a trailer at 12: the outcome is the baseline and the tracker's status,
    # so nothing is written to the tracker, but the issue must be reopened.
    result = run(TABLE[[r.what for r in TABLE].index("issue closed, later trailer reopens it")])
    assert result.changes == []
    assert result.tracker_writes == {}
    assert result.forge_writes == {"3": IP}


def test_conflict_text_names_both_sides_and_times() -> None:
    result = run(Row("x", (BLK, 10), (DONE, 11), None, DONE, F))
    [change] = result.changes
    assert change.conflict == (
        'tracker edit in eeeeeee "Edit tracker" by Ann (2026-03-01 10:00 UTC) wanted blocked; '
        "the later issue #12 changed by bob (2026-03-01 11:00 UTC) wins"
    )
    assert change.reason == "issue #12 changed by bob"
    assert change.old is IP and change.tracker_was is BLK and change.writes_tracker
    assert result.tracker_writes == {"3": DONE}


def test_lost_tracker_edit_reports_the_tracker_status_as_old() -> None:
    result = run(TABLE[-1])
    [change] = result.changes
    assert (change.old, change.new, change.tracker_was) == (IP, DONE, IP)
    assert change.writes_tracker


def test_closing_remembers_where_a_reopen_goes_back_to() -> None:
    result = merge_statuses({"3": BLK}, {"3": BLK}, forge={"3": ForgeObservation(DONE, at(10), "bob", "closed")})
    assert result.baseline["3"] == BaselineEntry(DONE, reopen_to=BLK)


def test_trailers_apply_in_commit_order_even_when_dates_disagree() -> None:
    # A rebased commit keeps its old date; commit order is still the order of record.
    first = TrailerUpdate(("3",), DONE, False, commit("a", 12))
    second = TrailerUpdate(("3",), BLK, False, commit("b", 9))
    result = merge_statuses({"3": IP}, {"3": IP}, trailers=[first, second])
    [change] = result.changes
    assert change.new is BLK and change.commit == second.commit
    assert change.conflict is None  # one side, in order: not a conflict


def test_trailer_done_then_reopen_is_no_change() -> None:
    ups = [
        TrailerUpdate(("3",), DONE, False, commit("a", 10)),
        TrailerUpdate(("3",), None, True, commit("b", 11)),
    ]
    assert merge_statuses({"3": IP}, {"3": IP}, trailers=ups).changes == []


def test_one_trailer_for_several_sessions() -> None:
    up = TrailerUpdate(("1", "2"), DONE, False, commit("a", 10), trailer="Session: 1, 2 done")
    result = merge_statuses({"1": IP, "2": PLAN, "3": PLAN}, {}, trailers=[up])
    assert [(c.key, c.old, c.new) for c in result.changes] == [("1", IP, DONE), ("2", PLAN, DONE)]
    assert result.changes[0].reason == 'trailer `Session: 1, 2 done` in aaaaaaa "Work" by Ann'


def test_unknown_key_is_a_warning_naming_key_commit_and_fix_and_writes_nothing() -> None:
    up = TrailerUpdate(("99",), DONE, False, commit("a", 10, "Finish pool"), trailer="Session: 99 done")
    result = merge_statuses({"1": IP, "2": PLAN}, {}, trailers=[up], tracker_name="SESSION_TRACKER.md")
    assert result.changes == []
    [w] = result.warnings
    assert w.key == "99" and w.commit == "a" * 40
    assert "'99'" in w.message and 'aaaaaaa "Finish pool"' in w.message
    assert "known keys: 1, 2" in w.message and "Fix:" in w.message and "SESSION_TRACKER.md" in w.message


def test_unknown_status_word_is_a_warning() -> None:
    up = TrailerUpdate(("1",), None, False, commit("a", 10), trailer="Session: 1 shipped")
    result = merge_statuses({"1": IP}, {}, trailers=[up])
    assert result.changes == []
    [w] = result.warnings
    assert "`Session: 1 shipped`" in w.message and "no status word" in w.message


def test_key_case_difference_is_accepted_when_unambiguous() -> None:
    up = TrailerUpdate(("t003",), DONE, False, commit("a", 10))
    result = merge_statuses({"T003": IP}, {}, trailers=[up])
    assert [c.key for c in result.changes] == ["T003"]


def test_missing_baseline_takes_the_tracker_as_baseline() -> None:
    result = merge_statuses({"1": IP, "2": PLAN}, {"1": IP})
    assert result.changes == []
    assert result.baseline == {"1": BaselineEntry(IP), "2": BaselineEntry(PLAN)}


def test_naive_and_aware_times_compare() -> None:
    naive = datetime(2026, 3, 1, 12, 0)  # taken as UTC
    later_elsewhere = datetime(2026, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))  # 12:30 UTC
    result = merge_statuses(
        {"3": BLK},
        {"3": IP},
        tracker_edits={"3": CommitRef("e" * 40, "Edit", naive)},
        forge={"3": ForgeObservation(DONE, later_elsewhere, "bob", "closed")},
    )
    assert result.changes[0].source == "forge"


def test_accepts_the_trailer_parsers_session_update() -> None:
    from syncbot.trailers import session_updates

    updates, warnings = session_updates("Pool\n\nSession: 3, 4 done\n")
    assert not warnings
    [up] = trailer_updates(commit("a", 10, "Pool"), updates)
    assert up.keys == ("3", "4") and up.status is DONE and not up.reopen
    assert up.trailer == "Session: 3, 4 done"


# ----------------------------------------------------------------------------------------- issue state


def issue(state: str = "open", reason: str | None = None, labels: tuple[str, ...] = ()) -> Issue:
    return Issue(
        number=12,
        title="Session 3",
        body="",
        state=state,  # type: ignore[arg-type]
        state_reason=reason,  # type: ignore[arg-type]
        labels=labels,
        closed_at=at(11) if state == "closed" else None,
        updated_at=at(13),
        closed_by="bob" if state == "closed" else None,
    )


@pytest.mark.parametrize(
    ("what", "the_issue", "baseline", "expected"),
    [
        ("closed as completed → done", issue("closed", "completed"), IP, (DONE, at(11), "bob")),
        ("closed without a reason → done", issue("closed"), IP, (DONE, at(11), "bob")),
        ("closed as not planned → dropped", issue("closed", "not_planned"), IP, (DROP, at(11), "bob")),
        ("closed, no reason, was dropped → nothing", issue("closed"), DROP, (DROP, at(13), None)),
        ("reopened → in_progress", issue("open", "reopened", ("status:done",)), DONE, (IP, at(13), None)),
        ("reopened → status before close", issue("open", "reopened"), BaselineEntry(DONE, BLK), (BLK, at(13), None)),
        ("reopened and labelled → the label", issue("open", None, ("status:ready",)), DROP, (READY, at(13), None)),
        ("label changed by a person", issue(labels=("status:in_progress", "status:blocked")), IP, (BLK, at(13), None)),
        ("label spelled with a hyphen", issue(labels=("Status: In-Progress",)), PLAN, (IP, at(13), None)),
        ("open, label matches → baseline", issue(labels=("status:in_progress", "bug")), IP, (IP, at(13), None)),
        ("open, no label, no baseline → nothing", issue(), None, (None, at(13), None)),
        ("two new labels: ambiguous", issue(labels=("status:ready", "status:blocked")), IP, (IP, at(13), None)),
        ("open issue labelled done → state wins", issue(labels=("status:done",)), IP, (IP, at(13), None)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)  # fmt: skip
def test_issue_status(
    what: str,
    the_issue: Issue,
    baseline: Status | BaselineEntry | None,
    expected: tuple[Status | None, datetime | None, str | None],
) -> None:
    assert issue_status(the_issue, baseline) == expected


def test_observe_issue_describes_the_event() -> None:
    obs = observe_issue(issue("closed", "not_planned"), IP)
    assert obs == ForgeObservation(DROP, at(11), "bob", "closed as not planned", 12)
    assert observe_issue(issue(labels=("status:in_progress",)), IP) is None


def test_parse_status_label() -> None:
    assert parse_status_label("status:failed") is Status.FAILED
    assert parse_status_label("status:nonsense") is None
    assert parse_status_label("depends-on:3") is None


def test_forge_observation_through_the_merge_reads_as_an_issue_event() -> None:
    obs = observe_issue(issue("closed", "completed"), IP)
    assert obs is not None
    result = merge_statuses({"3": IP}, {"3": IP}, forge={"3": obs})
    [change] = result.changes
    assert (change.reason, change.issue, change.who) == ("issue #12 closed as completed by bob", 12, "bob")


def test_baseline_round_trips_through_plain_strings() -> None:
    entries = {"1": BaselineEntry(DONE, reopen_to=BLK), "2": BaselineEntry(PLAN)}
    statuses, reopen_to = baseline_strings(entries)
    assert (statuses, reopen_to) == ({"1": "done", "2": "planned"}, {"1": "blocked"})
    assert baseline_entries(statuses, reopen_to) == entries
    assert baseline_entries({"1": "someday"}) == {}  # a word from a newer version: the session counts as new
