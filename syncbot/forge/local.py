"""The embedded local forge: issues, labels, milestones, comments and "blocked by" links in one SQLite file.

It behaves like the remote forges where the planner can tell (numbers from 1, labels created on demand by
an issue write as GitHub does, ``state_reason``, ``closed_at``/``updated_at``), so the same contract tests
run on it, and a new user can run the whole loop offline.  Every public call counts as one request in
:attr:`LocalForge.stats`, the way an HTTP adapter would count it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from syncbot.forge.base import (
    AlreadyExistsError,
    Comment,
    CommitInfo,
    ConflictError,
    ForgeError,
    Issue,
    IssueChange,
    IssueState,
    Label,
    Milestone,
    NotFoundError,
    RequestStats,
)

DEFAULT_DB = Path(".syncbot") / "forge.db"
DEFAULT_LABEL_COLOR = "ededed"
DEFAULT_BRANCH = "main"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS issues (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open',
    state_reason TEXT,
    milestone_id INTEGER REFERENCES milestones(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT
);
CREATE TABLE IF NOT EXISTS labels (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS issue_labels (
    number INTEGER NOT NULL REFERENCES issues(number),
    name TEXT NOT NULL COLLATE NOCASE,
    position INTEGER NOT NULL,
    PRIMARY KEY (number, name)
);
CREATE TABLE IF NOT EXISTS milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open'
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number INTEGER NOT NULL REFERENCES issues(number),
    body TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    branch TEXT NOT NULL,
    path TEXT NOT NULL,
    text TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (branch, path)
);
CREATE TABLE IF NOT EXISTS commits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    branch TEXT NOT NULL,
    sha TEXT NOT NULL,
    message TEXT NOT NULL,
    committed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS links (
    number INTEGER NOT NULL REFERENCES issues(number),
    blocker INTEGER NOT NULL REFERENCES issues(number),
    PRIMARY KEY (number, blocker)
);
"""


# GitHub's documented limits, which the local forge enforces so tests catch what GitHub would refuse.
MAX_TITLE = 256
MAX_BODY = 65_536
MAX_LABEL_NAME = 50
MAX_LABEL_DESCRIPTION = 100


