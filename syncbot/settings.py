"""One settings object, built at the entry point and passed down.  Nothing reads the environment at
import time: call :func:`load_settings`.

Sources, strongest first: flags (keyword arguments of :func:`load_settings`), ``SYNCBOT_*`` environment,
``.env``, then the TOML file named by ``SYNCBOT_CONFIG``.  The TOML file may set any top-level field and
lists several trackers as ``[[trackers]]`` tables; a tracker entry that leaves a field out inherits the
top-level value (so ``forge``/``repo`` can be said once)."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import string
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from syncbot.errors import UserError

if TYPE_CHECKING:
    from syncbot.readers.hints import ReadingHints

ForgeName = Literal["github", "gitlab", "local"]
MilestoneMode = Literal["phase", "wave", "none"]
LogFormat = Literal["auto", "text", "json"]

ENV_PREFIX = "SYNCBOT_"

_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# One cron field: *, numbers, ranges, steps, lists, or month/day names; five of them make a line.
_CRON_FIELD = r"[\w*/,\-?]+"
_CRON = re.compile(rf"^\s*{_CRON_FIELD}(\s+{_CRON_FIELD}){{4}}\s*$")

SCHEDULE_HINT = "an interval like 10m, 30s, 2h or 1d, or a five-field cron line like '*/15 * * * *'"


# The fields syncbot.desired.render_title fills in; {key} is required, so no two issues share a title.
TITLE_FIELDS = ("key", "title", "status", "phase")
TITLE_HINT = "a template with {key} and any of {title}, {status}, {phase}, e.g. 'Session {key}: {title}'"

_GITHUB_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/(?!\.\.?$)[A-Za-z0-9._-]+")
_GITLAB_REPO = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+")
# What people paste instead of a slug: a web or clone URL, with or without .git.
_REPO_URL = re.compile(r"^(?:[a-z+]+://(?:[^@/]+@)?[^/]+/|[^@/\s]+@[^:/\s]+:)?(?P<slug>.+?)(?:\.git)?/*$")

# SYNCBOT_* names read by something other than these settings (the test suite's recording and contract
# tools): the unknown-variable check leaves them alone.
OTHER_VARIABLES = frozenset({"SYNCBOT_OPENAPI_CACHE"})
OTHER_PREFIXES = ("SYNCBOT_RECORD_",)


class SettingsError(UserError):
    """Configuration that cannot be used; the message names the variable and what to put there.
    A :class:`UserError`, so the CLI boundary prints it as a message with exit code 2."""


def parse_interval(text: str) -> int | None:
    """Seconds for an interval such as ``10m``; ``None`` when ``text`` is not an interval."""
    m = _INTERVAL.match(text)
    if not m:
        return None
    return int(m.group(1)) * _UNIT_SECONDS[m.group(2)]


def check_schedule(text: str) -> str:
    """Return ``text`` when it is an interval (> 0) or a cron line APScheduler accepts, else raise."""
    seconds = parse_interval(text)
    if seconds is not None:
        if seconds <= 0:
            raise ValueError(f"the interval must be longer than zero; put {SCHEDULE_HINT}")
        return text.strip()
    if _CRON.match(text):
        # APScheduler is the judge of cron syntax; imported here so reading settings stays light.
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(text.strip())
        except ValueError as exc:
            raise ValueError(f"not a valid cron line ({exc}); put {SCHEDULE_HINT}") from None
        return " ".join(text.split())
    raise ValueError(f"{text!r} is not a schedule; put {SCHEDULE_HINT}")


def check_title_template(template: str) -> str:
    """Return ``template`` when every field in it is one :data:`TITLE_FIELDS` names and ``{key}`` is there;
    else raise, naming the unknown fields."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValueError(f"not a template ({exc}); put {TITLE_HINT}") from None
    bases = [re.split(r"[.\[]", name, maxsplit=1)[0] for name in fields]
    unknown = list(dict.fromkeys(b for b in bases if b not in TITLE_FIELDS))
    if unknown:
        named = ", ".join("{" + b + "}" for b in unknown)
        raise ValueError(f"unknown field(s) {named}; put {TITLE_HINT}")
    if "key" not in bases:
        raise ValueError(f"{{key}} is missing (it keeps two issues from sharing a title); put {TITLE_HINT}")
    try:
        template.format_map(dict.fromkeys(TITLE_FIELDS, "x"))
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"not a usable template ({exc}); put {TITLE_HINT}") from None
    return template


