"""Readers turn a tracker document into the model.  Each shape has one reader; detection runs them all
and keeps the one that explains the document best.  ``read_tracker`` is the only entry point."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from syncbot.model import Problem, Session, Severity, Tracker
from syncbot.readers.common import Document, ReadResult, TrackerError, gc_paused
from syncbot.readers.graph_deps import add_graph_dependencies
from syncbot.readers.hinted_reading import check as check_hints
from syncbot.readers.hints import ReadingHints, rekey
from syncbot.readers.item_ids import key_by_own_id
from syncbot.readers.joined import combined, plan_under_log, rank
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.key_shapes import DIGITS_RE
from syncbot.readers.keyed_items import bold_keyed_items
from syncbot.readers.legend import legend_of
from syncbot.readers.logged_units import logged_units
from syncbot.readers.outline import outline
from syncbot.readers.overlay import overlay
from syncbot.readers.progress_log import apply_log
from syncbot.readers.prose_deps import add_prose_dependencies
from syncbot.readers.ref_markers import reading_chains
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_words import reading_legend

Reader = Callable[[Document], ReadResult]

# name -> reader; filled at the bottom of this file
READERS: dict[str, Reader] = {}


def register(name: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        READERS[name] = fn
        return fn

    return deco


def load_document(path: str | Path) -> Document:
    """Read a tracker file; a missing, binary, undecodable or empty file is a :class:`TrackerError`."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise TrackerError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise TrackerError(f"{p}: is a directory, not a tracker file") from None
    except OSError as exc:
        raise TrackerError(f"{p}: cannot read: {exc.strerror}") from None
    if b"\x00" in data[:8192]:
        raise TrackerError(f"{p}: binary file, not a markdown tracker")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrackerError(f"{p}: not UTF-8 text (byte {exc.start}); save the tracker as UTF-8") from None
    if not text.strip():
        raise TrackerError(f"{p}: empty file, nothing to read")
    return Document(str(path), text)


# Python reads a number of at most 4,300 digits by default (``sys.get_int_max_str_digits``: a longer one takes time
# that grows with the square of its length); such a number is no key, date or percentage any tracker means


def _check_numbers(doc: Document) -> None:
    """A :class:`TrackerError` at the first number longer than Python reads, if there is one."""
    limit = sys.get_int_max_str_digits()
    # (from a run's start only: each run is looked at once)
    if limit and (m := re.search(rf"(?<!\d)\d{{{limit + 1}}}", doc.text)) is not None:
        line = doc.text.count("\n", 0, m.start()) + 1
        run = DIGITS_RE.match(doc.text, m.start()).end() - m.start()  # type: ignore[union-attr]
        raise TrackerError(
            f"{doc.path}:{line}: a number of {run:,} digits; syncbot reads numbers of up to {limit:,} digits: "
            "shorten it"
        ) from None


def _evidence(result: ReadResult) -> int:
    """How much a reading pins down (written statuses, dependencies, checklist items); breaks ties between
    readers that found the same number of units with the same confidence."""
    return sum(bool(s.status_spans) + len(s.prerequisites) + len(s.checklist) for s in result.sessions)


def _best(results: list[ReadResult]) -> ReadResult:
    """The first reading of the highest score, ties broken by evidence: ``max`` by (score, evidence), with the
    evidence (a pass over a reading's units) counted only between the readings that tie on score."""
    scores = [rank(r) for r in results]
    top = max(scores)
    tied = [r for r, sc in zip(results, scores, strict=True) if sc == top]
    return tied[0] if len(tied) == 1 else max(tied, key=_evidence)


def read_document(
    doc: Document, shape: str | None = None, hints: ReadingHints | None = None
) -> tuple[Tracker, list[ReadResult]]:
    """Read ``doc`` with the reader for ``shape``, or with the best-scoring reader.  ``hints`` (the user's
    reading hints, readers/hints.py) are checked against ``doc`` and stored on it for the readers.

    Returns the tracker and every reader's result (``inspect`` shows them when nothing was found).
    """
    if hints is not None:
        check_hints(doc, hints)
        doc.hints = hints
        shape = shape or hints.shape
    if shape is not None and shape not in READERS:
        raise TrackerError(f"unknown shape {shape!r}; choose one of: {', '.join(READERS)}")
    names = [shape] if shape else list(READERS)
    # the document's legend and chain marks hold for the readers and for the passes after them (no cyclic
    # collection meanwhile: what both make lives until the reading is done)
    try:
        with gc_paused(), reading_legend(legend_of(doc)), reading_chains(doc.text):
            results = [READERS[n](doc) for n in names]
            best = _best(results)
            best = best if shape else plan_under_log(doc, best, results)
            problems = list(best.problems)
            sessions = _whole_reading(doc, best, results, problems, shape)
    except ValueError:
        _check_numbers(doc)  # (a number Python refuses to read is the document's fault, said as such)
        raise
    # (`Progress: 40%` under a unit's heading is that unit's status, not the document's progress)
    status_lines = {sp.line for s in sessions for sp in s.status_spans} if best.summary_lines else set()
    tracker = Tracker(
        path=doc.path,
        title=best.title,
        shape=best.reader if best.sessions else "unknown",
        sessions=sessions,
        summary_lines=[x for x in best.summary_lines if x.line not in status_lines],
        problems=problems,
        mojibake=doc.mojibake,
    )
    return tracker, results


