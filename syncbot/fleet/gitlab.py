"""A GitLab group as a fleet: every project in it (subgroups included) that has a ``.syncbot.toml``.

A group access token (``SYNCBOT_GITLAB_TOKEN``) sees the group's projects; :class:`GitLabGroupClient`
implements :class:`~syncbot.fleet.client.AppClient` with the group as the one "installation":

* ``GET /groups/{group}/projects?include_subgroups=true&archived=false`` (python-gitlab, paginated);
* ``GET /projects/{project}/repository/files/.syncbot.toml?ref={default branch}``.

GETs are conditional through the adapters' seam (in-memory ETags); GitLab counts 304s against its rate
limit too, but answers them without a body.  A group webhook's ``Push Hook`` re-reads a project's file;
projects added to or removed from the group are seen by the next discovery.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from gitlab import exceptions as glexc

from syncbot.fleet.client import InstallationInfo, RepoInfo
from syncbot.fleet.config import CONFIG_PATHS
from syncbot.forge._transport import ETagCache, token_fingerprint
from syncbot.forge.base import AuthError, ForgeError, NotFoundError, RateLimitError, RequestStats
from syncbot.forge.gitlab import PER_PAGE, counted_client

GROUP_INSTALLATION = 0  # the group is the fleet's one installation


class GitLabGroupClient:
    def __init__(self, url: str, token: str, group: str, *, timeout: float = 30.0) -> None:
        if not token:
            raise AuthError("no GitLab token: set SYNCBOT_GITLAB_TOKEN to a group access token (api scope)")
        self.url = url.rstrip("/")
        self.group = group.strip("/")
        self.stats = RequestStats()
        self._host = urllib.parse.urlsplit(self.url).hostname or self.url
        cache = ETagCache(token_fingerprint(f"gitlab-group:{self.group}:{token}"))
        self._gl = counted_client(self.url, token, self.stats, cache, timeout)

    def covers(self, project: str) -> bool:
        return project.lower().startswith(self.group.lower() + "/")

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except ForgeError:
            raise
        except glexc.GitlabError as exc:
            code = exc.response_code
            if code == 401:
                raise AuthError(f"GitLab rejected the token (401) to {what}: check SYNCBOT_GITLAB_TOKEN") from None
            if code == 404:
                raise NotFoundError(f"GitLab: {what}: not found (404)") from None
            if code == 429:
                raise RateLimitError(f"GitLab rate limit spent while trying to {what}") from None
            raise ForgeError(f"GitLab: {what} failed ({code})") from None
        except requests.RequestException as exc:
            raise ForgeError(f"GitLab: cannot reach {self._host} to {what} ({type(exc).__name__})") from None

    def installations(self) -> list[InstallationInfo]:
        return [InstallationInfo(GROUP_INSTALLATION, self.group)]

    def repositories(self, installation_id: int) -> list[RepoInfo]:
        out = []
        with self._errors(f"list the projects of group {self.group}"):
            group = self._gl.groups.get(self.group, lazy=True)
            for p in group.projects.list(include_subgroups=True, archived=False, iterator=True, per_page=PER_PAGE):
                a = p.attributes
                if a.get("default_branch"):  # an empty project has no branch, hence no file
                    out.append(RepoInfo(str(a["path_with_namespace"]), str(a["default_branch"])))
        return out

    def read_config(self, installation_id: int, repo: str, ref: str | None = None) -> str | None:
        path = CONFIG_PATHS["gitlab"]
        try:
            with self._errors(f"read {path} of {repo}"):
                f = self._gl.projects.get(repo, lazy=True).files.get(file_path=path, ref=ref or "HEAD")
                data = f.decode()
        except NotFoundError:
            return None
        try:
            return bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise ForgeError(f"{repo}: {path} is not UTF-8 text; save it as UTF-8") from None
