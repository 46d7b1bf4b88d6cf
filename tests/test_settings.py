"""Settings: sources and their order, the TOML [[trackers]] file, schedules, errors that say what to
do, and the credentials built from them (syncbot.auth)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncbot.auth import (
    InstallationTokens,
    Token,
    github_app_private_key,
    github_auth,
    gitlab_auth_kwargs,
)
from syncbot.errors import UserError
from syncbot.service.clock import make_trigger
from syncbot.settings import (
    TITLE_FIELDS,
    Settings,
    SettingsError,
    TrackerConfig,
    check_schedule,
    check_title_template,
    load_settings,
    parse_interval,
    unknown_variables,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def write_toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "syncbot.toml"
    path.write_text(text)
    return path


TOML = """
forge = "github"
repo = "octo/main"
schedule = "5m"

[[trackers]]
path = "SESSION_TRACKER.md"

[[trackers]]
path = "docs/tasks.md"
forge = "gitlab"
repo = "group/sub/project"
trailer_key = "Task"
milestones = "wave"
schedule = "*/15 * * * *"
"""


def test_toml_trackers_inherit_top_level_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_CONFIG", str(write_toml(tmp_path, TOML)))
    a, b = load_settings().tracker_configs()
    assert (a.path, a.forge, a.repo, a.trailer_key, a.milestones, a.schedule) == (
        Path("SESSION_TRACKER.md"),
        "github",
        "octo/main",
        "Session",
        "phase",
        "5m",
    )
    assert (b.forge, b.repo, b.trailer_key, b.milestones, b.schedule) == (
        "gitlab",
        "group/sub/project",
        "Task",
        "wave",
        "*/15 * * * *",
    )
    assert a.id != b.id


def test_source_order_flags_env_dotenv_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_CONFIG", str(write_toml(tmp_path, TOML)))
    assert load_settings().schedule == "5m"  # from the file
    (tmp_path / ".env").write_text("SYNCBOT_SCHEDULE=20m\nSYNCBOT_REPO=from/dotenv\n")
    assert load_settings().schedule == "20m"  # .env beats the file
    monkeypatch.setenv("SYNCBOT_SCHEDULE", "1h")
    s = load_settings()
    assert s.schedule == "1h" and s.repo == "from/dotenv"  # environment beats .env
    assert load_settings(schedule="30s", repo=None).schedule == "30s"  # a flag beats all; None is no flag


def test_single_tracker_without_toml() -> None:
    s = load_settings(tracker="T.md", forge="gitlab", repo="g/p")
    (t,) = s.tracker_configs()
    assert t == TrackerConfig(
        path=Path("T.md"), forge="gitlab", repo="g/p", trailer_key="Session", milestones="phase", schedule="10m"
    )
    assert load_settings().tracker_configs() == []


@pytest.mark.parametrize(("text", "seconds"), [("10m", 600), ("30s", 30), ("2h", 7200), ("1d", 86400), ("x", None)])
def test_parse_interval(text: str, seconds: int | None) -> None:
    assert parse_interval(text) == seconds


def test_schedules_make_triggers() -> None:
    assert make_trigger(check_schedule("10m")).interval == timedelta(minutes=10)
    cron = make_trigger(check_schedule("*/15  9-17 * * mon-fri"))
    first = cron.get_next_fire_time(None, datetime(2026, 1, 5, 9, 1, tzinfo=UTC))  # a Monday
    assert first == datetime(2026, 1, 5, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["10x", "0m", "* * *", "61 * * * *", "every hour"])
def test_bad_schedule_names_the_variable_and_the_fix(bad: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_SCHEDULE", bad)
    with pytest.raises(SettingsError) as info:
        load_settings()
    msg = str(info.value)
    assert "SYNCBOT_SCHEDULE" in msg
    assert "10m" in msg and "cron" in msg  # what to put there


def test_errors_are_user_errors_and_list_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_PORT", "eighty")
    monkeypatch.setenv("SYNCBOT_FORGE", "bitbucket")
    with pytest.raises(UserError) as info:
        load_settings()
    msg = str(info.value)
    assert re.search(r"SYNCBOT_PORT: .*integer", msg)
    assert re.search(r"SYNCBOT_FORGE: .*'github', 'gitlab' or 'local'", msg)
    assert info.value.code == 2


def test_toml_errors_point_at_the_entry(tmp_path: Path) -> None:
    cfg = write_toml(tmp_path, '[[trackers]]\npath = "a.md"\n[[trackers]]\npath = "b.md"\nschedul = "5m"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(config=cfg)
    assert f"{cfg}: [[trackers]] entry 2, schedul" in str(info.value)
    with pytest.raises(SettingsError, match="unknown key"):
        load_settings(config=write_toml(tmp_path, "colour = 'red'\n"))
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(config=write_toml(tmp_path, "[[trackers]\n"))
    with pytest.raises(SettingsError, match=r"SYNCBOT_CONFIG: .* does not exist"):
        load_settings(config=tmp_path / "missing.toml")


def test_nothing_is_read_at_import() -> None:
    # Settings come from load_settings() at the entry point; a module that read the environment at
    # import would show up as a module-level Settings instance.
    import syncbot.service.serve
    import syncbot.settings
    import syncbot.webhooks

    for module in (syncbot.settings, syncbot.service.serve, syncbot.webhooks):
        assert not any(isinstance(v, Settings) for v in vars(module).values())


def test_env_example_lists_every_variable() -> None:
    example = ROOT / ".env.example"
    text = example.read_text()
    listed = set(re.findall(r"^#?\s*(SYNCBOT_[A-Z0-9_]+)=", text, re.M))
    expected = {"SYNCBOT_" + name.upper() for name in Settings.model_fields if name != "trackers"}
    assert expected - listed == set(), "missing from .env.example"
    assert listed - expected == set(), "in .env.example but not a setting"
    for line in text.splitlines():
        if re.match(r"^#?\s*SYNCBOT_", line):
            i = text.splitlines().index(line)
            assert text.splitlines()[i - 1].startswith("#"), f"no comment above {line}"


def test_env_example_copied_to_dotenv_loads(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    s = load_settings()
    assert s.config is None and s.github_app_id is None and s.tracker == Path("SESSION_TRACKER.md")
    assert s.tracker_configs()[0].schedule == "10m"


# --- credentials ------------------------------------------------------------------------------------------


def rsa_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()


def test_github_token_auth() -> None:
    from github import Auth

    auth = github_auth(load_settings(github_token="ghp_" + "a" * 36))
    assert isinstance(auth, Auth.Token)
    with pytest.raises(SettingsError, match="SYNCBOT_GITHUB_TOKEN"):
        github_auth(load_settings())


def test_github_app_auth_signs_a_jwt(tmp_path: Path) -> None:
    import jwt
    from github import Auth

    pem = rsa_pem()
    key_file = tmp_path / "app.pem"
    key_file.write_text(pem)
    s = load_settings(github_app_id=1234, github_app_installation_id=99, github_app_private_key_file=key_file)
    auth = github_auth(s)
    assert isinstance(auth, Auth.AppInstallationAuth)
    assert auth.installation_id == 99
    claims = jwt.decode(auth._app_auth.token, options={"verify_signature": False})
    assert claims["iss"] == "1234" and claims["exp"] > claims["iat"]
    # The key as one line with \n escapes (how .env files and CI variables often hold it).
    one_line = load_settings(github_app_private_key=pem.replace("\n", "\\n"))
    assert github_app_private_key(one_line) == pem


def test_github_app_half_configured_says_what_is_missing() -> None:
    with pytest.raises(SettingsError, match="SYNCBOT_GITHUB_APP_INSTALLATION_ID"):
        github_auth(load_settings(github_app_id=1, github_app_private_key="x"))
    with pytest.raises(SettingsError, match="SYNCBOT_GITHUB_APP_PRIVATE_KEY"):
        github_auth(load_settings(github_app_id=1, github_app_installation_id=2))


def test_installation_token_is_refreshed_before_expiry() -> None:
    now = [datetime(2026, 1, 1, 12, 0, tzinfo=UTC)]
    minted: list[str] = []

    def fetch() -> Token:
        minted.append(f"ghs_token{len(minted)}")
        return Token(minted[-1], now[0] + timedelta(hours=1))

    tokens = InstallationTokens(fetch, margin=300, clock=lambda: now[0])
    assert tokens.get() == "ghs_token0"
    now[0] += timedelta(minutes=54)  # six minutes left: still good
    assert tokens.get() == "ghs_token0"
    now[0] += timedelta(minutes=2)  # four minutes left: inside the margin, renewed
    assert tokens.get() == "ghs_token1"
    assert len(minted) == 2
    assert "ghs_token" not in repr(tokens) + repr(Token("ghs_token9", now[0]))


def test_gitlab_token_kinds_share_private_token() -> None:
    kwargs = gitlab_auth_kwargs(load_settings(gitlab_token="glpat-" + "b" * 20, gitlab_url="https://git.example"))
    assert kwargs == {"url": "https://git.example", "private_token": "glpat-" + "b" * 20}
    with pytest.raises(SettingsError, match="SYNCBOT_GITLAB_TOKEN"):
        gitlab_auth_kwargs(load_settings())


# --- settings that are never silently wrong ------------------------------------------------------------


def test_an_unknown_variable_is_a_warning_that_names_the_likely_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_FORGEE", "github")
    monkeypatch.setenv("SYNCBOT_COLOUR", "red")
    settings = load_settings()
    assert settings.forge == "local"  # the typo still sets nothing…
    assert settings.startup_warnings == [  # …but it is said
        "SYNCBOT_COLOUR is not a syncbot setting and is ignored; every setting is listed in .env.example",
        "SYNCBOT_FORGEE is not a syncbot setting and is ignored; did you mean SYNCBOT_FORGE?",
    ]


def test_unknown_variables_in_dotenv_are_warned_about_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SYNCBOT_TRACKR=SESSION_TRACKER.md\nTRACKER_REPO=/srv/repo\n")
    assert load_settings().startup_warnings == [
        "SYNCBOT_TRACKR is not a syncbot setting and is ignored; did you mean SYNCBOT_TRACKER?"
    ]


def test_every_setting_and_the_test_tools_variables_are_known() -> None:
    names = [f"SYNCBOT_{f.upper()}" for f in Settings.model_fields]
    assert unknown_variables([*names, "SYNCBOT_RECORD_GITHUB_TOKEN", "SYNCBOT_OPENAPI_CACHE", "PATH"]) == []


def test_sync_prints_the_unknown_variable_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from syncbot.cli import main

    monkeypatch.setenv("SYNCBOT_FORGEE", "github")
    monkeypatch.setattr("sys.argv", ["syncbot", "sync"])
    with pytest.raises(SystemExit):
        main()  # fails for want of a tracker, after the warning
    assert "syncbot: warning: SYNCBOT_FORGEE is not a syncbot setting" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Session {nokey}", "unknown field(s) {nokey}"),
        ("{key} {title} {milestone} {owner}", "unknown field(s) {milestone}, {owner}"),
        ("{title}", "{key} is missing"),
        ("Session {key", "not a template"),
        ("{key:>q}", "not a usable template"),
    ],
)
def test_title_template_is_checked(template: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_TITLE_TEMPLATE", template)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert f"SYNCBOT_TITLE_TEMPLATE: {message}" in str(info.value)
    assert "'Session {key}: {title}'" in str(info.value)  # what to put there


def test_every_title_field_the_check_allows_is_one_titles_are_rendered_with() -> None:
    from syncbot.desired import render_title
    from syncbot.model import Session, Status

    template = " ".join("{" + f + "}" for f in TITLE_FIELDS)
    assert check_title_template(template) == template
    session = Session(key="7", title="Pool", status=Status.READY, status_text="Ready", phase="Core")
    assert render_title(template, session) == "7 Pool ready Core"  # not the fallback title


@pytest.mark.parametrize("bad", ["-5", "1.5"])
def test_fractions_are_between_0_and_1(bad: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_MAX_CLOSE_FRACTION", bad)
    with pytest.raises(SettingsError, match=r"SYNCBOT_MAX_CLOSE_FRACTION: .*a fraction from 0 to 1"):
        load_settings()


@pytest.mark.parametrize(
    ("forge", "repo", "fix"),
    [
        ("github", "https://github.com/octo/app.git", "put owner/name (e.g. octo/app)"),
        ("github", "git@github.com:octo/app.git", "put owner/name (e.g. octo/app)"),
        ("github", "octo", "put owner/name (the part of its URL after the host)"),
        ("github", "octo/app/issues", "put owner/name"),
        ("gitlab", "https://gitlab.com/group/sub/project", "put group/project (e.g. group/sub/project)"),
    ],
)
def test_a_malformed_repository_exits_2_with_the_fix(
    forge: str, repo: str, fix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCBOT_FORGE", forge)
    monkeypatch.setenv("SYNCBOT_REPO", repo)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert f"SYNCBOT_REPO: {repo!r} is not a {forge} repository; {fix}" in str(info.value)
    assert info.value.code == 2


def test_a_trackers_entry_repository_is_checked_against_its_forge(tmp_path: Path) -> None:
    cfg = write_toml(tmp_path, 'forge = "github"\n[[trackers]]\npath = "a.md"\nrepo = "group/sub/project"\n')
    with pytest.raises(SettingsError, match=r"\[\[trackers\]\] entry 1, repo: 'group/sub/project' is not a github"):
        load_settings(config=cfg)
    cfg.write_text('forge = "github"\n[[trackers]]\npath = "a.md"\nforge = "gitlab"\nrepo = "group/sub/project"\n')
    assert load_settings(config=cfg).tracker_configs()[0].repo == "group/sub/project"
