"""The dependency graph of a tracker: resolution, cycles, waves, the ready set and the critical path.

Pure functions over the model.  Errors are :class:`~syncbot.model.Problem` values with the line of the
unit that names them, so ``validate`` can print ``file:line: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syncbot.model import Problem, Severity, Status, Tracker


@dataclass
class Graph:
    """Prerequisite edges between the sessions of one tracker (``deps[k]`` = keys ``k`` waits for)."""

    order: list[str]  # document order
    deps: dict[str, list[str]]
    status: dict[str, Status]
    hours: dict[str, float]
    problems: list[Problem] = field(default_factory=list)
    cycle: list[str] | None = None
    # prerequisites in another document or repository, as written: shown, never checked, never blocking
    external: dict[str, list[str]] = field(default_factory=dict)

    @property
    def dependents(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {k: [] for k in self.order}
        for k in self.order:
            for d in self.deps[k]:
                out[d].append(k)
        return out

    def waves(self) -> list[list[str]]:
        """Topological levels: each wave can run in parallel once every earlier wave is done.

        With a cycle, the sessions on it (and after it) form no wave; the cycle is reported instead.
        """
        level: dict[str, int] = {}
        remaining = {k: len(self.deps[k]) for k in self.order}
        dependents = self.dependents
        frontier = [k for k in self.order if remaining[k] == 0]
        depth = 0
        while frontier:
            nxt: list[str] = []
            for k in frontier:
                level[k] = depth
                for d in dependents[k]:
                    remaining[d] -= 1
                    if remaining[d] == 0:
                        nxt.append(d)
            frontier = nxt
            depth += 1
        waves: list[list[str]] = [[] for _ in range(depth)]
        for k in self.order:  # keep document order inside a wave
            if k in level:
                waves[level[k]].append(k)
        return waves

    def ready(self) -> list[str]:
        """Sessions not closed whose prerequisites are all closed (done, or dropped: dropped work blocks
        nothing).  External prerequisites are not known here and do not block."""
        return [
            k
            for k in self.order
            if not self.status[k].closed
            and self.status[k] is not Status.IN_PROGRESS
            and all(self.status[d].closed for d in self.deps[k])
        ]

    def blocked_by(self) -> dict[str, list[str]]:
        """Open sessions with at least one prerequisite that is still open, and which ones."""
        out: dict[str, list[str]] = {}
        for k in self.order:
            if self.status[k].closed:
                continue
            waiting = [d for d in self.deps[k] if not self.status[d].closed]
            if waiting:
                out[k] = waiting
        return out

    def critical_path(self, *, remaining_only: bool = False) -> tuple[list[str], float]:
        """The longest chain by duration (hours; unknown durations count 1).

        With ``remaining_only`` closed sessions weigh nothing, giving the path still to walk.
        """
        if self.cycle:
            return [], 0.0
        # longest path by predecessor pointers: copying paths per node would make this quadratic
        total: dict[str, float] = {}
        prev: dict[str, str | None] = {}
        for wave in self.waves():
            for k in wave:
                own = 0.0 if remaining_only and self.status[k].closed else self.hours.get(k, 1.0)
                before = max(self.deps[k], key=lambda d: total[d], default=None)
                total[k] = own + (total[before] if before is not None else 0.0)
                prev[k] = before
        if not total:
            return [], 0.0
        end: str | None = max(total, key=lambda k: total[k])
        length = total[end] if end is not None else 0.0
        path: list[str] = []
        while end is not None:
            path.append(end)
            end = prev[end]
        path.reverse()
        if remaining_only:
            path = [k for k in path if not self.status[k].closed]
        return path, length


_HOURS = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*[-–—]\s*(\d+(?:\.\d+)?))?\s*(h|hr|hrs|hours?|d|days?|m|min|mins|minutes?|w|weeks?)\b",
    re.IGNORECASE,
)


def duration_hours(text: str | None) -> float | None:
    """Hours in a duration as people write it: ``3-4h`` counts its upper bound, ``2 days`` is 16h."""
    if not text:
        return None
    m = _HOURS.search(text)
    if not m:
        return None
    value = float(m.group(2) or m.group(1))
    unit = m.group(3).lower()
    if unit.startswith("d"):
        return value * 8
    if unit.startswith("w"):
        return value * 40
    if unit.startswith("m"):
        return value / 60
    return value


def build_graph(tracker: Tracker) -> Graph:
    """Resolve prerequisites to keys; report unknown keys (file:line) and the first cycle found.

    A prerequisite that is not a key of this tracker is *unknown* (an error) when it is spelled like the
    tracker's keys (``9`` among ``1``..``8``, ``VS-009`` among ``VS-001``..), and *external* otherwise
    (``owner/repo#14``, ``../api/ROADMAP.md#3``, another team's ``SEC-7``): kept in ``Graph.external``,
    reported as info, and treated as satisfied-unknown, so it blocks nothing and makes no edge."""
    from syncbot.readers.key_index import KeyIndex

    sessions = tracker.sessions
    keys = {s.key for s in sessions}
    index: KeyIndex | None = None  # (built for the first prerequisite that is no key: most trackers have none)
    problems: list[Problem] = []
    deps: dict[str, list[str]] = {}
    external: dict[str, list[str]] = {}
    known: str | None = None  # the few keys an unknown prerequisite's error names, worked out once
    for s in sessions:
        resolved: dict[str, None] = {}  # (in the order written, each once)
        for p in s.prerequisites:
            if p == s.key:
                problems.append(Problem(s.line, Severity.ERROR, f"unit {s.key} depends on itself"))
                continue
            if p in keys:
                resolved[p] = None
                continue
            index = index or KeyIndex([u.key for u in sessions])
            if not index.local_shaped(p):
                external.setdefault(s.key, []).append(p)
                problems.append(
                    Problem(s.line, Severity.INFO, f"unit {s.key}: external prerequisite {p!r} is shown, not checked")
                )
            else:
                known = _few(keys) if known is None else known
                problems.append(
                    Problem(
                        s.line,
                        Severity.ERROR,
                        f"unit {s.key}: unknown prerequisite {p}; no unit has that key (known keys: {known})",
                    )
                )
        deps[s.key] = list(resolved)
    by_key = tracker.by_key()
    for s in sessions:
        if s.status.closed:
            continue
        for d in deps[s.key]:
            if by_key[d].status is Status.DROPPED:
                # as Graph.ready() and the summary treat it: said once, so nobody waits on cut work
                problems.append(
                    Problem(s.line, Severity.INFO, f"unit {s.key}: prerequisite {d} is dropped; it blocks nothing")
                )
    graph = Graph(
        order=[s.key for s in sessions],
        deps=deps,
        status={s.key: s.status for s in sessions},
        hours={s.key: h for s in sessions if (h := duration_hours(s.duration)) is not None},
        problems=problems,
        external=external,
    )
    graph.cycle = find_cycle(graph)
    if graph.cycle:
        first = tracker.by_key()[graph.cycle[0]]
        chain = " -> ".join([*graph.cycle, graph.cycle[0]])
        graph.problems.append(
            Problem(
                first.line,
                Severity.ERROR,
                f"dependency cycle: {chain}; remove one of these prerequisites",
            )
        )
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle as a list of keys (each depends on the next... the last on the first), or None."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(graph.order, white)
    for root in graph.order:
        if color[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        color[root] = grey
        while stack:
            node, i = stack[-1]
            ds = graph.deps[node]
            if i < len(ds):
                stack[-1] = (node, i + 1)
                nxt = ds[i]
                if color[nxt] == grey:
                    return path[path.index(nxt) :]
                if color[nxt] == white:
                    color[nxt] = grey
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                color[node] = black
                stack.pop()
                path.pop()
    return None


def _few(keys: set[str], n: int = 8) -> str:
    ordered = sorted(keys, key=lambda k: (len(k), k))
    more = f", … ({len(ordered) - n} more)" if len(ordered) > n else ""
    return ", ".join(ordered[:n]) + more
