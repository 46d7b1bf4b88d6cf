"""The git CLI, behind one wrapper.

Everything that touches a local clone goes through :func:`run_git`, so a failure always carries the command
and git's own stderr.  Commit reading asks git for the trailers (``%(trailers:…)``) instead of parsing
messages here, so git's trailer rules and the user's trailer configuration hold for local repositories.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from syncbot.trailers import BOT_TRAILER, BOT_TRAILER_KEY, session_keys

StrPath = str | os.PathLike[str]

# Fields are split on US, records on RS; trailer values are NUL-separated inside their field.  The body
# (%B) comes last so that stray control characters in it cannot shift the other fields.
_FS = "\x1f"
_RS = "\x1e"
_TRAILER_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_RECORD_START = re.compile(_RS + r"(?=[0-9a-f]{40,64}" + _FS + ")")


class GitError(RuntimeError):
    """A git command failed; ``str()`` says which command and what git said."""

    def __init__(self, cmd: Sequence[str], returncode: int, stderr: str, stdout: str = "") -> None:
        self.cmd = tuple(cmd)
        self.returncode = returncode
        self.stderr = stderr
        self.stdout = stdout
        detail = stderr.strip() or stdout.strip() or "no output"
        super().__init__(f"`{' '.join(self.cmd)}` failed (exit {returncode}): {detail}")


class NothingToCommit(GitError):
    pass


class PushRejected(GitError):
    """The push could not be made without overwriting someone else's work; nothing was forced."""


class PushConflict(PushRejected):
    """Someone else changed the same lines; the rebase was aborted and a person has to resolve it."""


