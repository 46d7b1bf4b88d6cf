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
    from syncbot.fleet.sync import FleetSync
    from syncbot.fleet.tokens import TokenPool


def fleet_configured(settings: Settings) -> bool:
    """GitHub App credentials (an app id and a private key) and no tracker configured: the repositories
    the App is installed on say what to serve."""
    has_key = settings.github_app_private_key is not None or settings.github_app_private_key_file is not None
    return settings.github_app_id is not None and has_key and not settings.tracker_configs()


@dataclass
class FleetSetup:
    fleet: Fleet
    sync: FleetSync  # the daemon's RunSync for the fleet's trackers
    client: GitHubAppClient
    tokens: TokenPool = field(repr=False)


def build_fleet(settings: Settings, *, clock: Callable[[], datetime] | None = None, **forge_options: Any) -> FleetSetup:
    """The fleet of the configured App (only ``SYNCBOT_GITHUB_APP_INSTALLATION_ID``'s when set).  Nothing
    is requested until ``fleet.reconcile()``."""
    from syncbot.auth import app_credentials, installation_token_minter
    from syncbot.fleet.client import GitHubAppClient
    from syncbot.fleet.config import TrackerDefaults
    from syncbot.fleet.discovery import Fleet
    from syncbot.fleet.sync import FleetSync
    from syncbot.fleet.tokens import TokenPool

    app_id, key = app_credentials(settings)
    tokens = TokenPool(installation_token_minter(settings), clock=clock or (lambda: datetime.now(UTC)))
    client = GitHubAppClient(settings.github_url, app_id, key, tokens)
    defaults = TrackerDefaults(settings.trailer_key, settings.milestones, settings.schedule)
    only = [settings.github_app_installation_id] if settings.github_app_installation_id is not None else None
    fleet = Fleet(client, defaults, installation_ids=only)
    return FleetSetup(fleet, FleetSync(settings, fleet, tokens, **forge_options), client, tokens)
