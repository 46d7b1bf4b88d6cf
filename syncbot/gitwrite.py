"""The bot's commit of the tracker, built with git plumbing so it cannot half-happen.

``git add`` + ``git commit`` go through the user's index: a kill in between leaves the change staged, a
user's uncommitted edit is swept into the commit, and with no git identity the commit fails after the
staging.  Instead :func:`commit_tracker`

1. writes blobs (``hash-object -w``) and a tree from a *temporary* index (``read-tree``, ``update-index``,
   ``write-tree``), then the commit (``commit-tree``, in the bot's own name by default): objects only,
   nothing anyone sees;
2. moves the branch with ``update-ref NEW OLD`` — a compare-and-swap, so a human commit that landed in
   between is never overwritten (:class:`RefMoved`, read again);
3. brings the user's index entry of the tracker up to date, only when the user had nothing staged for it;
4. writes the working file, which holds the user's uncommitted edits plus the bot's.

The committed text is the bot's edit applied to the *committed* file (:func:`carry_edit`, line by line),
so an uncommitted edit of the user stays uncommitted, in place.  A kill before step 2 leaves stray objects
only; a kill after it leaves a commit whose index entry or working file lags, and
:func:`finish_interrupted` (run before every read) completes them.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from syncbot.git import GitError, StrPath, _env
from syncbot.trailers import BOT_TRAILER, BOT_TRAILER_KEY

DEFAULT_IDENTITY = "syncbot <syncbot@localhost>"


class RefMoved(GitError):
    """The branch moved (or the file changed) between our read and our update: read again."""


class EditOverlaps(GitError):
    """The user's uncommitted edit touches the lines the bot writes: they must commit or discard it."""


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    @classmethod
    def parse(cls, text: str) -> Identity | None:
        """``"Name <email>"``; ``None`` (use git's own configuration) for ``""`` or ``"git"``."""
        text = text.strip()
        if text in ("", "git"):
            return None
        name, _, rest = text.partition("<")
        email = rest.rstrip(">").strip()
        if not name.strip() or not email:
            raise ValueError(f"commit identity must be 'Name <email>' or 'git', got {text!r}")
        return cls(name.strip(), email)

    def env(self) -> dict[str, str]:
        return {
            "GIT_AUTHOR_NAME": self.name,
            "GIT_AUTHOR_EMAIL": self.email,
            "GIT_COMMITTER_NAME": self.name,
            "GIT_COMMITTER_EMAIL": self.email,
        }


def _git(repo: StrPath, *args: str, data: bytes | None = None, env: Mapping[str, str] | None = None) -> bytes:
    cmd = ["git", "-C", os.fspath(repo), *args]
    proc = subprocess.run(cmd, input=data, capture_output=True, env={**_env(), **(env or {})}, check=False)
    if proc.returncode != 0:
        raise GitError(cmd, proc.returncode, proc.stderr.decode("utf-8", "replace"))
    return proc.stdout