class PushRaceLost(PushRejected):
    """The remote kept moving for every attempt."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # A bot must fail, not hang on a credential prompt or an editor.
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_EDITOR"] = "true"
    env.setdefault("GIT_ASKPASS", "")
    return env


def _run_bytes(
    repo: StrPath, args: Sequence[str], input: bytes | None = None, env: Mapping[str, str] | None = None
) -> bytes:
    cmd = ["git", "-C", os.fspath(repo), *args]
    try:
        proc = subprocess.run(cmd, input=input, capture_output=True, env={**_env(), **(env or {})}, check=False)
    except FileNotFoundError as exc:
        raise GitError(cmd, 127, "git is not installed or not on PATH") from exc
    if proc.returncode != 0:
        raise GitError(
            cmd,
            proc.returncode,
            proc.stderr.decode("utf-8", "replace"),
            proc.stdout.decode("utf-8", "replace"),
        )
    return proc.stdout


def run_git(repo: StrPath, *args: str, input: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """Run ``git -C repo args…`` and return its stdout; raise :class:`GitError` on a non-zero exit.
    ``env`` adds to the environment (the bot's identity for a rebase)."""
    data = input.encode("utf-8") if input is not None else None
    return _run_bytes(repo, args, data, env).decode("utf-8", "replace")


def _succeeds(repo: StrPath, *args: str) -> bool:
    try:
        run_git(repo, *args)
    except GitError:
        return False
    return True


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str  # "Name <email>"
    committed_at: datetime  # timezone-aware, the committer date
    subject: str
    message: str  # the full raw message, subject included
    session_trailer_values: tuple[str, ...]  # values of the session trailers, as git parsed them
    is_bot: bool  # carries the bot's own trailer: never triggers a write


def _trailer_placeholder(keys: Sequence[str]) -> str:
    key_opts = ",".join(f"key={k}" for k in keys)
    return f"%(trailers:{key_opts},valueonly,unfold,separator=%x00)"


def log_format(key: str = "Session") -> str:
    """The ``git log --format`` that :func:`parse_log` reads."""
    if not _TRAILER_KEY.fullmatch(key):
        # git would read `,` or `)` in a key as the end of the option, and silently match nothing.
        raise ValueError(f"trailer key {key!r} must be letters, digits and '-', like Session or Task-Id")
    fields = [
        "%H",
        "%an <%ae>",
        "%cI",
        "%s",
        _trailer_placeholder(sorted(session_keys(key))),
        _trailer_placeholder([BOT_TRAILER_KEY]),
        "%B",
    ]
    return "%x1e" + "%x1f".join(fields)


def parse_log(output: str) -> list[Commit]:
    commits: list[Commit] = []
    for record in _RECORD_START.split(output):
        if not record.strip():
            continue
        sha, author, date, subject, sessions, bot, message = record.split(_FS, 6)
        commits.append(
            Commit(
                sha=sha,
                author=author,
                committed_at=datetime.fromisoformat(date),
                subject=subject,
                message=message.removesuffix("\n"),
                # git drops the separator before a leading empty value; empty values name nothing anyway.
                session_trailer_values=tuple(v for v in sessions.split("\x00") if v.strip()),
                is_bot=any(v.strip().lower() == "yes" for v in bot.split("\x00")),
            )
        )
    return commits


def commits_since(repo: StrPath, since_sha: str | None, branch: str, key: str = "Session") -> list[Commit]:
    """Commits on the first-parent line of ``branch`` (a branch name or ``HEAD``) after ``since_sha``,
    oldest first.

    First-parent keeps to what landed on the branch: a merge counts once, by its own message, and the
    commits it brought in are not replayed out of order.  A shallow clone is deepened first
    (:func:`deepen_to`) by the caller; here a missing ``since_sha`` is an error, never a silent skip.
    """
    if since_sha is not None and not _succeeds(repo, "cat-file", "-e", f"{since_sha}^{{commit}}"):
        shallow = " (this clone is shallow: fetch more history with git fetch --unshallow)" if is_shallow(repo) else ""
        raise GitError(
            ["git", "cat-file", "-e", since_sha],
            1,
            f"the last processed commit {since_sha} is not in this repository{shallow or ' (history rewritten?)'}; "
            "fetch it, or reset the sync baseline",
        )
    revs = f"{since_sha}..{branch}" if since_sha is not None else branch
    output = run_git(
        repo, "log", "--first-parent", "--reverse", "--no-color", f"--format={log_format(key)}", revs, "--"
    )
    return parse_log(output)


# --- CI checkouts: a detached HEAD, a shallow history ---------------------------------------------------

# How far a shallow clone is deepened per fetch before the whole history is fetched.
DEEPEN_STEPS = (50, 500)


def ci_branch(environ: Mapping[str, str] | None = None) -> str | None:
    """The branch a CI job runs for: GitHub Actions' ``GITHUB_REF`` / ``GITHUB_REF_NAME`` when the run is
    for a branch (not a pull request's merge ref, not a tag) or GitLab's ``CI_COMMIT_BRANCH`` (unset in
    merge request and tag pipelines); None outside a branch pipeline."""
    env = os.environ if environ is None else environ
    ref = env.get("GITHUB_REF", "").strip()
    if ref.startswith("refs/heads/"):
        return ref.removeprefix("refs/heads/")
    name = env.get("GITHUB_REF_NAME", "").strip()
    if name and not ref and env.get("GITHUB_REF_TYPE", "branch") == "branch" and not env.get("GITHUB_HEAD_REF"):
        return name
    return env.get("CI_COMMIT_BRANCH", "").strip() or None


def attached_branch(repo: StrPath) -> str | None:
    """The checked-out branch, or None when HEAD is detached."""
    try:
        return run_git(repo, "symbolic-ref", "-q", "--short", "HEAD").strip() or None
    except GitError:
        return None


def _remote_branch_at_head(repo: StrPath, remote: str) -> str | None:
    """The one branch of ``remote`` whose fetched tip HEAD is (the remote's default branch among several)."""
    out = run_git(repo, "for-each-ref", "--points-at", "HEAD", "--format=%(refname)", f"refs/remotes/{remote}/")
    names = [r.removeprefix(f"refs/remotes/{remote}/") for r in out.split()]
    names = [n for n in names if n != "HEAD"]
    if len(names) > 1:
        try:
            default = run_git(repo, "symbolic-ref", "-q", f"refs/remotes/{remote}/HEAD").strip()
        except GitError:
            return None
        names = [n for n in names if f"refs/remotes/{remote}/{n}" == default]
    return names[0] if len(names) == 1 else None


def resolve_branch(
    repo: StrPath, configured: str | None = None, environ: Mapping[str, str] | None = None, remote: str = "origin"
) -> str:
    """The branch syncbot reads trailers from and writes to: ``--branch``/``SYNCBOT_BRANCH``, else the
    checked-out branch, else (a detached CI checkout) the CI's branch variable, else the branch of
    ``remote`` whose tip is the detached HEAD."""
    found = configured or attached_branch(repo) or ci_branch(environ) or _remote_branch_at_head(repo, remote)
    if not found:
        raise GitError(
            ["git", "symbolic-ref", "HEAD"],
            1,
            "HEAD is detached and no branch is known; check out a branch, pass --branch NAME or set "
            "SYNCBOT_BRANCH (in CI, GITHUB_REF_NAME or CI_COMMIT_BRANCH names it)",
        )
    return found


def is_shallow(repo: StrPath) -> bool:
    return run_git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def _reaches(repo: StrPath, since: str, rev: str) -> bool:
    return _succeeds(repo, "cat-file", "-e", f"{since}^{{commit}}") and _succeeds(
        repo, "merge-base", "--is-ancestor", since, rev
    )


def deepen_to(repo: StrPath, since: str | None, rev: str, remote: str, branch: str) -> list[str]:
    """Deepen a shallow clone until ``since`` (the last processed commit) is an ancestor of ``rev``, so
    that no trailer between them is skipped; with no ``since`` (a first sync) fetch the whole history.
    Returns the fetches made (``--deepen=50``, …, ``--unshallow``); none in a complete clone.  A fetch
    that fails raises :class:`GitError` saying what could not be reached."""
    done: list[str] = []
    if not is_shallow(repo) or (since is not None and _reaches(repo, since, rev)):
        return done
    steps = [*(f"--deepen={n}" for n in DEEPEN_STEPS), "--unshallow"] if since else ["--unshallow"]
    for step in steps:
        try:
            run_git(
                repo,
                "fetch",
                "--quiet",
                "--no-tags",
                step,
                remote,
                f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}",
            )
        except GitError as exc:
            what = f"the last processed commit {since}" if since else "the history"
            raise GitError(
                exc.cmd,
                exc.returncode,
                f"this clone is shallow and {what} is not in it; fetching more history from {remote} failed, "
                f"so trailers could be missed and nothing was synced. Clone with full history "
                f"(actions/checkout fetch-depth: 0, GitLab GIT_DEPTH: 0) or let git fetch from {remote}.\n"
                f"{exc.stderr.strip()}",
            ) from None
        done.append(step)
        if not is_shallow(repo) or (since is not None and _reaches(repo, since, rev)):
            break
    return done


