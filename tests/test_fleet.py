"""A GitHub App fleet: repositories discover themselves (issue 13, part 1).

Everything runs through PyGithub over real HTTP against the loopback GitHub emulator: the App's JWT lists
installations, installation tokens list repositories and read ``.github/syncbot.toml``, and webhooks
(``installation``, ``installation_repositories``, ``push``) keep the served set current.  Token caching
is checked with a fake clock; no token, JWT or key reaches a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from emulators.github import GitHubEmulator
from loguru import logger

from syncbot.auth import Token
from syncbot.fleet.client import GitHubAppClient
from syncbot.fleet.config import CONFIG_PATH, RepoConfigError, TrackerDefaults, parse_repo_config
from syncbot.fleet.discovery import Fleet
from syncbot.fleet.payloads import config_touched
from syncbot.fleet.setup import build_fleet, fleet_configured
from syncbot.fleet.tokens import TokenPool
from syncbot.settings import Settings
from syncbot.webhooks import Delivery

APP_ID = 5150
ORG = "acme"


@pytest.fixture
def gh(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.app_id = APP_ID
    return github_emulator


def settings_for(gh: GitHubEmulator, key: str, tmp_path: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "github_url": gh.base_url,
        "github_app_id": APP_ID,
        "github_app_private_key": key,
        "state_dir": tmp_path / "state",
        **kw,
    }
    return Settings(_env_file=None, **values)


def with_config(gh: GitHubEmulator, repo: str, text: str) -> None:
    gh.commit(repo, "Configure syncbot", {CONFIG_PATH: text})


def served(fleet: Fleet) -> list[str]:
    return [t.id for t in fleet.trackers()]


def delivery(event: str, payload: dict[str, Any]) -> Delivery:
    return Delivery("github", event, f"d-{event}", payload)


# -- the repository's own file ------------------------------------------------------------------------


def test_config_one_entry_or_several_with_defaults_inherited() -> None:
    defaults = TrackerDefaults(trailer_key="Task", milestones="wave", schedule="5m")
    [one] = parse_repo_config('path = "docs/TRACKER.md"\n', "acme/api", defaults)
    assert one.id == "github:acme/api:docs/TRACKER.md"
    assert (one.trailer_key, one.milestones, one.schedule) == ("Task", "wave", "5m")
    two = parse_repo_config(
        '[[trackers]]\npath = "A.md"\ntrailer_key = "Session"\n\n[[trackers]]\npath = "B.md"\n'
        '[trackers.read]\nstatus = "Zustand"\n',
        "acme/api",
    )
    assert [t.path.as_posix() for t in two] == ["A.md", "B.md"]
    assert two[0].trailer_key == "Session" and two[1].read == {"status": "Zustand"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("path = ", "not valid TOML"),
        ("", "empty"),
        ('pth = "T.md"', "pth"),
        ('path = "T.md"\nschedule = "soon"', "schedule"),
        ('path = "../other/T.md"', "inside the repository"),
        ('path = "/etc/passwd"', "inside the repository"),
        ('path = "T.md"\nrepo = "acme/other"', "configures only itself"),
        ('path = "T.md"\nforge = "gitlab"', "forge"),
        ('[[trackers]]\npath = "T.md"\n[[trackers]]\npath = "T.md"', "listed twice"),
        ('trackers = "T.md"', "[[trackers]] tables"),
    ],
)
def test_config_errors_name_the_file_and_the_fix(text: str, says: str) -> None:
    with pytest.raises(RepoConfigError) as err:
        parse_repo_config(text, "acme/api")
    assert says in str(err.value) and f"acme/api: {CONFIG_PATH}" in str(err.value)


# -- one token per installation, cached until near its expiry ---------------------------------------------


def test_token_pool_mints_once_per_installation_and_again_near_expiry() -> None:
    now = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]
    minted: list[int] = []

    def mint(installation_id: int) -> Token:
        minted.append(installation_id)
        return Token(f"tok-{installation_id}-{len(minted)}", now[0] + timedelta(hours=1))

    pool = TokenPool(mint, margin=300, clock=lambda: now[0])
    assert pool.get(1) == "tok-1-1" and pool.get(1) == "tok-1-1" and pool.get(2) == "tok-2-2"
    source = pool.source(1)
    now[0] += timedelta(minutes=54)  # six minutes left: still fresh
    assert source() == "tok-1-1" and minted == [1, 2]
    now[0] += timedelta(minutes=2)  # four minutes left: inside the margin, minted again
    assert source() == "tok-1-3" and pool.get(1) == "tok-1-3" and minted == [1, 2, 1]
    pool.forget(2)
    assert pool.get(2) == "tok-2-4"
    assert "tok-" not in repr(pool)


# -- discovery through the App's JWT and installation tokens ---------------------------------------------


@pytest.fixture
def fleet_gh(gh: GitHubEmulator) -> GitHubEmulator:
    """Two installations: acme (a configured repo, one without a file, one with a bad file) and umbrella
    (a configured repo with two trackers); a third, suspended, is never read."""
    gh.add_installation(11, ORG, ["acme/api", "acme/web", "acme/broken"])
    gh.add_installation(12, "umbrella", ["umbrella/core"])
    gh.add_installation(13, "gone", ["gone/repo"]).suspended_at = "2026-01-02T00:00:00Z"
    with_config(gh, "acme/api", 'path = "TRACKER.md"\n')
    with_config(gh, "acme/broken", 'path = "T.md"\nmilestones = "sometimes"\n')
    with_config(gh, "umbrella/core", '[[trackers]]\npath = "a.md"\n[[trackers]]\npath = "docs/b.md"\n')
    with_config(gh, "gone/repo", 'path = "T.md"\n')
    gh.add_repo("acme/web").files["main"] = {}
    return gh


def test_reconcile_serves_configured_repositories_and_reports_bad_files(
    fleet_gh: GitHubEmulator, private_key: str, tmp_path: Path
) -> None:
    setup = build_fleet(settings_for(fleet_gh, private_key, tmp_path))
    changes = setup.fleet.reconcile()
    assert served(setup.fleet) == [
        "github:acme/api:TRACKER.md",
        "github:umbrella/core:a.md",
        "github:umbrella/core:docs/b.md",
    ]
    assert len(changes.added) == 3 and not changes.removed
    problems = setup.fleet.problems()
    assert list(problems) == ["acme/broken"] and "milestones" in problems["acme/broken"]
    assert setup.fleet.installation_of("umbrella/core") == 12 and setup.fleet.installation_of("acme/web") is None
    minted = [p for m, p, s in fleet_gh.log if m == "POST" and p.endswith("/access_tokens")]
    assert sorted(minted) == ["/app/installations/11/access_tokens", "/app/installations/12/access_tokens"]

    # A second reconcile of an unchanged fleet: every GET is conditional and answered 304 (but the 404 of
    # the repository without a file), and no token is minted.
    first = len(fleet_gh.log)
    assert not setup.fleet.reconcile()
    again = [s for m, p, s in fleet_gh.log[first:]]
    assert sorted(again) == [304] * 6 + [404]
    assert len([p for m, p, s in fleet_gh.log if m == "POST"]) == 2


def test_repository_listings_are_followed_page_by_page(gh: GitHubEmulator, private_key: str, tmp_path: Path) -> None:
    names = [f"{ORG}/r{i:03}" for i in range(130)]
    gh.add_installation(11, ORG, names)
    for name in names[::40]:
        with_config(gh, name, 'path = "T.md"\n')
    setup = build_fleet(settings_for(gh, private_key, tmp_path))
    setup.fleet.reconcile()
    assert served(setup.fleet) == [f"github:{n}:T.md" for n in names[::40]]
    pages = [p for m, p, s in gh.log if p.startswith("/installation/repositories")]
    assert len(pages) == 2 and "page=2" in pages[1]


def test_webhooks_keep_the_served_set_current(fleet_gh: GitHubEmulator, private_key: str, tmp_path: Path) -> None:
    gh = fleet_gh
    setup = build_fleet(settings_for(gh, private_key, tmp_path))
    fleet = setup.fleet
    fleet.reconcile()
    acme = {"id": 11, "account": {"login": ORG}}

    # A repository joins the installation with its file: served.
    gh.add_installation(11, ORG, ["acme/mobile"])
    with_config(gh, "acme/mobile", 'path = "PLAN.md"\n')
    added = fleet.apply(
        delivery(
            "installation_repositories",
            {"action": "added", "installation": acme, "repositories_added": [{"full_name": "acme/mobile"}]},
        )
    )
    assert [t.id for t in added.added] == ["github:acme/mobile:PLAN.md"]

    # Its file changes on the default branch: read again, the tracker moves.
    gh.commit("acme/mobile", "Rename", {CONFIG_PATH: 'path = "docs/PLAN.md"\ntrailer_key = "Task"\n'})
    push = {
        "ref": "refs/heads/main",
        "installation": acme,
        "repository": {"full_name": "acme/mobile", "default_branch": "main"},
        "commits": [{"added": [], "modified": [CONFIG_PATH], "removed": []}],
    }
    moved = fleet.apply(delivery("push", push))
    assert [t.id for t in moved.added] == ["github:acme/mobile:docs/PLAN.md"]
    assert [t.id for t in moved.removed] == ["github:acme/mobile:PLAN.md"]
    [now] = [t for t in fleet.trackers() if t.repo == "acme/mobile"]
    assert now.trailer_key == "Task"

    # A push that does not touch the file, or to another branch, reads nothing.
    reads = len(gh.log)
    other = {**push, "commits": [{"added": ["README.md"], "modified": [], "removed": []}]}
    assert not fleet.apply(delivery("push", other))
    assert not fleet.apply(delivery("push", {**push, "ref": "refs/heads/feature"}))
    assert len(gh.log) == reads

    # A bad edit is reported and the repository serves nothing until it is fixed.
    gh.commit("acme/mobile", "Oops", {CONFIG_PATH: "path = \n"})
    broke = fleet.apply(delivery("push", push))
    assert [t.id for t in broke.removed] == ["github:acme/mobile:docs/PLAN.md"]
    assert "not valid TOML" in fleet.problems()["acme/mobile"]

    # The repository leaves the installation.
    gh.installations[11].repos.remove("acme/api")
    removed = fleet.apply(
        delivery(
            "installation_repositories",
            {"action": "removed", "installation": acme, "repositories_removed": [{"full_name": "acme/api"}]},
        )
    )
    assert [t.id for t in removed.removed] == ["github:acme/api:TRACKER.md"]

    # The whole installation is deleted, then a new one is created.
    deleted = fleet.apply(delivery("installation", {"action": "deleted", "installation": {"id": 12}}))
    assert {t.repo for t in deleted.removed} == {"umbrella/core"}
    gh.add_installation(14, "newco", ["newco/app"])
    with_config(gh, "newco/app", 'path = "T.md"\n')
    created = fleet.apply(delivery("installation", {"action": "created", "installation": {"id": 14}}))
    assert [t.id for t in created.added] == ["github:newco/app:T.md"]
    assert served(fleet) == ["github:newco/app:T.md"]

    # Other events, and deliveries of other forges, change nothing.
    assert not fleet.apply(delivery("issues", {"action": "closed", "installation": {"id": 14}}))


def test_a_repository_that_cannot_be_read_keeps_what_it_served(
    fleet_gh: GitHubEmulator, private_key: str, tmp_path: Path
) -> None:
    setup = build_fleet(settings_for(fleet_gh, private_key, tmp_path))
    setup.fleet.reconcile()
    fleet_gh.inject(500, {"message": "Server Error"}, times=20, method="GET")
    push = {
        "ref": "refs/heads/main",
        "installation": {"id": 11},
        "repository": {"full_name": "acme/api", "default_branch": "main"},
        "commits": [{"modified": [CONFIG_PATH]}],
    }
    fleet = setup.fleet
    assert not fleet.apply(delivery("push", push))
    assert "github:acme/api:TRACKER.md" in served(fleet)
    assert "cannot read" in fleet.problems()["acme/api"]
    fleet_gh.injected.clear()


def test_push_payloads_that_may_hide_the_file_are_read() -> None:
    assert config_touched({"commits": [{"removed": [CONFIG_PATH]}]})
    assert config_touched({"forced": True, "commits": []})
    assert config_touched({})
    assert not config_touched({"commits": [{"modified": ["README.md"]}]})


def test_one_installation_only_when_its_id_is_set(fleet_gh: GitHubEmulator, private_key: str, tmp_path: Path) -> None:
    setup = build_fleet(settings_for(fleet_gh, private_key, tmp_path, github_app_installation_id=12))
    setup.fleet.reconcile()
    assert {t.repo for t in setup.fleet.trackers()} == {"umbrella/core"}


def test_fleet_mode_is_app_credentials_and_no_trackers(private_key: str, tmp_path: Path) -> None:
    base: dict[str, Any] = {"github_app_id": APP_ID, "github_app_private_key": private_key, "state_dir": tmp_path}
    assert fleet_configured(Settings(_env_file=None, **base))
    assert not fleet_configured(Settings(_env_file=None, **base, tracker=Path("T.md")))
    assert not fleet_configured(Settings(_env_file=None, state_dir=tmp_path))


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), level="DEBUG")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="github")
    yield lines
    logger.remove(sink)


def test_no_token_jwt_or_key_in_logs_or_errors(
    fleet_gh: GitHubEmulator, private_key: str, tmp_path: Path, captured: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    setup = build_fleet(settings_for(fleet_gh, private_key, tmp_path))
    setup.fleet.reconcile()
    fleet_gh.expire_installation_tokens()
    setup.fleet.reconcile()  # the cached tokens are refused now: reported per installation, nothing leaks
    mints = len([p for m, p, s in fleet_gh.log if m == "POST"])
    assert not setup.fleet.reconcile() and len([p for m, p, s in fleet_gh.log if m == "POST"]) == mints + 2
    wrong = GitHubAppClient(fleet_gh.base_url, APP_ID + 1, private_key, setup.tokens)
    with pytest.raises(Exception) as refused:
        wrong.installations()
    captured += [f"{r.getMessage()} {r.args}" for r in caplog.records] + [str(refused.value), repr(setup)]
    text = "\n".join(captured)
    assert any("installation" in ln for ln in captured)
    key_lines = [ln for ln in private_key.splitlines() if ln and not ln.startswith("-----")]
    for secret in [*fleet_gh.installation_tokens, *fleet_gh.jwts_seen, *key_lines]:
        assert secret not in text


def test_repository_events_rename_transfer_and_archive(
    fleet_gh: GitHubEmulator, private_key: str, tmp_path: Path
) -> None:
    setup = build_fleet(settings_for(fleet_gh, private_key, tmp_path))
    fleet = setup.fleet
    fleet.reconcile()
    acme = {"id": 11}

    fleet_gh.rename_repo("acme/api", "acme/backend")
    renamed = {
        "action": "renamed",
        "installation": acme,
        "repository": {"full_name": "acme/backend", "name": "backend", "owner": {"login": "acme"}},
        "changes": {"repository": {"name": {"from": "api"}}},
    }
    moved = fleet.apply(delivery("repository", renamed))
    assert [t.id for t in moved.added] == ["github:acme/backend:TRACKER.md"]
    assert [t.id for t in moved.removed] == ["github:acme/api:TRACKER.md"]

    fleet_gh.rename_repo("acme/backend", "newowner/backend")
    transferred = {
        "action": "transferred",
        "installation": acme,
        "repository": {"full_name": "newowner/backend", "name": "backend", "owner": {"login": "newowner"}},
        "changes": {"owner": {"from": {"organization": {"login": "acme"}}}},
    }
    assert [t.repo for t in fleet.apply(delivery("repository", transferred)).added] == ["newowner/backend"]

    archived = {"action": "archived", "installation": acme, "repository": {"full_name": "newowner/backend"}}
    assert [t.repo for t in fleet.apply(delivery("repository", archived)).removed] == ["newowner/backend"]
    fleet_gh.repos["newowner/backend"].archived = True
    assert "newowner/backend" not in {t.repo for t in fleet.trackers()}
    fleet.reconcile()  # an archived repository is never served, even with its file
    assert "newowner/backend" not in {t.repo for t in fleet.trackers()}
