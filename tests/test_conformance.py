"""Conformance of the recorded traffic with the forges' own API descriptions.

* GitHub: every request and response in ``cassettes/github/`` against GitHub's REST description
  (``@octokit/openapi@23.0.2``, ``generated/api.github.com.json``) with openapi-core.  The package is
  fetched with ``npm pack`` into ``~/.cache/syncbot-openapi`` (``SYNCBOT_OPENAPI_CACHE`` overrides); the
  test skips cleanly when npm, the registry or openapi-core is unavailable.
* GitLab: responses in ``cassettes/gitlab/`` against the JSON Schemas GitLab's API specs use
  (``../shared/reference/gitlab/schemas``), where one applies; skips when the folder is absent.

The emulators are what the cassettes are recorded from, so this is also what keeps them honest.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
OPENAPI_PACKAGE = "@octokit/openapi@23.0.2"
OPENAPI_FILE = "package/generated/api.github.com.json"
GITLAB_SCHEMAS = ROOT.parent / "shared" / "reference" / "gitlab" / "schemas" / "spec/fixtures/api/schemas/public_api/v4"
# Statuses GitHub answers on any operation without its description listing them.
UNDESCRIBED_OK = {304, 401, 403, 429}


@dataclass
class Exchange:
    cassette: str
    method: str
    uri: str
    request_headers: dict[str, str]
    request_body: bytes | None
    status: int
    response_headers: dict[str, str]
    response_body: bytes

    @property
    def label(self) -> str:
        return f"{self.cassette}: {self.method} {urlsplit(self.uri).path} -> {self.status}"


def exchanges(kind: str) -> list[Exchange]:
    out = []
    for path in sorted((CASSETTES / kind).glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8"))["interactions"]:
            rq, rs = item["request"], item["response"]
            body = rq.get("body")
            resp = rs["body"].get("string") or b""
            out.append(
                Exchange(
                    path.name,
                    rq["method"],
                    rq["uri"],
                    {k: v[0] for k, v in rq["headers"].items()},
                    body.encode() if isinstance(body, str) else body,
                    int(rs["status"]["code"]),
                    {k: v[0] for k, v in rs["headers"].items()},
                    resp.encode() if isinstance(resp, str) else resp,
                )
            )
    return out


# -- GitHub ---------------------------------------------------------------------------------------------


def _fetch_description() -> Path:
    cache = Path(os.environ.get("SYNCBOT_OPENAPI_CACHE", Path.home() / ".cache" / "syncbot-openapi"))
    target = cache / OPENAPI_FILE
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch GitHub's REST description")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(
            [npm, "pack", OPENAPI_PACKAGE, "--silent"], cwd=cache, capture_output=True, text=True, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"npm pack {OPENAPI_PACKAGE} failed: {exc}")
    tarballs = sorted(cache.glob("octokit-openapi-*.tgz"))
    if proc.returncode != 0 or not tarballs:
        why = (proc.stderr or proc.stdout).strip()[:200]
        pytest.skip(f"npm pack {OPENAPI_PACKAGE} failed (exit {proc.returncode}): {why}")
    with tarfile.open(tarballs[-1]) as tar:
        tar.extract(OPENAPI_FILE, cache, filter="data")
    return target


def normalise(spec: dict[str, Any]) -> list[str]:
    """Fix three defects of GitHub's description that reject GitHub's own real responses; say what changed.

    1. ``nullable: true`` with an ``enum`` lacking ``null`` (``issue.state_reason``): OAS 3.0.3 says the
       enum must list null too, GitHub sends ``"state_reason": null`` on every open issue.
    2. ``oneOf`` whose branches have no ``required`` at all (the 409 of the contents API: basic-error or
       repository-rule-violation-error): every error body matches both, so ``oneOf`` can never pass.
    3. ``allOf`` of a Simple User and an Enterprise (the ``account`` of ``GET /app/installations``, inlined
       where the ``installation`` schema says ``anyOf``): an account is one or the other, and a user or an
       organisation has no ``slug``; read as ``anyOf``.
    """
    schemas = spec["components"]["schemas"]
    fixes: list[str] = []

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref", "")
        return schemas.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/components/schemas/") else node

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("nullable") is True and isinstance(node.get("enum"), list) and None not in node["enum"]:
                node["enum"].append(None)
                fixes.append(f"nullable enum: {where}")
            branches = node.get("oneOf")
            if (
                isinstance(branches, list)
                and len(branches) > 1
                and all(not resolve(b).get("required") and resolve(b).get("type") == "object" for b in branches)
            ):
                node["anyOf"] = node.pop("oneOf")
                fixes.append(f"ambiguous oneOf: {where}")
            both = node.get("allOf")
            if isinstance(both, list) and [resolve(b).get("title") for b in both] == ["Simple User", "Enterprise"]:
                node["anyOf"] = node.pop("allOf")
                fixes.append(f"user and enterprise at once: {where}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(spec, "#")
    return fixes


@dataclass
class GitHubDescription:
    api: Any  # openapi_core.OpenAPI
    schemas: dict[str, Any]  # components/schemas, for bodies the description leaves undescribed


@pytest.fixture(scope="session")
def github_openapi() -> GitHubDescription:
    openapi_core = pytest.importorskip("openapi_core")
    spec = json.loads(_fetch_description().read_text("utf-8"))
    normalise(spec)
    schemas = copy.deepcopy(spec["components"]["schemas"])
    # Validating the 13 MB description itself takes minutes and proves nothing about our traffic.
    api = openapi_core.OpenAPI.from_dict(spec, config=openapi_core.Config(spec_validator_cls=None))
    return GitHubDescription(api, schemas)


def _openapi_request(ex: Exchange) -> Any:
    from openapi_core.testing import MockRequest

    parts = urlsplit(ex.uri)
    path = parts.path
    if "/contents/" in path:
        # The description's {path} is one template segment: a nested file path must be percent-encoded.
        head, rest = path.split("/contents/", 1)
        path = f"{head}/contents/{quote(unquote(rest), safe='')}"
    content_type = ex.request_headers.get("Content-Type", "application/json")
    return MockRequest(
        "https://api.github.com",
        ex.method,
        path,
        args=dict(parse_qsl(parts.query)),
        headers=ex.request_headers,
        data=ex.request_body,
        content_type=content_type,
    )


def _openapi_response(ex: Exchange) -> Any:
    from openapi_core.testing import MockResponse

    content_type = ex.response_headers.get("Content-Type", "application/json").split(";")[0]
    return MockResponse(ex.response_body, status_code=ex.status, headers=ex.response_headers, content_type=content_type)


def github_problems(api: Any, spec_schemas: dict[str, Any], ex: Exchange) -> list[str]:
    from openapi_core.templating.responses.exceptions import ResponseNotFound
    from openapi_schema_validator import OAS30Validator

    problems = []
    request = _openapi_request(ex)
    try:
        api.validate_request(request)
    except Exception as exc:
        problems.append(f"request: {_why(exc)}")
    try:
        api.validate_response(request, _openapi_response(ex))
    except ResponseNotFound:
        # Conditional GETs (304) and auth/rate-limit refusals are answered by every operation; the
        # description leaves them out.  Check what can be checked: a 304 has no body, an error body is
        # a basic-error.
        if ex.status not in UNDESCRIBED_OK:
            problems.append(f"response: status {ex.status} is not described")
        elif ex.status == 304:
            if ex.response_body or "If-None-Match" not in ex.request_headers:
                problems.append("304 with a body, or without a conditional request")
        else:
            errors = list(OAS30Validator(spec_schemas["basic-error"]).iter_errors(json.loads(ex.response_body)))
            problems += [f"error body: {e.message}" for e in errors]
    except Exception as exc:
        problems.append(f"response: {_why(exc)}")
    return problems


def _why(exc: Exception) -> str:
    cause = exc.__cause__
    details = [str(e.message)[:160] for e in getattr(cause, "schema_errors", [])[:3]]
    return f"{type(exc).__name__}: {'; '.join(details) or str(exc)[:200]}"


GITHUB_EXCHANGES = exchanges("github")


def test_github_cassettes_conform(github_openapi: GitHubDescription) -> None:
    api, schemas = github_openapi.api, github_openapi.schemas
    assert GITHUB_EXCHANGES, "no GitHub cassettes"
    failures = {ex.label: p for ex in GITHUB_EXCHANGES if (p := github_problems(api, schemas, ex))}
    assert failures == {}, json.dumps(failures, indent=1)


def test_github_conformance_can_fail(github_openapi: GitHubDescription) -> None:
    api, schemas = github_openapi.api, github_openapi.schemas
    created = next(
        ex for ex in GITHUB_EXCHANGES if ex.method == "POST" and ex.uri.endswith("/issues") and ex.status == 201
    )
    assert github_problems(api, schemas, created) == []
    broken = copy.deepcopy(created)
    body = json.loads(broken.response_body)
    del body["number"]
    broken.response_body = json.dumps(body).encode()
    assert any("number" in p for p in github_problems(api, schemas, broken))
    no_title = copy.deepcopy(created)
    no_title.request_body = json.dumps({"body": "no title"}).encode()
    assert any(p.startswith("request") for p in github_problems(api, schemas, no_title))


def test_description_defects_are_the_known_ones() -> None:
    spec: dict[str, Any] = {
        "components": {
            "schemas": {
                "a": {"type": "object", "properties": {"m": {"type": "string"}}},
                "b": {"type": "object", "properties": {"n": {"type": "string"}}},
            }
        },
        "x": {"type": "string", "nullable": True, "enum": ["completed"]},
        "y": {"oneOf": [{"$ref": "#/components/schemas/a"}, {"$ref": "#/components/schemas/b"}]},
        "z": {"oneOf": [{"type": "object", "required": ["m"]}, {"type": "object"}]},
        "account": {"nullable": True, "allOf": [{"title": "Simple User"}, {"title": "Enterprise"}]},
        "w": {"allOf": [{"title": "Simple User"}, {"title": "Other"}]},
    }
    fixes = normalise(spec)
    assert spec["x"]["enum"] == ["completed", None] and "anyOf" in spec["y"] and "oneOf" in spec["z"]
    assert "anyOf" in spec["account"] and "allOf" in spec["w"]
    assert len(fixes) == 3


# -- GitLab -----------------------------------------------------------------------------------------------

# (method, path pattern, status) -> schema file and whether it describes the whole body or each item.
GITLAB_SCHEMA_FOR: list[tuple[str, str, int, str, str]] = [
    ("GET", r"/projects/[^/]+/issues", 200, "issues.json", "whole"),
    ("POST", r"/projects/[^/]+/issues", 201, "issue.json", "whole"),
    ("PUT", r"/projects/[^/]+/issues/\d+", 200, "issue.json", "whole"),
    ("GET", r"/projects/[^/]+/issues/\d+", 200, "issue.json", "whole"),
    ("GET", r"/projects/[^/]+/issues/\d+/notes", 200, "notes.json", "whole"),
    ("POST", r"/projects/[^/]+/issues/\d+/notes", 201, "notes.json", "item"),
    ("PUT", r"/projects/[^/]+/issues/\d+/notes/\d+", 200, "notes.json", "item"),
    ("POST", r"/projects/[^/]+/issues/\d+/links", 201, "issue_link.json", "whole"),
    ("GET", r"/projects/[^/]+/issues/\d+/links", 200, "issues.json", "whole"),
    ("GET", r"/projects/[^/]+/labels", 200, "labels/project_label_with_counts.json", "each"),
    ("POST", r"/projects/[^/]+/labels", 201, "labels/project_label.json", "whole"),
    ("PUT", r"/projects/[^/]+/labels(/[^/]+)?", 200, "labels/project_label.json", "whole"),
    # milestones.json (2019) forbids the `expired` and `web_url` GitLab has sent since; milestone.json allows them.
    ("GET", r"/projects/[^/]+/milestones", 200, "milestone.json", "each"),
    ("POST", r"/projects/[^/]+/milestones", 201, "milestone.json", "whole"),
    ("PUT", r"/projects/[^/]+/milestones/\d+", 200, "milestone.json", "whole"),
    ("GET", r"/projects/[^/]+/repository/commits", 200, "commits.json", "whole"),
]


@pytest.fixture(scope="session")
def gitlab_validators() -> Iterator[Any]:
    if not GITLAB_SCHEMAS.is_dir():
        pytest.skip("../shared/reference/gitlab/schemas is absent")
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")

    def load(uri: str) -> Any:
        path = Path(uri.removeprefix("file://"))
        return referencing.Resource.from_contents(
            _fix_gitlab_schema(json.loads(path.read_text("utf-8"))), default_specification=referencing.jsonschema.DRAFT4
        )

    registry = referencing.Registry(retrieve=load)

    def validator(name: str, item: bool = False) -> Any:
        path = GITLAB_SCHEMAS / name
        schema = _fix_gitlab_schema(json.loads(path.read_text("utf-8")))
        if item:  # one element of a list schema (there is no note.json)
            schema = schema["items"]
        schema["id"] = path.as_uri()
        return jsonschema.Draft4Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())

    yield validator


def _fix_gitlab_schema(schema: Any) -> Any:
    """``"type": "date"`` (GitLab's Ruby matcher accepts it) is not JSON Schema: read it as a string."""
    if isinstance(schema, dict):
        return {k: ("string" if k == "type" and v == "date" else _fix_gitlab_schema(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_fix_gitlab_schema(v) for v in schema]
    return schema


def gitlab_problems(validator: Any, ex: Exchange) -> tuple[str | None, list[str]]:
    path = urlsplit(ex.uri).path.removeprefix("/api/v4")
    for method, pattern, status, schema, mode in GITLAB_SCHEMA_FOR:
        if ex.method == method and ex.status == status and re.fullmatch(pattern, path):
            body = json.loads(ex.response_body)
            v = validator(schema, mode == "item")
            items = body if mode == "each" else [body]
            return schema, [f"{e.json_path}: {e.message}"[:200] for item in items for e in v.iter_errors(item)]
    return None, []


GITLAB_EXCHANGES = exchanges("gitlab")


def test_gitlab_cassettes_conform(gitlab_validators: Any) -> None:
    assert GITLAB_EXCHANGES, "no GitLab cassettes"
    checked: set[str] = set()
    failures = {}
    for ex in GITLAB_EXCHANGES:
        schema, problems = gitlab_problems(gitlab_validators, ex)
        if schema:
            checked.add(schema)
        if problems:
            failures[ex.label] = problems
    assert failures == {}, json.dumps(failures, indent=1)
    assert {"issues.json", "issue.json", "notes.json", "milestone.json", "commits.json", "issue_link.json"} <= checked


def test_gitlab_conformance_can_fail(gitlab_validators: Any) -> None:
    created = next(ex for ex in GITLAB_EXCHANGES if ex.method == "POST" and ex.uri.endswith("/issues"))
    assert gitlab_problems(gitlab_validators, created) == ("issue.json", [])
    broken = copy.deepcopy(created)
    body = json.loads(broken.response_body)
    body["labels"] = "not-a-list"
    del body["author"]
    broken.response_body = json.dumps(body).encode()
    _, problems = gitlab_problems(gitlab_validators, broken)
    assert len(problems) == 2
