"""The push contract: the same scenarios on every forge (see ``conftest.FORGES``).

Trackers are small markdown strings in the table shape, read by the real reader; the forge is driven
only through the :class:`~syncbot.forge.base.Forge` protocol, as the bot and as a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from syncbot.apply import apply_plan
from syncbot.desired import Desired, build_desired
from syncbot.errors import UserError
from syncbot.forge.base import Forge, Issue, IssueChange
from syncbot.markers import TRACKING_KEY, Baseline, parse
from syncbot.model import Tracker
from syncbot.plan import ForgeState, Plan, plan_sync
from syncbot.readers import read_document
from syncbot.readers.common import Document

HEADER = (
    "# Contract tracker\n\n"
    "| Session | Title | Status | Duration | Prerequisites | Output |\n"
    "|---------|-------|--------|----------|---------------|--------|\n"
)
ROWS: dict[str, tuple[str, str, str]] = {
    "1": ("Setup", "✅ Done", "None"),
    "2": ("Model", "🔄 Ready", "Session 1"),
    "3": ("API", "⏳ Waiting", "Session 2"),
    "4": ("UI", "⏳ Waiting", "Sessions 2,3"),
}


def tracker_md(rows: dict[str, tuple[str, str, str]], handoff: str = "") -> str:
    lines = [f"| {k} | {title} | {status} | 2h | {prereq} | out {k} |" for k, (title, status, prereq) in rows.items()]
    return HEADER + "\n".join(lines) + "\n" + handoff


def read(md: str) -> Tracker:
    tracker, _ = read_document(Document("SESSION_TRACKER.md", md), "table")
    assert tracker.sessions, "the table reader found nothing in the contract tracker"
    return tracker


@dataclass
class Bot:
    """The push loop as `syncbot sync` runs it, on one forge."""

    forge: Forge

    def desired(self, md: str) -> Desired:
        return build_desired(read(md), milestones="wave")

    def plan(self, md: str, *, force: bool = False) -> Plan:
        d = self.desired(md)
        state = ForgeState(
            tuple(self.forge.list_issues(d.tracker_label)),
            tuple(self.forge.list_labels()),
            tuple(self.forge.list_milestones()),
        )
        return plan_sync(d, state, force=force)

    def sync(self, md: str, *, force: bool = False) -> Plan:
        plan = self.plan(md, force=force)
        apply_plan(plan, self.forge, progress=False)
        return plan

    def issues(self) -> dict[str, Issue]:
        """This tracker's issues by key, asserting there is exactly one per key."""
        label = self.desired(tracker_md(ROWS)).tracker_label
        keys: Counter[str] = Counter()
        out: dict[str, Issue] = {}
        for issue in self.forge.list_issues(label):
            p = parse(issue.body)
            if p and p.tracker == "session-tracker-md":
                keys[p.key] += 1
                out[p.key] = issue
        dupes = [k for k, n in keys.items() if n > 1]
        assert not dupes, f"duplicate issues for keys {dupes}"
        return out


@pytest.fixture
def bot(forge: Forge) -> Bot:
    return Bot(forge)


def writes(forge: Forge) -> int:
    return forge.stats.writes


