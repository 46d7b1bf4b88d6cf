"""Credentials for the forges, built from :class:`~syncbot.settings.Settings`.

GitHub: a personal token, or a GitHub App.  For the App, PyGithub's ``Auth.AppInstallationAuth`` mints
installation tokens and mints a new one shortly before the old one expires (its ``token`` property),
so a long-running daemon never sends an expired token.  :class:`InstallationTokens` does the same for
callers outside PyGithub (``git push`` over HTTPS, the contents API through another client), with a
wider margin because a ``git push`` can outlast PyGithub's 20 seconds.

GitLab: personal, project and group access tokens all travel in the ``PRIVATE-TOKEN`` header, so one
setting covers the three.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from syncbot.settings import SettingsError

if TYPE_CHECKING:
    from github.Auth import Auth

    from syncbot.settings import Settings

REFRESH_MARGIN_SECONDS = 300.0  # installation tokens live an hour; renew with five minutes to spare


def github_app_configured(settings: Settings) -> bool:
    return any(
        v is not None
        for v in (
            settings.github_app_id,
            settings.github_app_private_key,
            settings.github_app_private_key_file,
            settings.github_app_installation_id,
        )
    )


def github_app_private_key(settings: Settings) -> str:
    """The App's PEM key, from ``SYNCBOT_GITHUB_APP_PRIVATE_KEY`` (``\\n`` escapes allowed, as env files
    often hold one line) or from the file ``SYNCBOT_GITHUB_APP_PRIVATE_KEY_FILE``."""
    if settings.github_app_private_key is not None:
        key = settings.github_app_private_key.get_secret_value()
        return key.replace("\\n", "\n") if "\\n" in key and "\n" not in key else key
    path = settings.github_app_private_key_file
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SettingsError(
                f"SYNCBOT_GITHUB_APP_PRIVATE_KEY_FILE: cannot read {path} ({exc.strerror}); "
                "put the path of the App's .pem file"
            ) from None
    raise SettingsError(
        "SYNCBOT_GITHUB_APP_PRIVATE_KEY or SYNCBOT_GITHUB_APP_PRIVATE_KEY_FILE: missing; put the App's "
        "private key (PEM text) or the path of its .pem file"
    )


def _check_app(settings: Settings) -> tuple[int, str, int]:
    missing = [
        name
        for name, value in (
            ("SYNCBOT_GITHUB_APP_ID", settings.github_app_id),
            ("SYNCBOT_GITHUB_APP_INSTALLATION_ID", settings.github_app_installation_id),
        )
        if value is None
    ]
    if missing:
        raise SettingsError(
            f"{' and '.join(missing)}: missing; a GitHub App needs its app id, its installation id and its "
            "private key (all three are on the App's settings and installation pages)"
        )
    assert settings.github_app_id is not None and settings.github_app_installation_id is not None
    return settings.github_app_id, github_app_private_key(settings), settings.github_app_installation_id


def github_auth(settings: Settings) -> Auth:
    """PyGithub credentials: App installation auth when an App is configured, else the token."""
    from github import Auth as GhAuth

    if github_app_configured(settings):
        app_id, key, installation_id = _check_app(settings)
        return GhAuth.AppAuth(app_id, key).get_installation_auth(installation_id)
    if settings.github_token is not None and settings.github_token.get_secret_value():
        return GhAuth.Token(settings.github_token.get_secret_value())
    raise SettingsError(
        "SYNCBOT_GITHUB_TOKEN: missing; put a GitHub token with issues write access (or configure a "
        "GitHub App: SYNCBOT_GITHUB_APP_ID, SYNCBOT_GITHUB_APP_INSTALLATION_ID, SYNCBOT_GITHUB_APP_PRIVATE_KEY)"
    )


def gitlab_auth_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``gitlab.Gitlab``: the URL and the token as ``private_token``."""
    if settings.gitlab_token is None or not settings.gitlab_token.get_secret_value():
        raise SettingsError(
            "SYNCBOT_GITLAB_TOKEN: missing; put a personal, project or group access token with the api scope"
        )
    return {"url": settings.gitlab_url, "private_token": settings.gitlab_token.get_secret_value()}


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: datetime

    def __repr__(self) -> str:  # never print the value
        return f"Token(expires_at={self.expires_at.isoformat()})"


