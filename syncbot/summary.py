"""Progress summaries as markdown: the tracking issue's summary comment, per-session status comments, and
the Mermaid dependency graph.

Pure renderers: the caller passes the tracker, the merge's changes and ``now``; nothing here reads the clock,
git or the forge, so the output is tested against golden files.

The summary comment is found again by :data:`SUMMARY_MARKER` and edited in place.  Whether to edit it is
decided by :func:`should_post`: the comparison leaves out the "updated at" stamp and the "since the last
summary" block, so a sync where nothing happened posts nothing and the last news stays on show.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import quote

from syncbot.graph import Graph, build_graph
from syncbot.merge import MergeWarning, StatusChange
from syncbot.model import Session, Status, Tracker
from syncbot.render.inert import Markdown, inline, plain
from syncbot.render.limits import MAX_BODY, MERMAID_MAX_TEXT, shorten
from syncbot.render.mermaid import LABEL_MAX, STATUS_ORDER, Drawing, Node, draw

SUMMARY_MARKER = "<!-- syncbot:summary tracker={tracker_id} -->"
_STAMP_MARK = "<!-- syncbot:stamp -->"
_NEWS_OPEN = "<!-- syncbot:news -->"
_NEWS_CLOSE = "<!-- /syncbot:news -->"

STATUS_EMOJI: dict[Status, str] = {
    Status.DONE: "✅",
    Status.IN_PROGRESS: "🔄",
    Status.READY: "🟢",
    Status.PLANNED: "⏳",
    Status.BLOCKED: "⛔",
    Status.FAILED: "❌",
    Status.DROPPED: "🚫",
}
BAR_WIDTH = 20


# --------------------------------------------------------------------------------------------- helpers


def summary_marker(tracker_id: str) -> str:
    return SUMMARY_MARKER.format(tracker_id=tracker_id)


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``██████░░░░`` in a code span, so every forge renders it in a fixed-width font."""
    filled = 0 if total <= 0 else round(width * done / total)
    return "`" + "█" * filled + "░" * (width - filled) + "`"


def _percent(done: int, total: int) -> int:
    # Floor, so 99.6% never shows as 100% while something is left.
    return 100 if total <= 0 else (100 * done) // total


def _commit_link(sha: str, commit_url: str | None) -> str:
    short = f"`{sha[:7]}`"
    # str.replace, not format: a URL template may hold other braces.
    return f"[{short}]({commit_url.replace('{sha}', sha)})" if commit_url else short


def _issue_ref(key: str, issue_numbers: Mapping[str, int] | None) -> str:
    n = (issue_numbers or {}).get(key)
    return f" (#{n})" if n is not None else ""


def _md(text: str) -> str:
    """Text from people (titles, keys, commit subjects) as inert markdown (:func:`syncbot.render.inert.inline`)."""
    return inline(text)


def _name(s: Session) -> str:
    return f"**{_md(s.key)}** {_md(s.title)}".rstrip()


def _hours(h: float) -> str:
    text = f"{h:.1f}".rstrip("0").rstrip(".")
    days = f", about {h / 8:.1f} working days".replace(".0 ", " ") if h >= 16 else ""
    return f"{text} h{days}"


def _stamp(dt: datetime) -> str:
    aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _effective(graph: Graph, ready: set[str], key: str) -> Status:
    """A planned session whose prerequisites are done is shown as ready: that is what people look for."""
    st = graph.status[key]
    return Status.READY if st is Status.PLANNED and key in ready else st


def describe_change(change: StatusChange, commit_url: str | None = None) -> str:
    """Why a status changed, in markdown: the commit (linked), the issue event and who, or the tracker edit."""
    when = f", {_stamp(change.at)}" if change.at else ""
    if change.commit is not None:
        c = change.commit
        by = f" by {_md(c.author)}" if c.author else ""
        what = "trailer" if change.source == "trailer" else "tracker edit"
        trailer = ""
        if change.source == "trailer":
            m = re.match(r"trailer (`[^`]*`)", change.reason)
            trailer = f" {m.group(1)}" if m else ""
        return f"{what}{trailer} in {_commit_link(c.sha, commit_url)} “{_md(c.subject)}”{by}{when}"
    return f"{_md(change.reason)}{when}"


# ---------------------------------------------------------------------------------------------- mermaid


