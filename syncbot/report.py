"""Turning a read tracker into what `inspect` prints: JSON for scripts, text for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syncbot.graph import Graph, build_graph
from syncbot.model import Tracker
from syncbot.readers.common import Document, ReadResult
from syncbot.readers.joined import rank

if TYPE_CHECKING:
    from syncbot.readers.hints import ReadingHints


def inspect_data(
    doc: Document, shape: str | None = None, hints: ReadingHints | None = None
) -> tuple[Tracker, list[ReadResult], dict[str, Any]]:
    """Read ``doc`` as `inspect` does: the tracker, every reader's result, and the `--json` document (with
    one problem saying why nothing was read when no reader found a unit)."""
    from syncbot.readers import read_document

    tracker, results = read_document(doc, shape, hints)
    data = tracker_json(tracker)
    if not tracker.sessions:
        data["problems"].append(
            {"line": 0, "severity": "error", "message": "no work units found; " + " | ".join(why_nothing(results))}
        )
    return tracker, results, data


def tracker_json(tracker: Tracker, graph: Graph | None = None) -> dict[str, Any]:
    """The stable `inspect --json` document."""
    graph = graph or build_graph(tracker)
    problems = sorted([*tracker.problems, *graph.problems], key=lambda p: p.line)
    return {
        "path": tracker.path,
        "shape": tracker.shape,
        "title": tracker.title,
        "sessions": [
            {
                "key": s.key,
                "title": s.title,
                "status": s.status.value,
                "status_text": s.status_text,
                "prerequisites": list(s.prerequisites),
                "phase": s.phase,
                "duration": s.duration,
                "checklist": [{"text": c.text, "done": c.done} for c in s.checklist],
                "line": s.line,
                "rule": s.rule,
            }
            for s in tracker.sessions
        ],
        "waves": graph.waves(),
        "problems": [{"line": p.line, "severity": p.severity.value, "message": p.message} for p in problems],
    }


def why_nothing(results: list[ReadResult]) -> list[str]:
    """One line per reader tried, saying what it looked for and why it found nothing."""
    lines = []
    for r in results:
        notes = "; ".join(r.notes) if r.notes else "found no units"
        lines.append(f"{r.reader}: {notes}")
    return lines


def explain_lines(tracker: Tracker, results: list[ReadResult]) -> list[str]:
    """`inspect --explain`: the rule that read each unit, then every reader's account of what it saw and
    left out (tables without keys, tables that restate others, risk registers, ...)."""
    lines = ["read by:"]
    lines += [f"  line {s.line}: {s.key} <- {s.rule or tracker.shape}" for s in tracker.sessions]
    used = {s.rule.split(":")[0] for s in tracker.sessions}
    # a reading's score is its units times its confidence; the highest is chosen (a tie goes to the reading that
    # states more: statuses, dependencies, checklists), and a plan is chosen over the log below it
    chosen = next((rank(r) for r in results if r.reader == tracker.shape), 0.0)
    for r in results:
        mine = rank(r)
        said = f"{len(r.sessions)} units, confidence {r.confidence:.2f}: score {mine:.1f}"
        if r.reader == tracker.shape:
            verdict = f"chosen ({said})"
        elif r.reader in used:
            verdict = "joined (reads other parts)"
        elif not r.sessions:
            verdict = "not used (found no units)"
        else:
            why = (
                "lower"
                if mine < chosen
                else "a tie, decided by what each states: statuses, dependencies, checklists"
                if mine == chosen
                else "a log whose entries speak of the chosen plan's units"
            )
            verdict = f"not used ({said}; {why})"
        lines.append(f"{r.reader}: {verdict}")
        lines += [f"  - {n}" for n in r.notes]
    return lines
