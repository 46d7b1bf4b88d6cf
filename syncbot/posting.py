"""Posting the progress summary, and recording that it was posted.

The baseline's ``summary_hash`` says "this summary is on the forge".  It is written only *after* the
comment is posted: the plan stores the old hash, the summary is posted (edited in place, found by its
hidden marker, so posting twice never makes two comments), then the tracking issue's baseline line is
swapped for one carrying the new hash.  A kill in between leaves the old hash, so the next sync posts
(or finds already posted) the summary again: it is never lost.
"""

from __future__ import annotations

from dataclasses import replace

from syncbot.forge.base import Forge, Issue, IssueChange
from syncbot.markers import TRACKING_KEY, read_baseline, resolve_refs
from syncbot.plan import CreateIssue, Plan, UpdateIssue


def post_summary_comment(forge: Forge, number: int, marker: str, text: str) -> None:
    """Edit the summary comment in place (found by its hidden marker), or post it the first time."""
    for comment in forge.list_comments(number):
        if marker in comment.body:
            if comment.body.strip() != text.strip():
                forge.update_comment(number, comment.id, text)
            return
    forge.create_comment(number, text)


def tracking_body(plan: Plan, numbers: dict[str, int], listed: Issue | None) -> str | None:
    """The tracking issue's body as the forge now holds it: as the plan wrote it, else as listed."""
    body = listed.body if listed is not None else None
    for action in plan.actions:
        is_tracking = action.key == TRACKING_KEY and isinstance(action, CreateIssue | UpdateIssue)
        if is_tracking and action.body is not None:  # type: ignore[attr-defined]
            body = resolve_refs(action.body, numbers, final=True)  # type: ignore[attr-defined]
    return body


def record_posted(forge: Forge, number: int, body: str | None, summary_hash: str) -> bool:
    """Swap the baseline line of ``body`` for one carrying ``summary_hash``; False when it has none."""
    stored, problem = read_baseline(body)
    old = stored.to_text()
    if body is None or problem is not None or old not in body:
        return False
    new = replace(stored, summary_hash=summary_hash).to_text()
    forge.update_issue(number, IssueChange(body=body.replace(old, new)))
    return True
