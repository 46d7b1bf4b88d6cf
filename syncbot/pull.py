"""Pull: issue states and commit trailers back into the tracker file.

Where the tracker lives is a :class:`Workspace`: a local working tree (the git CLI) or the forge's file
API (no clone, for a daemon).  :func:`pull_statuses` is the shell around the pure merge: it gathers the
three sides (the tracker now, the issues, the trailers of new commits), merges them against the baseline of
the last sync, and returns the new file text; :meth:`Workspace.write` commits it so that a person's edit
landing in between is never overwritten.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from loguru import logger

from syncbot import git, gitwrite
from syncbot.forge.base import ConflictError, Forge, Issue
from syncbot.gitwrite import DEFAULT_IDENTITY, Identity
from syncbot.markers import Baseline
from syncbot.merge import (
    CommitRef,
    ForgeObservation,
    MergeResult,
    TrailerUpdate,
    baseline_entries,
    merge_statuses,
    observe_issue,
    trailer_updates,
)
from syncbot.model import Tracker
from syncbot.readers.common import Document
from syncbot.trailers import BOT_TRAILER, is_bot_commit, session_updates, updates_from_values
from syncbot.writer import set_statuses


class WriteConflict(Exception):
    """The tracker changed between our read and our write; read again (never overwrite)."""


@dataclass(frozen=True)
class SourceCommit:
    """A commit as pull needs it, from `git log` or from the forge's commit listing."""

    sha: str
    subject: str
    message: str
    committed_at: datetime | None
    author: str
    is_bot: bool
    session_values: tuple[str, ...] | None = None  # already parsed by git; None: parse ``message``


class Workspace(Protocol):
    """Where the tracker file lives and how commits are read and written."""

    path: str  # repository-relative path of the tracker

    def read(self) -> Document: ...

    def recover(self) -> bool:
        """Complete a write a kill interrupted; True when something was completed."""
        ...

    def commits_since(self, since: str | None, key: str) -> list[SourceCommit]: ...

    def last_edit(self) -> CommitRef | None:
        """The newest commit that touched the tracker (its time decides a tracker edit vs. the forge)."""
        ...

    def write(self, expected: str, text: str, message: str) -> str:
        """Commit ``text`` if the file still reads ``expected``; return the new commit (or version).
        Raises :class:`WriteConflict` when someone else changed it first."""
        ...

    def watermark_after(self, commit: str, last_read: str | None) -> str | None:
        """The watermark to store once the bot's ``commit`` landed: the commit itself when it sits right
        after ``last_read`` (the next listing skips it anyway); otherwise, when a push rebased it onto
        commits whose trailers were never read, a commit before those."""
        ...

    def commit_url(self) -> str | None:
        """A URL template with ``{sha}`` for links in comments, when the repository has a web home."""
        ...