def _out(repo: StrPath, *args: str, data: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
    return _git(repo, *args, data=data, env=env).decode().strip()


def _head(repo: StrPath) -> tuple[str, str | None]:
    """The ref the bot's commit moves and its commit (None on a branch with no commit yet): the
    checked-out branch, or ``HEAD`` itself when it is detached (a CI checkout; the push lands it)."""
    try:
        ref = _out(repo, "symbolic-ref", "-q", "HEAD")
    except GitError:
        return "HEAD", _out(repo, "rev-parse", "-q", "--verify", "HEAD^{commit}")
    try:
        return ref, _out(repo, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}")
    except GitError:
        return ref, None


def _entry(repo: StrPath, rev: str | None, path: str) -> tuple[str, str] | None:
    """``(mode, blob)`` of ``path`` in commit ``rev``, or in the index when ``rev`` is None."""
    # ls-files: "mode sha stage\tpath"; ls-tree: "mode blob sha\tpath"
    out = _out(repo, "ls-files", "-s", "--", path) if rev is None else _out(repo, "ls-tree", rev, "--", path)
    if not out:
        return None
    fields = out.split("\t", 1)[0].split()
    return (fields[0], fields[1]) if rev is None else (fields[0], fields[2])


def _clean_blob(repo: StrPath, path: str, data: bytes, *, write: bool = True) -> str:
    """The blob id of ``data`` stored as git would store the file ``path`` (clean filters, eol)."""
    return _out(repo, "hash-object", *(["-w"] if write else []), "--stdin", f"--path={path}", data=data)


def _blob(repo: StrPath, sha: str) -> bytes:
    return _git(repo, "cat-file", "blob", sha)


def carry_edit(base: bytes, edited: bytes, target: bytes) -> bytes | None:
    """Apply the line edit ``base`` → ``edited`` to ``target``, a version of ``base`` someone else edited.

    Each changed run of lines is found in ``target`` through the lines it shares with ``base``; None when a
    run's lines were changed in ``target`` too (both sides wrote the same lines).  Unlike a three-way
    merge, an edit of the *next* line (a neighbouring table row) is no conflict: the bot's edits are whole
    lines, and only the lines it rewrites must be as it read them.
    """
    old, new, there = (x.splitlines(keepends=True) for x in (base, edited, target))
    where: dict[int, int] = {}  # a line of base -> the same line in target
    for a, t, size in SequenceMatcher(None, old, there, autojunk=False).get_matching_blocks():
        where.update((a + n, t + n) for n in range(size))
    out = list(there)
    for tag, i1, i2, j1, j2 in reversed(SequenceMatcher(None, old, new, autojunk=False).get_opcodes()):
        if tag == "equal":
            continue
        if i2 > i1:
            if any(i not in where for i in range(i1, i2)) or where[i2 - 1] - where[i1] != i2 - i1 - 1:
                return None  # the lines the bot rewrites were edited there too
            k1, k2 = where[i1], where[i2 - 1] + 1
        elif i1 in where:
            k1 = k2 = where[i1]
        elif i1 - 1 in where:
            k1 = k2 = where[i1 - 1] + 1
        elif not old:
            k1 = k2 = 0
        else:
            return None
        out[k1:k2] = new[j1:j2]
    return b"".join(out)


def _message(repo: StrPath, message: str) -> bytes:
    text = _git(repo, "interpret-trailers", "--trailer", BOT_TRAILER, data=message.encode())
    return _git(repo, "stripspace", data=text)


def commit_tracker(
    repo: StrPath, path: str, before: bytes, after: bytes, message: str, identity: Identity | None
) -> str:
    """Commit the bot's edit ``before`` → ``after`` of the working file ``path`` (see the module
    docstring) and return the new commit.  Raises :class:`RefMoved` when the branch or the working file
    changed meanwhile, :class:`EditOverlaps` when an uncommitted edit sits on the lines being written."""
    root = Path(os.fspath(repo))
    ref, head = _head(repo)
    old = _entry(repo, head, path) if head else None
    base_blob = _clean_blob(repo, path, before)
    new_blob = _clean_blob(repo, path, after)
    if old is not None and old[1] != base_blob:
        # The working file holds an uncommitted edit: commit the bot's edit applied to the committed file.
        merged = carry_edit(_blob(repo, base_blob), _blob(repo, new_blob), _blob(repo, old[1]))
        if merged is None:
            overlap = f"{path} has an uncommitted edit on the lines syncbot writes; commit or undo it"
            raise EditOverlaps(["git", "commit-tree"], 1, overlap)
        new_blob = _out(repo, "hash-object", "-w", "--stdin", "--no-filters", data=merged)
    mode = old[0] if old else "100644"
    if old is not None and new_blob == old[1]:
        # Already committed (a run killed after its commit, whose file lagged): only the file is left.
        _finish(repo, path, old, old, before_blob=base_blob, after=after)
        assert head is not None
        return head
    with tempfile.TemporaryDirectory(prefix="syncbot-index-") as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(repo, "read-tree", *([head] if head else ["--empty"]), env=index)
        _git(repo, "update-index", "--add", "--cacheinfo", f"{mode},{new_blob},{path}", env=index)
        tree = _out(repo, "write-tree", env=index)
    parents = ["-p", head] if head else []
    who = identity.env() if identity else {}
    commit = _out(repo, "commit-tree", tree, *parents, data=_message(repo, message), env=who)
    if (root / path).read_bytes() != before:
        raise RefMoved(["git", "update-ref"], 1, f"{path} changed while syncing; read it again")
    try:
        _git(repo, "update-ref", "-m", "syncbot: update tracker", ref, commit, head or "")
    except GitError as exc:
        raise RefMoved(exc.cmd, exc.returncode, f"{ref} moved while syncing; read it again") from exc
    _finish(repo, path, old, (mode, new_blob), before_blob=base_blob, after=after)
    return commit


def _finish(
    repo: StrPath,
    path: str,
    old: tuple[str, str] | None,
    new: tuple[str, str],
    *,
    before_blob: str | None,
    after: bytes | None,
) -> None:
    """Steps 3 and 4: the index entry, then the working file, each only where the user left it alone.
    ``after`` None: completing an interrupted write, the new content is the committed blob's."""
    from syncbot.writer import write_atomically

    staged = _entry(repo, None, path)
    index_lagged = staged == old or (staged is not None and old is not None and staged[1] == old[1])
    if index_lagged and staged != new:
        _git(repo, "update-index", "--add", "--cacheinfo", f"{new[0]},{new[1]},{path}")
    file = Path(os.fspath(repo)) / path
    current = file.read_bytes() if file.exists() else b""
    now = _clean_blob(repo, path, current, write=False)
    if after is not None:
        if now == before_blob:
            write_atomically(file, _text(after))
        return
    if old is None or now == new[1]:
        return
    fresh = _git(repo, "cat-file", "--filters", f"--path={path}", new[1])
    if now == old[1]:
        write_atomically(file, _text(fresh))
    elif index_lagged:
        # Killed before the index was updated, so the file was not written either: bring the user's
        # edited file up to date where the user did not edit it.
        merged = carry_edit(_git(repo, "cat-file", "--filters", f"--path={path}", old[1]), fresh, current)
        if merged is not None:
            write_atomically(file, _text(merged))


def _text(data: bytes) -> str:
    """``write_atomically`` takes text and keeps the file's BOM itself."""
    return data.decode("utf-8").removeprefix("\ufeff")


def finish_interrupted(repo: StrPath, path: str) -> bool:
    """Complete the bot's last write if a kill stopped it after the commit (index or file left behind).
    True when something was completed.  A no-op unless HEAD is the bot's own commit of ``path``."""
    try:
        _, head = _head(repo)
    except GitError:
        return False
    if head is None:
        return False
    trailers = _out(repo, "log", "-1", f"--format=%(trailers:key={BOT_TRAILER_KEY},valueonly)", head)
    if trailers.strip().lower() != "yes":
        return False
    new = _entry(repo, head, path)
    parent = _out(repo, "rev-list", "--parents", "-n", "1", head).split()[1:]
    old = _entry(repo, parent[0], path) if parent else None
    if new is None or old is None or new[1] == old[1]:
        return False
    staged = _entry(repo, None, path)
    file = Path(os.fspath(repo)) / path
    lagging_file = file.exists() and _clean_blob(repo, path, file.read_bytes(), write=False) == old[1]
    if (staged is None or staged[1] != old[1]) and not lagging_file:
        return False
    _finish(repo, path, old, new, before_blob=None, after=None)
    return True
