"""``syncbot_rate_limit_remaining``: the adapters keep the last remaining-requests header they saw, the
runner hands it to the daemon, the daemon exports it.  Against the GitLab emulator, whose
``RateLimit-Remaining`` counts down per request, with the real runner (no clone: file-API write-back)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from emulators import GITLAB_TOKEN
from emulators.gitlab import GitLabEmulator
from fastapi.testclient import TestClient

from syncbot.runner import sync_tracker
from syncbot.service.clock import ManualClock
from syncbot.service.serve import build_app
from syncbot.settings import Settings

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_e45d6e612abce616.txt"
TRACKER = "SESSION_TRACKER.md"
PROJECT = "group/metrics"


@pytest.fixture
def env_clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def gitlab_settings(gl: GitLabEmulator, tmp_path: Path, **over: Any) -> Settings:
    values: dict[str, Any] = {
        "forge": "gitlab",
        "repo": PROJECT,
        "gitlab_url": gl.base_url,
        "gitlab_token": GITLAB_TOKEN,
        "write_back": "api",
        "tracker": Path(TRACKER),
        "state_dir": tmp_path / "state",
        "github_webhook_secret": "s" * 32,
        "gitlab_webhook_token": "t" * 32,
        "sync_on_start": False,
        "schedule": "1h",
        **over,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
def gl(gitlab_emulator: GitLabEmulator) -> GitLabEmulator:
    gitlab_emulator.add_project(PROJECT)
    gitlab_emulator.commit(PROJECT, "Add the session tracker\n", {TRACKER: SEED.read_text(encoding="utf-8")})
    gitlab_emulator.commit(PROJECT, "Start\n\nSession: 1 done\n", {})
    return gitlab_emulator


def test_runner_reports_the_last_remaining_figure(gl: GitLabEmulator, tmp_path: Path, env_clean: None) -> None:
    settings = gitlab_settings(gl, tmp_path)
    [tracker] = settings.tracker_configs()
    before = gl.rate_remaining

    outcome = sync_tracker(settings, tracker)

    assert outcome.ok and outcome.api_requests > 0
    assert outcome.rate_limit_remaining == gl.rate_remaining < before
    assert outcome.rate_limit_remaining == before - len(gl.log)


def test_daemon_exports_it(gl: GitLabEmulator, tmp_path: Path, env_clean: None) -> None:
    settings = gitlab_settings(gl, tmp_path, sync_on_start=True)
    clock = ManualClock()
    app = build_app(settings, lambda tracker: sync_tracker(settings, tracker), schedules=False, clock=clock)
    with TestClient(app) as client:
        clock.advance(0)  # the sync at start, on this thread
        text = client.get("/metrics").text
    assert "syncbot_syncs_total{" in text
    [line] = [ln for ln in text.splitlines() if ln.startswith('syncbot_rate_limit_remaining{forge="gitlab"}')]
    assert float(line.rsplit(" ", 1)[1]) == gl.rate_remaining
    assert gl.rate_remaining < 2000
