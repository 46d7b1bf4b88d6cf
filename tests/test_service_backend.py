"""Which queue `syncbot serve` runs: embedded by default, PostgreSQL when SYNCBOT_DATABASE_URL is set (a
secret, masked in logs), and a clear exit 2 naming the fix when the PostgreSQL backend is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from syncbot.logging import Redactor
from syncbot.service.coordinator import EmbeddedQueue
from syncbot.service.metrics import Metrics
from syncbot.service.serve import POSTGRES_FIX, make_queue
from syncbot.settings import Settings, SettingsError, load_settings

PASSWORD = "s3cret-Pg-pass/word"
URL = "postgresql://syncbot:s3cret-Pg-pass%2Fword@db.internal:5432/syncbot"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def settings(tmp_path: Path, **over: Any) -> Settings:
    return Settings(_env_file=None, tracker=Path("T.md"), state_dir=tmp_path / "state", **over)  # type: ignore[call-arg]


def queue_for(s: Settings) -> Any:
    return make_queue(s, s.tracker_configs(), lambda t: None, Metrics(), Redactor(s.secret_values()))


def test_without_a_database_the_queue_is_embedded(tmp_path: Path) -> None:
    assert isinstance(queue_for(settings(tmp_path)), EmbeddedQueue)


def test_with_a_database_the_postgres_queue_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: dict[str, Any] = {}

    class PostgresQueue:
        def __init__(self, **kwargs: Any) -> None:
            built.update(kwargs)

    stand_in = types.ModuleType("syncbot.service.pg_queue")
    stand_in.PostgresQueue = PostgresQueue  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "syncbot.service.pg_queue", stand_in)
    s = settings(tmp_path, database_url=URL)
    assert isinstance(queue_for(s), PostgresQueue)
    assert set(built) == {"settings", "trackers", "run_sync", "metrics", "redact"}
    assert built["settings"] is s and [t.id for t in built["trackers"]] == ["local:-:T.md"]
    assert built["redact"](f"could not connect to {URL}") == "could not connect to ***"


def test_without_the_postgres_extra_the_message_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "syncbot.service.pg_queue", None)  # as if it could not be imported
    with pytest.raises(SettingsError) as info:
        queue_for(settings(tmp_path, database_url=URL))
    message = str(info.value)
    assert POSTGRES_FIX == "pip install 'syncbot[postgres]'" and POSTGRES_FIX in message
    assert "SYNCBOT_DATABASE_URL" in message and PASSWORD not in message and "s3cret" not in message


def test_serve_exits_2_without_the_postgres_extra(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    env.update(
        {
            "SYNCBOT_TRACKER": "T.md",
            "SYNCBOT_GITHUB_WEBHOOK_SECRET": "w" * 32,
            "SYNCBOT_STATE_DIR": str(tmp_path / "state"),
            "SYNCBOT_DATABASE_URL": URL,
        }
    )
    code = (
        "import sys\n"
        "sys.modules['syncbot.service.pg_queue'] = None\n"  # the extra not installed, wherever this runs
        "sys.argv = ['syncbot', 'serve', '--port', '1']\n"
        "from syncbot.cli import main\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'syncbot[postgres]'" in proc.stderr
    assert "s3cret" not in proc.stdout + proc.stderr


def test_the_database_url_is_a_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_DATABASE_URL", URL)
    s = load_settings()
    assert "s3cret" not in repr(s) + str(s) + s.model_dump_json()
    assert {URL, PASSWORD, "s3cret-Pg-pass%2Fword"} <= set(s.secret_values())
    masked = Redactor(s.secret_values())(f'FATAL: password "{PASSWORD}" rejected; dsn {URL}')
    assert "s3cret" not in masked


@pytest.mark.parametrize("bad", ["mysql://u:p@h/db", "db.internal:5432", "s3cret-Pg-pass/word"])
def test_a_database_url_that_is_not_postgresql_is_refused_without_echoing_it(
    bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCBOT_DATABASE_URL", bad)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "SYNCBOT_DATABASE_URL" in str(info.value) and "postgresql://" in str(info.value)
    assert bad not in str(info.value)


def test_the_service_stays_out_of_the_cli_until_serve_runs() -> None:
    code = "import sys, syncbot.cli\nprint(sorted(m for m in sys.modules if m.startswith('syncbot.service')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
