"""One fleet tracker synced without a clone: the engine's sync over the contents API.

A sync reads the tracker at the branch head, lists the commits after the last one processed for their
trailers, and commits the bot's edit with a compare-and-swap.  Over git those are ``cat-file``, ``log``
and ``update-ref NEW OLD``; over the REST API they are the contents GET (text and blob ``sha``), the
commits listing, and the contents PUT carrying that ``sha`` — GitHub answers 409 when the file moved, and
the engine reads again and retries (``engine.WRITE_ATTEMPTS``).  The seam is the engine's ``Workspace``
protocol: :class:`~syncbot.pull.ForgeWorkspace` implements it on the forge's ``read_file``,
``write_file`` and ``list_commits``, which the GitHub and GitLab adapters already speak (GitLab's
compare-and-swap is the file's ``last_commit_id``); this module only supplies the adapter of the tracker's
repository, authenticated as its installation (GitHub) or with the group's token (GitLab).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from syncbot.errors import UserError
from syncbot.fleet.discovery import Fleet
from syncbot.fleet.tokens import TokenPool
from syncbot.forge.factory import state_path
from syncbot.runner import SyncOutcome, outcome_of, tracker_settings
from syncbot.settings import Settings, TrackerConfig


class WriteSpacing:
    """At least ``interval`` seconds between the writes of one installation, whichever of its syncs sends
    them: GitHub asks for a second between writes per client, and the daemon runs eight syncs at once.
    Each writer reserves the next free slot under a lock, then sleeps until it."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


class FleetSync:
    """``sync(tracker)`` for the trackers a :class:`Fleet` serves: the daemon's ``RunSync``."""

    def __init__(self, settings: Settings, fleet: Fleet, tokens: TokenPool | None, **forge_options: Any) -> None:
        self.settings = settings
        self.fleet = fleet
        self.tokens = tokens
        self.forge_options = forge_options  # e.g. seconds_between_writes for an emulator
        # One write spacing per installation, as long as the adapter's own (a second by default).
        self.write_interval = float(forge_options.get("seconds_between_writes", 1.0))
        self._spacing: dict[int, WriteSpacing] = {}
        self._spacing_lock = threading.Lock()

    def spacing(self, installation_id: int) -> WriteSpacing:
        with self._spacing_lock:
            found = self._spacing.get(installation_id)
            if found is None:
                found = self._spacing[installation_id] = WriteSpacing(self.write_interval)
            return found

    def forge_for(self, tracker: TrackerConfig) -> Any:
        """The adapter of the tracker's repository: on GitHub with its installation's rotating token, on
        GitLab with the group's token."""
        from syncbot.forge.github import GitHubForge

        served = self.fleet.repo_of(tracker)
        if served is None or tracker not in served.trackers:
            raise UserError(f"{tracker.id}: no longer served by the fleet (its repository or file went away)")
        cache = state_path(self.settings, None) / "http-cache"
        if self.tokens is None:  # a GitLab group
            from syncbot.forge.gitlab import GitLabForge

            token = self.settings.gitlab_token.get_secret_value() if self.settings.gitlab_token else ""
            return GitLabForge(served.full_name, token, self.settings.gitlab_url, cache_dir=cache)
        installation_id = served.installation_id
        app_id = self.settings.github_app_id
        return GitHubForge(
            served.full_name,
            "",
            self.settings.github_url,
            token_source=self.tokens.source(installation_id),
            cache_key=f"github-app:{app_id}:installation:{installation_id}",
            cache_dir=cache,
            before_write=self.spacing(installation_id).wait,
            **self.forge_options,
        )

    def settings_for(self, tracker: TrackerConfig) -> Settings:
        """The daemon's settings with the tracker's laid over, writing back through the file API on the
        repository's default branch (``SYNCBOT_BRANCH`` is one repository's; a fleet spans many)."""
        base = tracker_settings(self.settings, tracker)
        return base.model_copy(update={"write_back": "api", "branch": None, "push": False})

    def __call__(self, tracker: TrackerConfig) -> SyncOutcome:
        from syncbot.engine import run_sync

        forge = self.forge_for(tracker)
        settings = self.settings_for(tracker)
        report = run_sync(settings, Path(tracker.path), progress=False, forge=forge, hints=tracker.hints)
        return outcome_of(report)