def check_repo(forge: str | None, repo: str) -> str:
    """Return ``repo`` stripped when it is a repository slug for ``forge`` (anything for the local forge),
    else raise with the slug to put there (taken out of a pasted URL when there is one)."""
    repo = repo.strip()
    if not repo or forge not in ("github", "gitlab"):
        return repo
    pattern, shape = (_GITHUB_REPO, "owner/name") if forge == "github" else (_GITLAB_REPO, "group/project")
    if pattern.fullmatch(repo):
        return repo
    m = _REPO_URL.match(repo)
    slug = m.group("slug") if m else ""
    example = f"e.g. {slug}" if slug != repo and pattern.fullmatch(slug) else "the part of its URL after the host"
    raise ValueError(f"{repo!r} is not a {forge} repository; put {shape} ({example})")


class TrackerConfig(BaseModel):
    """One tracker the daemon keeps in step.  ``None`` means "inherit the top-level setting";
    :meth:`Settings.tracker_configs` hands out entries with every field filled in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path = Field(description="the tracker file, relative to the repository root")
    forge: ForgeName | None = Field(default=None, description="github, gitlab or local")
    repo: str | None = Field(default=None, description="owner/name on GitHub, group/project on GitLab")
    trailer_key: str | None = Field(default=None, description="commit trailer key read by pull, e.g. Session")
    milestones: MilestoneMode | None = Field(default=None, description="phase, wave or none")
    schedule: str | None = Field(default=None, description=SCHEDULE_HINT)
    read: dict[str, Any] | None = Field(
        default=None,
        description="reading hints: a table like { status = \"Zustand\", key_pattern = '^(ABC-\\d+)' } "
        "(README, Reading hints)",
    )

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, v: str | None) -> str | None:
        return None if v is None else check_schedule(v)

    @field_validator("read")
    @classmethod
    def _read(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        if v is not None:
            from syncbot.readers.hints import HintError, ReadingHints

            try:
                ReadingHints.parse(v, where="read")
            except HintError as exc:
                raise ValueError(str(exc)) from None
        return v

    @property
    def hints(self) -> ReadingHints | None:
        """The ``read`` table as :class:`~syncbot.readers.hints.ReadingHints` (``None`` without one)."""
        from syncbot.readers.hints import ReadingHints

        return None if self.read is None else ReadingHints.parse(self.read, where="read")

    @property
    def id(self) -> str:
        """Stable identity used for locks, metrics labels and logs."""
        return f"{self.forge or 'local'}:{self.repo or '-'}:{self.path.as_posix()}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # `SYNCBOT_GITHUB_APP_ID=` (as in .env.example) means "not set", not "the empty string".
        env_ignore_empty=True,
    )

    forge: ForgeName = Field("local", description="github, gitlab or local (an SQLite file in .syncbot/)")
    repo: str = Field("", description="owner/name on GitHub, group/project on GitLab")
    tracker: Path | None = Field(None, description="the tracker file, relative to the repository root")
    github_token: SecretStr | None = Field(None, description="GitHub token (repo scope / issues write)")
    github_url: str = Field("https://api.github.com", description="GitHub API base URL (Enterprise)")
    gitlab_token: SecretStr | None = Field(None, description="GitLab personal, project or group token")
    gitlab_url: str = Field("https://gitlab.com", description="GitLab instance URL")
    gitlab_group: str | None = Field(
        None, description="a GitLab group path: with no tracker configured, serve its projects that have .syncbot.toml"
    )
    local_db: Path | None = Field(None, description="local forge file; default .syncbot/forge.db")
    title_template: str = Field("Session {key}: {title}", description=TITLE_HINT)
    milestones: MilestoneMode = Field("phase", description="phase, wave or none")
    max_close_fraction: float = Field(
        0.3, ge=0, le=1, description="a fraction from 0 to 1: refuse plans closing more than this share of issues"
    )
    trailer_key: str = Field("Session", description="commit trailer key read by pull")
    write_back: Literal["git", "api"] = Field(
        "git", description="git: commit in the local working tree; api: the forge's file API (no clone)"
    )
    branch: str | None = Field(None, description="branch the tracker is read from and written to (default: current)")
    push: bool = Field(False, description="push the bot's tracker commits (fetch, rebase, retry; never force)")
    commit_identity: str = Field(
        "syncbot <syncbot@localhost>",
        description="'Name <email>' of the bot's commits; 'git' uses git's own configured identity",
    )
    commit_url: str | None = Field(None, description="web URL template of a commit for links, with {sha}")

    # --- several trackers -------------------------------------------------------------------------
    config: Path | None = Field(None, description="a TOML file with [[trackers]] entries")
    trackers: list[TrackerConfig] = Field(
        default_factory=list, description="[[trackers]] tables in the TOML file (path, forge, repo, …)"
    )

    # --- GitHub App (instead of github_token) -------------------------------------------------------
    github_app_id: int | None = Field(None, description="GitHub App id (a number, from the App's settings)")
    github_app_private_key: SecretStr | None = Field(
        None, description="the App's private key, PEM text (BEGIN RSA PRIVATE KEY …)"
    )
    github_app_private_key_file: Path | None = Field(None, description="path to the App's private key .pem")
    github_app_installation_id: int | None = Field(
        None, description="installation id (a number, from the installation's URL)"
    )

    # --- daemon -------------------------------------------------------------------------------------
    github_webhook_secret: SecretStr | None = Field(None, description="the GitHub webhook's secret")
    gitlab_webhook_token: SecretStr | None = Field(None, description="the GitLab webhook's secret token")
    schedule: str = Field("10m", description=SCHEDULE_HINT)
    host: str = Field("127.0.0.1", description="address `syncbot serve` listens on, e.g. 0.0.0.0")
    port: int = Field(8080, ge=1, le=65535, description="TCP port `syncbot serve` listens on, 1-65535")
    state_dir: Path = Field(
        Path(".syncbot"), description="state directory: locks (shared by CLI, daemon, replicas), caches, logs"
    )
    lock_timeout_seconds: float = Field(
        600.0, ge=0, description="how long a sync waits for another sync of the same tracker to finish"
    )
    debounce_seconds: float = Field(
        5.0, ge=0, description="seconds to wait after a webhook so a burst becomes one sync"
    )
    debounce_max_seconds: float = Field(
        60.0, ge=0, description="the longest a steady stream of webhooks may hold a sync back, in seconds"
    )
    shutdown_grace_seconds: float = Field(
        60.0, ge=0, description="seconds a running sync may take to finish after SIGTERM"
    )
    webhook_max_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, description="largest webhook body accepted, in bytes (larger → 413)"
    )
    webhook_body_timeout_seconds: float = Field(
        10.0, gt=0, description="seconds a webhook body may take to arrive (slower → 408)"
    )
    sync_on_start: bool = Field(True, description="sync every tracker once when the daemon starts")
    sync_function: str = Field(
        "syncbot.runner:sync_tracker", description="module:function that syncs one tracker (plug-in point)"
    )
    database_url: SecretStr | None = Field(
        None,
        description="a postgresql:// URL: the daemon's sync queue in PostgreSQL, shared by replicas "
        "(needs syncbot[postgres]); unset, the queue is embedded",
    )
    database_migrate: bool = Field(
        False, description="`serve` applies the database schema at start (what `syncbot db migrate` does)"
    )
    database_stalled_seconds: float = Field(
        15.0, ge=2, description="a replica silent this long is dead: another retries its running syncs"
    )

    # --- logs ---------------------------------------------------------------------------------------
    log_format: LogFormat = Field("text", description="text, json (one JSON object a line), or auto (JSON off a TTY)")
    log_level: Literal["TRACE", "DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="TRACE, DEBUG, INFO, WARNING or ERROR"
    )

    # warnings found while loading (unknown SYNCBOT_* variables); the entry point shows them
    _startup_warnings: list[str] = PrivateAttr(default_factory=list)

    @property
    def startup_warnings(self) -> list[str]:
        return self._startup_warnings

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, v: str) -> str:
        return check_schedule(v)

    @field_validator("commit_identity")
    @classmethod
    def _identity(cls, v: str) -> str:
        from syncbot.gitwrite import Identity

        Identity.parse(v)  # a ValueError names the setting
        return v

    @field_validator("title_template")
    @classmethod
    def _title_template(cls, v: str) -> str:
        return check_title_template(v)

    @field_validator("repo")
    @classmethod
    def _repo(cls, v: str, info: ValidationInfo) -> str:
        return check_repo(info.data.get("forge"), v)

    @model_validator(mode="after")
    def _tracker_repos(self) -> Settings:
        """A ``[[trackers]]`` entry's repository, checked against the forge it inherits or names."""
        for i, t in enumerate(self.trackers):
            if t.repo is not None:
                try:
                    check_repo(t.forge or self.forge, t.repo)
                except ValueError as exc:
                    raise ValueError(f"[[trackers]] entry {i + 1}, repo: {exc}") from None
        return self

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("not a PostgreSQL URL; put postgresql://USER:PASSWORD@HOST:5432/DATABASE")
        return v

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    def tracker_configs(self) -> list[TrackerConfig]:
        """Every tracker to sync, with inherited fields filled in.  Without ``[[trackers]]`` the single
        ``SYNCBOT_TRACKER`` is the one tracker; with neither, the list is empty."""
        entries = list(self.trackers)
        if not entries and self.tracker is not None:
            entries = [TrackerConfig(path=self.tracker)]
        return [
            TrackerConfig(
                path=t.path,
                forge=t.forge or self.forge,
                repo=t.repo if t.repo is not None else self.repo,
                trailer_key=t.trailer_key or self.trailer_key,
                milestones=t.milestones or self.milestones,
                schedule=t.schedule or self.schedule,
                read=t.read,
            )
            for t in entries
        ]

    def reading_hints(self, tracker: Path) -> ReadingHints | None:
        """The reading hints (``read``) of the ``[[trackers]]`` entry for ``tracker``, if it has any."""
        want = tracker.resolve()
        for t in self.trackers:
            if t.read is not None and (t.path == tracker or t.path.resolve() == want):
                return t.hints
        return None

    def secret_values(self) -> list[str]:
        """Every configured secret in clear, for the log redaction filter (never for printing)."""
        values: list[str] = []
        for name in type(self).model_fields:
            v = getattr(self, name)
            if isinstance(v, SecretStr) and v.get_secret_value():
                values.append(v.get_secret_value())
        if self.database_url is not None:
            # The password alone too: a driver's message may spell the connection another way.
            with contextlib.suppress(ValueError):
                if password := urlsplit(self.database_url.get_secret_value()).password:
                    values.extend({password, unquote(password)})
        if self.github_app_private_key_file is not None:
            # The key file's content is as secret as the variable form; mask it too.
            # Unreadable: syncbot.auth reports that, naming the variable.
            with contextlib.suppress(OSError, UnicodeDecodeError):
                values.append(self.github_app_private_key_file.read_text(encoding="utf-8"))
        return values


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def _describe(exc: ValidationError, config: Path | None) -> str:
    """One line per problem: which variable (or TOML entry), what is wrong, what to put there.
    The offending value is never echoed: it may be a secret."""
    lines = []
    fields = Settings.model_fields
    for err in exc.errors():
        loc = err.get("loc", ())
        msg = err.get("msg", "invalid").removeprefix("Value error, ")
        if loc and loc[0] == "trackers" and len(loc) >= 2:
            where = f"{config or 'the TOML file'}: [[trackers]] entry {int(loc[1]) + 1}"
            field = str(loc[2]) if len(loc) > 2 else ""
            hint = TrackerConfig.model_fields[field].description if field in TrackerConfig.model_fields else ""
            lines.append(f"{where}, {field or 'entry'}: {msg}" + (f"; put {hint}" if hint and hint not in msg else ""))
            continue
        if not loc:  # a check across fields: its message says where
            lines.append(f"{config or 'the TOML file'}: {msg}" if msg.startswith("[[trackers]]") else msg)
            continue
        field = str(loc[0])
        hint = (fields[field].description or "") if field in fields else ""
        says_fix = hint in msg or "; put " in msg
        lines.append(f"{env_name(field)}: {msg}" + (f"; put {hint}" if hint and not says_fix else ""))
    return "invalid configuration:\n  " + "\n  ".join(lines)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{env_name('config')}: {path} does not exist; put the path of a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - set(Settings.model_fields) - {"config"})
    if unknown:
        raise SettingsError(
            f"{path}: unknown key(s) {', '.join(unknown)}; known keys are the SYNCBOT_* names in "
            "lower case without the prefix, and [[trackers]]"
        )
    return data