def mermaid_nodes(
    tracker: Tracker, graph: Graph, issue_numbers: Mapping[str, int] | None = None
) -> tuple[list[Node], list[tuple[str, str]]]:
    """The summary's graph as :mod:`syncbot.render.mermaid` nodes: ``KEY: title #N``, coloured by the
    status people look for, grouped by phase (or by wave when the tracker has no phases)."""
    sessions = tracker.by_key()
    ready = set(graph.ready())
    phases = bool(tracker.phases())
    wave_of = {k: f"Wave {i}" for i, wave in enumerate(graph.waves(), 1) for k in wave}
    nodes = []
    for key in graph.order:
        s = sessions[key]
        issue = f" #{issue_numbers[key]}" if issue_numbers and key in issue_numbers else ""
        title = (
            f": {shorten(' '.join(s.title.split()), LABEL_MAX - len(key) - len(issue) - 2)}" if s.title.strip() else ""
        )
        group = (s.phase or "(no phase)") if phases else wave_of.get(key, "(on or after a cycle)")
        nodes.append(Node(key, f"{key}{title}{issue}", _effective(graph, ready, key), group))
    edges = [(dep, key) for key in graph.order for dep in graph.deps[key]]
    return nodes, edges


def mermaid_graph(
    tracker: Tracker,
    graph: Graph | None = None,
    issue_numbers: dict[str, int] | None = None,
    *,
    max_text: int = MERMAID_MAX_TEXT,
) -> Drawing:
    """The dependency graph (see :func:`syncbot.render.mermaid.draw`), nodes coloured by status."""
    graph = graph or build_graph(tracker)
    nodes, edges = mermaid_nodes(tracker, graph, issue_numbers)
    return draw(nodes, edges, group_kind="phase" if tracker.phases() else "wave", max_text=max_text)


# ---------------------------------------------------------------------------------------------- summary


def render_summary(
    tracker: Tracker,
    *,
    tracker_id: str,
    now: datetime,
    graph: Graph | None = None,
    changes: Sequence[StatusChange] = (),
    warnings: Sequence[MergeWarning | str] = (),
    issue_numbers: dict[str, int] | None = None,
    commit_url: str | None = None,
) -> str:
    """The summary comment for the tracking issue (markdown, ending in a newline).

    ``commit_url`` is a template such as ``https://github.com/o/r/commit/{sha}``.
    """
    graph = graph or build_graph(tracker)
    sessions = tracker.by_key()
    # A large tracker would exceed the forge's comment limit: list fewer sessions and draw a smaller
    # graph, step by step, until it fits.  Each shortened list says how many it leaves out.
    for most, graph_text in _STEPS:
        out: list[str] = [summary_marker(tracker_id), f"## Progress: {_md(tracker.title or tracker.path)}", ""]
        out += _overall(graph)
        out += _groups(tracker, graph, most)
        out += _ready(graph, sessions, issue_numbers, most)
        out += _in_progress(graph, sessions, issue_numbers, most)
        out += _blocked(graph, sessions, issue_numbers, most)
        out += _critical(graph, sessions)
        out += _news(changes, warnings, sessions, commit_url, most)
        drawing = mermaid_graph(tracker, graph, issue_numbers, max_text=graph_text)
        out += [
            "<details><summary>Dependency graph</summary>",
            "",
            *([drawing.note, ""] if drawing.note else []),
            "```mermaid",
            drawing.code,
            "```",
            "",
            "</details>",
            "",
            f"<sub>Updated {_stamp(now)} by syncbot.</sub> {_STAMP_MARK}",
        ]
        text = "\n".join(out) + "\n"
        if len(text) <= MAX_SUMMARY:
            break
    return text


# (at most this many sessions per list, at most this many characters of graph), tried in order.
_STEPS: tuple[tuple[int | None, int], ...] = (
    (None, MERMAID_MAX_TEXT),
    (200, 30_000),
    (50, 20_000),
    (15, 10_000),
    (5, 5_000),
    (0, 2_000),
)
MAX_SUMMARY = MAX_BODY - 536  # room for the forge's own rounding of line endings


def _cap(lines: list[str], most: int | None, what: str, row: bool = False) -> list[str]:
    """At most ``most`` of ``lines``, then one line saying how many more there are."""
    if most is None or len(lines) <= most:
        return lines
    more = f"…and {len(lines) - most} more {what}"
    return [*lines[:most], f"| {more} | | |" if row else f"- {more}"]


