"""GitHub App credentials in the adapter, against the loopback emulator.

The factory builds the GitHub adapter from installation tokens when an App is configured: the token is
minted with the App's JWT (``POST /app/installations/{id}/access_tokens``), reused while fresh, minted
again when it is within the refresh margin of its expiry, and the ETag cache is keyed by the App and
installation ids, so a rotation does not throw the cache away.  No token, JWT or key reaches a log line
or an error message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from emulators.github import GitHubEmulator
from loguru import logger

import syncbot.auth
from syncbot.auth import REFRESH_MARGIN_SECONDS, github_app_cache_key
from syncbot.forge._transport import token_fingerprint
from syncbot.forge.base import AuthError, Label
from syncbot.forge.factory import make_forge
from syncbot.forge.github import GitHubForge
from syncbot.settings import Settings

APP_ID = 4242
INSTALLATION_ID = 77
REPO = "octo/app-repo"


@pytest.fixture
def app_emulator(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.app_id = APP_ID
    github_emulator.add_repo(REPO)
    return github_emulator


def app_settings(emulator: GitHubEmulator, key: str, tmp_path: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "forge": "github",
        "repo": REPO,
        "github_url": emulator.base_url,
        "github_app_id": APP_ID,
        "github_app_installation_id": INSTALLATION_ID,
        "github_app_private_key": key,
        "state_dir": tmp_path / "state",
        **kw,
    }
    return Settings(_env_file=None, **values)


def mints(emulator: GitHubEmulator) -> int:
    return sum(1 for m, p, s in emulator.log if m == "POST" and p.endswith(f"/{INSTALLATION_ID}/access_tokens"))


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """Every loguru line (DEBUG up); the stdlib records (PyGithub, urllib3, DEBUG up) are in ``caplog``."""
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), level="DEBUG")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="github")  # PyGithub's own logger sits at INFO
    yield lines
    logger.remove(sink)


def test_installation_token_is_minted_once_and_renewed_near_expiry(
    app_emulator: GitHubEmulator, private_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = app_settings(app_emulator, private_key, tmp_path)
    forge = make_forge(settings, tmp_path)
    assert isinstance(forge, GitHubForge)
    assert mints(app_emulator) == 0  # building the adapter sends nothing

    forge.list_labels()
    forge.list_labels()
    assert mints(app_emulator) == 1, "a fresh installation token must be reused"
    assert forge.stats.not_modified == 1
    [first] = app_emulator.installation_tokens

    # An hour later GitHub refuses the old token; with our clock still thinking it fresh, so do we.
    app_emulator.expire_installation_tokens()
    with pytest.raises(AuthError) as refused:
        forge.list_labels()
    assert first not in str(refused.value)

    # Near expiry (inside the refresh margin) the next request mints a new token first.
    real = datetime

    class Later(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:
            return real.now(tz) + timedelta(seconds=3600 - REFRESH_MARGIN_SECONDS + 30)

    monkeypatch.setattr(syncbot.auth, "datetime", Later)
    labels = forge.list_labels()
    assert labels == [] and mints(app_emulator) == 2
    # The ETag cache is keyed by the app and installation ids, not the rotating token: still a 304.
    assert forge.stats.not_modified == 2
    cache = tmp_path / "state" / "http-cache"
    assert [p.name for p in cache.iterdir()] == [token_fingerprint(github_app_cache_key(settings))]


def test_no_token_jwt_or_key_in_logs_or_errors(
    app_emulator: GitHubEmulator,
    private_key: str,
    tmp_path: Path,
    captured: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = app_settings(app_emulator, private_key, tmp_path)
    forge = make_forge(settings, tmp_path)
    forge.list_labels()
    forge.create_label(Label("status:done", "5319e7"))
    errors = [repr(settings), str(settings.model_dump())]

    wrong_app = app_settings(app_emulator, private_key, tmp_path, github_app_id=APP_ID + 1)
    with pytest.raises(AuthError) as refused:
        make_forge(wrong_app, tmp_path).list_labels()
    errors.append(str(refused.value))
    assert f"GitHub App {APP_ID + 1}" in str(refused.value) and "401" in str(refused.value)

    app_emulator.expire_installation_tokens()
    with pytest.raises(AuthError) as expired:
        forge.list_labels()
    errors.append(str(expired.value))

    secrets = [*app_emulator.installation_tokens, *app_emulator.jwts_seen]
    assert len(app_emulator.installation_tokens) >= 1 and len(app_emulator.jwts_seen) >= 1
    key_lines = [ln for ln in private_key.splitlines() if ln and not ln.startswith("-----")]
    captured += [f"{r.getMessage()} {r.args}" for r in caplog.records]
    text = "\n".join(captured + errors)
    assert any("access_tokens" in ln for ln in captured), "the debug logs were not captured"
    assert any("Authorization" in ln for ln in captured), "PyGithub's request log (with headers) was not captured"
    for secret in [*secrets, *key_lines]:
        assert secret not in text


def test_rate_limit_remaining_is_recorded(app_emulator: GitHubEmulator, private_key: str, tmp_path: Path) -> None:
    forge = make_forge(app_settings(app_emulator, private_key, tmp_path), tmp_path)
    assert forge.stats.rate_limit_remaining is None
    forge.list_labels()
    assert forge.stats.rate_limit_remaining == app_emulator.rate_remaining
    forge.list_labels()  # a 304 reports the figure too
    assert forge.stats.rate_limit_remaining == app_emulator.rate_remaining
