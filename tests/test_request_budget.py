"""A first sync larger than the hourly request budget: it does what fits, stops cleanly saying when the
budget resets and what remains, and the next sync continues without duplicates.

Against the loopback GitHub emulator through the real adapter; the budget is made small, not the tracker.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from emulators import GITHUB_TOKEN
from emulators.github import GitHubEmulator

from syncbot.apply import RATE_RESERVE, apply_plan, forge_state
from syncbot.desired import build_desired
from syncbot.forge.base import BudgetSpent
from syncbot.forge.github import GitHubForge
from syncbot.markers import parse
from syncbot.model import Session, Status, Tracker
from syncbot.plan import plan_sync

REPO = "o/r"
RESET = 1_900_000_000  # 2030-03-17 17:46:40 UTC


def tracker(n: int) -> Tracker:
    sessions = [
        Session(str(i), f"Unit {i}", Status.PLANNED, "planned", [str(i - 1)] if i > 1 else []) for i in range(1, n + 1)
    ]
    return Tracker(path="T.md", title="T", shape="table", sessions=sessions)


def sync(gh: GitHubEmulator, n: int) -> int:
    forge = GitHubForge(REPO, GITHUB_TOKEN, gh.base_url, seconds_between_writes=0, backoff_factor=0)
    desired = build_desired(tracker(n))
    plan = plan_sync(desired, forge_state(forge, desired))
    apply_plan(plan, forge, progress=False)
    return len(plan.actions)


def test_a_sync_over_budget_stops_cleanly_and_the_next_one_continues(github_emulator: GitHubEmulator) -> None:
    gh = github_emulator
    gh.add_repo(REPO)
    gh.rate_remaining, gh.rate_reset = 60, RESET
    with pytest.raises(BudgetSpent) as spent:
        sync(gh, 40)  # about 40 creates, 39 links, labels and the tracking issue: more than 60 - reserve
    exc = spent.value
    assert exc.reset_at == datetime.fromtimestamp(RESET, UTC)
    assert gh.rate_remaining >= RATE_RESERVE  # the reserve is kept for the summary and people
    assert exc.done > 0 and exc.left > 0
    assert f"{exc.left} remain (" in str(exc) and "create issue" in str(exc)
    assert "it resets at 2030-03-17 17:46 UTC" in str(exc)

    gh.rate_remaining = 5_000  # the reset
    sync(gh, 40)
    keys = [p.key for i in gh.repos[REPO].issues.values() if (p := parse(i["body"]))]
    assert sorted(keys) == sorted([*map(str, range(1, 41)), "@tracking"])  # each once: no duplicates
    assert sync(gh, 40) == 0  # in step


def test_stopped_among_the_links_it_records_them_so_the_next_hour_adds_only_the_rest(
    github_emulator: GitHubEmulator,
) -> None:
    gh = github_emulator
    gh.add_repo(REPO)
    gh.rate_remaining, gh.rate_reset = 65, RESET  # every issue fits in the first hour, not every link
    with pytest.raises(BudgetSpent) as spent:
        sync(gh, 30)
    assert "add blocked by" in str(spent.value) and "create issue" not in str(spent.value)
    assert "the tracking issue records the links made so far" in str(spent.value)
    tracking = [i for i in gh.repos[REPO].issues.values() if (p := parse(i["body"])) and p.key == "@tracking"]
    assert len(tracking) == 1  # written from the reserve, with the links made so far
    gh.rate_remaining = 5_000
    assert sync(gh, 30) == spent.value.left + 1  # the links left and the tracking issue: nothing again
    assert sync(gh, 30) == 0