def test_first_sync(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    issues = bot.issues()
    assert set(issues) == {"1", "2", "3", "4", TRACKING_KEY}
    assert issues["1"].title == "Session 1: Setup"
    assert issues["1"].state == "closed" and issues["1"].state_reason == "completed"
    assert issues["2"].state == "open"
    assert {"status:ready", "ready"} <= set(issues["2"].labels)
    assert {"status:planned", "blocked"} <= set(issues["4"].labels)
    # no label per prerequisite: the native links and the body's Prerequisites list carry them
    assert not any(lb.startswith("depends-on:") for i in issues.values() for lb in i.labels)
    assert issues["3"].milestone == "Wave 3"
    # prerequisites link to real issue numbers, even though they were created in the same run
    assert f"#{issues['2'].number}" in issues["3"].body
    tracking = issues[TRACKING_KEY].body
    assert "```mermaid" in tracking
    for key in "1234":
        assert f"#{issues[key].number}" in tracking
    base = Baseline.from_text(tracking)
    assert base.statuses == {"1": "done", "2": "ready", "3": "planned", "4": "planned"}
    assert sorted(base.links) == [("2", "1"), ("3", "2"), ("4", "2"), ("4", "3")]
    milestones = {m.title: m for m in bot.forge.list_milestones()}
    assert milestones["Wave 1"].state == "closed" and milestones["Wave 2"].state == "open"


def test_noop_sync_makes_no_write(bot: Bot) -> None:
    md = tracker_md(ROWS)
    bot.sync(md)
    before = writes(bot.forge)
    gets = bot.forge.stats.gets
    plan = bot.sync(md)
    assert plan.empty, [a.summary for a in plan.actions]
    assert writes(bot.forge) == before
    assert bot.forge.stats.gets - gets <= 3  # issues, labels, milestones: no request per session


def test_title_edited_in_tracker(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    rows = dict(ROWS) | {"3": ("Public API", "⏳ Waiting", "Session 2")}
    plan = bot.sync(tracker_md(rows))
    assert [a.type for a in plan.actions if a.key == "3"] == ["update_issue"]
    assert bot.issues()["3"].title == "Session 3: Public API"
    assert bot.plan(tracker_md(rows)).empty


def test_session_added(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    rows = dict(ROWS) | {"5": ("Docs", "⏳ Waiting", "Session 4")}
    bot.sync(tracker_md(rows))
    issues = bot.issues()
    assert issues["5"].title == "Session 5: Docs"
    assert f"#{issues['4'].number}" in issues["5"].body
    assert ("5", "4") in Baseline.from_text(issues[TRACKING_KEY].body).links
    assert bot.plan(tracker_md(rows)).empty


def test_prerequisite_removed(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    rows = dict(ROWS) | {"4": ("UI", "⏳ Waiting", "Session 3")}
    plan = bot.sync(tracker_md(rows))
    assert [(a.type, a.key) for a in plan.actions if "blocked_by" in a.type] == [("remove_blocked_by", "4")]
    issues = bot.issues()
    assert f"#{issues['2'].number}" not in issues["4"].body and f"#{issues['3'].number}" in issues["4"].body
    assert ("4", "2") not in Baseline.from_text(issues[TRACKING_KEY].body).links
    assert bot.plan(tracker_md(rows)).empty


def test_done_closes_completed(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    rows = dict(ROWS) | {"2": ("Model", "✅ Done", "Session 1")}
    bot.sync(tracker_md(rows))
    issue = bot.issues()["2"]
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert "ready" in bot.issues()["3"].labels  # its dependent is unblocked
    assert bot.plan(tracker_md(rows)).empty


def test_dropped_closes_not_planned(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    rows = dict(ROWS) | {"4": ("UI", "🗑 Dropped", "Sessions 2,3")}
    bot.sync(tracker_md(rows))
    issue = bot.issues()["4"]
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    assert bot.plan(tracker_md(rows)).empty


def test_label_added_by_a_person_survives(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    issue = bot.issues()["3"]
    bot.forge.update_issue(issue.number, IssueChange(labels=[*issue.labels, "needs-design"]))
    rows = dict(ROWS) | {"2": ("Model", "✅ Done", "Session 1")}  # 3 goes from blocked to ready
    bot.sync(tracker_md(rows))
    labels = set(bot.issues()["3"].labels)
    assert "needs-design" in labels
    assert "ready" in labels and "blocked" not in labels
    assert bot.plan(tracker_md(rows)).empty


def test_text_below_the_marker_survives(bot: Bot) -> None:
    bot.sync(tracker_md(ROWS))
    issue = bot.issues()["3"]
    bot.forge.update_issue(issue.number, IssueChange(body=issue.body + "\nNotes from the team: use REST.\n"))
    assert bot.plan(tracker_md(ROWS)).empty  # people's text is not a difference
    rows = dict(ROWS) | {"3": ("Public API", "⏳ Waiting", "Session 2")}
    handoff = "\n## Session 3 Handoff Package\n- [ ] OpenAPI document\n"
    bot.sync(tracker_md(rows, handoff))
    body = bot.issues()["3"].body
    assert "Notes from the team: use REST." in body
    assert "OpenAPI document" in body
    assert body.count("<!-- syncbot:v1 ") == 1


def test_issue_without_marker_is_never_touched(bot: Bot) -> None:
    label = bot.desired(tracker_md(ROWS)).tracker_label
    bot.sync(tracker_md(ROWS))
    # a person's issue with the tracker's label, a title like the bot's, and no marker
    mine = bot.forge.create_issue("Session 3: API", "hand-written", [label, "status:done"], None)
    # and an issue that belongs to another tracker
    other_body = "<!-- syncbot:v1 tracker=other-md key=3 -->\n<!-- syncbot:begin -->\nx\n<!-- syncbot:end -->\n"
    other = bot.forge.create_issue("Session 3: Other", other_body, [label], None)
    before = writes(bot.forge)
    assert bot.plan(tracker_md(ROWS)).empty
    rows = {k: v for k, v in ROWS.items() if k != "4"} | {"3": ("API", "🗑 Dropped", "Session 2")}
    bot.sync(tracker_md(rows), force=True)
    assert writes(bot.forge) > before
    by_number = {i.number: i for i in bot.forge.list_issues(label)}
    assert by_number[mine.number] == mine_after(mine, by_number)
    assert by_number[other.number].title == "Session 3: Other" and by_number[other.number].state == "open"
    assert set(by_number[mine.number].labels) == {label, "status:done"}


def mine_after(mine: Issue, by_number: dict[int, Issue]) -> Issue:
    after = by_number[mine.number]
    assert (after.title, after.body, after.state) == (mine.title, mine.body, mine.state)
    return after


def test_safety_refuses_mass_close_unless_forced(bot: Bot) -> None:
    rows = {str(k): (f"Unit {k}", "⏳ Waiting", "None") for k in range(1, 13)}
    bot.sync(tracker_md(rows))
    done = {k: (t, "✅ Done", p) for k, (t, _, p) in rows.items()}
    with pytest.raises(UserError, match="--force"):
        bot.sync(tracker_md(done))
    assert all(i.state == "open" for k, i in bot.issues().items() if k != TRACKING_KEY)
    bot.sync(tracker_md(done), force=True)
    assert all(i.state == "closed" for k, i in bot.issues().items() if k != TRACKING_KEY)


class Crash(Exception):
    pass


class CrashingForge:
    """Delegates to a forge and fails the write after ``allowed`` writes, as a killed process would."""

    WRITES = frozenset(
        {
            "create_issue",
            "update_issue",
            "create_label",
            "update_label",
            "create_milestone",
            "update_milestone",
            "add_blocked_by",
            "remove_blocked_by",
            "create_comment",
            "update_comment",
        }
    )

    def __init__(self, inner: Forge, allowed: int) -> None:
        self.inner = inner
        self.allowed = allowed

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name not in self.WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            if self.allowed <= 0:
                raise Crash(name)
            self.allowed -= 1
            return attr(*args, **kwargs)

        return write


CHANGED = dict(ROWS) | {
    "2": ("Model", "✅ Done", "Session 1"),
    "4": ("UI", "⏳ Waiting", "Session 3"),
    "5": ("Docs", "⏳ Waiting", "Session 4"),
}


@pytest.mark.parametrize("scenario", ["first", "change"])
def test_crash_after_every_k_actions_converges(forge_factory: Any, scenario: str) -> None:
    start = tracker_md(ROWS)
    target = tracker_md(CHANGED) if scenario == "change" else start
    probe = Bot(forge_factory())
    if scenario == "change":
        probe.sync(start)
    n = len(probe.plan(target).actions)
    assert n > 5
    for k in range(n):
        forge = forge_factory()
        bot = Bot(forge)
        if scenario == "change":
            bot.sync(start)
        crashing = Bot(CrashingForge(forge, k))  # type: ignore[arg-type]
        with pytest.raises(Crash):
            crashing.sync(target)
        bot.sync(target)  # the re-run, on a healthy process
        assert bot.plan(target).empty, f"k={k}: not converged"
        issues = bot.issues()  # asserts one issue per key
        assert set(issues) == set(read(target).by_key()) | {TRACKING_KEY}
        titles = [m.title for m in forge.list_milestones()]
        assert len(titles) == len(set(titles)), f"k={k}: duplicate milestones {titles}"
        links = getattr(forge, "all_links", None)
        if links is not None:
            pairs = links()
            assert len(pairs) == len(set(pairs)) == len(bot.desired(target).links), f"k={k}: links {pairs}"