def _overall(graph: Graph) -> list[str]:
    counts = {st: 0 for st in STATUS_ORDER}
    for key in graph.order:
        counts[graph.status[key]] += 1
    # Dropped work is neither done nor left, so it does not count towards the total.
    total = len(graph.order) - counts[Status.DROPPED]
    done = counts[Status.DONE]
    lines = [
        f"{progress_bar(done, total)} **{done}/{total} done** ({_percent(done, total)}%)",
        "",
        "| status | sessions |",
        "| --- | ---: |",
    ]
    lines += [f"| {STATUS_EMOJI[st]} {st.value} | {n} |" for st, n in counts.items() if n]
    return [*lines, ""]


def _groups(tracker: Tracker, graph: Graph, most: int | None = None) -> list[str]:
    groups: list[tuple[str, list[str]]] = []
    if tracker.phases():
        heading, column = "### By phase", "phase"
        by_phase: dict[str, list[str]] = {}
        for s in tracker.sessions:
            by_phase.setdefault(s.phase or "(no phase)", []).append(s.key)
        groups = list(by_phase.items())
    else:
        heading, column = "### By wave", "wave"
        waves = graph.waves()
        groups = [(f"Wave {i}", w) for i, w in enumerate(waves, 1)]
        placed = {k for w in waves for k in w}
        stuck = [k for k in graph.order if k not in placed]
        if stuck:
            groups.append(("(on or after a cycle)", stuck))
    if len(groups) < 2:
        return []  # one group says nothing the overall bar did not
    rows = []
    for name, keys in groups:
        total = sum(1 for k in keys if graph.status[k] is not Status.DROPPED)
        done = sum(1 for k in keys if graph.status[k] is Status.DONE)
        mark = " ✅" if total and done == total else ""
        cell = _md(name)  # escaped: a `|` in a phase name does not split the table row
        if not total:  # every unit of the group was dropped: nothing to do, nothing done
            rows.append(f"| {cell} | – | dropped |")
            continue
        rows.append(f"| {cell}{mark} | {done}/{total} | {progress_bar(done, total, 10)} {_percent(done, total)}% |")
    header = [heading, "", f"| {column} | done | progress |", "| --- | ---: | --- |"]
    return [*header, *_cap(rows, most, f"{column}s", row=True), ""]


def _bullets(keys: list[str], sessions: Mapping[str, Session], issues: Mapping[str, int] | None) -> list[str]:
    return [f"- {_name(sessions[k])}{_issue_ref(k, issues)}" for k in keys]


def _ready(
    graph: Graph, sessions: Mapping[str, Session], issues: Mapping[str, int] | None, most: int | None = None
) -> list[str]:
    # Explicitly blocked or failed sessions need a person first, even when their prerequisites are done.
    keys = [k for k in graph.ready() if graph.status[k] in (Status.PLANNED, Status.READY)]
    body = _cap(_bullets(keys, sessions, issues), most, "ready") or ["Nothing is ready to start."]
    return ["### Ready now", "", *body, ""]


def _in_progress(
    graph: Graph, sessions: Mapping[str, Session], issues: Mapping[str, int] | None, most: int | None = None
) -> list[str]:
    keys = [k for k in graph.order if graph.status[k] is Status.IN_PROGRESS]
    if not keys:
        return []
    return ["### In progress", "", *_cap(_bullets(keys, sessions, issues), most, "in progress"), ""]


def _blocked(
    graph: Graph, sessions: Mapping[str, Session], issues: Mapping[str, int] | None, most: int | None = None
) -> list[str]:
    waiting = graph.blocked_by()
    lines: list[str] = []
    for k in graph.order:
        st = graph.status[k]
        if st.closed:
            continue
        why: list[str] = []
        if k in waiting:
            why.append("waiting on " + ", ".join(f"{_md(d)}{_issue_ref(d, issues)}" for d in waiting[k]))
        if st is Status.BLOCKED:
            note = plain(sessions[k].status_text).strip()
            why.append(f"marked blocked ({_md(note)})" if note and note.lower() != "blocked" else "marked blocked")
        if st is Status.FAILED:
            why.append("failed")
        if why:
            lines.append(f"- {_name(sessions[k])}{_issue_ref(k, issues)}: {'; '.join(why)}")
    if not lines:
        return []
    return ["### Blocked", "", *_cap(lines, most, "blocked"), ""]


