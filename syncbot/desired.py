"""What the forge should hold for one tracker: issues, labels, milestones and the tracking issue.

Pure: a :class:`~syncbot.model.Tracker` and the settings in, plain values out.  Issue numbers are not known
here (some issues do not exist yet), so links to other sessions' issues are placeholders
(:func:`syncbot.markers.ref`) that the planner and the applier resolve to ``#N``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from syncbot.forge.base import IssueState, Label, StateReason
from syncbot.graph import Graph, build_graph
from syncbot.markers import milestone_tag, ref, tracker_id
from syncbot.merge import STATUS_LABEL_PREFIX, parse_status_label
from syncbot.model import Session, Status, Tracker
from syncbot.render.inert import block, clean, code_span, inline, plain
from syncbot.render.limits import MAX_LABEL_DESCRIPTION, MAX_LABEL_NAME, MAX_TITLE, fit_name, shorten

READY = "ready"
BLOCKED = "blocked"
STATUS_PREFIX = STATUS_LABEL_PREFIX
DEPENDS_PREFIX = "depends-on:"
TRACKER_PREFIX = "tracker:"

# Fixed colours, so a label looks the same in every repository and never flips between runs.
STATUS_COLORS: dict[Status, str] = {
    Status.PLANNED: "c5def5",
    Status.READY: "0e8a16",
    Status.IN_PROGRESS: "fbca04",
    Status.BLOCKED: "b60205",
    Status.FAILED: "d93f0b",
    Status.DONE: "5319e7",
    Status.DROPPED: "cccccc",
}
TRACKER_COLOR = "1d76db"
READY_COLOR = "0e8a16"
BLOCKED_COLOR = "b60205"

# A session's description is cut here, so its issue body stays under GitHub's 65,536 characters even when
# escaping multiplies it (`&` becomes `&amp;`).
MAX_DESCRIPTION = 10_000

MilestoneMode = Literal["phase", "wave", "none"]


def fit_label(name: str) -> str:
    """A label name within GitHub's 50 characters; a long one keeps a hash so two never collide."""
    return fit_name(name, MAX_LABEL_NAME)


def label(name: str, color: str, description: str) -> Label:
    """A label within GitHub's limits: name at most 50 characters, description at most 100."""
    return Label(fit_label(name), color, shorten(description, MAX_LABEL_DESCRIPTION))


def tracker_label(tid: str) -> str:
    return fit_label(TRACKER_PREFIX + tid)


def status_label(status: Status) -> str:
    return STATUS_PREFIX + status.value


def depends_label(key: str) -> str:
    """The per-prerequisite label earlier versions set; still recognised (and removed) as the bot's."""
    return fit_label(DEPENDS_PREFIX + key)


def is_managed_label(name: str, tracker_lbl: str) -> bool:
    """Labels the bot may remove from an issue; every other label belongs to people and stays.

    A ``status:`` label is the bot's only when it names a status (pull reads it as one): a team's own
    ``status:needs-review`` is theirs."""
    low = name.lower()
    return (
        low == tracker_lbl.lower()
        or parse_status_label(name) is not None
        or low.startswith(DEPENDS_PREFIX)
        or low in (READY, BLOCKED)
    )


@dataclass(frozen=True)
class DesiredMilestone:
    title: str
    description: str
    closed: bool


@dataclass(frozen=True)
class DesiredIssue:
    key: str
    title: str
    block: str  # the bot's block, with placeholders for prerequisite links
    labels: tuple[str, ...]
    milestone: str | None
    state: IssueState
    state_reason: StateReason
    status: Status
    prerequisites: tuple[str, ...]
    group: str = ""  # phase, or wave when the tracker has no phases: how the tracking issue groups it


@dataclass(frozen=True)
class Desired:
    tracker_id: str
    tracker_path: str
    tracker_title: str
    tracker_label: str
    labels: tuple[Label, ...]
    milestones: tuple[DesiredMilestone, ...]
    issues: tuple[DesiredIssue, ...]  # in creation order: every issue after its prerequisites
    links: tuple[tuple[str, str], ...]  # (key, blocker key) native "blocked by" links
    tracking_title: str
    deps: Mapping[str, tuple[str, ...]]

    def by_key(self) -> dict[str, DesiredIssue]:
        return {i.key: i for i in self.issues}


def creation_order(graph: Graph) -> list[str]:
    """Keys wave by wave (document order inside a wave), so every prerequisite exists before its dependents
    and their bodies can link to real numbers on the first write.  Keys on a cycle come last."""
    ordered = [k for wave in graph.waves() for k in wave]
    seen = set(ordered)
    return ordered + [k for k in graph.order if k not in seen]


def render_title(template: str, session: Session) -> str:
    values = {
        "key": session.key,
        "title": session.title,
        "status": session.status.value,
        "phase": session.phase or "",
    }
    try:
        title = template.format_map(values)
    except (KeyError, IndexError, ValueError):
        title = f"Session {session.key}: {session.title}"
    return shorten(" ".join(clean(title).split()), MAX_TITLE)


