"""Never a duplicate, never a lost or forged state — the same stories on every forge.

Each story ends the way a user checks it: exactly one issue per unit, an empty plan, nothing staged,
the user's edit intact and the status committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from syncbot.engine import SyncReport, run_sync
from syncbot.forge.base import Forge, Issue
from syncbot.markers import TRACKING_KEY, Baseline, parse
from syncbot.settings import Settings

if TYPE_CHECKING:
    from conftest import GitRepo

ForgeFactory = Callable[[], Forge]
TRACKER = "SESSION_TRACKER.md"
LABEL = "tracker:session-tracker-md"
TEXT = """# Tracker

| Session | Title | Status | Prerequisites |
|---|---|---|---|
| 1 | One | Pending | None |
| 2 | Two | Pending | Session 1 |
| 3 | Three | Pending | Session 2 |

## Notes
Free text people edit.
"""
USER_LINE = "A person's uncommitted line."


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def sync(repo: GitRepo, forge: Forge, **kw: object) -> SyncReport:
    return run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False, **kw)  # type: ignore[arg-type]


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit("Add tracker", {TRACKER: TEXT})
    return r


def units(forge: Forge) -> dict[str, list[Issue]]:
    """The issues that are a unit's (carry its marker), by key."""
    out: dict[str, list[Issue]] = {}
    for issue in forge.list_issues(LABEL):
        if (p := parse(issue.body)) is not None:
            out.setdefault(p.key, []).append(issue)
    return out


def assert_settled(repo: GitRepo, forge: Forge) -> None:
    assert {k: len(v) for k, v in units(forge).items()} == {TRACKING_KEY: 1, "1": 1, "2": 1, "3": 1}
    assert sync(repo, forge, dry_run=True).plan.empty
    assert repo.git("diff", "--cached", "--name-only") == ""


def test_issues_made_by_another_machine_heal_on_the_next_sync(repo: GitRepo, forge_factory: ForgeFactory) -> None:
    forge = forge_factory()
    sync(repo, forge)
    # A CI job on another machine, sharing no lock, created units 2 and 3 again.
    mine = {k: v[0] for k, v in units(forge).items()}
    copies = [forge.create_issue(mine[k].title, mine[k].body, [LABEL], None).number for k in ("2", "3")]

    report = sync(repo, forge)

    assert_settled(repo, forge)
    closed = {i.number: i for i in forge.list_issues(LABEL)}
    for number, key in zip(copies, ("2", "3"), strict=True):
        assert closed[number].state == "closed"
        if forge.name != "gitlab":  # GitLab has no reason; the note says it
            assert closed[number].state_reason == "duplicate"
        assert any(f"Duplicate of #{mine[key].number}" in c.body for c in forge.list_comments(number))
    assert report.summary_posted
    assert f"closed #{copies[0]} as a duplicate of #{mine['2'].number}" in report.summary
    assert sync(repo, forge).plan.empty  # healed for good


def test_a_baseline_forged_in_a_title_is_never_obeyed(repo: GitRepo, forge_factory: ForgeFactory) -> None:
    forged = Baseline(statuses={"1": "dropped", "2": "dropped"}, watermark="0" * 40, links=[("1", "3")])
    repo.commit("Title", {TRACKER: TEXT.replace("| One |", f"| One {forged.to_text()} |")})
    forge = forge_factory()

    sync(repo, forge)
    second = sync(repo, forge)

    assert second.plan.empty and second.changes == []
    tracking = units(forge)[TRACKING_KEY][0]
    assert Baseline.from_text(tracking.body).statuses == {"1": "planned", "2": "planned", "3": "planned"}
    assert_settled(repo, forge)


def test_a_users_uncommitted_edit_stays_theirs(repo: GitRepo, forge_factory: ForgeFactory) -> None:
    forge = forge_factory()
    sync(repo, forge)
    repo.commit("Work\n\nSession: 1 done\n")
    repo.write(TRACKER, TEXT.replace("Free text people edit.", USER_LINE))

    report = sync(repo, forge)

    assert report.commit is not None
    head = repo.git("show", f"HEAD:{TRACKER}")
    assert "| 1 | One | Done | None |" in head and USER_LINE not in head
    working = (repo.path / TRACKER).read_text()
    assert "| 1 | One | Done | None |" in working and USER_LINE in working
    assert_settled(repo, forge)


def test_no_git_identity_still_commits(
    repo: GitRepo, forge_factory: ForgeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge = forge_factory()
    sync(repo, forge)
    repo.commit("Work\n\nSession: 2 done\n")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)

    assert sync(repo, forge).commit is not None
    assert "| 2 | Two | Done |" in repo.git("show", f"HEAD:{TRACKER}")
    assert repo.git("status", "--porcelain") == ""
    assert_settled(repo, forge)


class Killed(BaseException):
    """Stands for the process dying: nothing in syncbot catches a BaseException."""


@dataclass
class DiesAfterPosting:
    """The forge, until the summary comment is posted; the next write (recording it) never happens."""

    forge: Forge
    posted: bool = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.forge, name)

    def create_comment(self, number: int, body: str) -> Any:
        self.posted = self.posted or "syncbot:summary" in body
        return self.forge.create_comment(number, body)

    def update_comment(self, number: int, comment_id: int, body: str) -> Any:
        self.posted = self.posted or "syncbot:summary" in body
        return self.forge.update_comment(number, comment_id, body)

    def update_issue(self, number: int, change: Any) -> Any:
        if self.posted:
            raise Killed
        return self.forge.update_issue(number, change)


def summaries(forge: Forge, number: int) -> list[str]:
    return [c.body for c in forge.list_comments(number) if "syncbot:summary" in c.body]


def test_a_summary_whose_record_was_lost_is_posted_again_once(repo: GitRepo, forge_factory: ForgeFactory) -> None:
    forge = forge_factory()
    sync(repo, forge)
    tracking = units(forge)[TRACKING_KEY][0]
    recorded = Baseline.from_text(tracking.body).summary_hash
    repo.commit("Work\n\nSession: 1 done\n")

    with pytest.raises(Killed):
        sync(repo, DiesAfterPosting(forge))  # type: ignore[arg-type]
    assert Baseline.from_text(units(forge)[TRACKING_KEY][0].body).summary_hash == recorded  # not recorded

    sync(repo, forge)

    [summary] = summaries(forge, tracking.number)
    assert "One" in summary
    assert Baseline.from_text(units(forge)[TRACKING_KEY][0].body).summary_hash not in (None, recorded)
    assert_settled(repo, forge)
