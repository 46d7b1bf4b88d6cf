"""Dependencies drawn as a Mermaid flowchart (GitHub renders ```` ```mermaid ```` blocks):

    graph LR
      s12[1.2 config] --> s21[2.1 index]
      s21 --> s23[2.3 diff] & s25
      T4 -- after review --> T7

An arrow runs from what must be finished first to what waits for it, as in every dependency graph people
draw (and as the document usually says: "Arrow means must be finished before").  A node is one of the
document's units when the start of its label, or else its id, names a unit key (``1.2 config``, ``T4``);
arrows to or from other nodes (a milestone, `start`) are left.  Lines with no arrow (`---`, a link),
``subgraph``, ``style``, ``classDef``, ``click`` and ``%%`` comments say nothing of order.
"""

from __future__ import annotations

import itertools

from syncbot.model import Session
from syncbot.readers.common import Document
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re

_GRAPH_RE = lazy_re(r"\s*(?:graph|flowchart)\b")
_SKIP_RE = lazy_re(r"\s*(?:subgraph|end\b|style\b|classDef\b|class\b|click\b|linkStyle\b|direction\b|%%)")
# `A -- text --> B`, `A -->|text| B`: the text on an arrow is no node
_ARROW_TEXT_RE = lazy_re(r"--\s+[^->|][^>|]*?\s+-->|==\s+[^=>|][^>|]*?\s+==>|-\.\s+[^>|]*?\s+\.->")
_EDGE_LABEL_RE = lazy_re(r"\|[^|]*\|")
_ARROW_RE = lazy_re(r"\s*(?:-{2,}>|={2,}>|-\.+->)\s*")
# a node: its id, then a shape holding its label (`[…]`, `(…)`, `{…}`, `((…))`, `>…]`, `[/…/]`)
_NODE_RE = lazy_re(r"\s*([\w.:#-]+)\s*(?:[\[({>]+[/\\]?\s*\"?([^\]\)}\"]*?)\"?\s*[/\\]?[\])}]*)?\s*$")
_LEAD_TOKEN_RE = lazy_re(r"#?[\w.\-/]+")


def _chains(content: str) -> list[tuple[list[list[str]], dict[str, str]]]:
    """Each arrow line's groups of node ids (`A & B --> C` is [[A, B], [C]]), and every label met."""
    out: list[tuple[list[list[str]], dict[str, str]]] = []
    for raw in content.splitlines():
        if _SKIP_RE.match(raw):
            continue
        line = _EDGE_LABEL_RE.sub("", _ARROW_TEXT_RE.sub("-->", raw))
        parts = _ARROW_RE.split(line)
        labels: dict[str, str] = {}
        groups: list[list[str]] = []
        for part in parts:
            ids = []
            for node in part.split("&"):
                m = _NODE_RE.match(node)
                if m is None:
                    break
                ids.append(m.group(1))
                if m.group(2):
                    labels[m.group(1)] = m.group(2)
            else:
                groups.append(ids)
                continue
            groups = []  # (not a line of nodes and arrows)
            break
        out.append((groups if len(parts) > 1 else [], labels))
    return out


def add_graph_dependencies(doc: Document, sessions: list[Session]) -> None:
    """Add to each unit the units a flowchart's arrows lead to it from."""
    charts = [t for t in doc.structure.fences if t.info.strip() == "mermaid" and _GRAPH_RE.match(t.content)]
    if not charts or not sessions:
        return
    index = KeyIndex([s.key for s in sessions])
    by_key = {s.key: s for s in sessions}
    for tok in charts:
        chains = _chains(tok.content)
        labels = {k: v for _, found in chains for k, v in found.items()}
        for groups, _ in chains:
            for before, after in itertools.pairwise(groups):
                for a in before:
                    first = _unit(a, labels, index)
                    for b in after:
                        then = _unit(b, labels, index)
                        if first is None or then is None or first == then:
                            continue
                        s = by_key[then]
                        if first not in s.prerequisites:
                            s.prerequisites.append(first)


def _unit(node: str, labels: dict[str, str], index: KeyIndex) -> str | None:
    """The unit a node is: the key its label opens with, or else its id."""
    lead = _LEAD_TOKEN_RE.match(labels.get(node, "").strip())
    key = index.resolve(lead.group(0).rstrip(".:")) if lead else None
    return key if key is not None else index.resolve(node)
