"""Pytest fixtures starting the emulators on 127.0.0.1 (imported by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import GITHUB_TOKEN, GITLAB_TOKEN
from .github import GitHubEmulator
from .gitlab import GitLabEmulator


@pytest.fixture
def github_emulator() -> Iterator[GitHubEmulator]:
    emulator = GitHubEmulator(tokens=(GITHUB_TOKEN,))
    emulator.start()
    yield emulator
    emulator.stop()
    assert not emulator.errors, f"the GitHub emulator failed: {emulator.errors}"


@pytest.fixture
def gitlab_emulator() -> Iterator[GitLabEmulator]:
    emulator = GitLabEmulator(tokens=(GITLAB_TOKEN,))
    emulator.start()
    yield emulator
    emulator.stop()
    assert not emulator.errors, f"the GitLab emulator failed: {emulator.errors}"
