"""The forges' documented limits, enforced by the local forge and both emulators so a test sees what
GitHub or GitLab would refuse; and a shared label someone else created first counts as created.

GitHub: titles ≤ 256, bodies and comments ≤ 65,536, label names ≤ 50 and descriptions ≤ 100 (422).
GitLab: titles ≤ 255, descriptions and notes ≤ 1 MB (400); a label that exists is a 409.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from emulators import GITHUB_TOKEN, GITLAB_TOKEN
from emulators.github import GitHubEmulator
from emulators.gitlab import GitLabEmulator

from syncbot.apply import apply_plan, forge_state
from syncbot.desired import build_desired
from syncbot.forge.base import AlreadyExistsError, Forge, ForgeError, IssueChange, Label
from syncbot.forge.github import GitHubForge
from syncbot.forge.gitlab import GitLabForge
from syncbot.forge.local import LocalForge
from syncbot.model import Session, Status, Tracker
from syncbot.plan import plan_sync

# (forge, longest title, longest body, longest label description) per forge
Limits = tuple[Forge, int, int, int | None]


@pytest.fixture(params=["local", "github", "gitlab"])
def limits(request: pytest.FixtureRequest, tmp_path: Path) -> Limits:
    if request.param == "local":
        return LocalForge(tmp_path / "forge.db"), 256, 65_536, 100
    if request.param == "github":
        gh: GitHubEmulator = request.getfixturevalue("github_emulator")
        gh.add_repo("o/r")
        forge = GitHubForge("o/r", GITHUB_TOKEN, gh.base_url, seconds_between_writes=0, backoff_factor=0)
        return forge, 256, 65_536, 100
    gl: GitLabEmulator = request.getfixturevalue("gitlab_emulator")
    gl.add_project("g/p")
    return GitLabForge("g/p", GITLAB_TOKEN, gl.base_url), 255, 1_048_576, None


def test_titles_and_bodies_up_to_the_limit_pass_and_one_more_is_refused(limits: Limits) -> None:
    forge, title, body, _ = limits
    issue = forge.create_issue("t" * title, "b" * body, [], None)
    with pytest.raises(ForgeError):
        forge.create_issue("t" * (title + 1), "b", [], None)
    with pytest.raises(ForgeError):
        forge.create_issue("t", "b" * (body + 1), [], None)
    with pytest.raises(ForgeError):
        forge.update_issue(issue.number, IssueChange(body="b" * (body + 1)))
    forge.create_comment(issue.number, "c" * body)
    with pytest.raises(ForgeError):
        forge.create_comment(issue.number, "c" * (body + 1))


def test_label_descriptions_over_the_limit_are_refused(limits: Limits) -> None:
    forge, _, _, description = limits
    if description is None:
        pytest.skip("GitLab documents no limit on a label's description")
    forge.create_label(Label("fits", "ededed", "d" * description))
    with pytest.raises(ForgeError):
        forge.create_label(Label("too-long", "ededed", "d" * (description + 1)))


def test_a_label_that_exists_already_is_reported_as_such(limits: Limits) -> None:
    forge = limits[0]
    forge.create_label(Label("status:done", "5319e7", "Status: done"))
    with pytest.raises(AlreadyExistsError):
        forge.create_label(Label("status:done", "5319e7", "Status: done"))


def _tracker(path: str) -> Tracker:
    return Tracker(path=path, title="", shape="table", sessions=[Session("1", "One", Status.DONE, "Done", [])])


def test_two_trackers_racing_for_a_shared_label_both_sync(tmp_path: Path) -> None:
    forge = LocalForge(tmp_path / "forge.db")
    desired = build_desired(_tracker("a.md"))
    plan = plan_sync(desired, forge_state(forge, desired))
    # Between this tracker's listing and its writes, another tracker's sync creates the shared labels.
    for label in desired.labels:
        if not label.name.startswith("tracker:"):
            forge.create_label(label)
    apply_plan(plan, forge, progress=False)
    assert [i.title for i in forge.all_issues()] == ["Session 1: One", "Tracking: a.md"]  # no 422


def test_a_long_tracker_path_gives_labels_within_githubs_limits() -> None:
    desired = build_desired(_tracker("/".join(["a-long-directory-name"] * 8) + "/TRACKER.md"))
    assert all(len(lb.name) <= 50 and len(lb.description) <= 100 for lb in desired.labels)