def head_sha(repo: StrPath, rev: str = "HEAD") -> str:
    return run_git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").strip()


def current_branch(repo: StrPath) -> str:
    try:
        return run_git(repo, "symbolic-ref", "--short", "HEAD").strip()
    except GitError as exc:
        raise GitError(
            exc.cmd, exc.returncode, "HEAD is detached; check out a branch first, or pass --branch NAME"
        ) from exc


def default_branch(repo: StrPath, remote: str = "origin") -> str:
    """The remote's default branch when the clone knows it (``origin/HEAD``), else the current branch."""
    try:
        ref = run_git(repo, "symbolic-ref", "--short", f"refs/remotes/{remote}/HEAD").strip()
    except GitError:
        return current_branch(repo)
    return ref.removeprefix(f"{remote}/")


def file_at(repo: StrPath, rev: str, path: str) -> str:
    """The file's content at ``rev`` exactly as stored (no eol or filter conversion), decoded as UTF-8."""
    data = _run_bytes(repo, ["cat-file", "blob", f"{rev}:{Path(path).as_posix()}"])
    return data.decode("utf-8")


def commit_file(repo: StrPath, path: str, message: str) -> str:
    """Commit just ``path`` (whatever else is staged stays staged), with the bot's trailer; return the sha."""
    run_git(repo, "add", "--", path)
    if _succeeds(repo, "diff", "--cached", "--quiet", "HEAD", "--", path):
        raise NothingToCommit(["git", "commit", "--", path], 1, f"{path} has no changes to commit")
    run_git(
        repo,
        "commit",
        "--quiet",
        # `whitespace` keeps lines that start with `#` (`#3 done`), which the default cleanup would eat.
        "--cleanup=whitespace",
        f"--trailer={BOT_TRAILER}",
        "--file=-",
        "--only",
        "--",
        path,
        input=message,
    )
    return head_sha(repo)


def _fetch(repo: StrPath, remote: str, branch: str) -> str | None:
    """Fetch ``branch`` into its remote-tracking ref; return that ref, or None if the remote lacks it."""
    tracking = f"refs/remotes/{remote}/{branch}"
    try:
        run_git(repo, "fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{tracking}")
    except GitError as exc:
        if "couldn't find remote ref" in exc.stderr:
            return None
        raise
    return tracking


