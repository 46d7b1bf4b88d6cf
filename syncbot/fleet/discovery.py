"""The fleet's served set: which repositories have their configuration file (``.github/syncbot.toml``;
on GitLab ``.syncbot.toml``) and which trackers it names.

:class:`Fleet` holds plain values (installations, repositories, their trackers, their problems) and asks an
injected :class:`~syncbot.fleet.client.AppClient` for what it must read.  ``reconcile()`` discovers
everything; ``apply(delivery)`` follows one webhook:

* ``installation`` ``created``/``unsuspend``/``new_permissions_accepted``: list that installation's
  repositories and read their files; ``deleted``/``suspend``: drop its repositories;
* ``installation_repositories`` ``added``/``removed``: read or drop those repositories;
* ``push`` to a repository's default branch whose commits touch ``.github/syncbot.toml``: read it again;
* ``repository`` ``renamed``/``transferred``: the old name dropped, the new one read; ``deleted``/
  ``archived``: dropped (an archived repository is read-only, never served); ``unarchived``: read.

On GitLab the "installations" are one group (its projects, subgroups included) and a group webhook's
``Push Hook`` re-reads a project's ``.syncbot.toml``; projects joining or leaving the group are seen by the
next ``reconcile``.

Both return a :class:`FleetChanges` (trackers added, removed, changed), which the service hands to its
queue.  A repository whose file is bad is reported (``problems``) and serves nothing; a repository whose
file cannot be read right now (a 5xx, a timeout) keeps what it served; one failing repository or
installation never stops the others.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from loguru import logger

from syncbot.fleet.client import AppClient, RepoInfo
from syncbot.fleet.config import (
    CONFIG_PATHS,
    FleetForge,
    RepoConfigError,
    TrackerDefaults,
    parse_repo_config,
)
from syncbot.fleet.payloads import config_touched, renamed_from, repo_names
from syncbot.forge.base import ForgeError
from syncbot.settings import TrackerConfig
from syncbot.webhooks import Delivery

FLEET_EVENTS = frozenset({"installation", "installation_repositories", "push", "repository"})
GITLAB_FLEET_EVENTS = frozenset({"Push Hook"})
_LOAD_ACTIONS = frozenset({"created", "unsuspend", "new_permissions_accepted"})
_DROP_ACTIONS = frozenset({"deleted", "suspend"})


@dataclass(frozen=True)
class ServedRepo:
    installation_id: int
    full_name: str
    default_branch: str | None
    trackers: tuple[TrackerConfig, ...] = ()
    problem: str | None = None  # why it serves nothing (a bad file), or what went wrong reading it


@dataclass
class FleetChanges:
    added: list[TrackerConfig] = field(default_factory=list)
    removed: list[TrackerConfig] = field(default_factory=list)
    changed: list[TrackerConfig] = field(default_factory=list)  # same id, other settings (the new ones)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def describe(self) -> str:
        parts = [f"{len(x)} {name}" for name, x in (("added", self.added), ("removed", self.removed)) if x]
        if self.changed:
            parts.append(f"{len(self.changed)} changed")
        return ", ".join(parts) or "no change"


def _key(full_name: str) -> str:
    return full_name.lower()


class Fleet:
    """The set of trackers a GitHub App fleet serves (see the module docstring).  Thread-safe."""

    def __init__(
        self,
        client: AppClient,
        defaults: TrackerDefaults | None = None,
        *,
        installation_ids: Iterable[int] | None = None,
        forge: FleetForge = "github",
        workers: int = 8,
    ) -> None:
        self.client = client
        self.defaults = defaults or TrackerDefaults()
        self.forge: FleetForge = forge
        self.config_path = CONFIG_PATHS[forge]
        self.workers = max(1, workers)  # configuration files read at once
        # Only these installations, when given (SYNCBOT_GITHUB_APP_INSTALLATION_ID); else every one.
        self.only = frozenset(installation_ids) if installation_ids is not None else None
        self._repos: dict[str, ServedRepo] = {}
        self._installations: set[int] = set()
        self._lock = threading.RLock()

    # -- reading the set -------------------------------------------------------------------------------
    def scope_name(self) -> str:
        """What is served, for a log line: the App's repositories, or a GitLab group's projects."""
        group = getattr(self.client, "group", None)
        return f"projects of GitLab group {group}" if self.forge == "gitlab" else "repositories of the GitHub App"

    def trackers(self) -> list[TrackerConfig]:
        with self._lock:
            return [t for r in sorted(self._repos.values(), key=lambda r: r.full_name) for t in r.trackers]

    def repos(self) -> list[ServedRepo]:
        with self._lock:
            return sorted(self._repos.values(), key=lambda r: r.full_name)

    def problems(self) -> dict[str, str]:
        with self._lock:
            return {r.full_name: r.problem for r in self._repos.values() if r.problem}

    def installation_of(self, repo: str) -> int | None:
        with self._lock:
            served = self._repos.get(_key(repo))
            return served.installation_id if served else None

    def repo_of(self, tracker: TrackerConfig) -> ServedRepo | None:
        with self._lock:
            return self._repos.get(_key(tracker.repo or ""))

    # -- keeping it current ----------------------------------------------------------------------------
    def reconcile(self) -> FleetChanges:
        """Discover every installation, repository and configuration file again."""
        found = [i for i in self.client.installations() if self.only is None or i.id in self.only]
        live = {i.id for i in found if not i.suspended}
        with self._lock:
            before = dict(self._repos)
            gone = (self._installations | {r.installation_id for r in before.values()}) - live
        for installation_id in sorted(gone):
            self._drop_installation(installation_id)
        for installation_id in sorted(live):
            self._load_installation(installation_id)
        return self._diff(before)

    def follows(self, delivery: Delivery) -> bool:
        """Whether ``delivery`` may change the served set (:meth:`apply` is worth calling)."""
        events = FLEET_EVENTS if self.forge == "github" else GITLAB_FLEET_EVENTS
        return delivery.forge == self.forge and delivery.event in events

    def _installation_id(self, delivery: Delivery) -> int | None:
        if self.forge == "gitlab":  # one group: the one "installation" discovery found
            with self._lock:
                return next(iter(self._installations), None)
        installation = delivery.payload.get("installation")
        found = installation.get("id") if isinstance(installation, dict) else None
        return found if isinstance(found, int) else None

    def apply(self, delivery: Delivery) -> FleetChanges:
        """Follow one authenticated webhook delivery; deliveries of other events change nothing."""
        if not self.follows(delivery):
            return FleetChanges()
        payload = delivery.payload
        installation_id = self._installation_id(delivery)
        if installation_id is None or (self.only is not None and installation_id not in self.only):
            return FleetChanges()
        with self._lock:
            before = dict(self._repos)
            known = installation_id in self._installations
        action = delivery.action
        if delivery.event == "installation":
            if action in _DROP_ACTIONS:
                self._drop_installation(installation_id)
            elif action in _LOAD_ACTIONS:
                self._load_installation(installation_id)
        elif delivery.event == "installation_repositories":
            if not known:  # the installation's own event was missed: read all of it
                self._load_installation(installation_id)
            else:
                for r in repo_names(payload.get("repositories_removed")):
                    self._drop_repo(r)
                for r in repo_names(payload.get("repositories_added")):
                    self._load_repo(installation_id, RepoInfo(r))
        elif delivery.event == "repository":
            self._on_repository(installation_id, action, payload)
        elif delivery.event in ("push", "Push Hook"):
            self._on_push(installation_id, payload)
        return self._diff(before)

    def _on_push(self, installation_id: int, payload: Mapping[str, Any]) -> None:
        repo = payload.get("repository" if self.forge == "github" else "project")
        name_key = "full_name" if self.forge == "github" else "path_with_namespace"
        if not isinstance(repo, dict) or not isinstance(repo.get(name_key), str):
            return
        name, branch = repo[name_key], repo.get("default_branch")
        if not branch or payload.get("ref") != f"refs/heads/{branch}":
            return
        if self.forge == "gitlab" and not self.client_covers(name):
            return
        if config_touched(payload, self.config_path):
            self._load_repo(installation_id, RepoInfo(name, str(branch)))

    def _on_repository(self, installation_id: int, action: str, payload: Mapping[str, Any]) -> None:
        """Renamed or transferred: the old name goes, the new one is read; deleted or archived: dropped
        (an archived repository is read-only); unarchived: read."""
        repo = payload.get("repository")
        if not isinstance(repo, dict) or not isinstance(repo.get("full_name"), str):
            return
        name = repo["full_name"]
        if action in ("renamed", "transferred"):
            old = renamed_from(payload)
            if old is not None:
                self._drop_repo(old)
        if action in ("deleted", "archived"):
            self._drop_repo(name)
        elif action in ("renamed", "transferred", "unarchived"):
            self._load_repo(installation_id, RepoInfo(name, repo.get("default_branch")))

    def client_covers(self, repo: str) -> bool:
        """Whether the client's scope (a GitLab group) holds ``repo``; GitHub installations say so
        themselves (a token sees its installation's repositories only)."""
        covers = getattr(self.client, "covers", None)
        return bool(covers(repo)) if callable(covers) else True

    # -- steps -----------------------------------------------------------------------------------------
    def _load_installation(self, installation_id: int) -> None:
        try:
            repos = self.client.repositories(installation_id)
        except ForgeError as exc:
            # Keep what it served: a failed listing says nothing about the repositories.
            logger.warning("installation {}: cannot list its repositories: {}", installation_id, exc)
            return
        repos = [r for r in repos if not r.archived]  # read-only: nothing could be written back
        with self._lock:
            self._installations.add(installation_id)
            stale = {k for k, r in self._repos.items() if r.installation_id == installation_id} - {
                _key(r.full_name) for r in repos
            }
            for k in stale:
                del self._repos[k]
        # The files are read a few at a time: against GitHub each read is a round trip (~0.1 s), and a
        # thousand in a row would hold the first discovery for minutes.
        with ThreadPoolExecutor(self.workers, thread_name_prefix="syncbot-fleet-read") as pool:
            list(pool.map(lambda info: self._load_repo(installation_id, info), repos))

    def _drop_installation(self, installation_id: int) -> None:
        with self._lock:
            self._installations.discard(installation_id)
            for k in [k for k, r in self._repos.items() if r.installation_id == installation_id]:
                del self._repos[k]
        forget = getattr(self.client, "forget", None)
        if callable(forget):
            forget(installation_id)

    def _drop_repo(self, full_name: str) -> None:
        with self._lock:
            self._repos.pop(_key(full_name), None)

    def _load_repo(self, installation_id: int, info: RepoInfo) -> None:
        name = info.full_name
        with self._lock:
            self._installations.add(installation_id)
            old = self._repos.get(_key(name))
        branch = info.default_branch or (old.default_branch if old else None)
        try:
            text = self.client.read_config(installation_id, name, branch)
        except ForgeError as exc:
            logger.warning("{}: cannot read {}: {}", name, self.config_path, exc)
            kept = old.trackers if old else ()
            served = ServedRepo(installation_id, name, branch, kept, f"cannot read {self.config_path}: {exc}")
        else:
            served = self._parsed(installation_id, name, branch, text)
        with self._lock:
            if served.trackers or served.problem:
                self._repos[_key(name)] = served
            else:
                self._repos.pop(_key(name), None)  # no file: not served, nothing to report

    def _parsed(self, installation_id: int, name: str, branch: str | None, text: str | None) -> ServedRepo:
        if text is None:
            return ServedRepo(installation_id, name, branch)
        try:
            trackers = tuple(parse_repo_config(text, name, self.defaults, self.forge))
        except RepoConfigError as exc:
            logger.warning("{}; its trackers are not served", exc)
            return ServedRepo(installation_id, name, branch, (), str(exc))
        return ServedRepo(installation_id, name, branch, trackers)

    def _diff(self, before: Mapping[str, ServedRepo]) -> FleetChanges:
        old = {t.id: t for r in before.values() for t in r.trackers}
        new = {t.id: t for t in self.trackers()}
        changes = FleetChanges(
            added=[new[k] for k in new if k not in old],
            removed=[old[k] for k in old if k not in new],
            changed=[new[k] for k in new if k in old and new[k] != old[k]],
        )
        if changes:
            logger.info("fleet: {} ({} tracker(s) served)", changes.describe(), len(new))
        return changes
