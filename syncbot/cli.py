"""The command line.  One function per subcommand; every error a user can act on is turned into a
message and an exit code at one boundary (:func:`main`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from syncbot.graph import build_graph
from syncbot.model import Severity, Status
from syncbot.readers import load_document, read_document
from syncbot.readers.common import TrackerError
from syncbot.report import tracker_json, why_nothing
from syncbot.writer import WriteError, set_statuses, write_atomically

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mirror markdown session trackers into GitHub, GitLab or a local forge, and back.",
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_PROBLEMS = 1  # validation found problems / plan refused
EXIT_INPUT = 2  # the input cannot be read at all


class UserError(Exception):
    """An error the user can fix; printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


ShapeOpt = Annotated[str | None, typer.Option("--shape", help="force a reader: table, thread, …")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@app.command()
def inspect(file: Path, json_out: JsonOpt = False, shape: ShapeOpt = None) -> None:
    """Show how syncbot reads a tracker: shape, units, waves and problems."""
    doc = load_document(file)
    tracker, results = read_document(doc, shape)
    data = tracker_json(tracker)
    if not tracker.sessions:
        data["problems"].append(
            {
                "line": 0,
                "severity": "error",
                "message": "no work units found; " + " | ".join(why_nothing(results)),
            }
        )
    if json_out:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{tracker.title or file}[/bold]  ({data['shape']}, {len(tracker.sessions)} units)")
    if not tracker.sessions:
        out.print("No reader understood this document:")
        for line in why_nothing(results):
            out.print(f"  - {line}")
        return
    table = Table("line", "key", "title", "status", "as written", "prerequisites", "checklist")
    for s in data["sessions"]:
        done = sum(c["done"] for c in s["checklist"])
        ck = f"{done}/{len(s['checklist'])}" if s["checklist"] else ""
        table.add_row(
            str(s["line"]),
            s["key"],
            s["title"],
            s["status"],
            s["status_text"],
            ", ".join(s["prerequisites"]),
            ck,
        )
    out.print(table)
    out.print("waves: " + "  ".join("[" + " ".join(w) + "]" for w in data["waves"]))
    for p in data["problems"]:
        out.print(f"{file}:{p['line']}: {p['severity']}: {p['message']}")


@app.command()
def validate(files: list[Path], shape: ShapeOpt = None) -> None:
    """Exit 0 when every tracker reads cleanly; else print `file:line: message` per problem, exit 1."""
    bad = False
    for file in files:
        tracker, results = read_document(load_document(file), shape)
        graph = build_graph(tracker)
        if not tracker.sessions:
            bad = True
            out.print(f"{file}:1: no work units found ({' | '.join(why_nothing(results))})")
        for p in sorted([*tracker.problems, *graph.problems], key=lambda p: p.line):
            if p.severity is Severity.ERROR:
                bad = True
            out.print(f"{file}:{p.line}: {p.severity.value}: {p.message}")
    if bad:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def mark(
    file: Path,
    key: str,
    status: Annotated[
        Status, typer.Argument(help="planned, ready, in_progress, blocked, failed, done, dropped")
    ],
    shape: ShapeOpt = None,
) -> None:
    """Change one session's status in place, in the file's own words, with a minimal diff."""
    doc = load_document(file)
    tracker, _ = read_document(doc, shape)
    try:
        text = set_statuses(doc, tracker, {key: status})
    except WriteError as exc:
        raise UserError(str(exc), EXIT_PROBLEMS) from None
    if text == doc.text:
        out.print(f"{file}: session {key} is already {status.value}; nothing written")
        return
    write_atomically(file, text)
    out.print(f"{file}: session {key} -> {status.value}")


def main() -> None:
    """Entry point: run the app, turning known errors into one line on stderr and an exit code."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (TrackerError, UserError) as exc:
        err.print(f"syncbot: error: {exc}", markup=False)
        sys.exit(getattr(exc, "code", EXIT_INPUT))
    except KeyboardInterrupt:
        err.print("syncbot: interrupted")
        sys.exit(130)
    except Exception as exc:  # click's usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        raise
