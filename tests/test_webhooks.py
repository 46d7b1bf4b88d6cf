"""Webhooks, sans-I/O: signatures, parsing and routing, on the real example payloads.

The payloads are read from ``../shared/reference`` (never copied here) and signed with a test secret.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from syncbot.settings import TrackerConfig
from syncbot.webhooks import (
    Delivery,
    PayloadError,
    SignatureError,
    github_signature,
    parse_github,
    parse_gitlab,
    route,
    verify_github,
    verify_gitlab,
)

REF = Path(__file__).resolve().parents[2] / "shared" / "reference"
GH = REF / "github" / "webhooks"
GL = REF / "gitlab" / "webhooks"
SECRET = "test-webhook-secret-3f9a"

needs_github = pytest.mark.skipif(not GH.is_dir(), reason="../shared/reference/github absent")
needs_gitlab = pytest.mark.skipif(not GL.is_dir(), reason="../shared/reference/gitlab absent")


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.json")) if folder.is_dir() else []


def signed(body: bytes, event: str, delivery: str = "d-1", secret: str = SECRET) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": github_signature(body, secret),
        "Content-Type": "application/json",
    }


def tracker(forge: str, repo: str, path: str = "SESSION_TRACKER.md") -> TrackerConfig:
    return TrackerConfig(path=Path(path), forge=forge, repo=repo, schedule="10m")  # type: ignore[arg-type]


# --- signatures -------------------------------------------------------------------------------------------


@needs_github
def test_githubs_published_signature_vector() -> None:
    vector = json.loads((REF / "github" / "signature-vector.json").read_text())
    body = vector["payload"].encode()
    assert github_signature(body, vector["secret"]) == vector["x_hub_signature_256"]
    verify_github({"X-Hub-Signature-256": vector["x_hub_signature_256"]}, body, vector["secret"])
    with pytest.raises(SignatureError):
        verify_github({"X-Hub-Signature-256": vector["x_hub_signature_256"]}, body + b" ", vector["secret"])


@pytest.mark.parametrize(
    ("headers", "secret"),
    [
        ({}, SECRET),  # secret configured, no signature
        ({"X-Hub-Signature-256": github_signature(b"{}", SECRET)}, None),  # signature, no secret
        ({"X-Hub-Signature-256": github_signature(b"{}", "other")}, SECRET),  # wrong secret
        ({"X-Hub-Signature-256": "sha1=" + "0" * 40}, SECRET),  # wrong algorithm
        ({"X-Hub-Signature-256": "sha256=zz\u00e9"}, SECRET),  # garbage, non-ASCII
    ],
)
def test_github_signature_refusals(headers: dict[str, str], secret: str | None) -> None:
    with pytest.raises(SignatureError) as info:
        verify_github(headers, b"{}", secret)
    assert SECRET not in str(info.value)
    assert info.value.status == 401


def test_unsigned_delivery_passes_only_without_secret() -> None:
    verify_github({}, b"{}", None)
    verify_gitlab({}, None)


def test_header_names_are_case_insensitive() -> None:
    body = b'{"zen": "x"}'
    delivery = parse_github(
        {"x-github-event": "ping", "x-hub-signature-256": github_signature(body, SECRET)}, body, SECRET
    )
    assert delivery.event == "ping"


@pytest.mark.parametrize(
    ("headers", "secret"),
    [({}, SECRET), ({"X-Gitlab-Token": SECRET}, None), ({"X-Gitlab-Token": SECRET + "x"}, SECRET)],
)
def test_gitlab_token_refusals(headers: dict[str, str], secret: str | None) -> None:
    with pytest.raises(SignatureError):
        verify_gitlab(headers, secret)


def test_verification_happens_before_parsing() -> None:
    # A body that is not JSON with a bad signature is a signature error: it was never decoded.
    with pytest.raises(SignatureError):
        parse_github({"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=00"}, b"not json", SECRET)
    with pytest.raises(PayloadError):
        parse_github(signed(b"not json", "push"), b"not json", SECRET)
    with pytest.raises(PayloadError):
        parse_github(signed(b"[1]", "push"), b"[1]", SECRET)


# --- GitHub routing on the real payloads ------------------------------------------------------------------


def _github_expected(event: str, payload: dict[str, Any]) -> str:
    if event == "ping":
        return "pong"
    if event in ("issues", "issue_comment", "milestone"):
        return "sync"
    if event == "push":
        # Written out for the examples: only event-5/6 push to refs/heads/master, the default branch.
        return "sync" if payload["ref"] == "refs/heads/master" else "ignore"
    return "ignore"


@needs_github
@pytest.mark.parametrize("path", _files(GH), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_github_example_routes(path: Path) -> None:
    body = path.read_bytes()
    event = path.parent.name
    payload = json.loads(body)
    repo = (payload.get("repository") or {}).get("full_name", "")
    mine = tracker("github", repo)
    other = tracker("github", "someone/else", "other.md")
    delivery = parse_github(signed(body, event), body, SECRET)
    decision = route(delivery, [mine, other])
    assert decision.kind == _github_expected(event, payload), decision.reason
    if decision.kind == "sync":
        assert decision.trackers == (mine,)
    # The same delivery for a repository nobody configured syncs nothing.
    assert route(delivery, [other]).kind in ("pong", "ignore")


@needs_github
def test_push_examples_cover_both_branches() -> None:
    kinds = set()
    for path in sorted((GH / "push").glob("*.json")):
        body = path.read_bytes()
        payload = json.loads(body)
        d = parse_github(signed(body, "push"), body, SECRET)
        kinds.add(route(d, [tracker("github", payload["repository"]["full_name"])]).kind)
    assert kinds == {"sync", "ignore"}


@needs_github
def test_push_to_another_branch_is_ignored() -> None:
    payload = json.loads((GH / "push" / "event-5.json").read_text())
    payload["ref"] = "refs/heads/feature"
    d = Delivery("github", "push", "x", payload)
    assert route(d, [tracker("github", payload["repository"]["full_name"])]).kind == "ignore"
    payload["repository"]["default_branch"] = "feature"
    assert route(d, [tracker("github", payload["repository"]["full_name"])]).kind == "sync"


def closed_from_opened(opened: dict[str, Any]) -> dict[str, Any]:
    """GitHub's examples have no ``issues`` ``closed``: make one the way GitHub would send it."""
    closed = copy.deepcopy(opened)
    closed.pop("changes", None)  # only opened-after-transfer carries it
    closed["action"] = "closed"
    closed["issue"]["state"] = "closed"
    closed["issue"]["closed_at"] = "2019-05-15T15:21:00Z"
    if "state_reason" in closed["issue"]:
        closed["issue"]["state_reason"] = "completed"
    return closed