def _whole_reading(
    doc: Document, best: ReadResult, results: list[ReadResult], problems: list[Problem], shape: str | None
) -> list[Session]:
    """The best reading joined by the others, with what the document says of its units outside them: units a
    log introduces, ids units carry, prerequisites in prose, phase rules, the user's keys."""
    if best.section_fields is not None:
        apply_log(doc, best.sessions, problems, sections=best.section_fields)
    sessions = best.sessions if shape else overlay(doc, best, combined(doc, best, results), results)
    _name_rules(sessions, results)
    if logged := logged_units(doc, sessions, problems):
        sessions = sorted([*sessions, *logged], key=lambda s: s.line)
    if listed := bold_keyed_items(outline(doc), sessions):
        sessions = sorted([*sessions, *listed], key=lambda s: s.line)
    if not shape and key_by_own_id(sessions):
        # `Implement login (AUTH-12)`: the id it carries, not its title, names it; a `Depends on: AUTH-12` field
        # read before it had that key is read again
        index = KeyIndex([s.key for s in sessions])
        for s in sessions:
            if s.raw_prerequisites:
                found = parse_refs(s.raw_prerequisites, index, s.key, foreign_ids=True).prerequisites
                s.prerequisites.extend(k for k in found if k not in s.prerequisites)
    mine = {id(s) for s in best.sessions} if best.dependency_lines else set()
    add_prose_dependencies(
        doc, sessions, {s.line for s in sessions if s.line in best.dependency_lines and id(s) in mine}
    )
    add_graph_dependencies(doc, sessions)  # (`A --> B` in a Mermaid flowchart)
    for s in sessions:  # a phase's rule, for its tasks that say nothing more specific
        if not s.prerequisites and (fallback := best.fallback_prerequisites.get(s.key)):
            s.prerequisites.extend(fallback)
    if doc.hints is not None:
        rekey(doc, sessions, doc.hints)
    _distinct_keys(sessions, problems)
    return sessions


def _distinct_keys(sessions: list[Session], problems: list[Problem]) -> None:
    """Two units under one key (whatever their case) would be one issue: the later one is keyed apart, and
    the document is told (`VS-003` on two cards)."""
    seen: dict[str, Session] = {}
    for s in sessions:
        first = seen.get(s.key.lower())
        if first is None:
            seen[s.key.lower()] = s
            continue
        base, n = s.key, 2
        while f"{base}-{n}".lower() in seen:
            n += 1
        s.key = f"{base}-{n}"
        seen[s.key.lower()] = s
        problems.append(
            Problem(
                s.line,
                Severity.WARNING,
                f"{base} names two units (also line {first.line}); this one is read as {s.key}: give it a key "
                "of its own",
            )
        )


def _name_rules(sessions: list[Session], results: list[ReadResult]) -> None:
    """Each unit's ``rule``: the reader that read it, then the reader's own rule when it gave one."""
    reader = {id(s): r.reader for r in reversed(results) for s in r.sessions}
    for s in sessions:
        name = reader.get(id(s), "")
        if name and not s.rule.startswith(name):
            s.rule = f"{name}: {s.rule}" if s.rule else name


def read_tracker(path: str | Path, shape: str | None = None) -> Tracker:
    return read_document(load_document(path), shape)[0]


# The readers, registered here and nowhere else.  The order is the order detection runs them in and
# `inspect --explain` lists them in.  A reader module never imports another: what two readers share (the
# document structure, lanes, status headings, task units...) lives in modules that are no readers.
from syncbot.readers import board, components, gantt, paragraphs, phases, sections, table, tasklist, thread  # noqa: E402

for _name, _read in (
    ("board", board.read),
    ("components", components.read),
    ("gantt", gantt.read),
    ("paragraphs", paragraphs.read),
    ("phases", phases.read),
    ("sections", sections.read),
    ("table", table.read),
    ("tasklist", tasklist.read),
    ("thread", thread.read),
):
    register(_name)(_read)
