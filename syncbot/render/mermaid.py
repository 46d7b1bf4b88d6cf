"""The one Mermaid renderer: the dependency graph in the tracking issue and in the summary.

- **Ids** are ``n0``, ``n1``, … by position (``g0``, … for groups): never from people's text, so a key
  such as ``end``, ``1.2`` or ``a-->b`` cannot break the graph.
- **Labels** are quoted, cut to :data:`LABEL_MAX` characters *before* escaping (so a cut never splits an
  entity), and escaped by one rule: ``#``, ``;``, ``"``, ``<``, ``>``, ``&`` and `````` as Mermaid entity
  codes (``#35;``, ``#59;``, ``#quot;``, ``#lt;``, ``#gt;``, ``#38;``, ``#96;``).  Mermaid shows them as
  the characters, so ``Fix #12; ping`` reads ``Fix #12; ping``.
- **One palette** (:data:`PALETTE`, GitHub's Primer colours, readable on light and dark themes).
- **Limits.** Above Mermaid's limits (:data:`~syncbot.render.limits.MERMAID_MAX_TEXT` characters,
  :data:`~syncbot.render.limits.MERMAID_MAX_EDGES` edges) it draws one node per phase or wave, with the
  edges between them; if even that is too big, the ready frontier (sessions ready or in progress) without
  edges.  :attr:`Drawing.note` says which, for the text around the graph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from syncbot.model import Status
from syncbot.render.inert import clean
from syncbot.render.limits import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, shorten

LABEL_MAX = 120  # Mermaid wraps a long label; a longer title is cut, with an ellipsis

# Display order: the way work flows, closed states last.
STATUS_ORDER: tuple[Status, ...] = (
    Status.DONE,
    Status.IN_PROGRESS,
    Status.READY,
    Status.PLANNED,
    Status.BLOCKED,
    Status.FAILED,
    Status.DROPPED,
)
PALETTE: dict[Status, str] = {
    Status.DONE: "fill:#2da44e,stroke:#1a7f37,color:#ffffff",
    Status.IN_PROGRESS: "fill:#bf8700,stroke:#9a6700,color:#ffffff",
    Status.READY: "fill:#0969da,stroke:#0550ae,color:#ffffff",
    Status.PLANNED: "fill:#eaeef2,stroke:#8c959f,color:#24292f",
    Status.BLOCKED: "fill:#cf222e,stroke:#a40e26,color:#ffffff",
    Status.FAILED: "fill:#82071e,stroke:#660018,color:#ffffff",
    Status.DROPPED: "fill:#d0d7de,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3",
}

_ENTITIES = {"#": "#35;", ";": "#59;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#38;", "`": "#96;"}
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")


@dataclass(frozen=True)
class Node:
    key: str
    text: str  # the label as people wrote it; escaped here
    status: Status
    group: str = ""  # phase or wave, for the graph of groups


@dataclass(frozen=True)
class Drawing:
    code: str  # the Mermaid source, without the code fence
    note: str = ""  # markdown: what is drawn instead of the full graph, and why; "" for the full graph
    level: str = "full"  # "full", "groups" or "frontier"


def label(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` as the inside of a quoted Mermaid label: cut first, then escaped."""
    return _SPECIAL.sub(lambda m: _ENTITIES[m.group(0)], shorten(" ".join(clean(text).split()), limit))


def _code(nodes: Sequence[tuple[str, str, Status]], edges: Sequence[tuple[str, str]]) -> str:
    lines = ["graph TD"]
    lines += [f'    {nid}["{text}"]' for nid, text, _ in nodes]
    lines += [f"    {a} --> {b}" for a, b in edges]
    by_status: dict[Status, list[str]] = {}
    for nid, _, st in nodes:
        by_status.setdefault(st, []).append(nid)
    lines += [f"    classDef {st.value} {PALETTE[st]}" for st in STATUS_ORDER if st in by_status]
    lines += [f"    class {','.join(by_status[st])} {st.value}" for st in STATUS_ORDER if st in by_status]
    return "\n".join(lines)


def _fits(code: str, edges: int, max_text: int, max_edges: int) -> bool:
    return len(code) <= max_text and edges <= max_edges


def group_status(statuses: Sequence[Status]) -> Status:
    """The colour of a phase or wave: done when all its work is closed, else its most urgent state."""
    if all(s.closed for s in statuses):
        return Status.DONE if any(s is Status.DONE for s in statuses) else Status.DROPPED
    for st in (Status.FAILED, Status.BLOCKED, Status.IN_PROGRESS, Status.READY):
        if st in statuses:
            return st
    return Status.PLANNED


def draw(
    nodes: Sequence[Node],
    edges: Sequence[tuple[str, str]],
    *,
    group_kind: str = "wave",
    max_text: int = MERMAID_MAX_TEXT,
    max_edges: int = MERMAID_MAX_EDGES,
) -> Drawing:
    """The graph of ``nodes`` with ``edges`` (prerequisite key, dependent key), within Mermaid's limits."""
    ids = {n.key: f"n{i}" for i, n in enumerate(nodes)}
    full_edges = [(ids[a], ids[b]) for a, b in edges if a in ids and b in ids]
    code = _code([(ids[n.key], label(n.text), n.status) for n in nodes], full_edges)
    if _fits(code, len(full_edges), max_text, max_edges):
        return Drawing(code)
    size = f"{len(nodes)} sessions and {len(full_edges)} edges"
    limits = f"Mermaid's limits ({max_text:,} characters, {max_edges} edges)"

    groups: dict[str, list[Node]] = {}
    for n in nodes:
        groups.setdefault(n.group or "(none)", []).append(n)
    gid = {name: f"g{i}" for i, name in enumerate(groups)}
    of = {n.key: gid[n.group or "(none)"] for n in nodes}
    gedges = list(dict.fromkeys((of[a], of[b]) for a, b in edges if a in of and b in of and of[a] != of[b]))
    gnodes = []
    for name, members in groups.items():
        done = sum(1 for m in members if m.status is Status.DONE)
        text = f"{shorten(name, LABEL_MAX - 16)}: {done}/{len(members)} done"
        gnodes.append((gid[name], label(text, LABEL_MAX + 16), group_status([m.status for m in members])))
    code = _code(gnodes, gedges)
    if len(groups) > 1 and _fits(code, len(gedges), max_text, max_edges):
        note = f"The full graph ({size}) is over {limits}, so this one shows each {group_kind} and how they depend."
        return Drawing(code, f"_{note}_", "groups")

    front = [n for n in nodes if n.status in (Status.READY, Status.IN_PROGRESS)]
    shown: list[tuple[str, str, Status]] = []
    room = max_text - 1_000  # the header, the class definitions and the note's margin
    for n in front:
        line = (ids[n.key], label(n.text), n.status)
        room -= len(line[0]) * 2 + len(line[1]) + 12
        if room < 0:
            break
        shown.append(line)
    more = f" ({len(front) - len(shown)} more are left out)" if len(shown) < len(front) else ""
    note = f"The full graph ({size}) is over {limits}, so this one shows the sessions ready or in progress{more}."
    if not shown:
        shown = [("n0", label("Nothing is ready or in progress"), Status.PLANNED)]
    return Drawing(_code(shown, []), f"_{note}_", "frontier")