def unknown_variables(names: Iterable[str]) -> list[str]:
    """A warning for each ``SYNCBOT_*`` name that is no setting (so it would be ignored without a word),
    with the setting it most likely means: ``SYNCBOT_FORGEE`` → "did you mean SYNCBOT_FORGE?"."""
    known = sorted(env_name(f) for f in Settings.model_fields)
    # compared without the prefix every name shares, which would make any two names look alike
    suffixes = [k.removeprefix(ENV_PREFIX) for k in known]
    warnings = []
    for name in sorted(set(names)):
        upper = name.upper()  # the environment is read case-insensitively
        if not upper.startswith(ENV_PREFIX) or upper in known or upper in OTHER_VARIABLES:
            continue
        if upper.startswith(OTHER_PREFIXES):
            continue
        close = difflib.get_close_matches(upper.removeprefix(ENV_PREFIX), suffixes, n=1, cutoff=0.75)
        hint = f"did you mean {ENV_PREFIX}{close[0]}?" if close else "every setting is listed in .env.example"
        warnings.append(f"{name} is not a syncbot setting and is ignored; {hint}")
    return warnings


def _variable_names(env_file: Path | None = Path(".env")) -> list[str]:
    """The names in the environment and in ``.env`` (the two places a SYNCBOT_* variable is read from)."""
    names = list(os.environ)
    if env_file is not None and env_file.is_file():
        from dotenv import dotenv_values

        names += [k for k in dotenv_values(env_file) if k]
    return names