@dataclass
class LocalWorkspace:
    """A git working tree: commits with the git CLI, pushes with fetch-rebase-retry when asked."""

    root: Path
    path: str
    branch: str | None = None
    push: bool = False
    remote: str = "origin"
    web_url: str | None = None
    identity: Identity | None = field(default_factory=lambda: Identity.parse(DEFAULT_IDENTITY))

    def _file(self) -> Path:
        return self.root / self.path

    def _branch(self) -> str:
        """``branch``, else the checked-out branch, else (a detached CI checkout) the CI's branch."""
        return git.resolve_branch(self.root, self.branch, remote=self.remote)

    def _rev(self) -> str:
        """What trailers are read from: the branch, or on a detached HEAD what is checked out."""
        branch = self._branch()
        return branch if git.attached_branch(self.root) is not None else "HEAD"

    def read(self) -> Document:
        from syncbot.readers import load_document

        doc = load_document(self._file())
        return Document(self.path, doc.text)

    def recover(self) -> bool:
        done = gitwrite.finish_interrupted(self.root, self.path)
        if done:
            logger.info("{}: completed the bot's interrupted write", self.path)
        return done

    def commits_since(self, since: str | None, key: str) -> list[SourceCommit]:
        try:
            git.head_sha(self.root)
        except git.GitError:
            return []  # a repository with no commit yet has no trailers
        rev = self._rev()
        fetched = git.deepen_to(self.root, since, rev, self.remote, self._branch())
        if fetched:
            logger.info(
                "shallow clone: fetched more history ({}) to reach {}",
                ", ".join(fetched),
                f"the last processed commit {since[:12]}" if since else "every commit (first sync)",
            )
        return [
            SourceCommit(
                sha=c.sha,
                subject=c.subject,
                message=c.message,
                committed_at=c.committed_at,
                author=c.author,
                is_bot=c.is_bot,
                session_values=c.session_trailer_values,
            )
            for c in git.commits_since(self.root, since, rev, key)
        ]

    def last_edit(self) -> CommitRef | None:
        if git.run_git(self.root, "status", "--porcelain", "--", self.path).strip():
            return CommitRef("", "uncommitted edit", datetime.now(UTC), "")
        out = git.run_git(self.root, "log", "-1", "--format=%H%x1f%cI%x1f%an%x1f%s", "--", self.path).strip()
        if not out:
            return None
        sha, when, author, subject = out.split("\x1f", 3)
        return CommitRef(sha, subject, datetime.fromisoformat(when), author)

    def write(self, expected: str, text: str, message: str) -> str:
        """Commit with git plumbing (:mod:`syncbot.gitwrite`): the user's index and uncommitted edits are
        left as they were, and the branch moves by compare-and-swap."""
        bom = b"\xef\xbb\xbf" if self._file().read_bytes().startswith(b"\xef\xbb\xbf") else b""
        before, after = bom + expected.encode("utf-8"), bom + text.encode("utf-8")
        branch = self._branch()
        detached = git.attached_branch(self.root) is None
        parent = git.head_sha(self.root) if detached else None
        try:
            sha = gitwrite.commit_tracker(self.root, self.path, before, after, message, self.identity)
        except gitwrite.RefMoved as exc:
            raise WriteConflict(str(exc)) from None
        if self.push:
            who = self.identity.env() if self.identity else None
            try:
                return git.push_with_retry(self.root, self.remote, branch, env=who)
            except git.GitError as exc:
                hint = _ci_push_hint(exc)
                if hint:
                    raise type(exc)(exc.cmd, exc.returncode, f"{exc.stderr.strip()}\n{hint}", exc.stdout) from None
                raise
        if detached:
            # Not pushing: the commit lands on the local branch when that branch was where HEAD is.
            try:
                git.run_git(
                    self.root, "update-ref", "-m", "syncbot: update tracker", f"refs/heads/{branch}", sha, parent or ""
                )
            except git.GitError:
                logger.warning(
                    "HEAD is detached and SYNCBOT_PUSH is off: the tracker commit {} is on no branch; set "
                    "SYNCBOT_PUSH=true to push it to {}",
                    sha[:12],
                    branch,
                )
        return sha

    def watermark_after(self, commit: str, last_read: str | None) -> str | None:
        try:
            if last_read is None or git.head_sha(self.root, f"{commit}^") == last_read:
                return commit
            # The fork point stays reachable after the rebase rewrote the commits read last.
            return git.run_git(self.root, "merge-base", last_read, commit).strip() or last_read
        except git.GitError:
            return last_read

    def commit_url(self) -> str | None:
        return f"{self.web_url.rstrip('/')}/commit/{{sha}}" if self.web_url else None


def _ci_push_hint(exc: git.GitError) -> str | None:
    """What a CI job's refused push usually needs (a push the remote refused, not a lost race)."""
    if isinstance(exc, git.PushRejected) or exc.cmd[3:4] != ("push",):
        return None
    if os.environ.get("GITLAB_CI"):
        return (
            "In GitLab CI the job token (CI_JOB_TOKEN) cannot push: push with a project access token with the "
            "write_repository scope, e.g. git remote set-url --push origin with SYNCBOT_GITLAB_TOKEN in it "
            "(deploy/gitlab-ci.yml does), or set SYNCBOT_PUSH=false."
        )
    if os.environ.get("GITHUB_ACTIONS"):
        return (
            "In GitHub Actions the push needs the workflow's `permissions: contents: write` and the "
            "credentials actions/checkout persists (persist-credentials, its default); a protected branch "
            "needs a token allowed to push to it, given to actions/checkout."
        )
    return None


