"""The contract suite's fixtures: one ``forge_factory`` parametrised over every forge adapter.

To run the suite on another forge, add a name to ``FORGES`` and a branch to ``_make`` that returns a
fresh, empty forge (for GitHub/GitLab: an adapter pointed at the loopback emulator).  Everything else in
``tests/contract/`` speaks only the :class:`~syncbot.forge.base.Forge` protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from syncbot.forge.base import Forge
from syncbot.forge.local import LocalForge

FORGES = ["local", "github", "gitlab", "gitlab-free"]

ForgeFactory = Callable[[], Forge]


def _make(name: str, tmp_path: Path, n: int, request: pytest.FixtureRequest) -> Forge:
    if name == "local":
        return LocalForge(tmp_path / f"forge-{n}.db")
    if name == "github":  # a fresh repository on the loopback emulator (tests/emulators/github.py)
        from emulators import GITHUB_TOKEN

        from syncbot.forge.github import GitHubForge

        gh = request.getfixturevalue("github_emulator")
        gh.add_repo(f"octo/repo-{n}")
        return GitHubForge(f"octo/repo-{n}", GITHUB_TOKEN, gh.base_url, seconds_between_writes=0)
    if name.startswith("gitlab"):  # gitlab-free refuses "is blocked by" links: the "relates to" fallback
        from emulators import GITLAB_TOKEN

        from syncbot.forge.gitlab import GitLabForge

        gl = request.getfixturevalue("gitlab_emulator")
        gl.licensed = name == "gitlab"
        gl.add_project(f"group/project-{n}")
        return GitLabForge(f"group/project-{n}", GITLAB_TOKEN, gl.base_url)
    raise AssertionError(f"no factory for forge {name!r}")


@pytest.fixture(params=FORGES)
def forge_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ForgeFactory]:
    """Call it to get a fresh, empty forge (several per test are independent repositories)."""
    made: list[Forge] = []

    def factory() -> Forge:
        forge = _make(request.param, tmp_path, len(made), request)
        made.append(forge)
        return forge

    yield factory
    for forge in made:
        close = getattr(forge, "close", None)
        if callable(close):
            close()


@pytest.fixture
def forge(forge_factory: ForgeFactory) -> Forge:
    return forge_factory()
