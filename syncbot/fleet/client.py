"""The GitHub App's REST calls a fleet needs, through PyGithub, behind the :class:`AppClient` protocol.

* ``GET /app/installations`` with the App's JWT (paginated);
* ``GET /installation/repositories`` with the installation's token (paginated);
* ``GET /repos/{owner}/{repo}/contents/.github/syncbot.toml`` with the installation's token.

Every GET is conditional (``If-None-Match``, the adapters' :class:`~syncbot.forge._transport.SeamAdapter`
with an in-memory cache), so a reconcile of an unchanged fleet is answered with 304s, which GitHub does not
count against the rate limit; the requests are counted in ``stats`` all the same.  Errors are
:class:`~syncbot.forge.base.ForgeError` lines naming what failed, never a token, a JWT or a header.
"""

from __future__ import annotations

import base64
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from github import Auth, Github, GithubException

from syncbot.fleet.config import CONFIG_PATH
from syncbot.fleet.tokens import TokenPool
from syncbot.forge._transport import ETagCache, SeamAdapter, mount, token_fingerprint
from syncbot.forge.base import AuthError, ForgeError, NotFoundError, RateLimitError, RequestStats
from syncbot.forge.github import PER_PAGE, _BoundedRetry, _message_of, _next_link, _RefreshingToken


@dataclass(frozen=True)
class InstallationInfo:
    id: int
    account: str
    suspended: bool = False


@dataclass(frozen=True)
class RepoInfo:
    full_name: str
    default_branch: str | None = None
    archived: bool = False  # read-only: never served


class AppClient(Protocol):
    """What :class:`~syncbot.fleet.discovery.Fleet` asks of GitHub."""

    def installations(self) -> list[InstallationInfo]: ...

    def repositories(self, installation_id: int) -> list[RepoInfo]: ...

    def read_config(self, installation_id: int, repo: str, ref: str | None = None) -> str | None:
        """The repository's configuration file on ``ref`` (its default branch when None, or when the
        forge needs none); None when it has none."""
        ...


class GitHubAppClient:
    """:class:`AppClient` over GitHub's REST API: one PyGithub requester for the App (JWT) and one per
    installation (its token from ``tokens``, renewed before it expires)."""

    def __init__(
        self,
        base_url: str,
        app_id: int,
        private_key: str,
        tokens: TokenPool,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff_factor: float = 1.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self.tokens = tokens
        self.stats = RequestStats()
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff_factor
        self._host = urllib.parse.urlsplit(self.base_url).hostname or self.base_url
        self._app = self._github(Auth.AppAuth(app_id, private_key), f"github-app:{app_id}")
        self._installations: dict[int, Github] = {}
        self._lock = threading.Lock()

    def _github(self, auth: Auth.Auth, cache_key: str) -> Github:
        retry = _BoundedRetry(
            total=self._retries,
            backoff_factor=self._backoff,
            max_rate_limit_wait=60.0,
            secondary_rate_wait=60.0,
            status_forcelist=[429, 500, 502, 503, 504],
        )
        gh = Github(
            auth=auth,
            base_url=self.base_url,
            per_page=PER_PAGE,
            timeout=int(self._timeout),
            retry=retry,
            seconds_between_requests=0.0,  # PyGithub's default spaces requests 0.25 s apart; these are GETs
            lazy=True,
        )
        # The adapters' seam (see GitHubForge): counts every request and makes GETs conditional.
        connection = gh.requester._Requester__createConnection()  # type: ignore[attr-defined]
        seam = SeamAdapter(self.stats, ETagCache(token_fingerprint(cache_key)), max_retries=retry, forge="GitHub")
        mount(connection.session, seam)
        return gh

    def _for(self, installation_id: int) -> Github:
        with self._lock:
            gh = self._installations.get(installation_id)
            if gh is None:
                auth = _RefreshingToken(self.tokens.source(installation_id))
                key = f"github-app:{self.app_id}:installation:{installation_id}"
                gh = self._installations[installation_id] = self._github(auth, key)
            return gh

    def forget(self, installation_id: int) -> None:
        """Drop the installation's requester and token (it was deleted or suspended)."""
        with self._lock:
            self._installations.pop(installation_id, None)
        self.tokens.forget(installation_id)

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except ForgeError:
            raise
        except GithubException as exc:
            message = _message_of(exc.data)
            if exc.status == 401:
                raise AuthError(f"GitHub App {self.app_id}: {what}: 401 {message}; check its id and key") from None
            if exc.status == 404:
                raise NotFoundError(f"GitHub App {self.app_id}: {what}: not found (404)") from None
            if exc.status == 403 and "rate limit" in message.lower():
                raise RateLimitError(f"GitHub App {self.app_id}: {what}: rate limit spent") from None
            raise ForgeError(f"GitHub App {self.app_id}: {what} failed ({exc.status} {message})") from None
        except requests.RequestException as exc:
            why = type(exc).__name__
            raise ForgeError(f"GitHub App {self.app_id}: cannot reach {self._host} to {what} ({why})") from None

    def _pages(self, gh: Github, path: str) -> Iterator[Any]:
        url: str | None = path
        parameters: dict[str, Any] | None = {"per_page": PER_PAGE}
        while url is not None:
            headers, data = gh.requester.requestJsonAndCheck("GET", url, parameters=parameters)
            yield data
            url = _next_link(headers.get("link"))
            parameters = None  # the next link carries the query

    def installations(self) -> list[InstallationInfo]:
        out = []
        with self._errors("list installations"):
            for page in self._pages(self._app, "/app/installations"):
                for d in page or []:
                    account = (d.get("account") or {}).get("login") or (d.get("account") or {}).get("slug") or ""
                    out.append(InstallationInfo(int(d["id"]), str(account), bool(d.get("suspended_at"))))
        return out

    @contextmanager
    def _as_installation(self, installation_id: int, what: str) -> Iterator[None]:
        """As :meth:`_errors`; a refused token (401: revoked, or expired early) is dropped, so the next
        request mints a new one."""
        try:
            with self._errors(what):
                yield
        except AuthError:
            self.tokens.forget(installation_id)
            raise

    def repositories(self, installation_id: int) -> list[RepoInfo]:
        out = []
        with self._as_installation(installation_id, f"list the repositories of installation {installation_id}"):
            for page in self._pages(self._for(installation_id), "/installation/repositories"):
                for d in (page or {}).get("repositories") or []:
                    out.append(RepoInfo(str(d["full_name"]), d.get("default_branch"), bool(d.get("archived"))))
        return out

    def read_config(self, installation_id: int, repo: str, ref: str | None = None) -> str | None:
        """``ref`` is left out: the contents API reads the default branch, the only one a fleet serves."""
        gh = self._for(installation_id)
        path = urllib.parse.quote(CONFIG_PATH)
        try:
            with self._as_installation(installation_id, f"read {CONFIG_PATH} of {repo}"):
                _, data = gh.requester.requestJsonAndCheck("GET", f"/repos/{repo}/contents/{path}")
        except NotFoundError:
            return None
        if not isinstance(data, dict) or data.get("type") != "file":
            return None
        try:
            return base64.b64decode(data.get("content") or "").decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise ForgeError(f"{repo}: {CONFIG_PATH} is not UTF-8 text; save it as UTF-8") from None
