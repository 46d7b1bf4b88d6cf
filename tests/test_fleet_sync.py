"""A fleet tracker syncs with no clone: read at the branch head, trailers from the commits listing, the
bot's commit by contents PUT with the blob ``sha`` as the compare-and-swap (409 → read again, retry).

Real HTTP through PyGithub against the loopback GitHub emulator, authenticated as the App's installation;
no working tree exists anywhere in these tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from emulators.github import GitHubEmulator

from syncbot.fleet.config import CONFIG_PATH
from syncbot.fleet.setup import FleetSetup, build_fleet
from syncbot.fleet.sync import WriteSpacing
from syncbot.forge.github import GitHubForge
from syncbot.settings import Settings
from syncbot.trailers import is_bot_commit

APP_ID = 5151
REPO = "acme/api"
TRACKER = "docs/TRACKER.md"
TEXT = """# API tracker

| # | Session | Status |
|---|---------|--------|
| 1 | Setup | ✅ Done |
| 2 | Model | ⏳ Planned |
| 3 | API | ⏳ Planned |
"""


@pytest.fixture
def gh(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.app_id = APP_ID
    github_emulator.add_installation(21, "acme", [REPO])
    files = {TRACKER: TEXT, CONFIG_PATH: f'path = "{TRACKER}"\n'}
    github_emulator.commit(REPO, "Add the tracker and syncbot's file", files)
    return github_emulator


@pytest.fixture
def setup(gh: GitHubEmulator, private_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FleetSetup:
    monkeypatch.chdir(tmp_path)  # no git repository anywhere near
    settings = Settings(
        _env_file=None,
        github_url=gh.base_url,
        github_app_id=APP_ID,
        github_app_private_key=private_key,
        state_dir=tmp_path / "state",
    )
    built = build_fleet(settings, seconds_between_writes=0, backoff_factor=0)
    built.fleet.reconcile()
    return built


def tracker_text(gh: GitHubEmulator) -> str:
    return gh.repos[REPO].files["main"][TRACKER].text.decode()


def puts(gh: GitHubEmulator) -> list[int]:
    return [s for m, p, s in gh.log if m == "PUT" and "/contents/" in p]


def test_a_trailer_updates_the_tracker_through_the_contents_api(gh: GitHubEmulator, setup: FleetSetup) -> None:
    [tracker] = setup.fleet.trackers()
    first = setup.sync(tracker)
    assert first.ok and puts(gh) == []  # nothing to write back yet: issues created
    issues = gh.repos[REPO].issues
    assert {i["title"] for i in issues.values()} >= {"Session 2: Model", "Session 3: API"}

    gh.commit(REPO, "Wire the API\n\nSession: 3 done\n", {"api.py": "print('hi')\n"})
    outcome = setup.sync(tracker)
    assert outcome.ok and puts(gh) == [200]
    assert "| 3 | API | ✅ Done |" in tracker_text(gh)
    assert "| 2 | Model | ⏳ Planned |" in tracker_text(gh)
    newest = gh.repos[REPO].commits["main"][0]
    assert is_bot_commit(newest["message"]) and newest["message"].startswith("syncbot: update TRACKER.md (3)")
    [three] = [i for i in issues.values() if i["title"] == "Session 3: API"]
    assert three["state"] == "closed"
    # The installation's token was minted once and reused by both syncs and the discovery.
    assert len([p for m, p, s in gh.log if m == "POST" and p.endswith("/access_tokens")]) == 1

    # A third sync has nothing to do: no write, no new commit.
    commits = len(gh.repos[REPO].commits["main"])
    assert setup.sync(tracker).ok and puts(gh) == [200]
    assert len(gh.repos[REPO].commits["main"]) == commits


def test_a_concurrent_edit_is_a_409_and_the_sync_retries_without_losing_it(
    gh: GitHubEmulator, setup: FleetSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    [tracker] = setup.fleet.trackers()
    setup.sync(tracker)
    gh.commit(REPO, "Wire the API\n\nSession: 3 done\n", {})
    person = TEXT.replace("| 1 | Setup |", "| 1 | Set-up of CI |")
    real = GitHubForge.write_file
    calls: list[str | None] = []

    def racing(self: GitHubForge, path: str, text: str, message: str, version: str | None, branch: Any = None) -> str:
        if not calls:  # a person's commit lands between the bot's read and its write
            gh.commit(REPO, "Rename session 1", {TRACKER: person})
        calls.append(version)
        return real(self, path, text, message, version, branch)

    monkeypatch.setattr(GitHubForge, "write_file", racing)
    assert setup.sync(tracker).ok
    assert puts(gh) == [409, 200] and calls[0] != calls[1]
    text = tracker_text(gh)
    assert "| 1 | Set-up of CI | ✅ Done |" in text, "the person's edit was lost"
    assert "| 3 | API | ✅ Done |" in text, "the bot's edit was lost"
    messages = [c["message"] for c in gh.repos[REPO].commits["main"][:2]]
    assert is_bot_commit(messages[0]) and messages[1] == "Rename session 1"


def test_a_tracker_no_longer_served_is_refused(gh: GitHubEmulator, setup: FleetSetup) -> None:
    [tracker] = setup.fleet.trackers()
    gh.commit(REPO, "Stop syncing", {CONFIG_PATH: 'path = "OTHER.md"\n'})
    setup.fleet.reconcile()
    with pytest.raises(Exception, match="no longer served"):
        setup.sync(tracker)


def test_writes_of_one_installation_are_spaced_across_its_syncs(gh: GitHubEmulator, setup: FleetSetup) -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    spacing = WriteSpacing(1.0, clock=lambda: now[0], sleep=sleep)
    spacing.wait()  # the first write goes at once
    spacing.wait()  # the next waits for its slot
    now[0] += 0.25
    spacing.wait()
    now[0] += 10  # idle: no wait
    spacing.wait()
    assert slept == [1.0, 0.75]

    # Every adapter of one installation shares one spacing; the emulator's writes are unspaced here.
    gh.add_installation(21, "acme", ["acme/web"])
    gh.commit("acme/web", "Add", {CONFIG_PATH: 'path = "T.md"\n'})
    setup.fleet.reconcile()
    api, web = setup.fleet.trackers()
    gates = [setup.sync.forge_for(t)._seam.before_write for t in (api, web)]
    assert gates[0].__self__ is gates[1].__self__ is setup.sync.spacing(21)
    assert setup.sync.spacing(21).interval == 0