def load_settings(**overrides: object) -> Settings:
    """Build settings from flags (``overrides``, ``None`` values ignored), environment, ``.env`` and the
    TOML file named by ``config``/``SYNCBOT_CONFIG``.  Raises :class:`SettingsError`.  Unknown
    ``SYNCBOT_*`` variables are in :attr:`Settings.startup_warnings`, for the entry point to show."""
    flags: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    warnings = unknown_variables(_variable_names())
    try:
        first = Settings(**flags)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, None)) from None
    if first.config is None:
        first._startup_warnings = warnings
        return first
    data = _read_toml(first.config)
    # The file is the weakest source: only keys no flag, variable or .env line has set.
    explicit = first.model_fields_set
    merged: dict[str, Any] = {k: v for k, v in data.items() if k not in explicit}
    try:
        settings = Settings(**merged, **flags)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, first.config)) from None
    settings._startup_warnings = warnings
    return settings


def hints_for(config: Path, tracker: Path) -> ReadingHints | None:
    """The reading hints the ``[[trackers]]`` entry of TOML file ``config`` gives ``tracker`` (matched by
    path: as written, relative to the file's directory or the working directory), or ``None``."""
    data = _read_toml(config)
    entries = data.get("trackers") or []
    if not isinstance(entries, list):
        raise SettingsError(f"{config}: trackers must be [[trackers]] tables")
    want = tracker.resolve()
    for i, entry in enumerate(entries):
        try:
            t = TrackerConfig(**entry) if isinstance(entry, dict) else TrackerConfig(path=entry)
        except ValidationError as exc:
            why = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()
            )
            raise SettingsError(f"{config}: [[trackers]] entry {i + 1}: {why}") from None
        bases = (Path.cwd(), config.resolve().parent)
        if any((base / t.path).resolve() == want for base in bases) or t.path.as_posix() == tracker.as_posix():
            return t.hints
    return None
