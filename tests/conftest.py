"""Shared fixtures."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from emulators.fixtures import github_emulator, gitlab_emulator  # noqa: F401 - fixtures
from pg import pg_url, postgres_server  # noqa: F401 - fixtures (a real PostgreSQL)

# --- network: loopback only ----------------------------------------------------------------------------


def pytest_recording_configure(config: pytest.Config, vcr: object) -> None:
    """Cassette replay also checks that a request is conditional exactly when the recorded one was."""

    def conditional(r1: object, r2: object) -> None:
        sent = [("if-none-match" in {k.lower() for k in r.headers}) for r in (r1, r2)]  # type: ignore[attr-defined]
        assert sent[0] == sent[1], "If-None-Match sent in one request and not the other"

    vcr.register_matcher("conditional", conditional)  # type: ignore[attr-defined]


@pytest.fixture
def allowed_hosts() -> list[str]:
    """pytest runs with --block-network; the GitHub/GitLab emulators are real HTTP servers on loopback."""
    return ["127.0.0.1"]


# --- real git repositories in tmp_path ------------------------------------------------------------------

GIT_NAME = "Ann Author"
GIT_EMAIL = "ann@example.com"
GIT_DATE = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A git that reads no user or system configuration and signs with a fixed identity and date."""
    home = tmp_path_factory.mktemp("git-home")
    (home / ".gitconfig").write_text("")
    values = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_AUTHOR_NAME": GIT_NAME,
        "GIT_AUTHOR_EMAIL": GIT_EMAIL,
        "GIT_COMMITTER_NAME": GIT_NAME,
        "GIT_COMMITTER_EMAIL": GIT_EMAIL,
        "GIT_AUTHOR_DATE": GIT_DATE,
        "GIT_COMMITTER_DATE": GIT_DATE,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@dataclass
class GitRepo:
    path: Path

    def git(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.path), *args],
            input=input,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return path

    def commit(self, message: str, files: dict[str, str] | None = None, date: str = GIT_DATE) -> str:
        """Commit ``files`` (or nothing) with ``message`` stored verbatim; return the new sha."""
        for name, text in (files or {}).items():
            self.write(name, text)
            self.git("add", "--", name)
        dates = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        self.git("commit", "--quiet", "--allow-empty", "--cleanup=verbatim", "-F", "-", input=message, env=dates)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path, git_env: dict[str, str]) -> Iterator[Callable[..., GitRepo]]:
    """Factory: ``git_repo("name")`` a work tree on ``main``, ``bare=True`` a bare one, ``clone=other``."""

    def make(name: str = "repo", *, bare: bool = False, clone: GitRepo | None = None) -> GitRepo:
        path = tmp_path / name
        if clone is not None:
            subprocess.run(["git", "clone", "--quiet", str(clone.path), str(path)], check=True)
        else:
            args = ["git", "init", "--quiet", "--initial-branch=main", *(["--bare"] if bare else []), str(path)]
            subprocess.run(args, check=True)
        return GitRepo(path)

    yield make


@pytest.fixture(scope="session")
def private_key() -> str:
    """A GitHub App's private key (PEM), made once per test run: the App tests sign JWTs with it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