def render_block(
    session: Session, by_key: Mapping[str, Session], deps: list[str], path: str, external: Sequence[str] = ()
) -> str:
    """The bot's part of a session issue.  Nothing positional (line numbers) goes in, so editing another
    part of the tracker does not rewrite every issue."""
    parts: list[str] = []
    if session.description.strip():
        text = session.description.strip()
        if len(text) > MAX_DESCRIPTION:  # cut before escaping, which can make it up to five times longer
            text = shorten(text, MAX_DESCRIPTION) + "\n\n(The rest is in the tracker.)"
        parts.append(block(text))
    facts = [f"**Status:** {inline(plain(session.status_text or session.status.value))} (`{session.status.value}`)"]
    if session.duration:
        facts.append(f"**Duration:** {inline(session.duration)}")
    if session.phase:
        facts.append(f"**Phase:** {inline(session.phase)}")
    parts.append(" · ".join(facts))
    if session.output:
        parts.append(f"**Output:** {inline(session.output)}")
    lines = ["### Prerequisites"]
    lines += [f"- {ref(d)} {inline(by_key[d].title)}" if d in by_key else f"- {ref(d)}" for d in deps]
    # another document's or repository's unit: shown as written, with no label and no link
    lines += [f"- {inline(e)} (external)" for e in external]
    if not deps and not external:
        lines.append("None.")
    parts.append("\n".join(lines))
    if session.checklist:
        items = [f"- [{'x' if c.done else ' '}] {inline(c.text)}" for c in session.checklist]
        parts.append("### Hand-off checklist\n" + "\n".join(items))
    parts.append(
        f"<sub>Mirrored from {code_span(path)} by syncbot: edit the tracker, not this section. "
        "Anything written below it is kept.</sub>"
    )
    return "\n\n".join(parts)


# At most this many milestones per tracker: with ten labels (the tracker's, seven statuses, ready, blocked)
# a first sync then makes at most 30 label and milestone writes (create, and close when finished), however
# many sessions the tracker has.  A tracker of more phases or waves gets none; the tracking issue and the
# summary still group it.
MAX_MILESTONES = 10


def group_of(tracker: Tracker, graph: Graph) -> dict[str, str]:
    """Each key's phase, or its wave when the tracker has no phases (``Wave 1`` …)."""
    if tracker.phases():
        return {s.key: s.phase for s in tracker.sessions if s.phase}
    return {k: f"Wave {i + 1}" for i, wave in enumerate(graph.waves()) for k in wave}


def _milestone_of(tracker: Tracker, graph: Graph, mode: MilestoneMode) -> dict[str, str]:
    if mode == "none":
        return {}
    if mode == "phase" and tracker.phases():
        of = {s.key: s.phase for s in tracker.sessions if s.phase}
    else:
        of = {k: f"Wave {i + 1}" for i, wave in enumerate(graph.waves()) for k in wave}
    return of if len(set(of.values())) <= MAX_MILESTONES else {}


def build_desired(
    tracker: Tracker,
    *,
    tid: str | None = None,
    title_template: str = "Session {key}: {title}",
    milestones: MilestoneMode = "phase",
    graph: Graph | None = None,
) -> Desired:
    """Everything the forge should hold for ``tracker``.  ``tid`` defaults to the slug of its path."""
    graph = graph or build_graph(tracker)
    tid = tid or tracker_id(tracker.path)
    tlabel = tracker_label(tid)
    by_key = tracker.by_key()
    ready = set(graph.ready())
    blocked = set(graph.blocked_by())
    mstone = _milestone_of(tracker, graph, milestones)
    groups = group_of(tracker, graph)

    issues: list[DesiredIssue] = []
    used: dict[str, Label] = {tlabel: label(tlabel, TRACKER_COLOR, f"Mirrored by syncbot from {tracker.path}")}
    for key in creation_order(graph):
        s = by_key[key]
        deps = graph.deps.get(key, [])
        labels = [tlabel, status_label(s.status)]
        used.setdefault(
            status_label(s.status), Label(status_label(s.status), STATUS_COLORS[s.status], f"Status: {s.status}")
        )
        # No `depends-on:` label per prerequisite: one label per depended-on session made a first sync's
        # cost and the label listing grow with the tracker (3,810 labels for 5,000 sessions).  The native
        # "blocked by" links, the body's Prerequisites list and the `ready`/`blocked` labels carry it; old
        # `depends-on:` labels are still the bot's, so the next sync takes them off.
        if key in ready:
            labels.append(READY)
            used.setdefault(READY, Label(READY, READY_COLOR, "All prerequisites are done"))
        elif key in blocked:
            labels.append(BLOCKED)
            used.setdefault(BLOCKED, Label(BLOCKED, BLOCKED_COLOR, "Waiting for a prerequisite"))
        state: IssueState = "closed" if s.status.closed else "open"
        reason: StateReason = (
            "completed" if s.status is Status.DONE else "not_planned" if s.status is Status.DROPPED else None
        )
        issues.append(
            DesiredIssue(
                key=key,
                title=render_title(title_template, s),
                block=render_block(s, by_key, deps, tracker.path, graph.external.get(key, [])),
                labels=tuple(labels),
                milestone=mstone.get(key),
                state=state,
                state_reason=reason,
                status=s.status,
                prerequisites=tuple(deps),
                group=groups.get(key, ""),
            )
        )

    members: dict[str, list[str]] = {}
    for key in graph.order:
        if key in mstone:
            members.setdefault(mstone[key], []).append(key)
    ms = tuple(
        DesiredMilestone(
            title=title,
            description="\n".join(
                [f"Sessions from {code_span(tracker.path)}:"]
                + [f"- Session {inline(k)}: {inline(by_key[k].title)}" for k in keys]
                + [milestone_tag(tid)]
            ),
            closed=all(by_key[k].status.closed for k in keys),
        )
        for title, keys in members.items()
    )
    links = tuple((k, d) for k in graph.order for d in graph.deps.get(k, []))
    name = tracker.title or tracker.path
    return Desired(
        tracker_id=tid,
        tracker_path=tracker.path,
        tracker_title=name,
        tracker_label=tlabel,
        labels=tuple(sorted(used.values(), key=lambda lb: lb.name)),
        milestones=ms,
        issues=tuple(issues),
        links=links,
        tracking_title=shorten(" ".join(clean(f"Tracking: {name}").split()), MAX_TITLE),
        deps={k: tuple(v) for k, v in graph.deps.items()},
    )
