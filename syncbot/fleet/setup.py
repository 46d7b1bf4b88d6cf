"""A fleet built from settings: when it applies, and its parts wired together.  Asking whether it
applies (:func:`fleet_configured`) loads no forge client: ``syncbot serve`` asks it first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from syncbot.settings import Settings

if TYPE_CHECKING:
    from syncbot.fleet.client import GitHubAppClient
    from syncbot.fleet.discovery import Fleet
    from syncbot.fleet.gitlab import GitLabGroupClient
    from syncbot.fleet.sync import FleetSync
    from syncbot.fleet.tokens import TokenPool


def fleet_configured(settings: Settings) -> bool:
    """No tracker configured, and GitHub App credentials (an app id and a private key: the repositories
    the App is installed on say what to serve) or a GitLab group (its projects do)."""
    if settings.tracker_configs():
        return False
    has_key = settings.github_app_private_key is not None or settings.github_app_private_key_file is not None
    return (settings.github_app_id is not None and has_key) or bool(settings.gitlab_group)


@dataclass
class FleetSetup:
    fleet: Fleet
    sync: FleetSync  # the daemon's RunSync for the fleet's trackers
    client: GitHubAppClient | GitLabGroupClient
    tokens: TokenPool | None = field(default=None, repr=False)  # GitHub: one token per installation


def build_fleet(settings: Settings, *, clock: Callable[[], datetime] | None = None, **forge_options: Any) -> FleetSetup:
    """The fleet of the configured App (only ``SYNCBOT_GITHUB_APP_INSTALLATION_ID``'s when set), or of the
    GitLab group (``SYNCBOT_GITLAB_GROUP``).  Nothing is requested until ``fleet.reconcile()``."""
    from syncbot.auth import app_credentials, installation_token_minter
    from syncbot.fleet.client import GitHubAppClient
    from syncbot.fleet.config import TrackerDefaults
    from syncbot.fleet.discovery import Fleet
    from syncbot.fleet.sync import FleetSync
    from syncbot.fleet.tokens import TokenPool

    defaults = TrackerDefaults(settings.trailer_key, settings.milestones, settings.schedule)
    if settings.gitlab_group and settings.github_app_id is None:
        from syncbot.fleet.gitlab import GitLabGroupClient

        token = settings.gitlab_token.get_secret_value() if settings.gitlab_token is not None else ""
        group = GitLabGroupClient(settings.gitlab_url, token, settings.gitlab_group)
        gl_fleet = Fleet(group, defaults, forge="gitlab")
        return FleetSetup(gl_fleet, FleetSync(settings, gl_fleet, None, **forge_options), group)

    app_id, key = app_credentials(settings)
    tokens = TokenPool(installation_token_minter(settings), clock=clock or (lambda: datetime.now(UTC)))
    client = GitHubAppClient(settings.github_url, app_id, key, tokens)
    only = [settings.github_app_installation_id] if settings.github_app_installation_id is not None else None
    fleet = Fleet(client, defaults, installation_ids=only)
    return FleetSetup(fleet, FleetSync(settings, fleet, tokens, **forge_options), client, tokens)