def _critical(graph: Graph, sessions: Mapping[str, Session]) -> list[str]:
    if graph.cycle:
        chain = " → ".join(_md(k) for k in [*graph.cycle, graph.cycle[0]])
        return ["### Critical path left", "", f"Cannot be computed: dependency cycle {chain}.", ""]
    path, hours = graph.critical_path(remaining_only=True)
    if not path:
        return ["### Critical path left", "", "Nothing left: every session is closed.", ""]
    unknown = [k for k in path if k not in graph.hours]
    note = ""
    if unknown:
        count = "1 session" if len(unknown) == 1 else f"{len(unknown)} sessions"
        note = f" ({count} without a duration counted as 1 h)"
    chain = " → ".join(_md(k) for k in path)
    n = len(path)
    return [
        "### Critical path left",
        "",
        f"{chain}: {n} session{'s' if n != 1 else ''}, about {_hours(hours)}{note}.",
        "",
    ]


def _news(
    changes: Sequence[StatusChange],
    warnings: Sequence[MergeWarning | str],
    sessions: Mapping[str, Session],
    commit_url: str | None,
    most: int | None = None,
) -> list[str]:
    items: list[str] = []
    for c in changes:
        s = sessions.get(c.key)
        name = _name(s) if s else f"**{_md(c.key)}**"
        item = f"- {name}: {c.old.value} → **{c.new.value}**, {describe_change(c, commit_url)}"
        if c.conflict:
            item += f"\n  - ⚠️ Both sides changed: {_md(c.conflict)}."
        items.append(item)
    items += [f"- ⚠️ {w if isinstance(w, Markdown) else _md(str(w))}" for w in warnings]
    if not changes and not warnings:
        items.append("No status changed.")
    return ["### Since the last summary", "", _NEWS_OPEN, *_cap(items, most, "changes and warnings"), _NEWS_CLOSE, ""]


# ------------------------------------------------------------------------------------ session comments


def render_session_comment(
    change: StatusChange, *, tracker_id: str, commit_url: str | None = None, title: str = ""
) -> str:
    """The short comment on a session's issue when a trailer or a tracker edit changed its status.

    The hidden marker names the session and the commit, so a retried sync can see it already commented.
    """
    sha = change.commit.sha if change.commit else ""
    # The key percent-encoded, as in the issue marker: a key cannot close the comment or forge a field.
    marker = f"<!-- syncbot:status tracker={tracker_id} key={quote(change.key, safe='-._~')} commit={sha} -->"
    name = f"Session {_md(change.key)}" + (f" ({_md(title)})" if title else "")
    text = (
        f"{STATUS_EMOJI[change.new]} {name}: {change.old.value} → **{change.new.value}**, "
        f"{describe_change(change, commit_url)}."
    )
    lines = [marker, text]
    if change.conflict:
        lines.append(f"\n⚠️ Both sides changed: {_md(change.conflict)}.")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------- posting rule


def _stable_part(text: str) -> str:
    # Forges hand bodies back with \r\n and trailing blanks trimmed; compare what a reader sees.
    text = text.replace("\r\n", "\n")
    text = re.sub(re.escape(_NEWS_OPEN) + r".*?" + re.escape(_NEWS_CLOSE), "", text, flags=re.DOTALL)
    lines = [ln.rstrip() for ln in text.split("\n") if _STAMP_MARK not in ln]
    return "\n".join(lines).strip()


def summary_hash(text: str) -> str:
    """A hash of what the summary says, leaving out its stamp and its "since the last summary" block."""
    return hashlib.sha256(_stable_part(text).encode("utf-8")).hexdigest()


def should_post(previous_hash: str | None, rendered: str, *, has_news: bool) -> bool:
    """Post (or edit) the summary comment when it is new, the state moved, or there is news to tell.

    ``previous_hash`` is :func:`summary_hash` of what was posted last (the baseline keeps it), so deciding
    costs no request; ``has_news`` is true when the merge produced changes or warnings.
    """
    return previous_hash is None or has_news or previous_hash != summary_hash(rendered)
