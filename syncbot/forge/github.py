"""GitHub adapter, through PyGithub.

Cost model (DESIGN.md, "Limits to respect"): a sync where nothing changed is ``ceil(N/100)`` pages of the
managed-issue listing plus one page each of labels and milestones, all conditional (``If-None-Match``) so
an unchanged repository answers 304s, which GitHub does not count against the rate limit.  Listings go
through PyGithub's requester page by page and are converted from the raw JSON: PyGithub's lazy objects
would otherwise fetch each issue again the first time a field missing from the list payload is read.
Writes go through PyGithub's objects, with its write spacing (``seconds_between_writes``) and
``GithubRetry`` (secondary limits, ``Retry-After``).
"""

from __future__ import annotations

import logging
import re
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededExceedsMaxWait,
    RateLimitExceededException,
)
from github.Issue import Issue as GhIssue
from github.Milestone import Milestone as GhMilestone
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
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class _BoundedRetry(GithubRetry):
    """``GithubRetry`` that refuses to sleep out a ``Retry-After`` longer than the caller will wait, and
    never resends a POST the server may have carried out (a timeout, a 5xx): see
    :mod:`syncbot.forge.create_once`.  A POST refused by a rate limit (403, 429) was not carried out and
    is retried as before; GET, PUT and the rest keep urllib3's and GithubRetry's rules."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method.upper() == "POST":
            return status_code in (403, 429) and bool(super().is_retry("GET", status_code, has_retry_after))
        return bool(super().is_retry(method, status_code, has_retry_after))

    def _is_method_retryable(self, method: str) -> bool:
        # Consulted for read errors (timeouts): a POST that timed out may have happened.
        return method.upper() != "POST" and bool(super()._is_method_retryable(method))

    def sleep_for_retry(self, response: Any = None) -> bool:
        retry_after = self.get_retry_after(response) if response is not None else None
        if retry_after is not None and self.max_rate_limit_wait is not None and retry_after > self.max_rate_limit_wait:
            reset = datetime.fromtimestamp(datetime.now(UTC).timestamp() + retry_after, UTC)
            raise RateLimitError(f"GitHub asked to retry after {retry_after:.0f} s", reset)
        return bool(super().sleep_for_retry(response))


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _next_link(link: str | None) -> str | None:
    match = _NEXT.search(link or "")
    return match.group(1) if match else None


def _issue_from_json(data: dict[str, Any]) -> Issue:
    milestone = data.get("milestone") or None
    closed_by = data.get("closed_by") or None
    return Issue(
        number=int(data["number"]),
        title=data.get("title") or "",
        body=data.get("body") or "",
        state="closed" if data.get("state") == "closed" else "open",
        state_reason=data.get("state_reason") or None,
        labels=tuple(label["name"] for label in data.get("labels") or ()),
        milestone=milestone["title"] if milestone else None,
        closed_at=_parse_time(data.get("closed_at")),
        updated_at=_parse_time(data.get("updated_at")),
        closed_by=closed_by["login"] if closed_by else None,
        url=data.get("html_url") or "",
    )


def _issue_from_object(gi: GhIssue) -> Issue:
    """From a *completed* PyGithub issue (create/edit responses): reading its attributes makes no request."""
    return Issue(
        number=gi.number,
        title=gi.title or "",
        body=gi.body or "",
        state="closed" if gi.state == "closed" else "open",
        state_reason=gi.state_reason or None,  # type: ignore[arg-type]
        labels=tuple(label.name for label in gi.labels or ()),
        milestone=gi.milestone.title if gi.milestone else None,
        closed_at=gi.closed_at,
        updated_at=gi.updated_at,
        closed_by=None,
        url=gi.html_url or "",
    )


class _RefreshingToken(Auth.Auth):
    """PyGithub credentials asking ``source`` for the token on every request, so an installation token
    minted by :class:`~syncbot.auth.InstallationTokens` is renewed before it expires (PyGithub reads
    ``token`` per request, never once at start)."""

    def __init__(self, source: Callable[[], str]) -> None:
        self._source = source

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._source()

    @property
    def _masked_token(self) -> str:
        return "token (installation token removed)"

    def __repr__(self) -> str:
        return "_RefreshingToken(<hidden>)"


class GitHubForge:
    """One GitHub (or GitHub Enterprise) repository."""

    name = "github"

    def __init__(
        self,
        repo: str,
        token: str,
        base_url: str = "https://api.github.com",
        *,
        seconds_between_writes: float = 1.0,
        seconds_between_requests: float = 0.0,
        max_rate_limit_wait: float = 60.0,
        cache_dir: Path | None = None,
        timeout: float = 30.0,
        retries: int = 5,
        backoff_factor: float = 1.0,
        token_source: Callable[[], str] | None = None,
        cache_key: str | None = None,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        """``token``: a personal token.  Or ``token_source``: called for each request, for GitHub App
        installation tokens that rotate (``token`` is then ignored); ``cache_key`` names the credentials
        stably (the app and installation ids), so the ETag cache survives each rotation.  ``before_write``
        is called before each write is sent: a fleet spaces the writes of one installation across syncs."""
        if repo.count("/") != 1 or not all(repo.split("/")):
            raise ForgeError(f"GitHub repository must be owner/name, got {repo!r}")
        if not token and token_source is None:
            raise AuthError("no GitHub token: set SYNCBOT_GITHUB_TOKEN")
        self.repo = repo
        self.base_url = base_url.rstrip("/")
        self.stats = RequestStats()
        self._credentials = (
            "the GitHub App's installation (SYNCBOT_GITHUB_APP_*)" if token_source else "SYNCBOT_GITHUB_TOKEN"
        )
        if seconds_between_writes < 1.0 and urllib.parse.urlsplit(self.base_url).hostname == "api.github.com":
            # GitHub's guidance against secondary limits is at least one second between mutating requests;
            # less is for emulators and cassette replays, so say so rather than silently overriding it.
            logger.warning(
                "seconds_between_writes={} against api.github.com: GitHub asks for at least 1 s between writes",
                seconds_between_writes,
            )
        retry = _BoundedRetry(
            total=retries,
            backoff_factor=backoff_factor,
            max_rate_limit_wait=max_rate_limit_wait,
            secondary_rate_wait=min(60.0, max_rate_limit_wait),
            status_forcelist=[429, 500, 502, 503, 504],
        )
        retry_log = logging.getLogger("github.GithubRetry")
        if retry_log.level == logging.NOTSET:
            # GithubRetry narrates each retried 403 at INFO; a spent limit must reach the user as one line.
            retry_log.setLevel(logging.WARNING)
        self._gh = Github(
            auth=_RefreshingToken(token_source) if token_source is not None else Auth.Token(token),
            base_url=self.base_url,
            per_page=PER_PAGE,
            timeout=int(timeout),
            retry=retry,
            seconds_between_requests=seconds_between_requests,
            seconds_between_writes=seconds_between_writes,
            lazy=True,
        )
        self._requester = self._gh.requester
        # PyGithub builds one persistent connection (a requests.Session) per host; mounting our adapter
        # there is the only seam that sees every request, retries included.  There is no public hook.
        connection = self._requester._Requester__createConnection()  # type: ignore[attr-defined]
        self._seam = SeamAdapter(
            self.stats,
            ETagCache(token_fingerprint(cache_key or token), cache_dir),
            max_retries=retry,
            max_rate_limit_wait=max_rate_limit_wait,
            forge="GitHub",
            before_write=before_write,
        )
        mount(connection.session, self._seam)
        self._repo = self._gh.get_repo(repo)  # lazy (Github(lazy=True)): no request
        self._path = f"/repos/{repo}"
        self._host = urllib.parse.urlsplit(self.base_url).hostname or self.base_url
        self._html = "https://github.com" if self._host == "api.github.com" else self.base_url.removesuffix("/api/v3")
        # Filled by the listings, so writes need no GET to learn ids (dependencies) or numbers (milestones).
        self._issue_ids: dict[int, int] = {}
        self._newest = 0  # the highest issue number seen: a create's lookup looks only above it
        self._milestones: dict[str, Milestone] | None = None
        # The commit of the last write_file (its return value is the blob sha the contents API needs).
        self.last_write_commit: str | None = None

    # -- plumbing ----------------------------------------------------------------------------------
    def issue_url(self, number: int) -> str:
        return f"{self._html}/{self.repo}/issues/{number}"

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Translate PyGithub's exceptions into one line a user can act on (never a token or a header)."""
        try:
            yield
        except RateLimitError as exc:
            raise RateLimitError(f"GitHub rate limit spent while trying to {what}", exc.reset_at) from None
        except ForgeError:
            raise
        except BadCredentialsException:
            raise AuthError(
                f"GitHub rejected the token (401 Bad credentials) at {self._host}: check {self._credentials}"
            ) from None
        except (RateLimitExceededException, RateLimitExceededExceedsMaxWait) as exc:
            raise RateLimitError(f"GitHub rate limit spent while trying to {what}", _reset_of(exc.headers)) from None
        except GithubException as exc:
            message = _message_of(exc.data)
            if exc.status == 401:
                raise AuthError(f"GitHub rejected the token (401 {message}): check {self._credentials}") from None
            if exc.status == 403:
                raise AuthError(
                    f"GitHub: no access to {self.repo} to {what} (403 {message}); the token needs issues "
                    "and contents write access to this repository"
                ) from None
            if exc.status == 404:
                raise NotFoundError(
                    f"GitHub: {what}: not found (404) — repository {self.repo} does not exist on {self._host}, "
                    "or the token cannot see it"
                ) from None
            if exc.status == 409:
                raise ConflictError(f"GitHub: {what}: conflict (409 {message}); read it again and retry") from None
            if exc.status == 422:
                raise ForgeError(f"GitHub refused to {what} (422 {message})") from None
            raise ForgeError(f"GitHub: {what} failed ({exc.status} {message})") from None
        except requests.exceptions.RetryError as exc:
            raise ForgeError(f"GitHub: {what} failed: {_retry_reason(exc)}") from None
        except requests.RequestException as exc:
            raise ForgeError(f"GitHub: cannot reach {self._host} to {what} ({type(exc).__name__})") from None

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[list[dict[str, Any]]]:
        url: str | None = f"{self._path}{path}"
        parameters: dict[str, Any] | None = {**params, "per_page": PER_PAGE}
        while url is not None:
            headers, data = self._requester.requestJsonAndCheck("GET", url, parameters=parameters)
            yield data or []
            url = _next_link(headers.get("link"))
            parameters = None  # the next link carries the query

    # -- reads ---------------------------------------------------------------------------------------
    def list_issues(self, label: str) -> list[Issue]:
        out: list[Issue] = []
        with self._errors(f"list issues labelled {label!r} in {self.repo}"):
            for page in self._pages("/issues", {"labels": label, "state": "all"}):
                for data in page:
                    if "pull_request" in data:  # the issues listing also returns pull requests
                        continue
                    self._issue_ids[int(data["number"])] = int(data["id"])
                    out.append(_issue_from_json(data))
                    self._newest = max(self._newest, int(data["number"]))
        return sorted(out, key=lambda i: i.number)

    def list_labels(self) -> list[Label]:
        with self._errors(f"list labels of {self.repo}"):
            return [
                Label(d["name"], (d.get("color") or "").lower(), d.get("description") or "")
                for page in self._pages("/labels", {})
                for d in page
            ]

    def list_milestones(self) -> list[Milestone]:
        with self._errors(f"list milestones of {self.repo}"):
            found = [
                Milestone(int(d["number"]), d["title"], d.get("description") or "", d.get("state") or "open")
                for page in self._pages("/milestones", {"state": "all"})
                for d in page
            ]
        self._milestones = {m.title: m for m in found}
        return found

    def list_comments(self, number: int) -> list[Comment]:
        with self._errors(f"list comments of issue #{number}"):
            return [
                Comment(int(d["id"]), d.get("body") or "", (d.get("user") or {}).get("login", ""))
                for page in self._pages(f"/issues/{number}/comments", {})
                for d in page
            ]

    def _milestone_number(self, title: str) -> int:
        if self._milestones is None or title not in self._milestones:
            self.list_milestones()
        assert self._milestones is not None
        if title not in self._milestones:
            raise NotFoundError(f"GitHub: milestone {title!r} does not exist in {self.repo}")
        return self._milestones[title].number

    def _milestone_ref(self, title: str) -> GhMilestone:
        """A milestone object PyGithub can put in a create/edit call, built from the listing (no GET)."""
        number = self._milestone_number(title)
        url = f"{self._repo.url}/milestones/{number}"
        return GhMilestone(self._requester, {}, {"number": number, "title": title, "url": url}, completed=True)

    # -- writes --------------------------------------------------------------------------------------
    def create_issue(self, title: str, body: str, labels: list[str], milestone: str | None) -> Issue:
        kwargs: dict[str, Any] = {"title": title, "body": body, "labels": list(labels)}
        if milestone:
            kwargs["milestone"] = self._milestone_ref(milestone)

        def send() -> Issue:
            try:
                gi = self._repo.create_issue(**kwargs)
            except GithubException as exc:
                if exc.status >= 500:
                    raise Unanswered(f"{exc.status}") from None
                raise
            except requests.RequestException as exc:
                raise Unanswered(type(exc).__name__) from None
            self._issue_ids[gi.number] = gi.id
            return _issue_from_object(gi)

        def recent() -> list[Issue]:
            params = {"state": "all", "sort": "created", "direction": "desc"}
            if labels:
                params["labels"] = labels[0]
            page = next(self._pages("/issues", params), [])
            return [_issue_from_json(d) for d in page if "pull_request" not in d]

        with self._errors(f"create issue {title!r}"):
            issue = create_once(send, recent, title, body, newest_before=self._newest, forge="GitHub")
        self._newest = max(self._newest, issue.number)
        return issue

    def update_issue(self, number: int, change: IssueChange) -> Issue:
        kwargs: dict[str, Any] = {}
        for name in ("title", "body", "state", "state_reason"):
            value = getattr(change, name)
            if value is not None:
                kwargs[name] = value
        if change.labels is not None:
            kwargs["labels"] = list(change.labels)
        if change.milestone is not None:
            kwargs["milestone"] = self._milestone_ref(change.milestone) if change.milestone else None
        with self._errors(f"update issue #{number}"):
            gi = self._repo.get_issue(number)  # lazy: no request
            gi.edit(**kwargs)
            self._issue_ids[number] = gi.id
            return _issue_from_object(gi)

    def create_label(self, label: Label) -> None:
        with self._errors(f"create label {label.name!r}"):
            try:
                self._repo.create_label(label.name, label.color, label.description)
            except GithubException as exc:
                codes = [e.get("code") for e in (exc.data or {}).get("errors") or () if isinstance(e, dict)]
                if exc.status == 422 and "already_exists" in codes:
                    raise AlreadyExistsError(f"GitHub: label {label.name!r} already exists (422)") from None
                raise

    def update_label(self, label: Label) -> None:
        with self._errors(f"update label {label.name!r}"):
            self._repo.get_label(label.name).edit(label.name, label.color, label.description)

    def create_milestone(self, title: str, description: str) -> Milestone:
        with self._errors(f"create milestone {title!r}"):
            gm = self._repo.create_milestone(title, state="open", description=description)
        made = Milestone(gm.number, gm.title, gm.description or "", "closed" if gm.state == "closed" else "open")
        if self._milestones is not None:
            self._milestones[title] = made
        return made

    def update_milestone(self, number: int, *, description: str | None = None, state: str | None = None) -> Milestone:
        known = {m.number: m for m in (self._milestones or {}).values()}
        with self._errors(f"update milestone {number}"):
            gm = self._repo.get_milestone(number)  # lazy
            title = known[number].title if number in known else gm.title
            kwargs: dict[str, Any] = {}
            if description is not None:
                kwargs["description"] = description
            if state is not None:
                kwargs["state"] = state
            gm.edit(title, **kwargs)
        made = Milestone(number, title, gm.description or "", "closed" if gm.state == "closed" else "open")
        if self._milestones is not None:
            self._milestones[title] = made
        return made

    def _issue_ref(self, number: int) -> GhIssue:
        """An issue object carrying its database id (what dependency calls take), with no GET if known."""
        if number in self._issue_ids:
            return GhIssue(
                self._requester,
                {},
                {"id": self._issue_ids[number], "number": number, "url": f"{self._repo.url}/issues/{number}"},
                completed=True,
            )
        gi = self._repo.get_issue(number)
        self._issue_ids[number] = gi.id  # completes the lazy object: one GET
        return gi

    def add_blocked_by(self, number: int, blocker: int) -> bool:
        with self._errors(f"mark issue #{number} blocked by #{blocker}"):
            try:
                self._repo.get_issue(number).add_blocked_by(self._issue_ref(blocker))
            except GithubException as exc:
                if exc.status == 422 and "exist" in str(exc.data).lower():
                    return True  # already linked: a retried apply must converge, not fail
                raise
        return True

    def remove_blocked_by(self, number: int, blocker: int) -> None:
        with self._errors(f"remove the dependency of #{number} on #{blocker}"):
            try:
                self._repo.get_issue(number).remove_blocked_by(self._issue_ref(blocker))
            except GithubException as exc:
                if exc.status != 404:  # already gone
                    raise

    def create_comment(self, number: int, body: str) -> Comment:
        with self._errors(f"comment on issue #{number}"):
            gc = self._repo.get_issue(number).create_comment(body)
            return Comment(gc.id, gc.body or "", gc.user.login if gc.user else "")

    def update_comment(self, number: int, comment_id: int, body: str) -> Comment:
        with self._errors(f"edit comment {comment_id} on issue #{number}"):
            _, data = self._requester.requestJsonAndCheck(
                "PATCH", f"{self._path}/issues/comments/{comment_id}", input={"body": body}
            )
        return Comment(int(data["id"]), data.get("body") or "", (data.get("user") or {}).get("login", ""))

    # -- files and commits ---------------------------------------------------------------------------
    def read_file(self, path: str, ref: str | None = None) -> tuple[str, str]:
        with self._errors(f"read {path}"):
            content = self._repo.get_contents(path, ref=ref) if ref else self._repo.get_contents(path)
            if isinstance(content, list):
                raise ForgeError(f"GitHub: {path} is a directory, not a file")
            try:
                return content.decoded_content.decode("utf-8"), content.sha
            except UnicodeDecodeError as exc:
                raise ForgeError(f"GitHub: {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None

    def write_file(self, path: str, text: str, message: str, version: str | None, branch: str | None = None) -> str:
        extra: dict[str, Any] = {"branch": branch} if branch else {}
        with self._errors(f"write {path}"):
            try:
                if version is None:
                    result = self._repo.create_file(path, message, text, **extra)
                else:
                    result = self._repo.update_file(path, message, text, version, **extra)
            except GithubException as exc:
                # 409: the blob sha is stale.  422 "sha wasn't supplied": someone created the file meanwhile.
                if exc.status == 409 or (exc.status == 422 and "sha" in str(exc.data)):
                    raise ConflictError(f"GitHub: {path} changed since it was read; read it again and retry") from None
                raise
            self.last_write_commit = str(result["commit"].sha)
            return str(result["content"].sha)

    def list_commits(
        self, branch: str | None = None, since_sha: str | None = None, *, limit: int = 1000
    ) -> list[CommitInfo]:
        found: list[CommitInfo] = []
        params = {"sha": branch} if branch else {}
        with self._errors(f"list commits of {self.repo}"):
            for page in self._pages("/commits", params):
                for d in page:
                    if d["sha"] == since_sha or len(found) >= limit:
                        return found[::-1]
                    when = _parse_time(((d.get("commit") or {}).get("committer") or {}).get("date"))
                    found.append(CommitInfo(d["sha"], d["commit"]["message"], when or datetime.now(UTC)))
        return found[::-1]


def _retry_reason(exc: requests.exceptions.RetryError) -> str:
    """urllib3's last reason ("too many 502 error responses"), without the URL it also names."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return one_line(str(reason or "retries spent"))


def _message_of(data: Any) -> str:
    if isinstance(data, dict):
        message = str(data.get("message") or "").strip()
        errors = data.get("errors") or []
        details = [
            e.get("message") or f"{e.get('field')} {e.get('code')}" if isinstance(e, dict) else str(e) for e in errors
        ]
        return "; ".join([message, *details]) if details else message
    return one_line(str(data or ""))


def _reset_of(headers: dict[str, Any] | None) -> datetime | None:
    for name, value in (headers or {}).items():
        if name.lower() == "x-ratelimit-reset" and str(value).strip().isdigit():
            return datetime.fromtimestamp(int(str(value).strip()), UTC)
    return None