class InstallationTokens:
    """A cached installation token, fetched again when less than ``margin`` seconds are left.
    ``fetch`` returns a fresh :class:`Token`; ``clock`` returns the current UTC time (both injectable so
    the refresh rule is tested without a network or a wait).  Thread-safe: syncs of several trackers
    share one instance."""

    def __init__(
        self,
        fetch: Callable[[], Token],
        *,
        margin: float = REFRESH_MARGIN_SECONDS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._fetch = fetch
        self._margin = margin
        self._clock = clock
        self._token: Token | None = None
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            tok = self._token
            if tok is None or (tok.expires_at - self._clock()).total_seconds() < self._margin:
                tok = self._token = self._fetch()
            return tok.value

    def __repr__(self) -> str:
        return "InstallationTokens(<hidden>)"


class _HideMintedTokens(logging.Filter):
    """PyGithub's DEBUG request log prints response bodies; the body of ``POST .../access_tokens`` *is*
    the installation token.  Blank that body (the request headers are already masked by PyGithub)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 9 and "access_tokens" in str(args[3]):
            record.args = (*args[:8], "<installation token response removed>")
        return True


_HIDE_MINTED_TOKENS = _HideMintedTokens()


def app_credentials(settings: Settings) -> tuple[int, str]:
    """The App's id and private key, for App-level calls (the JWT): no installation id needed."""
    if settings.github_app_id is None:
        raise SettingsError(
            "SYNCBOT_GITHUB_APP_ID: missing; a GitHub App needs its app id and its private key (both are on "
            "the App's settings page)"
        )
    return settings.github_app_id, github_app_private_key(settings)


def installation_token_minter(settings: Settings) -> Callable[[int], Token]:
    """A function minting a fresh installation token of the configured App for an installation id,
    through PyGithub's ``GithubIntegration`` (the App's JWT).  Errors are one line: never the JWT, the key
    or a header."""
    from github import Auth as GhAuth
    from github import GithubIntegration

    app_id, key = app_credentials(settings)
    requester_log = logging.getLogger("github.Requester")
    if _HIDE_MINTED_TOKENS not in requester_log.filters:
        requester_log.addFilter(_HIDE_MINTED_TOKENS)
    # No spacing: PyGithub's default waits a second after each POST, and a fleet mints one token per
    # installation at start (GitHub's one-write-a-second guidance is about content, not tokens).
    integration = GithubIntegration(
        auth=GhAuth.AppAuth(app_id, key),
        base_url=settings.github_url,
        seconds_between_requests=0.0,
        seconds_between_writes=0.0,
    )

    def mint(installation_id: int) -> Token:
        from github import GithubException
        from requests import RequestException

        from syncbot.forge.base import AuthError

        try:
            auth = integration.get_access_token(installation_id)
        except GithubException as exc:
            message = exc.data.get("message", "") if isinstance(exc.data, dict) else ""
            raise AuthError(
                f"GitHub App {app_id}: no installation token for installation {installation_id} "
                f"({exc.status} {message}); check SYNCBOT_GITHUB_APP_ID, SYNCBOT_GITHUB_APP_INSTALLATION_ID "
                "and the private key"
            ) from None
        except RequestException as exc:
            raise AuthError(
                f"GitHub App {app_id}: cannot reach {settings.github_url} to mint an installation token "
                f"({type(exc).__name__})"
            ) from None
        return Token(auth.token, auth.expires_at)

    return mint


def installation_tokens(settings: Settings) -> InstallationTokens:
    """Installation tokens of the configured GitHub App and installation, minted through PyGithub's
    ``GithubIntegration``."""
    _, _, installation_id = _check_app(settings)
    mint = installation_token_minter(settings)
    return InstallationTokens(lambda: mint(installation_id))


def github_app_cache_key(settings: Settings) -> str:
    """What names an App's credentials across token rotations (for the ETag cache): the two ids."""
    return f"github-app:{settings.github_app_id}:installation:{settings.github_app_installation_id}"
