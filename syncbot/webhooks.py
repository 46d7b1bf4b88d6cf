"""Webhooks, sans-I/O: functions of headers (a mapping) and body (bytes), no HTTP server in sight.

The order is gidgethub's: authenticate the raw bytes first, parse second, so an unauthenticated body is
never even decoded.  A signature present without a configured secret, or a secret configured without
a signature, is refused — a half-configured hook must fail loudly, not pass silently.

Routing follows bedevere: a table from ``(forge, event)`` to a rule; what is not in the table is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from syncbot.settings import TrackerConfig

Forge = Literal["github", "gitlab"]

GITHUB_SYNC_EVENTS = frozenset({"issues", "issue_comment", "milestone", "push"})
GITLAB_SYNC_EVENTS = frozenset({"Issue Hook", "Note Hook", "Push Hook"})


class WebhookError(Exception):
    """A delivery that cannot be accepted; ``status`` is the HTTP answer."""

    status = 400


class SignatureError(WebhookError):
    """Bad, missing or unexpected signature/token.  The message never includes either value."""

    status = 401


class PayloadError(WebhookError):
    """Authenticated, but the body is not the JSON object the event should carry."""

    status = 400


@dataclass(frozen=True)
class Delivery:
    forge: Forge
    event: str
    delivery_id: str
    payload: dict[str, Any]

    @property
    def action(self) -> str:
        if self.forge == "github":
            return str(self.payload.get("action", ""))
        attrs = self.payload.get("object_attributes") or {}
        return str(attrs.get("action", "")) if isinstance(attrs, dict) else ""

    @property
    def repository(self) -> str:
        """``owner/name`` (GitHub) or ``group/project`` (GitLab); empty when the payload has none."""
        if self.forge == "github":
            repo = self.payload.get("repository") or {}
            return str(repo.get("full_name", "")) if isinstance(repo, dict) else ""
        project = self.payload.get("project") or {}
        return str(project.get("path_with_namespace", "")) if isinstance(project, dict) else ""


@dataclass(frozen=True)
class Decision:
    kind: Literal["pong", "sync", "ignore"]
    reason: str
    trackers: tuple[TrackerConfig, ...] = field(default=())


def _headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def github_signature(body: bytes, secret: str) -> str:
    """The ``X-Hub-Signature-256`` value GitHub sends for ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_github(headers: Mapping[str, str], body: bytes, secret: str | None) -> None:
    """Raise :class:`SignatureError` unless ``X-Hub-Signature-256`` matches ``body`` under ``secret``.
    With no secret configured, only an unsigned delivery passes (the insecure mode the daemon must be
    told to allow)."""
    signature = _headers(headers).get("x-hub-signature-256")
    if not secret:
        if signature is not None:
            raise SignatureError("signed delivery, but no webhook secret is configured")
        return
    if signature is None:
        raise SignatureError("missing X-Hub-Signature-256")
    if not hmac.compare_digest(signature.encode("utf-8", "replace"), github_signature(body, secret).encode()):
        raise SignatureError("X-Hub-Signature-256 does not match the body")


def verify_gitlab(headers: Mapping[str, str], secret: str | None) -> None:
    """Raise :class:`SignatureError` unless ``X-Gitlab-Token`` equals ``secret`` (constant time)."""
    token = _headers(headers).get("x-gitlab-token")
    if not secret:
        if token is not None:
            raise SignatureError("token sent, but no webhook token is configured")
        return
    if token is None:
        raise SignatureError("missing X-Gitlab-Token")
    if not hmac.compare_digest(token.encode("utf-8", "replace"), secret.encode("utf-8")):
        raise SignatureError("X-Gitlab-Token does not match")


_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._:-]")


def clean_delivery_id(raw: str) -> str:
    """A delivery id as every log line, the delivery log and the coordinator see it: at most 64 of
    ``A-Za-z0-9._:-``, so a forged header can inject nothing into logs ("" when nothing is left)."""
    return _UNSAFE_ID.sub("", raw)[:64]


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PayloadError("body is not a JSON object")
    return data


def parse_github(headers: Mapping[str, str], body: bytes, secret: str | None) -> Delivery:
    """Authenticate, then decode a GitHub delivery."""
    verify_github(headers, body, secret)
    h = _headers(headers)
    event = h.get("x-github-event", "")
    if not event:
        raise PayloadError("missing X-GitHub-Event")
    return Delivery("github", event, clean_delivery_id(h.get("x-github-delivery", "")), _json_object(body))


def parse_gitlab(headers: Mapping[str, str], body: bytes, secret: str | None) -> Delivery:
    """Authenticate, then decode a GitLab delivery.  GitLab resends a failed delivery with the same
    ``Idempotency-Key`` (newer releases) or ``X-Gitlab-Event-UUID``; either is the delivery id."""
    verify_gitlab(headers, secret)
    h = _headers(headers)
    event = h.get("x-gitlab-event", "")
    if not event:
        raise PayloadError("missing X-Gitlab-Event")
    delivery_id = h.get("idempotency-key") or h.get("x-gitlab-event-uuid") or ""
    return Delivery("gitlab", event, clean_delivery_id(delivery_id), _json_object(body))


def _default_branch_push(delivery: Delivery) -> bool:
    """Only pushes to the default branch carry trailers the tracker should follow."""
    p = delivery.payload
    holder = p.get("repository") if delivery.forge == "github" else p.get("project")
    branch = holder.get("default_branch") if isinstance(holder, dict) else None
    return bool(branch) and p.get("ref") == f"refs/heads/{branch}"


def route(delivery: Delivery, trackers: Sequence[TrackerConfig]) -> Decision:
    """What to do with an authenticated delivery: answer a ping, sync some trackers, or nothing."""
    if delivery.forge == "github" and delivery.event == "ping":
        return Decision("pong", "ping")
    events = GITHUB_SYNC_EVENTS if delivery.forge == "github" else GITLAB_SYNC_EVENTS
    if delivery.event not in events:
        return Decision("ignore", f"event {delivery.event!r} is not one syncbot follows")
    if delivery.event in ("push", "Push Hook") and not _default_branch_push(delivery):
        return Decision("ignore", "push to a branch other than the default branch")
    repo = delivery.repository.lower()
    if not repo:
        return Decision("ignore", "payload names no repository")
    # A local-forge tracker answers either forge's deliveries for its repository: nothing real sends
    # them, so this only lets a demo or a test drive the offline loop with genuine payloads.
    matched = tuple(t for t in trackers if t.forge in (delivery.forge, "local") and (t.repo or "").lower() == repo)
    if not matched:
        return Decision("ignore", f"no tracker configured for {delivery.forge} repository {delivery.repository}")
    return Decision("sync", f"{delivery.event} {delivery.action}".strip(), matched)
