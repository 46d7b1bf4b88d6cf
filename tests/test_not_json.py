"""A forge answer that is not JSON (a proxy's HTML page, a body cut off) ends the run with exit code 3
and one line naming the forge and the status — never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from crash import syncbot
from emulators import GITHUB_TOKEN, GITLAB_TOKEN

from syncbot.forge.base import ForgeError
from syncbot.forge.github import GitHubForge
from syncbot.forge.gitlab import GitLabForge

if TYPE_CHECKING:
    from conftest import GitRepo

PROXY_PAGE = b"<html><body>\n<h1>Sign in to the corporate proxy</h1>\n</body></html>"
CUT_OFF = b'[{"number": 1, "title": "Sess'


@pytest.mark.parametrize("body", [PROXY_PAGE, CUT_OFF], ids=["html", "cut-off"])
def test_github_names_itself_and_the_status(github_emulator: Any, body: bytes) -> None:
    github_emulator.add_repo("o/r")
    forge = GitHubForge("o/r", GITHUB_TOKEN, github_emulator.base_url, seconds_between_writes=0)
    github_emulator.inject(200, body)
    with pytest.raises(ForgeError, match=r"^GitHub answered 200 with a body that is not JSON") as caught:
        forge.list_issues("tracker:t-md")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("body", [PROXY_PAGE, CUT_OFF], ids=["html", "cut-off"])
def test_gitlab_names_itself_and_the_status(gitlab_emulator: Any, body: bytes) -> None:
    gitlab_emulator.add_project("g/p")
    forge = GitLabForge("g/p", GITLAB_TOKEN, gitlab_emulator.base_url)
    gitlab_emulator.inject(200, body)
    with pytest.raises(ForgeError, match=r"^GitLab answered 200 with a body that is not JSON"):
        forge.list_issues("tracker:t-md")


def test_an_error_page_is_named_not_shown(gitlab_emulator: Any) -> None:
    gitlab_emulator.add_project("g/p")
    forge = GitLabForge("g/p", GITLAB_TOKEN, gitlab_emulator.base_url)
    gitlab_emulator.inject(404, PROXY_PAGE)
    with pytest.raises(ForgeError) as caught:
        forge.list_issues("tracker:t-md")
    assert "a page that is not JSON" in str(caught.value) and "<html>" not in str(caught.value)


def test_the_command_exits_3_with_one_line(github_emulator: Any, git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    repo.commit("Add tracker", {"T.md": "# T\n\n| Session | Title | Status |\n|---|---|---|\n| 1 | One | Pending |\n"})
    github_emulator.add_repo("o/r")
    github_emulator.inject(200, PROXY_PAGE, times=10)
    env = {
        "SYNCBOT_FORGE": "github",
        "SYNCBOT_REPO": "o/r",
        "SYNCBOT_GITHUB_TOKEN": GITHUB_TOKEN,
        "SYNCBOT_GITHUB_URL": github_emulator.base_url,
    }
    run = syncbot(repo.path, "sync", "T.md", env=env)
    assert run.returncode == 3
    assert run.stderr.strip().splitlines() == [
        "syncbot: error: GitHub answered 200 with a body that is not JSON "
        f"(application/json, {len(PROXY_PAGE)} bytes): a proxy or login page in between, or an answer cut off; "
        "check the forge URL and try again"
    ]
