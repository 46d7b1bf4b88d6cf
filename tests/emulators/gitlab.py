"""A stateful loopback emulator of the GitLab v4 REST endpoints syncbot's adapter calls.

Bodies follow the JSON Schemas GitLab's own API specs use (../shared/reference/gitlab/schemas), checked by
tests/test_conformance.py.  ``licensed=False`` behaves like GitLab Free: "blocks"/"is_blocked_by" links are
refused with 403, so the adapter's fallback to "relates_to" can be tested.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

from .server import Emulator, HttpError, Request, Response, etag_of, paginate

PREFIX = "/api/v4/projects/{id}"
RATE_LIMIT = 2000


# GitLab's documented limits on issuables (docs.gitlab.com/development/issuable-like-models): a title at
# most 255 characters, a description or note at most 1 megabyte; answered 400 with the field's message.
MAX_TITLE = 255
MAX_TEXT = 1_048_576


def _check_length(field: str, value: object, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        raise HttpError(400, {"message": {field: [f"is too long (maximum is {limit} characters)"]}})


@dataclass
class _Project:
    id: int
    path: str
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # by name
    milestones: dict[int, dict[str, Any]] = field(default_factory=dict)  # by global id
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    links: dict[int, dict[str, Any]] = field(default_factory=dict)  # link id -> {source, target, type}
    files: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # branch -> path -> file
    commits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # newest first
    default_branch: str = "main"


class GitLabEmulator(Emulator):
    def __init__(self, tokens: tuple[str, ...] = ("glpat-FAKEsyncbotTESTtoken00000",), licensed: bool = True) -> None:
        super().__init__()
        self.tokens = set(tokens)
        self.licensed = licensed
        self.projects: dict[str, _Project] = {}
        self.forbidden: set[str] = set()
        self.rate_remaining = RATE_LIMIT  # counts down per request (304s included, as GitLab does)
        self._ids = itertools.count(2_000_001)
        for method, pattern, handler in [
            ("GET", "/api/v4/projects/{id}", self.get_project),
            ("GET", "/api/v4/groups/{group}/projects", self.list_group_projects),
            ("GET", f"{PREFIX}/issues", self.list_issues),
            ("POST", f"{PREFIX}/issues", self.create_issue),
            ("GET", f"{PREFIX}/issues/{{iid}}", self.get_issue),
            ("PUT", f"{PREFIX}/issues/{{iid}}", self.update_issue),
            ("GET", f"{PREFIX}/issues/{{iid}}/notes", self.list_notes),
            ("POST", f"{PREFIX}/issues/{{iid}}/notes", self.create_note),
            ("PUT", f"{PREFIX}/issues/{{iid}}/notes/{{note_id}}", self.update_note),
            ("GET", f"{PREFIX}/issues/{{iid}}/links", self.list_links),
            ("POST", f"{PREFIX}/issues/{{iid}}/links", self.create_link),
            ("DELETE", f"{PREFIX}/issues/{{iid}}/links/{{link_id}}", self.delete_link),
            ("GET", f"{PREFIX}/labels", self.list_labels),
            ("POST", f"{PREFIX}/labels", self.create_label),
            ("PUT", f"{PREFIX}/labels", self.update_label),
            ("PUT", f"{PREFIX}/labels/{{label_id}}", self.update_label),
            ("GET", f"{PREFIX}/milestones", self.list_milestones),
            ("POST", f"{PREFIX}/milestones", self.create_milestone),
            ("PUT", f"{PREFIX}/milestones/{{milestone_id}}", self.update_milestone),
            ("GET", f"{PREFIX}/repository/files/{{file_path}}", self.get_file),
            ("HEAD", f"{PREFIX}/repository/files/{{file_path}}", self.get_file),
            ("POST", f"{PREFIX}/repository/files/{{file_path}}", self.create_file),
            ("PUT", f"{PREFIX}/repository/files/{{file_path}}", self.update_file),
            ("GET", f"{PREFIX}/repository/commits", self.list_commits),
        ]:
            self.route(method, pattern, handler)

    # -- set-up helpers ------------------------------------------------------------------------------
    def add_project(self, path: str) -> _Project:
        return self.projects.setdefault(path, _Project(len(self.projects) + 1, path))

    def commit(self, path: str, message: str, files: dict[str, str], branch: str | None = None) -> str:
        project = self.projects[path]
        with self.lock:
            return self._commit(project, branch or project.default_branch, message, files)

    # -- plumbing ------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> None:
        if request.headers.get("private-token") not in self.tokens:
            raise HttpError(401, {"message": "401 Unauthorized"})

    def finish(self, request: Request, response: Response) -> Response:
        if request.method == "GET" and response.status == 200:
            etag = etag_of([response.body, response.headers.get("Link", "")], self.base_url)
            response.headers["ETag"] = etag
            if request.headers.get("if-none-match") == etag:
                response = Response(304, None, {"ETag": etag})
        self.rate_remaining = max(0, self.rate_remaining - 1)
        response.headers.setdefault("RateLimit-Limit", str(RATE_LIMIT))
        response.headers.setdefault("RateLimit-Remaining", str(self.rate_remaining))
        return response

    def _project(self, request: Request) -> _Project:
        key = request.params["id"]
        if key in self.forbidden:
            raise HttpError(403, {"message": "403 Forbidden"})
        project = self.projects.get(key) or next((p for p in self.projects.values() if str(p.id) == key), None)
        if project is None:
            raise HttpError(404, {"message": "404 Project Not Found"})
        return project

    def _web(self, project: _Project) -> str:
        return f"{self.base_url}/{project.path}"

    def user(self) -> dict[str, Any]:
        return {
            "id": 7,
            "username": "syncbot-test",
            "name": "Syncbot Test",
            "state": "active",
            "avatar_url": "https://secure.gravatar.com/avatar/0",
            "web_url": f"{self.base_url}/syncbot-test",
        }

    def _issue(self, project: _Project, iid: Any) -> dict[str, Any]:
        issue = project.issues.get(int(iid))
        if issue is None:
            raise HttpError(404, {"message": "404 Not found"})
        return issue

    def _render_milestone(self, project: _Project, m: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": m["id"],
            "iid": m["iid"],
            "project_id": project.id,
            "group_id": None,
            "title": m["title"],
            "description": m["description"],
            "state": m["state"],
            "created_at": m["created_at"],
            "updated_at": m["updated_at"],
            "due_date": None,
            "start_date": None,
            "expired": False,
            "web_url": f"{self._web(project)}/-/milestones/{m['iid']}",
        }

    def _render_issue(self, project: _Project, i: dict[str, Any]) -> dict[str, Any]:
        m = project.milestones.get(i["milestone_id"]) if i["milestone_id"] else None
        return {
            "id": i["id"],
            "iid": i["iid"],
            "project_id": project.id,
            "title": i["title"],
            "description": i["description"],
            "state": i["state"],
            "created_at": i["created_at"],
            "updated_at": i["updated_at"],
            "closed_at": i["closed_at"],
            "closed_by": self.user() if i["state"] == "closed" else None,
            "labels": list(i["labels"]),
            "milestone": self._render_milestone(project, m) if m else None,
            "assignees": [],
            "assignee": None,
            "author": self.user(),
            "type": "ISSUE",
            "user_notes_count": sum(1 for n in project.notes.values() if n["iid"] == i["iid"]),
            "upvotes": 0,
            "downvotes": 0,
            "due_date": None,
            "confidential": False,
            "discussion_locked": None,
            "issue_type": "issue",
            "web_url": f"{self._web(project)}/-/issues/{i['iid']}",
            "severity": "UNKNOWN",
            "time_stats": {
                "time_estimate": 0,
                "total_time_spent": 0,
                "human_time_estimate": None,
                "human_total_time_spent": None,
            },
            "references": {"short": f"#{i['iid']}", "relative": f"#{i['iid']}", "full": f"{project.path}#{i['iid']}"},
        }

    def _render_label(self, label: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": label["id"],
            "name": label["name"],
            "color": label["color"],
            "text_color": "#FFFFFF",
            "description": label["description"],
            "description_html": label["description"] or "",
            "open_issues_count": 0,
            "closed_issues_count": 0,
            "open_merge_requests_count": 0,
            "subscribed": False,
            "priority": None,
            "is_project_label": True,
        }

    def _render_note(self, project: _Project, n: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": n["id"],
            "type": None,
            "body": n["body"],
            "attachment": None,
            "author": self.user(),
            "created_at": n["created_at"],
            "updated_at": n["updated_at"],
            "system": n["system"],
            "noteable_id": project.issues[n["iid"]]["id"],
            "noteable_type": "Issue",
            "noteable_iid": n["iid"],
            "resolvable": False,
            "confidential": False,
            "internal": False,
            "commands_changes": {},
        }

    def _labels(self, project: _Project, raw: Any) -> list[str]:
        names = raw if isinstance(raw, list) else [n for n in str(raw or "").split(",")]
        out = []
        for name in (n.strip() for n in names):
            if not name:
                continue
            if name not in project.labels:  # GitLab creates unknown labels on the fly
                project.labels[name] = {"id": next(self._ids), "name": name, "color": "#6699cc", "description": None}
            out.append(name)
        return out

    # -- handlers ------------------------------------------------------------------------------------
    def get_project(self, request: Request) -> Response:
        p = self._project(request)
        return Response(
            200,
            {"id": p.id, "path_with_namespace": p.path, "default_branch": p.default_branch, "web_url": self._web(p)},
        )

    def list_group_projects(self, request: Request) -> Response:
        """A group's projects (``include_subgroups=true``: its subgroups' too), archived ones left out when
        ``archived=false``; the group by its full path (or a project's numeric group, unsupported)."""
        group = request.params["group"].strip("/")
        deep = request.query.get("include_subgroups", "").lower() in ("true", "1")  # python-gitlab: True
        found = []
        for p in sorted(self.projects.values(), key=lambda p: p.id):
            namespace = p.path.rsplit("/", 1)[0]
            if namespace == group or (deep and namespace.startswith(group + "/")):
                found.append(p)
        if not found and not any(p.path.startswith(group + "/") for p in self.projects.values()):
            raise HttpError(404, {"message": "404 Group Not Found"})
        chunk, headers, page, last = paginate(found, request, f"{self.base_url}{request.path}", 20)
        headers.update({"X-Total": str(len(found)), "X-Total-Pages": str(last), "X-Page": str(page)})
        body = [
            {
                "id": p.id,
                "name": p.path.rsplit("/", 1)[-1],
                "path": p.path.rsplit("/", 1)[-1],
                "path_with_namespace": p.path,
                "default_branch": p.default_branch if p.commits else None,
                "web_url": self._web(p),
                "archived": False,
                "namespace": {"full_path": p.path.rsplit("/", 1)[0], "kind": "group"},
            }
            for p in chunk
        ]
        return Response(200, body, headers)

    def list_issues(self, request: Request) -> Response:
        project = self._project(request)
        state = request.query.get("state", "all")
        wanted = [w for w in request.query.get("labels", "").split(",") if w]
        items = [
            i
            for i in sorted(project.issues.values(), key=lambda i: -i["iid"])
            if (state == "all" or i["state"] == state) and all(w in i["labels"] for w in wanted)
        ]
        chunk, headers, page, last = paginate(items, request, f"{self.base_url}{request.path}", 20)
        headers.update({"X-Total": str(len(items)), "X-Total-Pages": str(last), "X-Page": str(page)})
        return Response(200, [self._render_issue(project, i) for i in chunk], headers)

    def create_issue(self, request: Request) -> Response:
        project = self._project(request)
        data = request.json()
        if not data.get("title"):
            raise HttpError(400, {"message": "title is missing"})
        _check_length("title", data["title"], MAX_TITLE)
        _check_length("description", data.get("description"), MAX_TEXT)
        milestone_id = data.get("milestone_id") or None
        if milestone_id is not None and int(milestone_id) not in project.milestones:
            raise HttpError(404, {"message": "404 Milestone Not Found"})
        now = self.tick()
        iid = len(project.issues) + 1
        issue = {
            "id": next(self._ids),
            "iid": iid,
            "title": data["title"],
            "description": data.get("description"),
            "state": "opened",
            "labels": self._labels(project, data.get("labels")),
            "milestone_id": int(milestone_id) if milestone_id else None,
            "created_at": now,
            "updated_at": now,
            "closed_at": None,
        }
        project.issues[iid] = issue
        return Response(201, self._render_issue(project, issue))

    def get_issue(self, request: Request) -> Response:
        project = self._project(request)
        return Response(200, self._render_issue(project, self._issue(project, request.params["iid"])))

    def update_issue(self, request: Request) -> Response:
        project = self._project(request)
        issue = self._issue(project, request.params["iid"])
        data = request.json()
        _check_length("title", data.get("title"), MAX_TITLE)
        _check_length("description", data.get("description"), MAX_TEXT)
        now = self.tick()
        if "title" in data:
            issue["title"] = data["title"]
        if "description" in data:
            issue["description"] = data["description"]
        if "labels" in data:
            issue["labels"] = self._labels(project, data["labels"])
        if "milestone_id" in data:
            mid = int(data["milestone_id"] or 0)
            if mid and mid not in project.milestones:
                raise HttpError(404, {"message": "404 Milestone Not Found"})
            issue["milestone_id"] = mid or None
        event = data.get("state_event")
        if event == "close" and issue["state"] != "closed":
            issue.update(state="closed", closed_at=now)
        elif event == "reopen" and issue["state"] == "closed":
            issue.update(state="opened", closed_at=None)
        issue["updated_at"] = now
        return Response(200, self._render_issue(project, issue))

    def list_notes(self, request: Request) -> Response:
        project = self._project(request)
        iid = self._issue(project, request.params["iid"])["iid"]
        items = [n for n in project.notes.values() if n["iid"] == iid]
        chunk, headers, _, _ = paginate(items, request, f"{self.base_url}{request.path}", 20)
        return Response(200, [self._render_note(project, n) for n in chunk], headers)

    def add_system_note(self, path: str, iid: int, body: str) -> None:
        """What GitLab writes itself ("changed the description"): the adapter must skip these."""
        project = self.projects[path]
        now = self.tick()
        nid = next(self._ids)
        project.notes[nid] = {"id": nid, "iid": iid, "body": body, "system": True, "created_at": now, "updated_at": now}

    def create_note(self, request: Request) -> Response:
        project = self._project(request)
        issue = self._issue(project, request.params["iid"])
        _check_length("note", request.json().get("body"), MAX_TEXT)
        now = self.tick()
        nid = next(self._ids)
        note = {"id": nid, "iid": issue["iid"], "body": request.json()["body"], "system": False}
        note |= {"created_at": now, "updated_at": now}
        project.notes[nid] = note
        return Response(201, self._render_note(project, note))

    def update_note(self, request: Request) -> Response:
        project = self._project(request)
        note = project.notes.get(int(request.params["note_id"]))
        if note is None or note["iid"] != int(request.params["iid"]):
            raise HttpError(404, {"message": "404 Note Not Found"})
        _check_length("note", request.json().get("body"), MAX_TEXT)
        note["body"] = request.json()["body"]
        note["updated_at"] = self.tick()
        return Response(200, self._render_note(project, note))

    def list_links(self, request: Request) -> Response:
        project = self._project(request)
        iid = self._issue(project, request.params["iid"])["iid"]
        out = []
        for link_id, link in project.links.items():
            if iid not in (link["source"], link["target"]):
                continue
            other = link["target"] if link["source"] == iid else link["source"]
            link_type = link["type"]
            if link["target"] == iid and link_type != "relates_to":  # seen from the other end
                link_type = "blocks" if link_type == "is_blocked_by" else "is_blocked_by"
            item = self._render_issue(project, project.issues[other])
            item |= {"issue_link_id": link_id, "link_type": link_type}
            item |= {"link_created_at": link["created_at"], "link_updated_at": link["created_at"]}
            out.append(item)
        return Response(200, out)

    def create_link(self, request: Request) -> Response:
        project = self._project(request)
        source = self._issue(project, request.params["iid"])
        data = request.json()
        link_type = data.get("link_type", "relates_to")
        if link_type not in ("relates_to", "blocks", "is_blocked_by"):
            raise HttpError(400, {"message": "link_type does not have a valid value"})
        if link_type != "relates_to" and not self.licensed:
            raise HttpError(403, {"message": "403 Forbidden - Blocked issues not available for current license"})
        target_project = self.projects.get(str(data.get("target_project_id"))) or project
        target = self._issue(target_project, data.get("target_issue_iid"))
        pair = {source["iid"], target["iid"]}
        if any({link["source"], link["target"]} == pair for link in project.links.values()):
            raise HttpError(409, {"message": "Issue(s) already assigned"})
        link_id = next(self._ids)
        now = self.tick()
        project.links[link_id] = {"source": source["iid"], "target": target["iid"], "type": link_type}
        project.links[link_id]["created_at"] = now
        return Response(
            201,
            {
                "source_issue": self._render_issue(project, source),
                "target_issue": self._render_issue(project, target),
                "link_type": link_type,
                "link_created_at": now,
                "link_updated_at": now,
            },
        )

    def delete_link(self, request: Request) -> Response:
        project = self._project(request)
        link = project.links.pop(int(request.params["link_id"]), None)
        if link is None:
            raise HttpError(404, {"message": "404 Not found"})
        source, target = project.issues[link["source"]], project.issues[link["target"]]
        return Response(
            200,
            {
                "source_issue": self._render_issue(project, source),
                "target_issue": self._render_issue(project, target),
                "link_type": link["type"],
            },
        )

    def list_labels(self, request: Request) -> Response:
        project = self._project(request)
        chunk, headers, _, _ = paginate(list(project.labels.values()), request, f"{self.base_url}{request.path}", 20)
        return Response(200, [self._render_label(label) for label in chunk], headers)

    def create_label(self, request: Request) -> Response:
        project = self._project(request)
        data = request.json()
        name = data.get("name") or ""
        if not name:
            raise HttpError(400, {"message": {"name": ["can't be blank"]}})
        if name in project.labels:
            raise HttpError(409, {"message": "Label already exists"})
        color = data.get("color") or ""
        if not color.startswith("#"):
            raise HttpError(400, {"message": {"color": ["must be a valid color code"]}})
        label = {"id": next(self._ids), "name": name, "color": color, "description": data.get("description")}
        project.labels[name] = label
        return Response(201, self._render_label(label))

    def update_label(self, request: Request) -> Response:
        project = self._project(request)
        data = request.json()
        name = request.params.get("label_id") or data.get("name")
        label = project.labels.get(str(name)) or next(
            (lb for lb in project.labels.values() if str(lb["id"]) == str(name)), None
        )
        if label is None:
            raise HttpError(404, {"message": "404 Label Not Found"})
        for key in ("color", "description"):
            if key in data:
                label[key] = data[key]
        return Response(200, self._render_label(label))

    def list_milestones(self, request: Request) -> Response:
        project = self._project(request)
        state = request.query.get("state")
        items = [m for m in project.milestones.values() if state in (None, m["state"])]
        chunk, headers, _, _ = paginate(items, request, f"{self.base_url}{request.path}", 20)
        return Response(200, [self._render_milestone(project, m) for m in chunk], headers)

    def create_milestone(self, request: Request) -> Response:
        project = self._project(request)
        data = request.json()
        if not data.get("title"):
            raise HttpError(400, {"message": "title is missing"})
        if any(m["title"] == data["title"] for m in project.milestones.values()):
            raise HttpError(400, {"message": "Milestone already exists"})
        now = self.tick()
        mid = next(self._ids)
        m = {
            "id": mid,
            "iid": len(project.milestones) + 1,
            "title": data["title"],
            "description": data.get("description"),
            "state": "active",
            "created_at": now,
            "updated_at": now,
        }
        project.milestones[mid] = m
        return Response(201, self._render_milestone(project, m))

    def update_milestone(self, request: Request) -> Response:
        project = self._project(request)
        m = project.milestones.get(int(request.params["milestone_id"]))
        if m is None:
            raise HttpError(404, {"message": "404 Milestone Not Found"})
        data = request.json()
        for key in ("title", "description"):
            if key in data:
                m[key] = data[key]
        if data.get("state_event") == "close":
            m["state"] = "closed"
        elif data.get("state_event") == "activate":
            m["state"] = "active"
        m["updated_at"] = self.tick()
        return Response(200, self._render_milestone(project, m))

    # -- repository ----------------------------------------------------------------------------------
    def _commit(self, project: _Project, branch: str, message: str, files: dict[str, str]) -> str:
        now = self.tick()
        history = project.commits.setdefault(branch, [])
        parent = history[0]["id"] if history else None
        sha = hashlib.sha1(f"{parent}{message}{now}{project.path}".encode()).hexdigest()
        tree = project.files.setdefault(branch, {})
        for path, text in files.items():
            data = text.encode()
            tree[path] = {"content": data, "last_commit_id": sha, "blob_id": hashlib.sha1(data).hexdigest()}
        history.insert(0, {"id": sha, "message": message, "date": now, "parents": [parent] if parent else []})
        return sha

    def get_file(self, request: Request) -> Response:
        project = self._project(request)
        ref = request.query.get("ref")
        if not ref:
            raise HttpError(400, {"error": "ref is missing"})
        path = request.params["file_path"]
        f = project.files.get(ref, {}).get(path)
        if f is None:
            raise HttpError(404, {"message": "404 File Not Found"})
        history = project.commits[ref]
        body = {
            "file_name": path.rsplit("/", 1)[-1],
            "file_path": path,
            "size": len(f["content"]),
            "encoding": "base64",
            "content": base64.b64encode(f["content"]).decode(),
            "content_sha256": hashlib.sha256(f["content"]).hexdigest(),
            "ref": ref,
            "blob_id": f["blob_id"],
            "commit_id": history[0]["id"],
            "last_commit_id": f["last_commit_id"],
            "execute_filemode": False,
        }
        headers = {"X-Gitlab-Last-Commit-Id": f["last_commit_id"], "X-Gitlab-Blob-Id": f["blob_id"]}
        return Response(200, body, headers)

    def _write_checks(self, request: Request) -> tuple[_Project, str, str, dict[str, Any]]:
        project = self._project(request)
        data = request.json()
        for key in ("branch", "content", "commit_message"):
            if key not in data:
                raise HttpError(400, {"error": f"{key} is missing"})
        return project, data["branch"], request.params["file_path"], data

    def create_file(self, request: Request) -> Response:
        project, branch, path, data = self._write_checks(request)
        if path in project.files.get(branch, {}):
            raise HttpError(400, {"message": "A file with this name already exists"})
        self._commit(project, branch, data["commit_message"], {path: data["content"]})
        return Response(201, {"file_path": path, "branch": branch})

    def update_file(self, request: Request) -> Response:
        project, branch, path, data = self._write_checks(request)
        f = project.files.get(branch, {}).get(path)
        if f is None:
            raise HttpError(400, {"message": "A file with this name doesn't exist"})
        if data.get("last_commit_id") and data["last_commit_id"] != f["last_commit_id"]:
            raise HttpError(
                400,
                {"message": "You are attempting to update a file that has changed since you started editing it."},
            )
        self._commit(project, branch, data["commit_message"], {path: data["content"]})
        return Response(200, {"file_path": path, "branch": branch})

    def list_commits(self, request: Request) -> Response:
        project = self._project(request)
        branch = request.query.get("ref_name") or project.default_branch
        history = project.commits.get(branch)
        if history is None:
            raise HttpError(404, {"message": "404 Reference Not Found"})
        chunk, headers, _, _ = paginate(history, request, f"{self.base_url}{request.path}", 20)
        out = [
            {
                "id": c["id"],
                "short_id": c["id"][:8],
                "title": c["message"].split("\n", 1)[0],
                "created_at": c["date"],
                "parent_ids": c["parents"],
                "message": c["message"],
                "author_name": "Syncbot Test",
                "author_email": "test@example.com",
                "authored_date": c["date"],
                "committer_name": "Syncbot Test",
                "committer_email": "test@example.com",
                "committed_date": c["date"],
                "trailers": {},
                "extended_trailers": {},
                "web_url": f"{self._web(project)}/-/commit/{c['id']}",
            }
            for c in chunk
        ]
        return Response(200, out, headers)
