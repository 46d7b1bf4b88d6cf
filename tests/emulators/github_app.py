"""The GitHub App endpoints of the GitHub emulator: the App's JWT, its installations, installation tokens
scoped to the installation's repositories, and the repositories an installation token can see.

Bodies follow GitHub's REST description (``installation``, ``installation-token``, ``repository``), so
cassettes recorded from here pass tests/test_conformance.py as real traffic would.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .server import HttpError, Request, Response, paginate

if TYPE_CHECKING:
    from .github import _Repo

DOCS_APPS = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}

# Repository URL fields GitHub sends, as (field, suffix after the repository's API URL).
_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


@dataclass
class Installation:
    id: int
    account: str  # the user or organisation login it is installed on
    repos: list[str] = field(default_factory=list)  # full names, in the order they were added
    suspended_at: str | None = None
    repository_selection: str = "selected"


class AppEndpoints:
    """Mixed into :class:`~emulators.github.GitHubEmulator`: state in :meth:`_init_app`, routes in
    :meth:`_app_routes`."""

    # provided by GitHubEmulator / Emulator
    base_url: str
    prefix: str
    repos: dict[str, _Repo]
    lock: Any

    def _init_app(self) -> None:
        # The app id whose JWTs are accepted; installation tokens and their lifetime (seconds of real
        # time: PyGithub and syncbot compare ``expires_at`` with the wall clock).
        self.app_id: int | None = None
        self.app_slug = "syncbot-test"
        self.installation_token_ttl = 3600.0
        self.installation_tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self.token_installation: dict[str, int] = {}  # token -> installation id
        self.installations: dict[int, Installation] = {}
        self.jwts_seen: list[str] = []

    def _app_routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", "/app/installations", self.list_installations),
            ("POST", "/app/installations/{installation_id}/access_tokens", self.create_installation_token),
            ("GET", "/installation/repositories", self.list_installation_repositories),
        ]

    # -- test set-up helpers ------------------------------------------------------------------------
    def add_installation(self, installation_id: int, account: str, repos: list[str] | None = None) -> Installation:
        """An installation of the App on ``account`` with access to ``repos`` (created if missing)."""
        with self.lock:
            inst = self.installations.setdefault(installation_id, Installation(installation_id, account))
            for full_name in repos or []:
                self.add_repo(full_name)  # type: ignore[attr-defined]  # GitHubEmulator's
                if full_name not in inst.repos:
                    inst.repos.append(full_name)
            return inst

    def rename_repo(self, full_name: str, new_full_name: str) -> None:
        """A rename or a transfer: the repository answers under its new name only."""
        with self.lock:
            repo = self.repos.pop(full_name)  # type: ignore[attr-defined]
            repo.owner, repo.name = new_full_name.split("/")
            self.repos[new_full_name] = repo  # type: ignore[attr-defined]
            for inst in self.installations.values():
                inst.repos = [new_full_name if r == full_name else r for r in inst.repos]

    def expire_installation_tokens(self) -> None:
        """Every installation token minted so far stops working (as an hour later on GitHub)."""
        with self.lock:
            for token in self.installation_tokens:
                self.installation_tokens[token] = 0.0

    # -- authentication ------------------------------------------------------------------------------
    def _check_jwt(self, auth: str) -> None:
        """The App's JWT: ``Bearer`` and three base64url parts, RS256, issued by our app id, not expired.
        The signature is not checked (the shape is what the adapter controls)."""

        def refuse(why: str) -> HttpError:
            return HttpError(
                401,
                {"message": f"A JSON web token could not be decoded ({why})", "documentation_url": DOCS_APPS},
            )

        scheme, _, jwt = auth.partition(" ")
        if scheme.lower() != "bearer" or jwt.count(".") != 2:
            raise refuse("expected a Bearer JWT")
        try:
            header, payload = (
                json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in jwt.split(".")[:2]
            )
        except ValueError:
            raise refuse("not base64url JSON") from None
        if header.get("alg") != "RS256":
            raise refuse("alg must be RS256")
        if str(payload.get("iss")) != str(self.app_id) or not isinstance(payload.get("exp"), int):
            raise refuse("iss or exp")
        if payload["exp"] < time.time():
            raise HttpError(401, {"message": "'Expiration time' claim ('exp') is too far in the past"})
        self.jwts_seen.append(jwt)

    def _installation_token(self, request: Request) -> str | None:
        """The request's installation token, when it carries a live one."""
        auth = request.headers.get("authorization", "")
        token = auth.split(" ", 1)[1] if " " in auth else ""
        live = token in self.installation_tokens and self.installation_tokens[token] > time.time()
        return token if live else None

    def _check_scope(self, request: Request, full_name: str) -> None:
        """An installation token sees only its installation's repositories (404 for the rest, as GitHub);
        a token minted for an installation the emulator was not told about sees every repository."""
        token = self._installation_token(request)
        inst = self.installations.get(self.token_installation.get(token or "", -1))
        if inst is not None and full_name not in inst.repos:
            raise HttpError(404, NOT_FOUND)

    # -- handlers ------------------------------------------------------------------------------------
    def _render_account(self, login: str) -> dict[str, Any]:
        base = f"{self.base_url}{self.prefix}/users/{login}"
        return {
            "login": login,
            "id": sum(login.encode()) + 100,
            "node_id": f"O_kgDO{login}",
            "avatar_url": "https://avatars.githubusercontent.com/u/2?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": f"https://github.com/{login}",
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": "Organization",
            "site_admin": False,
        }

    def _render_installation(self, inst: Installation) -> dict[str, Any]:
        api = f"{self.base_url}{self.prefix}"
        return {
            "id": inst.id,
            "account": self._render_account(inst.account),
            "repository_selection": inst.repository_selection,
            "access_tokens_url": f"{api}/app/installations/{inst.id}/access_tokens",
            "repositories_url": f"{api}/installation/repositories",
            "html_url": f"https://github.com/organizations/{inst.account}/settings/installations/{inst.id}",
            "app_id": self.app_id,
            "app_slug": self.app_slug,
            "target_id": sum(inst.account.encode()) + 100,
            "target_type": "Organization",
            "permissions": {"issues": "write", "contents": "write", "metadata": "read"},
            "events": ["issues", "issue_comment", "milestone", "push"],
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "single_file_name": None,
            "suspended_by": self._render_account(inst.account) if inst.suspended_at else None,
            "suspended_at": inst.suspended_at,
        }

    def _render_repository(self, repo: _Repo) -> dict[str, Any]:
        full = f"{repo.owner}/{repo.name}"
        api = f"{self.base_url}{self.prefix}/repos/{full}"
        html = f"https://github.com/{full}"
        number = sum(full.encode()) * 1000 + len(full)
        urls = {name: api + suffix for name, suffix in _REPO_URLS.items()}
        return {
            "id": number,
            "node_id": f"R_kgDO{number}",
            "name": repo.name,
            "full_name": full,
            "owner": self._render_account(repo.owner),
            "private": True,
            "html_url": html,
            "description": None,
            "fork": False,
            "url": api,
            **urls,
            "clone_url": f"{html}.git",
            "git_url": f"git://github.com/{full}.git",
            "ssh_url": f"git@github.com:{full}.git",
            "svn_url": html,
            "mirror_url": None,
            "homepage": None,
            "language": None,
            "default_branch": repo.default_branch,
            "forks": 0,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers": 0,
            "watchers_count": 0,
            "size": 0,
            "open_issues": 0,
            "open_issues_count": 0,
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": False,
            "archived": repo.archived,
            "disabled": False,
            "license": None,
            "pushed_at": "2026-01-01T00:00:00Z",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        }

    def list_installations(self, request: Request) -> Response:
        items = [self._render_installation(i) for _, i in sorted(self.installations.items())]
        chunk, headers, _, _ = paginate(items, request, f"{self.base_url}{self.prefix}/app/installations")
        return Response(200, chunk, headers)

    def create_installation_token(self, request: Request) -> Response:
        installation_id = int(request.params["installation_id"])
        inst = self.installations.get(installation_id)
        if self.installations and inst is None:
            raise HttpError(404, NOT_FOUND)
        if inst is not None and inst.suspended_at:
            raise HttpError(403, {"message": "This installation has been suspended", "documentation_url": DOCS_APPS})
        token = f"ghs_{secrets.token_hex(18)}"
        expires = time.time() + self.installation_token_ttl
        self.installation_tokens[token] = expires
        self.token_installation[token] = installation_id
        stamp = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Response(
            201,
            {
                "token": token,
                "expires_at": stamp,
                "permissions": {"issues": "write", "contents": "write", "metadata": "read"},
                "repository_selection": inst.repository_selection if inst else "selected",
            },
        )

    def list_installation_repositories(self, request: Request) -> Response:
        token = self._installation_token(request)
        if token is None:
            raise HttpError(
                403, {"message": "This endpoint needs an installation token", "documentation_url": DOCS_APPS}
            )
        inst = self.installations.get(self.token_installation[token])
        names = inst.repos if inst is not None else sorted(self.repos)
        items = [self._render_repository(self.repos[n]) for n in names if n in self.repos]
        chunk, headers, _, _ = paginate(items, request, f"{self.base_url}{self.prefix}/installation/repositories")
        body = {
            "total_count": len(items),
            "repository_selection": inst.repository_selection if inst else "all",
            "repositories": chunk,
        }
        return Response(200, body, headers)