@needs_github
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_issues_closed_derived_from_opened_matches_schema_and_syncs(n: int) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((GH / "schema.json").read_text())
    validator = jsonschema.Draft7Validator({**schema, "oneOf": [{"$ref": "#/definitions/issues$closed"}]})
    opened = json.loads((GH / "issues" / f"opened-{n}.json").read_text())
    assert not validator.is_valid(opened)  # the check can fail: an opened event is not a closed one
    closed = closed_from_opened(opened)
    errors = [e.message for e in validator.iter_errors(closed)]
    assert errors == []
    body = json.dumps(closed).encode()
    delivery = parse_github(signed(body, "issues"), body, SECRET)
    assert delivery.action == "closed"
    mine = tracker("github", closed["repository"]["full_name"].upper())  # repository names ignore case
    assert route(delivery, [mine]).kind == "sync"


def test_unknown_event_is_ignored() -> None:
    d = Delivery("github", "pull_request", "x", {"repository": {"full_name": "a/b"}})
    assert route(d, [tracker("github", "a/b")]).kind == "ignore"


def test_forge_must_match_too() -> None:
    d = Delivery("github", "issues", "x", {"action": "closed", "repository": {"full_name": "a/b"}})
    assert route(d, [tracker("gitlab", "a/b")]).kind == "ignore"
    assert route(d, [tracker("local", "a/b")]).kind == "sync"  # the offline loop, driven by real payloads
    assert route(d, [tracker("local", "")]).kind == "ignore"
    assert route(d, [tracker("github", "a/b"), tracker("github", "a/b", "two.md")]).kind == "sync"


# --- GitLab -------------------------------------------------------------------------------------------------


def _gitlab_event(name: str) -> str:
    headers = json.loads((GL / "headers.json").read_text())
    return str(headers[name]["X-Gitlab-Event"])


@needs_gitlab
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("issue_hook.json", "sync"),
        ("note_hook_issue.json", "sync"),
        ("note_hook_commit.json", "sync"),
        ("push_hook.json", "sync"),  # refs/heads/master, the project's default branch
        ("milestone_hook.json", "ignore"),  # not one of the hooks syncbot follows
    ],
)
def test_gitlab_examples_route(name: str, expected: str) -> None:
    body = (GL / name).read_bytes()
    payload = json.loads(body)
    repo = payload["project"]["path_with_namespace"]
    headers = {"X-Gitlab-Event": _gitlab_event(name), "X-Gitlab-Token": SECRET, "X-Gitlab-Event-UUID": "u-1"}
    delivery = parse_gitlab(headers, body, SECRET)
    assert delivery.delivery_id == "u-1"
    assert delivery.repository == repo
    decision = route(delivery, [tracker("gitlab", repo), tracker("github", repo)])
    assert decision.kind == expected, decision.reason
    if expected == "sync":
        assert [t.forge for t in decision.trackers] == ["gitlab"]


@needs_gitlab
def test_gitlab_push_to_other_branch_ignored_and_idempotency_key_preferred() -> None:
    payload = json.loads((GL / "push_hook.json").read_text())
    payload["ref"] = "refs/heads/topic"
    body = json.dumps(payload).encode()
    headers = {"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": SECRET, "Idempotency-Key": "k-9"}
    delivery = parse_gitlab(headers, body, SECRET)
    assert delivery.delivery_id == "k-9"
    assert route(delivery, [tracker("gitlab", payload["project"]["path_with_namespace"])]).kind == "ignore"
