"""A stateful loopback emulator of the GitHub REST endpoints syncbot's adapter calls.

Response bodies carry every field GitHub's OpenAPI description marks as required, so cassettes recorded
from here pass the conformance test (tests/test_conformance.py) as real traffic would.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from .github_app import AppEndpoints
from .server import Emulator, HttpError, Request, Response, etag_of, paginate

RATE_LIMIT = 5000


# GitHub's documented limits: an issue title at most 256 characters, a body or comment at most 65,536
# ("body is too long (maximum is 65536 characters)"), a label name at most 50 and its description at most
# 100 ("Must be 100 characters or fewer", @octokit/openapi).  Answered 422 Validation Failed.
MAX_TITLE = 256
MAX_BODY = 65_536
MAX_LABEL_NAME = 50
MAX_LABEL_DESCRIPTION = 100


@dataclass
class _File:
    text: bytes
    sha: str


@dataclass
class _Repo:
    owner: str
    name: str
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # by lower-case name
    milestones: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked_by: dict[int, list[int]] = field(default_factory=dict)  # issue number -> blocker ids
    files: dict[str, dict[str, _File]] = field(default_factory=dict)  # branch -> path -> file
    commits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # branch -> newest first
    default_branch: str = "main"
    archived: bool = False


class GitHubEmulator(AppEndpoints, Emulator):
    def __init__(self, tokens: tuple[str, ...] = ("ghp_FAKEsyncbotTESTtoken0000000000000000",)) -> None:
        super().__init__()
        self.tokens = set(tokens)
        self.repos: dict[str, _Repo] = {}
        self.forbidden: set[str] = set()  # repos the token may not see (403)
        self.rate_limit = RATE_LIMIT  # a benchmark raises it: one emulator plays many installations
        self.rate_remaining = RATE_LIMIT
        self.rate_reset = 1_893_456_000  # 2030-01-01: fixed so cassettes are stable
        self._ids = itertools.count(1_000_001)
        self.login = "syncbot-test"
        self._init_app()  # GitHub App: installations, their tokens, the App's JWT (github_app.py)
        for method, pattern, handler in [
            ("GET", "/repos/{owner}/{repo}", self.get_repo),
            ("GET", "/repos/{owner}/{repo}/issues", self.list_issues),
            ("POST", "/repos/{owner}/{repo}/issues", self.create_issue),
            ("GET", "/repos/{owner}/{repo}/issues/{number}", self.get_issue),
            ("PATCH", "/repos/{owner}/{repo}/issues/{number}", self.update_issue),
            ("GET", "/repos/{owner}/{repo}/issues/{number}/comments", self.list_comments),
            ("POST", "/repos/{owner}/{repo}/issues/{number}/comments", self.create_comment),
            ("PATCH", "/repos/{owner}/{repo}/issues/comments/{id}", self.update_comment),
            ("GET", "/repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by", self.list_blocked_by),
            ("POST", "/repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by", self.add_blocked_by),
            (
                "DELETE",
                "/repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by/{issue_id}",
                self.remove_blocked_by,
            ),
            ("GET", "/repos/{owner}/{repo}/labels", self.list_labels),
            ("POST", "/repos/{owner}/{repo}/labels", self.create_label),
            ("GET", "/repos/{owner}/{repo}/labels/{name}", self.get_label),
            ("PATCH", "/repos/{owner}/{repo}/labels/{name}", self.update_label),
            ("GET", "/repos/{owner}/{repo}/milestones", self.list_milestones),
            ("POST", "/repos/{owner}/{repo}/milestones", self.create_milestone),
            ("GET", "/repos/{owner}/{repo}/milestones/{number}", self.get_milestone),
            ("PATCH", "/repos/{owner}/{repo}/milestones/{number}", self.update_milestone),
            ("GET", "/repos/{owner}/{repo}/contents/{path+}", self.get_contents),
            ("PUT", "/repos/{owner}/{repo}/contents/{path+}", self.put_contents),
            ("GET", "/repos/{owner}/{repo}/commits", self.list_commits),
            *self._app_routes(),
        ]:
            self.route(method, pattern, handler)

    # -- test set-up helpers ------------------------------------------------------------------------
    def add_repo(self, full_name: str) -> _Repo:
        owner, name = full_name.split("/")
        repo = self.repos.setdefault(full_name, _Repo(owner, name))
        return repo

    def exhaust_rate_limit(self, reset: int | None = None) -> None:
        self.rate_remaining = 0
        if reset is not None:
            self.rate_reset = reset

    def commit(self, full_name: str, message: str, files: dict[str, str], branch: str | None = None) -> str:
        """A commit made by 'someone else' (a person pushing), for write-back race tests."""
        repo = self.repos[full_name]
        with self.lock:
            return self._commit(repo, branch or repo.default_branch, message, files)

    # -- plumbing ------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> None:
        auth = request.headers.get("authorization", "")
        token = auth.split(" ", 1)[1] if " " in auth else ""
        if request.path.startswith("/app/"):
            self._check_jwt(auth)
            return
        if token in self.installation_tokens and self.installation_tokens[token] > time.time():
            pass
        elif token not in self.tokens:
            raise HttpError(
                401,
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"},
            )
        if self.rate_remaining <= 0:
            raise HttpError(
                403,
                {
                    "message": "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for "
                    "help, please include the request ID.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                },
            )

    def finish(self, request: Request, response: Response) -> Response:
        # Conditional GETs: a matching validator answers 304, which does not count against the limit.
        if request.method == "GET" and response.status == 200:
            etag = etag_of([response.body, response.headers.get("Link", "")], self.base_url)
            response.headers["ETag"] = etag
            if request.headers.get("if-none-match") == etag:
                response = Response(304, None, {"ETag": etag})
        if response.status != 304 and self.rate_remaining > 0:
            self.rate_remaining -= 1
        response.headers.update(
            {
                "X-RateLimit-Limit": str(self.rate_limit),
                "X-RateLimit-Remaining": str(self.rate_remaining),
                "X-RateLimit-Reset": str(self.rate_reset),
                "X-RateLimit-Used": str(self.rate_limit - self.rate_remaining),
                "X-RateLimit-Resource": "core",
            }
        )
        return response

    def _repo(self, request: Request) -> _Repo:
        full = f"{request.params['owner']}/{request.params['repo']}"
        if full in self.forbidden:
            raise HttpError(403, {"message": "Resource not accessible by personal access token"})
        if full not in self.repos:
            raise HttpError(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
        self._check_scope(request, full)  # an installation token sees its installation's repositories only
        return self.repos[full]

    def _api(self, repo: _Repo) -> str:
        return f"{self.base_url}{self.prefix}/repos/{repo.owner}/{repo.name}"

    def _html(self, repo: _Repo) -> str:
        return f"https://github.com/{repo.owner}/{repo.name}"

    def user(self) -> dict[str, Any]:
        base = f"{self.base_url}{self.prefix}/users/{self.login}"
        return {
            "login": self.login,
            "id": 1,
            "node_id": "U_kgDOAAAAAQ",
            "avatar_url": "https://avatars.githubusercontent.com/u/1?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": f"https://github.com/{self.login}",
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": "User",
            "site_admin": False,
        }

    def _issue(self, repo: _Repo, number: int) -> dict[str, Any]:
        try:
            return repo.issues[number]
        except KeyError:
            raise HttpError(404, {"message": "Not Found"}) from None

    def _render_issue(self, repo: _Repo, issue: dict[str, Any]) -> dict[str, Any]:
        n = issue["number"]
        url = f"{self._api(repo)}/issues/{n}"
        milestone = repo.milestones.get(issue["milestone"]) if issue["milestone"] else None
        blocking = sum(1 for ids in repo.blocked_by.values() if issue["id"] in ids)
        return {
            "id": issue["id"],
            "node_id": f"I_kwDO{issue['id']}",
            "url": url,
            "repository_url": self._api(repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self._html(repo)}/issues/{n}",
            "number": n,
            "state": issue["state"],
            "state_reason": issue["state_reason"],
            "title": issue["title"],
            "body": issue["body"],
            "user": self.user(),
            "labels": [self._render_label(repo, repo.labels[name.lower()]) for name in issue["labels"]],
            "assignee": None,
            "assignees": [],
            "milestone": self._render_milestone(repo, milestone) if milestone else None,
            "locked": False,
            "active_lock_reason": None,
            "comments": sum(1 for c in repo.comments.values() if c["issue"] == n),
            "closed_at": issue["closed_at"],
            "created_at": issue["created_at"],
            "updated_at": issue["updated_at"],
            "closed_by": self.user() if issue["state"] == "closed" else None,
            "author_association": "OWNER",
            "issue_dependencies_summary": {
                "blocked_by": len(repo.blocked_by.get(n, [])),
                "blocking": blocking,
                "total_blocked_by": len(repo.blocked_by.get(n, [])),
                "total_blocking": blocking,
            },
        }

    def _render_label(self, repo: _Repo, label: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": label["id"],
            "node_id": f"LA_kwDO{label['id']}",
            "url": f"{self._api(repo)}/labels/{label['name']}",
            "name": label["name"],
            "description": label["description"],
            "color": label["color"],
            "default": False,
        }

    def _render_milestone(self, repo: _Repo, m: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._api(repo)}/milestones/{m['number']}"
        in_it = [i for i in repo.issues.values() if i["milestone"] == m["number"]]
        return {
            "url": url,
            "html_url": f"{self._html(repo)}/milestone/{m['number']}",
            "labels_url": f"{url}/labels",
            "id": m["id"],
            "node_id": f"MI_kwDO{m['id']}",
            "number": m["number"],
            "state": m["state"],
            "title": m["title"],
            "description": m["description"],
            "creator": self.user(),
            "open_issues": sum(1 for i in in_it if i["state"] == "open"),
            "closed_issues": sum(1 for i in in_it if i["state"] == "closed"),
            "created_at": m["created_at"],
            "updated_at": m["updated_at"],
            "closed_at": m["closed_at"],
            "due_on": None,
        }

    def _render_comment(self, repo: _Repo, c: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": c["id"],
            "node_id": f"IC_kwDO{c['id']}",
            "url": f"{self._api(repo)}/issues/comments/{c['id']}",
            "html_url": f"{self._html(repo)}/issues/{c['issue']}#issuecomment-{c['id']}",
            "body": c["body"],
            "user": self.user(),
            "created_at": c["created_at"],
            "updated_at": c["updated_at"],
            "issue_url": f"{self._api(repo)}/issues/{c['issue']}",
            "author_association": "OWNER",
        }

    def _ensure_labels(self, repo: _Repo, names: list[Any]) -> list[str]:
        out = []
        for raw in names:
            name = raw["name"] if isinstance(raw, dict) else str(raw)
            self._check_length("Label", "name", name, MAX_LABEL_NAME)
            if name.lower() not in repo.labels:
                # GitHub creates unknown labels on the fly for users with push access.
                repo.labels[name.lower()] = {
                    "id": next(self._ids),
                    "name": name,
                    "color": "ededed",
                    "description": None,
                }
            out.append(repo.labels[name.lower()]["name"])
        return out

    def _validation(self, message: str, field_name: str, code: str = "invalid") -> HttpError:
        return HttpError(
            422,
            {
                "message": "Validation Failed",
                "errors": [{"resource": "Issue", "field": field_name, "code": code, "message": message}],
                "documentation_url": "https://docs.github.com/rest",
                "status": "422",
            },
        )

    def _check_length(self, resource: str, field_name: str, value: object, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            raise HttpError(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [
                        {
                            "resource": resource,
                            "field": field_name,
                            "code": "custom",
                            "message": f"{field_name} is too long (maximum is {limit} characters)",
                        }
                    ],
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "422",
                },
            )

    def _set_state(self, issue: dict[str, Any], state: str | None, reason: str | None, now: str) -> None:
        if state is None and reason is None:
            return
        state = state or issue["state"]
        if state == "closed":
            issue["state_reason"] = reason or "completed"
            if issue["state"] != "closed":
                issue["closed_at"] = now
        else:
            if issue["state"] == "closed":
                issue["state_reason"] = "reopened"
            elif reason is not None:
                issue["state_reason"] = reason
            issue["closed_at"] = None
        issue["state"] = state

    # -- handlers ------------------------------------------------------------------------------------
    def get_repo(self, request: Request) -> Response:
        repo = self._repo(request)
        return Response(200, {"id": 1, "full_name": f"{repo.owner}/{repo.name}", "name": repo.name})

    def list_issues(self, request: Request) -> Response:
        repo = self._repo(request)
        state = request.query.get("state", "open")
        wanted = [w.strip().lower() for w in request.query.get("labels", "").split(",") if w.strip()]
        items = [
            i
            for i in sorted(repo.issues.values(), key=lambda i: -i["number"])
            if (state == "all" or i["state"] == state) and all(w in {n.lower() for n in i["labels"]} for w in wanted)
        ]
        url = f"{self._api(repo)}/issues"
        chunk, headers, _, _ = paginate(items, request, url)
        return Response(200, [self._render_issue(repo, i) for i in chunk], headers)

    def create_issue(self, request: Request) -> Response:
        repo = self._repo(request)
        data = request.json()
        if not isinstance(data.get("title"), str) or not data["title"]:
            raise self._validation("title wasn't supplied", "title", "missing_field")
        self._check_length("Issue", "title", data["title"], MAX_TITLE)
        self._check_length("Issue", "body", data.get("body"), MAX_BODY)
        milestone = data.get("milestone")
        if milestone is not None and int(milestone) not in repo.milestones:
            raise self._validation("milestone does not exist", "milestone")
        now = self.tick()
        number = len(repo.issues) + 1
        issue = {
            "id": next(self._ids),
            "number": number,
            "title": data["title"],
            "body": data.get("body"),
            "state": "open",
            "state_reason": None,
            "labels": self._ensure_labels(repo, data.get("labels") or []),
            "milestone": int(milestone) if milestone is not None else None,
            "created_at": now,
            "updated_at": now,
            "closed_at": None,
        }
        repo.issues[number] = issue
        return Response(201, self._render_issue(repo, issue))

    def get_issue(self, request: Request) -> Response:
        repo = self._repo(request)
        return Response(200, self._render_issue(repo, self._issue(repo, int(request.params["number"]))))

    def update_issue(self, request: Request) -> Response:
        repo = self._repo(request)
        issue = self._issue(repo, int(request.params["number"]))
        data = request.json()
        self._check_length("Issue", "title", data.get("title"), MAX_TITLE)
        self._check_length("Issue", "body", data.get("body"), MAX_BODY)
        now = self.tick()
        if "title" in data:
            issue["title"] = data["title"]
        if "body" in data:
            issue["body"] = data["body"]
        if "labels" in data:
            issue["labels"] = self._ensure_labels(repo, data["labels"] or [])
        if "milestone" in data:
            m = data["milestone"] or None  # PyGithub sends "" to remove the milestone
            if m is not None and int(m) not in repo.milestones:
                raise self._validation("milestone does not exist", "milestone")
            issue["milestone"] = int(m) if m is not None else None
        if data.get("state") not in (None, "open", "closed"):
            raise self._validation("state is not included in the list", "state")
        self._set_state(issue, data.get("state"), data.get("state_reason"), now)
        issue["updated_at"] = now
        return Response(200, self._render_issue(repo, issue))

    def list_comments(self, request: Request) -> Response:
        repo = self._repo(request)
        n = int(request.params["number"])
        self._issue(repo, n)
        items = [c for c in repo.comments.values() if c["issue"] == n]
        chunk, headers, _, _ = paginate(items, request, f"{self._api(repo)}/issues/{n}/comments")
        return Response(200, [self._render_comment(repo, c) for c in chunk], headers)

    def create_comment(self, request: Request) -> Response:
        repo = self._repo(request)
        n = int(request.params["number"])
        issue = self._issue(repo, n)
        self._check_length("IssueComment", "body", request.json().get("body"), MAX_BODY)
        now = self.tick()
        c = {"id": next(self._ids), "issue": n, "body": request.json()["body"], "created_at": now, "updated_at": now}
        repo.comments[c["id"]] = c
        issue["updated_at"] = now
        return Response(201, self._render_comment(repo, c))

    def update_comment(self, request: Request) -> Response:
        repo = self._repo(request)
        c = repo.comments.get(int(request.params["id"]))
        if c is None:
            raise HttpError(404, {"message": "Not Found"})
        self._check_length("IssueComment", "body", request.json().get("body"), MAX_BODY)
        c["body"] = request.json()["body"]
        c["updated_at"] = self.tick()
        return Response(200, self._render_comment(repo, c))

    def list_blocked_by(self, request: Request) -> Response:
        repo = self._repo(request)
        n = int(request.params["number"])
        self._issue(repo, n)
        by_id = {i["id"]: i for i in repo.issues.values()}
        items = [self._render_issue(repo, by_id[i]) for i in repo.blocked_by.get(n, [])]
        return Response(200, items)

    def add_blocked_by(self, request: Request) -> Response:
        repo = self._repo(request)
        n = int(request.params["number"])
        issue = self._issue(repo, n)
        blocker_id = request.json().get("issue_id")
        by_id = {i["id"]: i for i in repo.issues.values()}
        if blocker_id not in by_id:
            raise HttpError(404, {"message": "Not Found"})
        if blocker_id == issue["id"]:
            raise self._validation("an issue cannot block itself", "issue_id")
        blockers = repo.blocked_by.setdefault(n, [])
        if blocker_id in blockers:
            raise self._validation("dependency already exists", "issue_id", "already_exists")
        blockers.append(blocker_id)
        issue["updated_at"] = self.tick()
        return Response(201, self._render_issue(repo, issue))

    def remove_blocked_by(self, request: Request) -> Response:
        repo = self._repo(request)
        n = int(request.params["number"])
        issue = self._issue(repo, n)
        blockers = repo.blocked_by.get(n, [])
        blocker_id = int(request.params["issue_id"])
        if blocker_id not in blockers:
            raise HttpError(404, {"message": "Not Found"})
        blockers.remove(blocker_id)
        issue["updated_at"] = self.tick()
        return Response(200, self._render_issue(repo, issue))

    def list_labels(self, request: Request) -> Response:
        repo = self._repo(request)
        chunk, headers, _, _ = paginate(list(repo.labels.values()), request, f"{self._api(repo)}/labels")
        return Response(200, [self._render_label(repo, label) for label in chunk], headers)

    def create_label(self, request: Request) -> Response:
        repo = self._repo(request)
        data = request.json()
        name = data.get("name", "")
        if not name or len(name) > MAX_LABEL_NAME:
            raise self._validation("name is invalid", "name")
        self._check_length("Label", "description", data.get("description"), MAX_LABEL_DESCRIPTION)
        if name.lower() in repo.labels:
            raise self._validation("already_exists", "name", "already_exists")
        label = {
            "id": next(self._ids),
            "name": name,
            "color": data.get("color", "ededed"),
            "description": data.get("description"),
        }
        repo.labels[name.lower()] = label
        return Response(201, self._render_label(repo, label))

    def get_label(self, request: Request) -> Response:
        repo = self._repo(request)
        label = repo.labels.get(request.params["name"].lower())
        if label is None:
            raise HttpError(404, {"message": "Not Found"})
        return Response(200, self._render_label(repo, label))

    def update_label(self, request: Request) -> Response:
        repo = self._repo(request)
        old = request.params["name"].lower()
        label = repo.labels.get(old)
        if label is None:
            raise HttpError(404, {"message": "Not Found"})
        data = request.json()
        self._check_length("Label", "description", data.get("description"), MAX_LABEL_DESCRIPTION)
        new_name = data.get("new_name") or data.get("name") or label["name"]
        label.update(
            name=new_name,
            color=data.get("color", label["color"]),
            description=data.get("description", label["description"]),
        )
        if new_name.lower() != old:
            del repo.labels[old]
            repo.labels[new_name.lower()] = label
            for issue in repo.issues.values():
                issue["labels"] = [new_name if n.lower() == old else n for n in issue["labels"]]
        return Response(200, self._render_label(repo, label))

    def list_milestones(self, request: Request) -> Response:
        repo = self._repo(request)
        state = request.query.get("state", "open")
        items = [m for m in repo.milestones.values() if state == "all" or m["state"] == state]
        chunk, headers, _, _ = paginate(items, request, f"{self._api(repo)}/milestones")
        return Response(200, [self._render_milestone(repo, m) for m in chunk], headers)

    def create_milestone(self, request: Request) -> Response:
        repo = self._repo(request)
        data = request.json()
        title = data.get("title")
        if not title:
            raise self._validation("title wasn't supplied", "title", "missing_field")
        self._check_length("Issue", "title", data["title"], MAX_TITLE)
        self._check_length("Issue", "body", data.get("body"), MAX_BODY)
        if any(m["title"] == title for m in repo.milestones.values()):
            raise self._validation("already_exists", "title", "already_exists")
        now = self.tick()
        number = len(repo.milestones) + 1
        state = data.get("state", "open")
        m = {
            "id": next(self._ids),
            "number": number,
            "title": title,
            "description": data.get("description"),
            "state": state,
            "created_at": now,
            "updated_at": now,
            "closed_at": now if state == "closed" else None,
        }
        repo.milestones[number] = m
        return Response(201, self._render_milestone(repo, m))

    def get_milestone(self, request: Request) -> Response:
        repo = self._repo(request)
        m = repo.milestones.get(int(request.params["number"]))
        if m is None:
            raise HttpError(404, {"message": "Not Found"})
        return Response(200, self._render_milestone(repo, m))

    def update_milestone(self, request: Request) -> Response:
        repo = self._repo(request)
        m = repo.milestones.get(int(request.params["number"]))
        if m is None:
            raise HttpError(404, {"message": "Not Found"})
        data = request.json()
        now = self.tick()
        for key in ("title", "description"):
            if key in data:
                m[key] = data[key]
        if "state" in data and data["state"] != m["state"]:
            m["state"] = data["state"]
            m["closed_at"] = now if data["state"] == "closed" else None
        m["updated_at"] = now
        return Response(200, self._render_milestone(repo, m))

    # -- contents and commits ------------------------------------------------------------------------
    def _commit(self, repo: _Repo, branch: str, message: str, files: dict[str, str]) -> str:
        now = self.tick()
        tree = repo.files.setdefault(branch, {})
        for path, text in files.items():
            data = text.encode()
            blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
            tree[path] = _File(data, blob)
        history = repo.commits.setdefault(branch, [])
        parent = history[0]["sha"] if history else None
        sha = hashlib.sha1(f"{parent}{message}{now}".encode()).hexdigest()
        history.insert(0, {"sha": sha, "message": message, "date": now, "parents": [parent] if parent else []})
        return sha

    def _content_file(self, repo: _Repo, path: str, f: _File, ref: str) -> dict[str, Any]:
        url = f"{self._api(repo)}/contents/{path}?ref={ref}"
        git_url = f"{self._api(repo)}/git/blobs/{f.sha}"
        html = f"{self._html(repo)}/blob/{ref}/{path}"
        return {
            "type": "file",
            "encoding": "base64",
            "size": len(f.text),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": base64.b64encode(f.text).decode(),
            "sha": f.sha,
            "url": url,
            "git_url": git_url,
            "html_url": html,
            "download_url": f"https://raw.githubusercontent.com/{repo.owner}/{repo.name}/{ref}/{path}",
            "_links": {"self": url, "git": git_url, "html": html},
        }

    def get_contents(self, request: Request) -> Response:
        repo = self._repo(request)
        ref = request.query.get("ref") or repo.default_branch
        path = request.params["path"]
        f = repo.files.get(ref, {}).get(path)
        if f is None:
            raise HttpError(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
        return Response(200, self._content_file(repo, path, f, ref))

    def _git_commit(self, repo: _Repo, c: dict[str, Any]) -> dict[str, Any]:
        person = {"name": "Syncbot Test", "email": "test@example.com", "date": c["date"]}
        return {
            "sha": c["sha"],
            "node_id": f"C_kwDO{c['sha'][:12]}",
            "url": f"{self._api(repo)}/git/commits/{c['sha']}",
            "html_url": f"{self._html(repo)}/commit/{c['sha']}",
            "author": person,
            "committer": person,
            "message": c["message"],
            "tree": {"sha": c["sha"][::-1], "url": f"{self._api(repo)}/git/trees/{c['sha'][::-1]}"},
            "parents": [
                {"sha": p, "url": f"{self._api(repo)}/git/commits/{p}", "html_url": f"{self._html(repo)}/commit/{p}"}
                for p in c["parents"]
            ],
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        }

    def put_contents(self, request: Request) -> Response:
        repo = self._repo(request)
        data = request.json()
        path = request.params["path"]
        branch = data.get("branch") or repo.default_branch
        for key in ("message", "content"):
            if key not in data:
                raise self._validation(f"{key} wasn't supplied", key, "missing_field")
        current = repo.files.get(branch, {}).get(path)
        sha = data.get("sha")
        if current is not None and sha is None:
            raise self._validation('"sha" wasn\'t supplied.', "sha", "missing_field")
        if (current is None and sha is not None) or (current is not None and sha != current.sha):
            raise HttpError(
                409,
                {
                    "message": f"{path} does not match {sha}",
                    "documentation_url": "https://docs.github.com/rest/repos/contents#create-or-update-file-contents",
                    "status": "409",
                },
            )
        text = base64.b64decode(data["content"]).decode()
        self._commit(repo, branch, data["message"], {path: text})
        f = repo.files[branch][path]
        c = repo.commits[branch][0]
        return Response(
            201 if current is None else 200,
            {"content": self._content_file(repo, path, f, branch), "commit": self._git_commit(repo, c)},
        )

    def list_commits(self, request: Request) -> Response:
        repo = self._repo(request)
        branch = request.query.get("sha") or repo.default_branch
        history = repo.commits.get(branch)
        if history is None:
            raise HttpError(404, {"message": "Not Found"})
        chunk, headers, _, _ = paginate(history, request, f"{self._api(repo)}/commits")
        out = []
        for c in chunk:
            git = self._git_commit(repo, c)
            out.append(
                {
                    "url": f"{self._api(repo)}/commits/{c['sha']}",
                    "sha": c["sha"],
                    "node_id": git["node_id"],
                    "html_url": git["html_url"],
                    "comments_url": f"{self._api(repo)}/commits/{c['sha']}/comments",
                    "commit": {
                        "url": git["url"],
                        "author": git["author"],
                        "committer": git["committer"],
                        "message": c["message"],
                        "comment_count": 0,
                        "tree": git["tree"],
                        "verification": git["verification"],
                    },
                    "author": self.user(),
                    "committer": self.user(),
                    "parents": git["parents"],
                }
            )
        return Response(200, out, headers)