def _rebase_onto(repo: StrPath, upstream: str, env: Mapping[str, str] | None = None) -> None:
    if _succeeds(repo, "merge-base", "--is-ancestor", upstream, "HEAD"):
        return
    try:
        # `env`: the bot's identity as committer, so a checkout with no git identity (CI) can rebase.
        run_git(repo, "rebase", "--quiet", "--no-autostash", upstream, env=env)
    except GitError as exc:
        # Leave the tree as it was before the rebase; a person resolves the conflict, never the bot.
        _succeeds(repo, "rebase", "--abort")
        raise PushConflict(
            exc.cmd,
            exc.returncode,
            f"rebasing onto {upstream} failed, so someone else changed the same lines; the rebase was "
            f"aborted and nothing was pushed. Resolve it by hand (git pull --rebase), then sync again.\n"
            f"{exc.stderr.strip() or exc.stdout.strip()}",
        ) from exc


def _first_foreign_commit(repo: StrPath, upstream: str) -> str | None:
    """``sha 'subject'`` of the first commit in ``upstream..HEAD`` that is not the bot's, or None."""
    fmt = f"--format=%h%x1f%s%x1f%(trailers:key={BOT_TRAILER_KEY},valueonly,separator=%x20)%x1e"
    for record in run_git(repo, "log", fmt, f"{upstream}..HEAD").split(_RS):
        if not record.strip():
            continue
        sha, subject, bot = record.strip("\n").split(_FS, 2)
        if bot.strip().lower() != "yes":
            return f"{sha} {subject!r}"
    return None


def push_with_retry(
    repo: StrPath, remote: str, branch: str, attempts: int = 3, env: Mapping[str, str] | None = None
) -> str:
    """Push the bot's commit to ``branch``: fetch, rebase onto the remote, push; never force.

    On a checked-out ``branch`` that branch is pushed; on a detached HEAD (a CI checkout) ``HEAD`` is
    pushed to ``refs/heads/<branch>`` as a fast-forward (a branch that moved meanwhile is never
    overwritten), and only when every commit it adds is the bot's.  A push that loses a race
    (the remote moved in between) is retried from the fetch.  Returns the sha pushed.  Raises
    :class:`PushRaceLost` when the race is lost ``attempts`` times, :class:`PushConflict` when a rebase
    conflicts (after aborting it), and :class:`GitError` for anything else (auth, a protected branch, a
    hook).  ``env`` is the committer identity for the rebase.
    """
    checked_out = attached_branch(repo)
    if checked_out is not None and checked_out != branch:
        raise GitError(["git", "push", remote, branch], 1, f"{branch} is not the checked-out branch")
    source = "HEAD" if checked_out is None else f"refs/heads/{branch}"
    refspec = f"{source}:refs/heads/{branch}"
    last_error: GitError | None = None
    for _ in range(attempts):
        upstream = _fetch(repo, remote, branch)
        foreign = _first_foreign_commit(repo, upstream) if upstream else f"{remote} has no branch {branch}"
        if checked_out is None and foreign is not None:
            # From a detached HEAD only the bot's own commits go out: a checkout of another commit (a pull
            # request's merge commit) must not be published to the branch.
            raise GitError(
                ["git", "push", remote, refspec],
                1,
                f"HEAD is detached on a commit that is not on {remote}/{branch} ({foreign}); pushing would "
                f"publish it, so nothing was pushed. Run syncbot on a checkout of {branch}, or set "
                "SYNCBOT_PUSH=false",
            )
        if upstream is not None:
            # The bot's identity commits the rebased commits only when they are all the bot's own.
            _rebase_onto(repo, upstream, env if foreign is None else None)
        try:
            run_git(repo, "push", "--porcelain", "--quiet", remote, refspec)
        except GitError as exc:
            last_error = exc
            # Lost the race only if the remote now has commits we lack; otherwise it is a real refusal.
            try:
                moved = _fetch(repo, remote, branch)
            except GitError:
                raise exc from None
            if moved is None or _succeeds(repo, "merge-base", "--is-ancestor", moved, "HEAD"):
                raise
            continue
        return head_sha(repo)
    assert last_error is not None
    raise PushRaceLost(
        last_error.cmd,
        last_error.returncode,
        f"{remote}/{branch} kept moving: the push lost the race {attempts} times; nothing was forced. "
        f"Sync again later.\n{last_error.stderr.strip() or last_error.stdout.strip()}",
    )
