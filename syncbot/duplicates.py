"""Duplicates heal on every sync: several issues carrying one unit's marker become one.

Duplicates come from runs that share no lock (a CI job and a daemon on different machines), from a create
that was answered too late, or from any older bug.  The oldest issue (lowest number) is the unit's: it is
the one links and bodies already name, and the one every sync picks (:func:`syncbot.plan.owned_issues`).
Every newer one is closed as a duplicate of it — on GitHub with ``state_reason`` ``duplicate`` and a
``Duplicate of #N`` comment, which GitHub shows as a link; on GitLab closed with that note — and its
marker is retired (``syncbot:duplicate``), so it is never the unit's again and the next plan is empty.
The summary says what was closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from syncbot.forge.base import Forge, Issue, IssueChange
from syncbot.markers import parse
from syncbot.render.inert import Markdown, inline

_MARKER_LINE = re.compile(r"<!-- syncbot:v1 tracker=(\S+) key=(\S+) -->")


@dataclass(frozen=True)
class Duplicate:
    key: str
    keep: int  # the oldest issue of the key: the unit's
    extra: Issue  # a newer one, to close

    @property
    def line(self) -> Markdown:
        """For the summary and the duplicate's comment: the issue numbers link; the unit's key is inert."""
        return Markdown(f"closed #{self.extra.number} as a duplicate of #{self.keep} (unit {inline(self.key)})")


def by_marker(tracker: str, issues: Iterable[Issue]) -> tuple[dict[str, Issue], list[Duplicate]]:
    """The issues of ``tracker`` by key (identity by marker only: the oldest issue carrying a key is the
    unit's), and every newer issue carrying a key already taken, oldest first."""
    first: dict[str, Issue] = {}
    found: list[Duplicate] = []
    for issue in sorted(issues, key=lambda i: i.number):
        p = parse(issue.body)
        if p is None or p.tracker != tracker:
            continue
        if p.key in first:
            found.append(Duplicate(p.key, first[p.key].number, issue))
        else:
            first[p.key] = issue
    return first, found


def find_duplicates(tracker: str, issues: Iterable[Issue]) -> list[Duplicate]:
    """Every issue of ``tracker`` whose key an older issue already carries, oldest first."""
    return by_marker(tracker, issues)[1]


def retired_body(body: str, keep: int) -> str:
    """The body with its identity replaced by a note no sync reads as a marker."""
    return _MARKER_LINE.sub(
        lambda m: f"<!-- syncbot:duplicate tracker={m.group(1)} key={m.group(2)} of=#{keep} -->", body, count=1
    )


def heal_duplicates(forge: Forge, tracker: str, issues: tuple[Issue, ...]) -> tuple[list[str], tuple[Issue, ...]]:
    """Close and retire every duplicate; return a line per duplicate and the issues as they now stand."""
    lines: list[str] = []
    now = {i.number: i for i in issues}
    for dup in find_duplicates(tracker, issues):
        change = IssueChange(body=retired_body(dup.extra.body, dup.keep))
        if dup.extra.state == "open":
            change.state, change.state_reason = "closed", "duplicate"
        now[dup.extra.number] = forge.update_issue(dup.extra.number, change)
        forge.create_comment(dup.extra.number, f"Duplicate of #{dup.keep}\n\nsyncbot: {dup.line}.")
        lines.append(dup.line)
    return lines, tuple(now[n] for n in sorted(now))