def _within(what: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise ForgeError(f"local forge: {what} is too long ({len(value)} characters, maximum is {limit}) (422)")


def _now() -> datetime:
    return datetime.now(UTC)


class LocalForge:
    """A forge in a SQLite file.  ``user`` is who the writes are attributed to (``closed_by``, comments)."""

    name = "local"

    def __init__(
        self,
        path: str | Path,
        *,
        user: str = "syncbot",
        clock: Callable[[], datetime] = _now,
        create: bool = True,
    ) -> None:
        self.path = Path(path)
        self.repo = str(self.path)
        self.user = user
        self.clock = clock
        self.stats = RequestStats()
        # `plan` must change nothing, not even create the file: a forge that does not exist yet is empty.
        target = str(self.path) if create or self.path.exists() else ":memory:"
        if target != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(target)
            # WAL with NORMAL sync: each request is still one atomic transaction, without an fsync per write.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ForgeError(f"{self.path}: not a syncbot local forge ({exc})") from None
        self._db.row_factory = sqlite3.Row

    def close(self) -> None:
        self._db.close()

    def as_user(self, user: str) -> LocalForge:
        """The same database, acting as another person (``syncbot local close`` acts as a human)."""
        other = LocalForge(self.path, user=user, clock=self.clock)
        other.stats = self.stats
        return other

    # -- bookkeeping --------------------------------------------------------------------------------

    def _count(self, method: str, path: str) -> None:
        if method == "GET":
            self.stats.gets += 1
        else:
            self.stats.writes += 1
        k = f"{method} {path}"
        self.stats.by_path[k] = self.stats.by_path.get(k, 0) + 1

    @contextmanager
    def _write(self, path: str, method: str = "PATCH") -> Iterator[sqlite3.Connection]:
        self._count(method, path)
        with self._db:  # one transaction per request: a crash never leaves half an issue
            yield self._db

    def _stamp(self) -> str:
        return self.clock().isoformat()

    def issue_url(self, number: int) -> str:
        return f"local:{self.path}#{number}"

    # -- reads ----------------------------------------------------------------------------------------

    def _issue(self, row: sqlite3.Row) -> Issue:
        labels = tuple(
            r["name"]
            for r in self._db.execute(
                "SELECT l.name FROM issue_labels il JOIN labels l ON l.name = il.name "
                "WHERE il.number = ? ORDER BY il.position",
                (row["number"],),
            )
        )
        ms = None
        if row["milestone_id"] is not None:
            m = self._db.execute("SELECT title FROM milestones WHERE id = ?", (row["milestone_id"],)).fetchone()
            ms = m["title"] if m else None
        return Issue(
            number=row["number"],
            title=row["title"],
            body=row["body"],
            state=row["state"],
            state_reason=row["state_reason"],
            labels=labels,
            milestone=ms,
            closed_at=datetime.fromisoformat(row["closed_at"]) if row["closed_at"] else None,
            updated_at=datetime.fromisoformat(row["updated_at"]),
            closed_by=row["closed_by"],
            url=self.issue_url(row["number"]),
        )

    def _row(self, number: int) -> sqlite3.Row:
        row = self._db.execute("SELECT * FROM issues WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise NotFoundError(f"local forge: no issue #{number}")
        return row

    def list_issues(self, label: str) -> list[Issue]:
        self._count("GET", "/issues?labels")
        rows = self._db.execute(
            "SELECT i.* FROM issues i JOIN issue_labels il ON il.number = i.number WHERE il.name = ? ORDER BY i.number",
            (label,),
        ).fetchall()
        return [self._issue(r) for r in rows]

    def all_issues(self) -> list[Issue]:
        """Every issue, labelled or not (for ``syncbot local issues``)."""
        self._count("GET", "/issues")
        return [self._issue(r) for r in self._db.execute("SELECT * FROM issues ORDER BY number").fetchall()]

    def get_issue(self, number: int) -> Issue:
        self._count("GET", "/issues/{n}")
        return self._issue(self._row(number))

    def list_labels(self) -> list[Label]:
        self._count("GET", "/labels")
        return [
            Label(r["name"], r["color"], r["description"])
            for r in self._db.execute("SELECT * FROM labels ORDER BY name")
        ]

    def list_milestones(self) -> list[Milestone]:
        self._count("GET", "/milestones")
        return [
            Milestone(r["id"], r["title"], r["description"], r["state"])
            for r in self._db.execute("SELECT * FROM milestones ORDER BY id")
        ]

    def list_comments(self, number: int) -> list[Comment]:
        self._count("GET", "/issues/{n}/comments")
        self._row(number)
        return [
            Comment(r["id"], r["body"], r["author"])
            for r in self._db.execute("SELECT * FROM comments WHERE number = ? ORDER BY id", (number,))
        ]

    def blocked_by(self, number: int) -> list[int]:
        """The issues ``number`` is blocked by (native links)."""
        self._count("GET", "/issues/{n}/dependencies/blocked_by")
        return [
            r["blocker"]
            for r in self._db.execute("SELECT blocker FROM links WHERE number = ? ORDER BY blocker", (number,))
        ]

    def all_links(self) -> list[tuple[int, int]]:
        return [(r["number"], r["blocker"]) for r in self._db.execute("SELECT * FROM links ORDER BY 1, 2")]

    # -- writes ---------------------------------------------------------------------------------------

    def _milestone_id(self, db: sqlite3.Connection, title: str) -> int:
        row = db.execute("SELECT id FROM milestones WHERE title = ?", (title,)).fetchone()
        if row is None:
            raise ForgeError(f"local forge: no milestone {title!r} (422)")
        return int(row["id"])

    def _set_labels(self, db: sqlite3.Connection, number: int, labels: list[str]) -> None:
        db.execute("DELETE FROM issue_labels WHERE number = ?", (number,))
        seen: set[str] = set()
        for pos, name in enumerate(labels):
            _within("label name", name, MAX_LABEL_NAME)
            if name.lower() in seen:
                continue
            seen.add(name.lower())
            # GitHub creates a label named in an issue write when it does not exist yet; so do we.
            db.execute(
                "INSERT OR IGNORE INTO labels (name, color, description) VALUES (?, ?, '')",
                (name, DEFAULT_LABEL_COLOR),
            )
            db.execute("INSERT INTO issue_labels (number, name, position) VALUES (?, ?, ?)", (number, name, pos))

    def create_issue(self, title: str, body: str, labels: list[str], milestone: str | None) -> Issue:
        if not title.strip():
            raise ForgeError("local forge: an issue needs a title (422)")
        _within("title", title, MAX_TITLE)
        _within("body", body, MAX_BODY)
        with self._write("/issues", "POST") as db:
            ms = self._milestone_id(db, milestone) if milestone else None
            now = self._stamp()
            cur = db.execute(
                "INSERT INTO issues (title, body, milestone_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (title, body, ms, now, now),
            )
            number = int(cur.lastrowid or 0)
            self._set_labels(db, number, labels)
        return self._issue(self._row(number))

    def update_issue(self, number: int, change: IssueChange) -> Issue:
        _within("title", change.title, MAX_TITLE)
        _within("body", change.body, MAX_BODY)
        with self._write("/issues/{n}") as db:
            row = self._row(number)
            sets: dict[str, object] = {}
            if change.title is not None:
                sets["title"] = change.title
            if change.body is not None:
                sets["body"] = change.body
            if change.milestone is not None:
                sets["milestone_id"] = self._milestone_id(db, change.milestone) if change.milestone else None
            if change.state is not None and change.state != row["state"]:
                sets["state"] = change.state
                if change.state == "closed":
                    sets["closed_at"] = self._stamp()
                    sets["closed_by"] = self.user
                    sets["state_reason"] = change.state_reason or "completed"
                else:
                    sets["closed_at"] = None
                    sets["closed_by"] = None
                    sets["state_reason"] = "reopened"
            elif change.state == "closed" and change.state_reason is not None:
                sets["state_reason"] = change.state_reason  # a closed issue's reason can be changed
            sets["updated_at"] = self._stamp()
            cols = ", ".join(f"{k} = ?" for k in sets)
            db.execute(f"UPDATE issues SET {cols} WHERE number = ?", (*sets.values(), number))
            if change.labels is not None:
                self._set_labels(db, number, change.labels)
        return self._issue(self._row(number))

    def create_label(self, label: Label) -> None:
        _within("label name", label.name, MAX_LABEL_NAME)
        _within("label description", label.description, MAX_LABEL_DESCRIPTION)
        with self._write("/labels", "POST") as db:
            try:
                db.execute(
                    "INSERT INTO labels (name, color, description) VALUES (?, ?, ?)",
                    (label.name, label.color, label.description),
                )
            except sqlite3.IntegrityError:
                raise AlreadyExistsError(f"local forge: label {label.name!r} already exists (422)") from None

    def update_label(self, label: Label) -> None:
        _within("label description", label.description, MAX_LABEL_DESCRIPTION)
        with self._write("/labels/{name}") as db:
            cur = db.execute(
                "UPDATE labels SET color = ?, description = ? WHERE name = ?",
                (label.color, label.description, label.name),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"local forge: no label {label.name!r}")

    def create_milestone(self, title: str, description: str) -> Milestone:
        with self._write("/milestones", "POST") as db:
            try:
                cur = db.execute("INSERT INTO milestones (title, description) VALUES (?, ?)", (title, description))
            except sqlite3.IntegrityError:
                raise ForgeError(f"local forge: milestone {title!r} already exists (422)") from None
        return Milestone(int(cur.lastrowid or 0), title, description, "open")

    def update_milestone(
        self, number: int, *, description: str | None = None, state: IssueState | None = None
    ) -> Milestone:
        with self._write("/milestones/{n}") as db:
            if description is not None:
                db.execute("UPDATE milestones SET description = ? WHERE id = ?", (description, number))
            if state is not None:
                db.execute("UPDATE milestones SET state = ? WHERE id = ?", (state, number))
            row = db.execute("SELECT * FROM milestones WHERE id = ?", (number,)).fetchone()
            if row is None:
                raise NotFoundError(f"local forge: no milestone {number}")
        return Milestone(row["id"], row["title"], row["description"], row["state"])

    def add_blocked_by(self, number: int, blocker: int) -> bool:
        with self._write("/issues/{n}/dependencies/blocked_by", "POST") as db:
            self._row(number)
            self._row(blocker)
            # Idempotent: adding a link that exists is a success, so a re-run after a crash is harmless.
            db.execute("INSERT OR IGNORE INTO links (number, blocker) VALUES (?, ?)", (number, blocker))
        return True

    def remove_blocked_by(self, number: int, blocker: int) -> None:
        with self._write("/issues/{n}/dependencies/blocked_by/{m}", "DELETE") as db:
            db.execute("DELETE FROM links WHERE number = ? AND blocker = ?", (number, blocker))

    def create_comment(self, number: int, body: str) -> Comment:
        _within("comment body", body, MAX_BODY)
        with self._write("/issues/{n}/comments", "POST") as db:
            self._row(number)
            cur = db.execute(
                "INSERT INTO comments (number, body, author, created_at) VALUES (?, ?, ?, ?)",
                (number, body, self.user, self._stamp()),
            )
            db.execute("UPDATE issues SET updated_at = ? WHERE number = ?", (self._stamp(), number))
        return Comment(int(cur.lastrowid or 0), body, self.user)

    def update_comment(self, number: int, comment_id: int, body: str) -> Comment:
        _within("comment body", body, MAX_BODY)
        with self._write("/issues/comments/{id}") as db:
            cur = db.execute("UPDATE comments SET body = ? WHERE id = ? AND number = ?", (body, comment_id, number))
            if cur.rowcount == 0:
                raise NotFoundError(f"local forge: no comment {comment_id} on #{number}")
            row = db.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)).fetchone()
        return Comment(row["id"], row["body"], row["author"])

    # -- files and commits: the forge's file API, for a daemon with no clone --------------------------
    # The local forge keeps its own copy of files written through it, with a version per write, so the
    # race a remote forge detects (blob sha / last_commit_id) is detected here the same way.

    def read_file(self, path: str, ref: str | None = None) -> tuple[str, str]:
        self._count("GET", "/contents/{path}")
        row = self._db.execute(
            "SELECT text, version FROM files WHERE branch = ? AND path = ?", (ref or DEFAULT_BRANCH, path)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"local forge: no file {path} on {ref or DEFAULT_BRANCH}")
        return row["text"], row["version"]

    def write_file(self, path: str, text: str, message: str, version: str | None, branch: str | None = None) -> str:
        branch = branch or DEFAULT_BRANCH
        with self._write("/contents/{path}", "PUT") as db:
            row = db.execute("SELECT version FROM files WHERE branch = ? AND path = ?", (branch, path)).fetchone()
            current = row["version"] if row else None
            if current != version:
                raise ConflictError(f"local forge: {path} changed since it was read; read it again")
            now = self._stamp()
            sha = hashlib.sha1(f"{branch}\0{path}\0{current}\0{text}\0{message}\0{now}".encode()).hexdigest()
            db.execute(
                "INSERT OR REPLACE INTO files (branch, path, text, version) VALUES (?, ?, ?, ?)",
                (branch, path, text, sha),
            )
            db.execute(
                "INSERT INTO commits (branch, sha, message, committed_at) VALUES (?, ?, ?, ?)",
                (branch, sha, message, now),
            )
        return sha

    def list_commits(self, branch: str | None = None, since_sha: str | None = None) -> list[CommitInfo]:
        self._count("GET", "/commits")
        rows = self._db.execute(
            "SELECT seq, sha, message, committed_at FROM commits WHERE branch = ? ORDER BY seq",
            (branch or DEFAULT_BRANCH,),
        ).fetchall()
        shas = [r["sha"] for r in rows]
        start = shas.index(since_sha) + 1 if since_sha in shas else 0
        return [CommitInfo(r["sha"], r["message"], datetime.fromisoformat(r["committed_at"])) for r in rows[start:]]

    def issue_json(self, issue: Issue) -> dict[str, Any]:
        """The stable ``syncbot local issues --json`` shape of one issue."""
        return {
            "number": issue.number,
            "title": issue.title,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "labels": list(issue.labels),
            "milestone": issue.milestone,
            "body": issue.body,
            "comments": [
                {"id": r["id"], "body": r["body"]}
                for r in self._db.execute("SELECT id, body FROM comments WHERE number = ? ORDER BY id", (issue.number,))
            ],
        }