@dataclass
class ForgeWorkspace:
    """The tracker read and written through the forge's file API: no clone needed."""

    forge: Forge
    path: str
    branch: str | None = None
    web_url: str | None = None
    _version: str | None = field(default=None, init=False)
    _bom: bool = field(default=False, init=False)

    def read(self) -> Document:
        text, self._version = self.forge.read_file(self.path, self.branch)
        # As load_document does for a working tree: readers see no BOM; write() puts it back.
        self._bom = text.startswith("\ufeff")
        return Document(self.path, text.removeprefix("\ufeff"))

    def recover(self) -> bool:
        return False  # a file-API write is one request: it happened or it did not

    def commits_since(self, since: str | None, key: str) -> list[SourceCommit]:
        return [
            SourceCommit(
                sha=c.sha,
                subject=c.message.split("\n", 1)[0],
                message=c.message,
                committed_at=c.committed_at,
                author="",
                is_bot=is_bot_commit(c.message),
            )
            for c in self.forge.list_commits(self.branch, since)
        ]

    def last_edit(self) -> CommitRef | None:
        return None  # the file API gives no per-file history cheaply; a tracker edit then loses ties

    def write(self, expected: str, text: str, message: str) -> str:
        if not is_bot_commit(message):  # the git CLI path adds it with --trailer; the file API cannot
            message = message.rstrip("\n") + f"\n\n{BOT_TRAILER}\n"
        try:
            body = "\ufeff" + text if self._bom else text
            self._version = self.forge.write_file(self.path, body, message, self._version, self.branch)
        except ConflictError as exc:
            raise WriteConflict(str(exc)) from exc
        # The watermark must be a commit: GitHub's version is the blob sha, so its adapter keeps the commit.
        return getattr(self.forge, "last_write_commit", None) or self._version

    def watermark_after(self, commit: str, last_read: str | None) -> str | None:
        return commit  # the file API names no parent cheaply; its write lands seconds after the listing

    def commit_url(self) -> str | None:
        if self.web_url:
            return f"{self.web_url.rstrip('/')}/commit/{{sha}}"
        if self.forge.name in ("github", "gitlab"):
            # The repository's web home, from an issue's: GitHub .../issues/N -> .../commit/SHA;
            # GitLab .../-/issues/N -> .../-/commit/SHA.
            return self.forge.issue_url(1).rsplit("/issues/", 1)[0] + "/commit/{sha}"
        return None


@dataclass
class PullResult:
    merge: MergeResult
    text: str  # the tracker's new text (the same text when nothing is written)
    watermark: str | None  # the last commit processed
    warnings: list[str] = field(default_factory=list)
    trailers: list[TrailerUpdate] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.merge.tracker_writes)


def read_trailers(ws: Workspace, since: str | None, key: str) -> tuple[list[TrailerUpdate], str | None, list[str]]:
    """Trailer updates of the commits after ``since``, in commit order; the bot's own commits skipped."""
    updates: list[TrailerUpdate] = []
    warnings: list[str] = []
    watermark = since
    for c in ws.commits_since(since, key):
        watermark = c.sha
        if c.is_bot:
            continue
        if c.session_values is not None:
            parsed, problems = updates_from_values(c.session_values, key)
        else:
            parsed, problems = session_updates(c.message, key)
        ref = CommitRef(c.sha, c.subject, c.committed_at, c.author)
        warnings.extend(f"commit {c.sha[:7]} {c.subject!r}: {p}" for p in problems)
        updates.extend(trailer_updates(ref, parsed))
    return updates, watermark, warnings


def observe(owned: Mapping[str, Issue], baseline: Baseline) -> dict[str, ForgeObservation]:
    entries = baseline_entries(baseline.statuses, baseline.extra.get("reopen_to"))
    out: dict[str, ForgeObservation] = {}
    for key, issue in owned.items():
        obs = observe_issue(issue, entries.get(key))
        if obs is not None:
            out[key] = obs
    return out


def pull_statuses(
    ws: Workspace,
    doc: Document,
    tracker: Tracker,
    baseline: Baseline,
    owned: Mapping[str, Issue],
    *,
    trailer_key: str = "Session",
) -> PullResult:
    """Merge the tracker, its issues and new trailers against ``baseline``; nothing is written here."""
    trailers, watermark, warnings = read_trailers(ws, baseline.watermark, trailer_key)
    entries = baseline_entries(baseline.statuses, baseline.extra.get("reopen_to"))
    edits: dict[str, CommitRef] = {}
    if any(s.key in entries and entries[s.key].status is not s.status for s in tracker.sessions):
        edit = ws.last_edit()
        if edit is not None:
            edits = {s.key: edit for s in tracker.sessions}
    result = merge_statuses(
        tracker,
        entries,
        tracker_edits=edits,
        forge=observe(owned, baseline),
        trailers=trailers,
        tracker_name=tracker.path,
    )
    warnings.extend(str(w) for w in result.warnings)
    for w in warnings:
        logger.warning("{}", w)
    text = set_statuses(doc, tracker, result.tracker_writes) if result.tracker_writes else doc.text
    return PullResult(result, text, watermark, warnings, trailers)


def commit_message(result: PullResult, path: str) -> str:
    """The bot's commit: a subject naming what moved, one line per change with its reason."""
    writes = [c for c in result.merge.changes if c.writes_tracker]
    keys = ", ".join(c.key for c in writes)
    lines = [f"syncbot: update {Path(path).name} ({keys})", ""]
    for c in writes:
        line = f"- {c.key}: {c.tracker_was or c.old} -> {c.new} ({c.reason})"
        if c.conflict:
            line += f"; {c.conflict}"
        lines.append(line)
    return "\n".join(lines) + "\n"
