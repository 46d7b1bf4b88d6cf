"""The narrow interface every forge adapter implements, and the values it speaks in.

The planner only ever sees these values; adapters translate them to PyGithub, python-gitlab or SQLite.
Listing calls return *everything the planner needs in one go* (issues with labels, milestone and state),
so a sync where nothing changed costs a few list requests and no request per session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple, Protocol

IssueState = Literal["open", "closed"]
StateReason = Literal["completed", "not_planned", "reopened", "duplicate"] | None


class ForgeError(Exception):
    """A forge refused or failed a request; the message is one line a user can act on (no secrets)."""


class AuthError(ForgeError):
    """Bad or expired token, or no access to the repository."""


class NotFoundError(ForgeError):
    """The repository (or an object in it) does not exist, or the token cannot see it."""


class RateLimitError(ForgeError):
    """The primary rate limit is spent; nothing more can be done before ``reset_at``."""

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class AlreadyExistsError(ForgeError):
    """A create refused because the object is there already (GitHub 422 ``already_exists``, GitLab 409).

    For a shared label this is success: another tracker's sync, or a person, created it first."""


class BudgetSpent(RateLimitError):
    """The primary rate limit ran out part-way through a plan: what was applied stays (every write is
    found again by its marker), and the rest waits for ``reset_at``."""

    def __init__(self, message: str, reset_at: datetime | None, done: int, left: int) -> None:
        super().__init__(message, reset_at)
        self.done = done
        self.left = left


class ConflictError(ForgeError):
    """A write lost a race (file changed since it was read); read again and retry."""


@dataclass(frozen=True)
class Label:
    name: str
    color: str  # six hex digits, no '#'
    description: str = ""


@dataclass(frozen=True)
class Milestone:
    number: int  # GitHub's number / GitLab's id / local row id
    title: str
    description: str = ""
    state: IssueState = "open"


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str = ""


@dataclass(frozen=True)
class Issue:
    number: int  # what people type after '#': GitHub number, GitLab iid
    title: str
    body: str
    state: IssueState
    state_reason: StateReason = None
    labels: tuple[str, ...] = ()
    milestone: str | None = None  # milestone title
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    closed_by: str | None = None
    url: str = ""


class CommitInfo(NamedTuple):
    """One commit on a branch, as listed through the forge's API (no clone needed)."""

    sha: str
    message: str
    committed_at: datetime


@dataclass
class IssueChange:
    """Fields to change on an issue; ``None`` means leave as is."""

    title: str | None = None
    body: str | None = None
    labels: list[str] | None = None
    milestone: str | None = None  # title; "" removes the milestone
    state: IssueState | None = None
    state_reason: StateReason = None


@dataclass
class RequestStats:
    """Counted by adapters at the HTTP seam; benchmarks and `--json` output read it."""

    gets: int = 0
    writes: int = 0
    not_modified: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    # The last ``X-RateLimit-Remaining`` (GitHub) / ``RateLimit-Remaining`` (GitLab) seen; None: no header yet.
    rate_limit_remaining: int | None = None
    rate_limit_reset: datetime | None = None  # when the primary limit resets, from the same responses


class Forge(Protocol):
    """One repository on one forge."""

    name: str  # "github", "gitlab", "local"
    repo: str  # owner/name, group/project, or the local db path
    stats: RequestStats

    def issue_url(self, number: int) -> str: ...

    # -- reads: each is one listing (paginated), never one request per session --
    def list_issues(self, label: str) -> list[Issue]:
        """Every issue (open and closed) carrying ``label``."""
        ...

    def list_labels(self) -> list[Label]: ...

    def list_milestones(self) -> list[Milestone]:
        """Open and closed milestones."""
        ...

    def list_comments(self, number: int) -> list[Comment]: ...

    # -- writes --
    def create_issue(self, title: str, body: str, labels: list[str], milestone: str | None) -> Issue: ...

    def update_issue(self, number: int, change: IssueChange) -> Issue: ...

    def create_label(self, label: Label) -> None: ...

    def update_label(self, label: Label) -> None: ...

    def create_milestone(self, title: str, description: str) -> Milestone: ...

    def update_milestone(
        self, number: int, *, description: str | None = None, state: IssueState | None = None
    ) -> Milestone: ...

    def add_blocked_by(self, number: int, blocker: int) -> bool:
        """Native dependency link; False when the forge refuses (GitLab Free) and a fallback was used."""
        ...

    def remove_blocked_by(self, number: int, blocker: int) -> None: ...

    def create_comment(self, number: int, body: str) -> Comment: ...

    def update_comment(self, number: int, comment_id: int, body: str) -> Comment: ...

    # -- repository files and commits, for write-back without a clone --
    def read_file(self, path: str, ref: str | None = None) -> tuple[str, str]:
        """``(text, version)`` of a file; ``version`` is what :meth:`write_file` needs to detect a race
        (GitHub: the blob sha; GitLab: the file's ``last_commit_id``).  NotFoundError when absent."""
        ...

    def write_file(self, path: str, text: str, message: str, version: str | None, branch: str | None = None) -> str:
        """Commit ``text`` to ``path``; ``version`` None creates the file.  Returns the new version.
        ConflictError when the file changed since ``version`` was read: read again, never overwrite."""
        ...

    def list_commits(self, branch: str | None = None, since_sha: str | None = None) -> list[CommitInfo]:
        """Commits on ``branch`` (default branch when None) after ``since_sha``, oldest first."""
        ...
