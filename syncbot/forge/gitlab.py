"""GitLab adapter, through python-gitlab.

Same cost model as the GitHub adapter: one paginated listing of managed issues (label filter, all
states, 100 per page), labels and milestones listed once, conditional GETs through the shared seam.
python-gitlab obeys ``Retry-After`` on 429 (``obey_rate_limit``) and retries transient 5xx
(``retry_transient_errors``); the seam refuses to sleep out a reset further away than
``max_rate_limit_wait`` and raises :class:`RateLimitError` instead.

GitLab has no "closed as not planned".  An issue closed with the bot's ``status:dropped`` label reads back
as ``not_planned`` (the planner sets that label for dropped sessions), any other closed issue as
``completed``, so a no-op sync stays empty.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gitlab
import requests
from gitlab import exceptions as glexc
from loguru import logger

from syncbot.forge._transport import ETagCache, SeamAdapter, mount, one_line, token_fingerprint
from syncbot.forge.base import (
    AlreadyExistsError,
    AuthError,
    Comment,
    CommitInfo,
    ConflictError,
    ForgeError,
    Issue,
    IssueChange,
    Label,
    Milestone,
    NotFoundError,
    RateLimitError,
    RequestStats,
)
from syncbot.forge.create_once import Unanswered, create_once

PER_PAGE = 100
DROPPED_LABEL = "status:dropped"


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _issue_from_json(data: dict[str, Any]) -> Issue:
    labels = tuple(data.get("labels") or ())
    closed = data.get("state") == "closed"
    milestone = data.get("milestone") or None
    closed_by = data.get("closed_by") or None
    return Issue(
        number=int(data["iid"]),
        title=data.get("title") or "",
        body=data.get("description") or "",
        state="closed" if closed else "open",
        state_reason=("not_planned" if DROPPED_LABEL in labels else "completed") if closed else None,
        labels=labels,
        milestone=milestone["title"] if milestone else None,
        closed_at=_parse_time(data.get("closed_at")),
        updated_at=_parse_time(data.get("updated_at")),
        closed_by=closed_by.get("username") if closed_by else None,
        url=data.get("web_url") or "",
    )


def counted_client(
    url: str, token: str, stats: RequestStats, cache: ETagCache, timeout: float, max_rate_limit_wait: float = 60.0
) -> gitlab.Gitlab:
    """python-gitlab on a session whose every request goes through the seam: counted, conditional (ETags),
    rate limits waited out, 100 a page."""
    session = requests.Session()
    mount(session, SeamAdapter(stats, cache, max_rate_limit_wait=max_rate_limit_wait, forge="GitLab"))
    return gitlab.Gitlab(
        url,
        private_token=token,
        session=session,
        timeout=timeout,
        per_page=PER_PAGE,
        retry_transient_errors=True,
        keep_base_url=True,  # self-hosted behind a proxy: follow pagination on the URL we were given
    )


class GitLabForge:
    """One GitLab project (gitlab.com or self-hosted)."""

    name = "gitlab"

    def __init__(
        self,
        repo: str,
        token: str,
        url: str = "https://gitlab.com",
        *,
        max_rate_limit_wait: float = 60.0,
        cache_dir: Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        if "/" not in repo.strip("/"):
            raise ForgeError(f"GitLab project must be group/project, got {repo!r}")
        if not token:
            raise AuthError("no GitLab token: set SYNCBOT_GITLAB_TOKEN")
        self.repo = repo.strip("/")
        self.url = url.rstrip("/")
        self.stats = RequestStats()
        cache = ETagCache(token_fingerprint(token), cache_dir)
        self._gl = counted_client(self.url, token, self.stats, cache, timeout, max_rate_limit_wait)
        self._project = self._gl.projects.get(self.repo, lazy=True)  # lazy: no request
        self._host = urllib.parse.urlsplit(self.url).hostname or self.url
        self._milestones: dict[str, Milestone] | None = None
        self._default_branch: str | None = None
        self._blocking_supported: bool | None = None  # learnt from the first refusal
        self._newest = 0  # the highest issue number seen: a create's lookup looks only above it

    def issue_url(self, number: int) -> str:
        return f"{self.url}/{self.repo}/-/issues/{number}"

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """python-gitlab's exceptions as one line a user can act on (never a token or a header)."""
        try:
            yield
        except RateLimitError as exc:
            raise RateLimitError(f"GitLab rate limit spent while trying to {what}", exc.reset_at) from None
        except ForgeError:
            raise
        except glexc.GitlabAuthenticationError:
            raise AuthError(
                f"GitLab rejected the token (401 Unauthorized) at {self._host}: check SYNCBOT_GITLAB_TOKEN"
            ) from None
        except glexc.GitlabError as exc:
            code = exc.response_code
            message = _message_of(exc.error_message)
            if code == 401:
                raise AuthError(f"GitLab rejected the token (401 {message}): check SYNCBOT_GITLAB_TOKEN") from None
            if code == 403:
                raise AuthError(
                    f"GitLab: no access to {self.repo} to {what} (403 {message}); the token needs the api scope "
                    "and Reporter (issues) / Developer (files) access"
                ) from None
            if code == 404:
                raise NotFoundError(
                    f"GitLab: {what}: not found (404 {message}) — project {self.repo} does not exist on "
                    f"{self._host}, or the token cannot see it"
                ) from None
            if code == 429:
                raise RateLimitError(f"GitLab rate limit spent while trying to {what}") from None
            if code in (400, 409, 422):
                raise ForgeError(f"GitLab refused to {what} ({code} {message})") from None
            raise ForgeError(f"GitLab: {what} failed ({code} {message})") from None
        except requests.RequestException as exc:
            raise ForgeError(f"GitLab: cannot reach {self._host} to {what} ({type(exc).__name__})") from None

    # -- reads ---------------------------------------------------------------------------------------
    def list_issues(self, label: str) -> list[Issue]:
        with self._errors(f"list issues labelled {label!r} in {self.repo}"):
            found = [
                _issue_from_json(i.attributes)
                for i in self._project.issues.list(labels=[label], state="all", per_page=PER_PAGE, iterator=True)
            ]
        self._newest = max([self._newest, *(i.number for i in found)])
        return sorted(found, key=lambda i: i.number)

    def list_labels(self) -> list[Label]:
        with self._errors(f"list labels of {self.repo}"):
            return [
                Label(
                    label.attributes["name"],
                    str(label.attributes.get("color") or "").lstrip("#").lower(),
                    label.attributes.get("description") or "",
                )
                for label in self._project.labels.list(per_page=PER_PAGE, iterator=True)
            ]

    def list_milestones(self) -> list[Milestone]:
        with self._errors(f"list milestones of {self.repo}"):
            found = [
                Milestone(
                    int(m.attributes["id"]),
                    m.attributes["title"],
                    m.attributes.get("description") or "",
                    "closed" if m.attributes.get("state") == "closed" else "open",
                )
                for m in self._project.milestones.list(per_page=PER_PAGE, iterator=True)
            ]
        self._milestones = {m.title: m for m in found}
        return found

    def list_comments(self, number: int) -> list[Comment]:
        with self._errors(f"list comments of issue #{number}"):
            notes = self._project.issues.get(number, lazy=True).notes.list(per_page=PER_PAGE, iterator=True)
            return [
                Comment(int(n.attributes["id"]), n.attributes.get("body") or "", _username(n.attributes))
                for n in notes
                if not n.attributes.get("system")  # "changed the description" and the like
            ]

    def _milestone_id(self, title: str) -> int:
        if self._milestones is None or title not in self._milestones:
            self.list_milestones()
        assert self._milestones is not None
        if title not in self._milestones:
            raise NotFoundError(f"GitLab: milestone {title!r} does not exist in {self.repo}")
        return self._milestones[title].number

    # -- writes --------------------------------------------------------------------------------------
    def create_issue(self, title: str, body: str, labels: list[str], milestone: str | None) -> Issue:
        data: dict[str, Any] = {"title": title, "description": body, "labels": ",".join(labels)}
        if milestone:
            data["milestone_id"] = self._milestone_id(milestone)

        def send() -> Issue:
            try:
                # python-gitlab resends a POST after a timeout or a 5xx; a create must not be resent blindly.
                made = self._project.issues.create(data, retry_transient_errors=False)
            except glexc.GitlabCreateError as exc:
                if (exc.response_code or 0) >= 500:
                    raise Unanswered(str(exc.response_code)) from None
                raise
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise Unanswered(type(exc).__name__) from None
            return _issue_from_json(made.attributes)

        def recent() -> list[Issue]:
            query: dict[str, Any] = {"state": "all", "order_by": "created_at", "sort": "desc", "per_page": PER_PAGE}
            if labels:
                query["labels"] = [labels[0]]
            return [_issue_from_json(i.attributes) for i in self._project.issues.list(get_all=False, **query)]

        with self._errors(f"create issue {title!r}"):
            issue = create_once(send, recent, title, body, newest_before=self._newest, forge="GitLab")
        self._newest = max(self._newest, issue.number)
        return issue

    def update_issue(self, number: int, change: IssueChange) -> Issue:
        data: dict[str, Any] = {}
        if change.title is not None:
            data["title"] = change.title
        if change.body is not None:
            data["description"] = change.body
        if change.labels is not None:
            data["labels"] = ",".join(change.labels)
        if change.milestone is not None:
            data["milestone_id"] = self._milestone_id(change.milestone) if change.milestone else 0
        if change.state is not None:
            data["state_event"] = "close" if change.state == "closed" else "reopen"
        with self._errors(f"update issue #{number}"):
            return _issue_from_json(self._project.issues.update(number, data))

    def create_label(self, label: Label) -> None:
        with self._errors(f"create label {label.name!r}"):
            try:
                self._project.labels.create(
                    {"name": label.name, "color": f"#{label.color}", "description": label.description}
                )
            except glexc.GitlabCreateError as exc:
                if exc.response_code == 409:
                    raise AlreadyExistsError(f"GitLab: label {label.name!r} already exists (409)") from None
                raise

    def update_label(self, label: Label) -> None:
        with self._errors(f"update label {label.name!r}"):
            self._project.labels.update(label.name, {"color": f"#{label.color}", "description": label.description})

    def create_milestone(self, title: str, description: str) -> Milestone:
        with self._errors(f"create milestone {title!r}"):
            m = self._project.milestones.create({"title": title, "description": description}).attributes
        made = Milestone(int(m["id"]), m["title"], m.get("description") or "", "open")
        if self._milestones is not None:
            self._milestones[title] = made
        return made

    def update_milestone(self, number: int, *, description: str | None = None, state: str | None = None) -> Milestone:
        data: dict[str, Any] = {}
        if description is not None:
            data["description"] = description
        if state is not None:
            data["state_event"] = "close" if state == "closed" else "activate"
        with self._errors(f"update milestone {number}"):
            m = self._project.milestones.update(number, data)
        made = Milestone(
            int(m["id"]), m["title"], m.get("description") or "", "closed" if m.get("state") == "closed" else "open"
        )
        if self._milestones is not None:
            self._milestones[made.title] = made
        return made

    def _link(self, number: int, blocker: int, link_type: str) -> None:
        links = self._project.issues.get(number, lazy=True).links
        try:
            links.create({"target_project_id": self.repo, "target_issue_iid": blocker, "link_type": link_type})
        except glexc.GitlabCreateError as exc:
            if exc.response_code != 409:  # 409: already linked, a retried apply converges
                raise

    def add_blocked_by(self, number: int, blocker: int) -> bool:
        with self._errors(f"link issue #{number} as blocked by #{blocker}"):
            if self._blocking_supported is not False:
                try:
                    self._link(number, blocker, "is_blocked_by")
                    self._blocking_supported = True
                    return True
                except glexc.GitlabCreateError as exc:
                    if exc.response_code not in (403, 404):
                        raise
                    self._blocking_supported = False
                    logger.warning(
                        "GitLab refused 'is blocked by' links on {} ({}: a paid feature); using 'relates to' "
                        "links instead (each issue body lists its prerequisites)",
                        self.repo,
                        exc.response_code,
                    )
            self._link(number, blocker, "relates_to")
            return False

    def remove_blocked_by(self, number: int, blocker: int) -> None:
        wanted = {"is_blocked_by"} if self._blocking_supported else {"is_blocked_by", "relates_to"}
        with self._errors(f"remove the link of #{number} to #{blocker}"):
            links = self._project.issues.get(number, lazy=True).links
            for linked in links.list(per_page=PER_PAGE, iterator=True):
                a = linked.attributes
                if int(a.get("iid", -1)) == blocker and a.get("link_type") in wanted:
                    links.delete(a["issue_link_id"])

    def create_comment(self, number: int, body: str) -> Comment:
        with self._errors(f"comment on issue #{number}"):
            n = self._project.issues.get(number, lazy=True).notes.create({"body": body}).attributes
        return Comment(int(n["id"]), n.get("body") or "", _username(n))

    def update_comment(self, number: int, comment_id: int, body: str) -> Comment:
        with self._errors(f"edit comment {comment_id} on issue #{number}"):
            n = self._project.issues.get(number, lazy=True).notes.update(comment_id, {"body": body})
        return Comment(int(n["id"]), n.get("body") or "", _username(n))

    # -- files and commits ---------------------------------------------------------------------------
    def _branch(self, branch: str | None) -> str:
        if branch:
            return branch
        if self._default_branch is None:
            with self._errors(f"read the default branch of {self.repo}"):
                self._default_branch = str(self._gl.projects.get(self.repo).attributes["default_branch"])
        return self._default_branch

    def read_file(self, path: str, ref: str | None = None) -> tuple[str, str]:
        ref = self._branch(ref)
        with self._errors(f"read {path}"):
            f = self._project.files.get(file_path=path, ref=ref)
            try:
                return f.decode().decode("utf-8"), str(f.attributes["last_commit_id"])
            except UnicodeDecodeError as exc:
                raise ForgeError(f"GitLab: {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None

    def write_file(self, path: str, text: str, message: str, version: str | None, branch: str | None = None) -> str:
        branch = self._branch(branch)
        data: dict[str, Any] = {"branch": branch, "content": text, "commit_message": message}
        with self._errors(f"write {path}"):
            try:
                if version is None:
                    self._project.files.create({"file_path": path, **data})
                else:
                    self._project.files.update(path, {**data, "last_commit_id": version})
            except (glexc.GitlabCreateError, glexc.GitlabUpdateError) as exc:
                # GitLab answers 400 both for "changed since you started editing" and "already exists".
                if exc.response_code in (400, 409):
                    raise ConflictError(f"GitLab: {path} changed since it was read; read it again and retry") from None
                raise
            # The PUT answers without the new commit id: read it back.  If someone else committed to the
            # file in between, hand back a version that can never match, so the next write conflicts
            # instead of overwriting their change.
            f = self._project.files.get(file_path=path, ref=branch)
            last = str(f.attributes["last_commit_id"])
            return last if f.decode().decode("utf-8") == text else f"stale:{last}"

    def list_commits(
        self, branch: str | None = None, since_sha: str | None = None, *, limit: int = 1000
    ) -> list[CommitInfo]:
        found: list[CommitInfo] = []
        params: dict[str, Any] = {"ref_name": branch} if branch else {}
        with self._errors(f"list commits of {self.repo}"):
            for c in self._project.commits.list(per_page=PER_PAGE, iterator=True, **params):
                a = c.attributes
                if a["id"] == since_sha or len(found) >= limit:
                    break
                when = _parse_time(a.get("committed_date")) or datetime.now(UTC)
                found.append(CommitInfo(a["id"], a.get("message") or "", when))
        return found[::-1]


def _username(note: dict[str, Any]) -> str:
    return str((note.get("author") or {}).get("username") or "")


def _message_of(message: Any) -> str:
    if isinstance(message, dict):
        return "; ".join(f"{k}: {v}" for k, v in message.items())
    # GitLab repeats the status in its messages ("404 Project Not Found"); the caller already says it.
    return one_line(re.sub(r"^\d{3} ", "", str(message or "").strip()))
