"""The planner, on plain values: a synced state is made once on a local forge, then edited by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from syncbot.apply import apply_plan
from syncbot.desired import Desired, build_desired
from syncbot.forge.base import Issue
from syncbot.forge.local import LocalForge
from syncbot.markers import TRACKING_KEY, Baseline, compose, parse
from syncbot.model import Session, Status, Tracker
from syncbot.plan import (
    AddBlockedBy,
    CloseIssue,
    CreateIssue,
    CreateLabel,
    CreateMilestone,
    ForgeState,
    Plan,
    RemoveBlockedBy,
    ReopenIssue,
    UnsafePlan,
    UpdateIssue,
    UpdateLabel,
    plan_sync,
)


def s(key: str, status: Status = Status.PLANNED, prereq: tuple[str, ...] = ()) -> Session:
    return Session(key, f"Title {key}", status, status.value, list(prereq))


def desired(*sessions: Session) -> Desired:
    return build_desired(Tracker("T.md", "T", "table", list(sessions)), milestones="wave")


BASE = (s("1", Status.DONE), s("2", Status.READY, ("1",)), s("3", prereq=("2",)))


def state_of(forge: LocalForge, d: Desired) -> ForgeState:
    return ForgeState(
        tuple(forge.list_issues(d.tracker_label)), tuple(forge.list_labels()), tuple(forge.list_milestones())
    )


@pytest.fixture
def synced(tmp_path: Path) -> tuple[Desired, ForgeState]:
    forge = LocalForge(tmp_path / "f.db")
    d = desired(*BASE)
    apply_plan(plan_sync(d, state_of(forge, d)), forge, progress=False)
    return d, state_of(forge, d)


def by_key(state: ForgeState) -> dict[str, Issue]:
    out = {}
    for i in state.issues:
        p = parse(i.body)
        if p:
            out[p.key] = i
    return out


def with_issue(state: ForgeState, issue: Issue) -> ForgeState:
    return replace(state, issues=tuple(issue if i.number == issue.number else i for i in state.issues))


def kinds(plan: Plan) -> list[tuple[str, str]]:
    return [(a.type, a.key) for a in plan.actions]


def test_first_plan_order() -> None:
    d = desired(s("3", prereq=("2",)), s("2", prereq=("1",)), s("1", Status.DONE))
    plan = plan_sync(d, ForgeState((), (), ()))
    types = [a.type for a in plan.actions]
    # labels, then milestones, then issues in dependency order, links, milestone closes, tracking last
    assert types.index("create_milestone") > max(i for i, t in enumerate(types) if t == "create_label")
    creates = [a.key for a in plan.actions if isinstance(a, CreateIssue)]
    assert creates == ["1", "2", "3", TRACKING_KEY]
    assert kinds(plan)[types.index("create_issue") + 1] == ("close_issue", "1")
    assert types[-1] == "create_issue" and plan.actions[-1].key == TRACKING_KEY
    assert types.index("add_blocked_by") > types.index("create_issue")
    assert plan.counts()["create_issue"] == 4 and plan.counts()["total"] == len(plan.actions)
    data = plan.to_json("local")
    assert set(data) >= {"tracker", "forge", "actions", "counts"}
    assert all({"type", "key", "summary"} <= set(a) for a in data["actions"])
    assert "\ue000" not in str(data)  # placeholders are shown readable


def test_in_sync_is_empty(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    assert plan_sync(d, state).empty


def test_people_labels_kept_managed_labels_replaced(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    three = by_key(state)["3"]
    state = with_issue(state, replace(three, labels=(*three.labels, "bug", "status:done", "depends-on:9")))
    plan = plan_sync(d, state)
    (action,) = plan.actions
    assert isinstance(action, UpdateIssue) and action.labels is not None
    assert "bug" in action.labels and "status:done" not in action.labels and "depends-on:9" not in action.labels
    assert set(action.removed) == {"status:done", "depends-on:9"}


def test_a_persons_status_label_naming_no_status_is_theirs(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    three = by_key(state)["3"]
    state = with_issue(state, replace(three, labels=(*three.labels, "status:needs-review")))
    assert plan_sync(d, state).empty


def test_other_trackers_and_unmarked_issues_are_left_alone(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    lbl = d.tracker_label
    foreign = Issue(900, "Session 3: Title 3", compose("other-md", "3", "x"), "open", labels=(lbl,))
    unmarked = Issue(901, "Session 2: Title 2", "no marker", "open", labels=(lbl, "status:done"))
    plan = plan_sync(d, replace(state, issues=(*state.issues, foreign, unmarked)))
    assert plan.empty


def test_forge_side_close_is_left_for_pull(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    three = by_key(state)["3"]
    closed = with_issue(state, replace(three, state="closed", state_reason="completed"))
    assert plan_sync(d, closed).empty  # the tracker did not move since the baseline: pull's job
    # when the tracker also moved, the tracker's status is pushed
    d2 = desired(BASE[0], BASE[1], s("3", Status.IN_PROGRESS, ("2",)))
    plan = plan_sync(d2, closed)
    assert any(isinstance(a, ReopenIssue) and a.key == "3" for a in plan.actions)


def test_close_reason_from_a_forge_without_reasons_is_no_difference(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    one = by_key(state)["1"]
    assert plan_sync(d, with_issue(state, replace(one, state_reason=None))).empty


def test_reason_change_recloses(synced: tuple[Desired, ForgeState]) -> None:
    _, state = synced
    d2 = desired(s("1", Status.DROPPED), BASE[1], BASE[2])
    plan = plan_sync(d2, state)
    closes = [a for a in plan.actions if isinstance(a, CloseIssue)]
    assert [(a.key, a.reason) for a in closes] == [("1", "not_planned")]


def test_session_removed_from_tracker_is_closed_not_planned(synced: tuple[Desired, ForgeState]) -> None:
    _, state = synced
    plan = plan_sync(desired(BASE[0], BASE[1]), state)
    closes = [a for a in plan.actions if isinstance(a, CloseIssue)]
    assert [(a.key, a.reason, a.why) for a in closes] == [("3", "not_planned", "no longer in the tracker")]
    assert ("remove_blocked_by", "3") in kinds(plan)


def test_duplicate_marker_keeps_the_oldest(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    three = by_key(state)["3"]
    copy = replace(three, number=999, title="copy")
    plan = plan_sync(d, replace(state, issues=(*state.issues, copy)))
    assert plan.empty
    assert any("#999" in w for w in plan.warnings)


def test_label_colour_drift_is_fixed(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    labels = tuple(replace(lb, color="000000") if lb.name == "ready" else lb for lb in state.labels)
    plan = plan_sync(d, replace(state, labels=labels))
    assert [type(a) for a in plan.actions] == [UpdateLabel]


def test_missing_label_is_created(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    plan = plan_sync(d, replace(state, labels=tuple(lb for lb in state.labels if lb.name != "blocked")))
    assert [(type(a), a.key) for a in plan.actions] == [(CreateLabel, "blocked")]


def test_milestone_not_ours_is_not_edited(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    ms = tuple(replace(m, description="a person's milestone", state="open") for m in state.milestones)
    assert plan_sync(d, replace(state, milestones=ms)).empty
    plan = plan_sync(d, replace(state, milestones=()))
    assert sum(isinstance(a, CreateMilestone) for a in plan.actions) == len(d.milestones)


def test_links_come_from_the_baseline(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    issues = by_key(state)
    tracking = issues[TRACKING_KEY]
    base = Baseline.from_text(tracking.body)
    assert sorted(base.links) == [("2", "1"), ("3", "2")]
    forgotten = replace(base, links=[("2", "1"), ("3", "1")])
    body = tracking.body.replace(base.to_text(), forgotten.to_text())
    plan = plan_sync(d, with_issue(state, replace(tracking, body=body)))
    links = [a for a in plan.actions if isinstance(a, AddBlockedBy | RemoveBlockedBy)]
    assert [(a.type, a.key, a.blocker) for a in links] == [
        ("remove_blocked_by", "3", "1"),
        ("add_blocked_by", "3", "2"),
    ]


def test_a_recreated_issue_gets_its_links_again(synced: tuple[Desired, ForgeState]) -> None:
    d, state = synced
    gone = replace(state, issues=tuple(i for i in state.issues if i.number != by_key(state)["2"].number))
    plan = plan_sync(d, gone)
    assert ("create_issue", "2") in kinds(plan)
    assert {(a.key, a.blocker) for a in plan.actions if isinstance(a, AddBlockedBy)} == {("2", "1"), ("3", "2")}


def test_safety_check(tmp_path: Path) -> None:
    forge = LocalForge(tmp_path / "f.db")
    many = [s(str(k)) for k in range(10)]
    d = desired(*many)
    apply_plan(plan_sync(d, state_of(forge, d)), forge, progress=False)
    state = state_of(forge, d)
    three_done = desired(*[s(str(k), Status.DONE if k < 3 else Status.PLANNED) for k in range(10)])
    assert plan_sync(three_done, state).refusal is None  # 3 of 10 is within 30 %
    four_done = desired(*[s(str(k), Status.DONE if k < 4 else Status.PLANNED) for k in range(10)])
    plan = plan_sync(four_done, state)
    assert plan.refusal and "--force" in plan.refusal and "4 of 10" in plan.refusal
    before = forge.stats.writes
    with pytest.raises(UnsafePlan, match="--force"):
        apply_plan(plan, forge, progress=False)
    assert forge.stats.writes == before  # a refused plan writes nothing
    assert plan_sync(four_done, state, force=True).refusal is None
    assert plan_sync(four_done, state, max_close_fraction=0.5).refusal is None


def test_a_first_sync_costs_creates_links_and_a_fixed_number_of_label_and_milestone_writes() -> None:
    # 60 sessions in 20 waves: more waves than milestones are made for, so none are.
    sessions = [
        s(str(i), Status.DONE if i < 30 else Status.PLANNED, (str(i - 3),) if i >= 3 else ()) for i in range(60)
    ]
    plan = plan_sync(desired(*sessions), ForgeState((), (), ()))
    counts = plan.counts()
    assert counts["create_issue"] == 61  # the sessions and the tracking issue
    assert counts["add_blocked_by"] == 57  # one write per native link
    assert counts.get("create_label", 0) + counts.get("create_milestone", 0) <= 30
    assert "create_milestone" not in counts
    assert not any(a.key.startswith("depends-on:") for a in plan.actions if isinstance(a, CreateLabel))
    # Closing the sessions already done is one more write each: an issue is created open on every forge.
    assert counts["close_issue"] == 30
    assert plan.writes == len(plan.actions) and plan.to_json("local")["estimate"]["writes"] == plan.writes
    assert plan.duration() == f"{round(plan.writes / 60)} min"
