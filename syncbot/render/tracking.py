"""The tracking issue's body: a task list of every session issue, the dependency graph, the baseline.

The body must fit the forge's limit (:data:`~syncbot.render.limits.MAX_BODY`, less room for the marker
and people's notes), whatever the tracker's size.  It degrades one step at a time, each step only when
the one before does not fit:

1. every session with its title, and the graph (:func:`syncbot.render.mermaid.draw`, which itself falls
   back to phases or waves above Mermaid's limits);
2. finished phases (or waves) collapsed to one line each;
3. open sessions by issue link only, without their titles, and all finished phases in one line;
4. the first open sessions only, and a line saying how many more there are and that the tracker file
   lists them all; the graph left out.

The baseline is never dropped: the next sync merges against it.
"""

from __future__ import annotations

from collections.abc import Sequence

from syncbot.desired import READY, Desired, DesiredIssue
from syncbot.markers import Baseline, ref
from syncbot.model import Status
from syncbot.render.inert import code_span, inline
from syncbot.render.limits import MAX_BODY
from syncbot.render.mermaid import Node, draw

# Room left in the body for the marker, the block delimiters and people's notes below the block.
MAX_TRACKING_BLOCK = MAX_BODY - 5_536


def _shown_status(issue: DesiredIssue) -> Status:
    """A planned session whose prerequisites are done is drawn as ready, as the summary draws it."""
    return Status.READY if issue.status is Status.PLANNED and READY in issue.labels else issue.status


def _task(issue: DesiredIssue, titles: bool) -> str:
    mark = "x" if issue.status.closed else " "
    if not titles:
        return f"- [{mark}] {ref(issue.key)}"
    return f"- [{mark}] {ref(issue.key)} {inline(issue.title)} — `{issue.status.value}`"


def _groups(issues: Sequence[DesiredIssue]) -> dict[str, list[DesiredIssue]]:
    groups: dict[str, list[DesiredIssue]] = {}
    for i in issues:
        groups.setdefault(i.group, []).append(i)
    return groups


def _tasks(issues: Sequence[DesiredIssue], *, titles: bool, collapse: int, most: int | None = None) -> list[str]:
    """The task list.  ``collapse``: 0 lists every session, 1 gives each finished group one line, 2 gives
    all finished groups one line together.  ``most``: list at most that many sessions."""
    out = ["### Sessions"]
    groups = _groups(issues)
    finished = {name for name, members in groups.items() if name and all(i.status.closed for i in members)}
    if collapse == 2 and finished:
        closed = sum(len(groups[name]) for name in finished)
        out.append(f"- [x] {len(finished)} finished phases or waves ({closed} sessions, all closed)")
    listed = 0
    for name, members in groups.items():
        if collapse and name in finished:
            if collapse == 1:
                out.append(f"- [x] {inline(name)}: all {len(members)} sessions closed")
            continue
        for i in members:
            if (collapse and i.status.closed) or (most is not None and listed >= most):
                continue
            out.append(_task(i, titles))
            listed += 1
    return out


def tracking_block(desired: Desired, baseline: Baseline, *, limit: int = MAX_TRACKING_BLOCK) -> str:
    """The tracking issue's block (see the module docstring), at most ``limit`` characters."""
    by_key = desired.by_key()
    issues = [by_key[k] for k in desired.deps if k in by_key]
    done = sum(1 for i in issues if i.status is Status.DONE)
    path = code_span(desired.tracker_path)
    head = f"Sessions mirrored from {path} by syncbot: {done}/{len(issues)} done."
    base = baseline.to_text()

    nodes = [Node(i.key, i.title, _shown_status(i), i.group) for i in issues]
    edges = [(d, i.key) for i in issues for d in desired.deps[i.key] if d in by_key]
    drawing = draw(nodes, edges, group_kind="wave" if any(i.group.startswith("Wave ") for i in issues) else "phase")
    graph = ["### Dependencies", "", *([drawing.note, ""] if drawing.note else []), "```mermaid", drawing.code, "```"]

    def text(*parts: list[str]) -> str:
        return "\n\n".join([head, *("\n".join(p) for p in parts if p), base])

    for tasks in (
        _tasks(issues, titles=True, collapse=0),
        _tasks(issues, titles=True, collapse=1),
        _tasks(issues, titles=False, collapse=2),
    ):
        candidate = text(tasks, graph)
        if len(candidate) <= limit:
            return candidate

    # Too many open sessions even as bare links: list as many as fit, and say where the rest are.
    open_count = sum(1 for i in issues if not i.status.closed)
    most = max(0, (limit - len(text([]))) // 24)
    while True:
        tasks = _tasks(issues, titles=False, collapse=2, most=most)
        more = open_count - min(most, open_count)
        tail = [f"_…and {more} more open sessions: {path} lists them all._"] if more else []
        candidate = text(tasks + tail)
        if len(candidate) <= limit or most == 0:
            return candidate
        most = most * 3 // 4
