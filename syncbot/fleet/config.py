"""A repository's own configuration: ``.github/syncbot.toml`` on GitHub, ``.syncbot.toml`` on GitLab,
with the fields of a ``[[trackers]]`` entry.

Either ``[[trackers]]`` tables (one or more trackers), or one entry's fields at the top level::

    path = "docs/TRACKER.md"
    trailer_key = "Task"

Each entry is checked with the same pydantic model as ``[[trackers]]`` in ``SYNCBOT_CONFIG``
(:class:`~syncbot.settings.TrackerConfig`).  A repository configures only itself: ``forge`` may only name
its own forge and ``repo`` only the repository the file is in, and ``path`` must stay inside it.  A file
that breaks a rule is a :class:`RepoConfigError` whose message names the file, the entry and the fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import ValidationError

from syncbot.settings import MilestoneMode, TrackerConfig

FleetForge = Literal["github", "gitlab"]
CONFIG_PATH = ".github/syncbot.toml"
CONFIG_PATHS: dict[FleetForge, str] = {"github": CONFIG_PATH, "gitlab": ".syncbot.toml"}
ENTRY_FIELDS = frozenset(TrackerConfig.model_fields)


class RepoConfigError(ValueError):
    """The repository's configuration file cannot be used; the message says where and what to put."""


@dataclass(frozen=True)
class TrackerDefaults:
    """What an entry inherits when it leaves a field out (the daemon's own settings)."""

    trailer_key: str = "Session"
    milestones: MilestoneMode = "phase"
    schedule: str = "10m"


def _entries(data: dict[str, Any], where: str) -> list[Any]:
    if "trackers" in data:
        extra = sorted(set(data) - {"trackers"})
        if extra:
            names = ", ".join(extra)
            raise RepoConfigError(f"{where}: unknown key(s) {names} beside [[trackers]]; put them in an entry")
        entries = data["trackers"]
        if not isinstance(entries, list) or not entries:
            raise RepoConfigError(f"{where}: trackers must be one or more [[trackers]] tables")
        return entries
    if not data:
        raise RepoConfigError(f'{where}: empty; put path = "TRACKER.md" or [[trackers]] tables')
    return [data]


def _check_path(path: str, where: str) -> None:
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or "\\" in path or not p.parts:
        raise RepoConfigError(f"{where}, path: must be a file inside the repository, relative to its root")


def _why(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e.get("loc", ())) or "entry"
        parts.append(f"{loc}: {e.get('msg', 'invalid').removeprefix('Value error, ')}")
    return "; ".join(parts)


def parse_repo_config(
    text: str, repo: str, defaults: TrackerDefaults | None = None, forge: FleetForge = "github"
) -> list[TrackerConfig]:
    """The trackers ``repo``'s configuration file names, every field filled in (the forge, the
    repository, inherited defaults).  Raises :class:`RepoConfigError`."""
    defaults = defaults or TrackerDefaults()
    where = f"{repo}: {CONFIG_PATHS[forge]}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RepoConfigError(f"{where}: not valid TOML ({exc})") from None
    out: list[TrackerConfig] = []
    seen: set[str] = set()
    for i, raw in enumerate(_entries(data, where), 1):
        at = f"{where}: [[trackers]] entry {i}"
        if not isinstance(raw, dict):
            raise RepoConfigError(f'{at}: must be a table with path = "…"')
        try:
            entry = TrackerConfig(**raw)
        except ValidationError as exc:
            raise RepoConfigError(f"{at}: {_why(exc)}") from None
        if entry.forge not in (None, forge):
            raise RepoConfigError(f"{at}, forge: a repository's own file serves that repository; leave it out")
        if entry.repo is not None and entry.repo.lower() != repo.lower():
            raise RepoConfigError(f"{at}, repo: a repository configures only itself; leave repo out")
        _check_path(str(raw.get("path", "")), at)
        tracker = TrackerConfig(
            path=entry.path,
            forge=forge,
            repo=repo,
            trailer_key=entry.trailer_key or defaults.trailer_key,
            milestones=entry.milestones or defaults.milestones,
            schedule=entry.schedule or defaults.schedule,
            read=entry.read,
        )
        if tracker.id in seen:
            raise RepoConfigError(f"{at}, path: {entry.path.as_posix()} is listed twice")
        seen.add(tracker.id)
        out.append(tracker)
    return out
