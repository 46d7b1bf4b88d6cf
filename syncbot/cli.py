"""The command line.  One function per subcommand; every error a user can act on is turned into a
message and an exit code at one boundary (:func:`main`)."""

from __future__ import annotations

import functools
import gc
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

# UserError lives in syncbot.errors so pure modules can raise it; re-exported here for existing imports.
from syncbot.errors import EXIT_FORGE, EXIT_INPUT, EXIT_PROBLEMS, TrackerError, UserError
from syncbot.graph import build_graph
from syncbot.model import STATUS_WORDS_HINT, Severity, status_from_word

# The readers (markdown-it, ftfy), the writer, the report and every forge client are imported inside the
# commands that use them, so `syncbot --help` stays light (tests/test_cli_imports.py).

if TYPE_CHECKING:
    from rich.console import Console

    from syncbot.engine import SyncReport
    from syncbot.forge.base import StateReason
    from syncbot.forge.local import LocalForge
    from syncbot.merge import StatusChange
    from syncbot.plan import Plan
    from syncbot.readers.hints import ReadingHints
    from syncbot.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mirror markdown session trackers into GitHub, GitLab or a local forge, and back.",
    # Typer's rich tracebacks print every frame's locals by default: a token passed to a forge adapter
    # would show up there.  Plain tracebacks carry no values.
    pretty_exceptions_show_locals=False,
    # Plain help: typer's rich help formatter imports rich.markdown and with it markdown-it-py, a third of
    # the time `syncbot --help` took.  The help texts use no markup.
    rich_markup_mode=None,
)


class _LazyConsole:
    """A rich Console made on first use: importing rich.console and rich.table is a fifth of `--help`."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> object:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False)
        return getattr(self._console, name)


P = ParamSpec("P")
R = TypeVar("R")
out: Console = _LazyConsole(stderr=False)  # type: ignore[assignment]
err: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]


def _print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version  # (only when asked: `--help` stays light)

        out.print(f"syncbot {version('syncbot')}", markup=False)
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """Mirror markdown session trackers into GitHub, GitLab or a local forge, and back."""


ShapeOpt = Annotated[str | None, typer.Option("--shape", help="force a reader: table, thread, …")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def _without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command with cyclic garbage collection off.  After a reading, every unit, token and cell of a
    big tracker is a young object, and turning the result into JSON made the collector walk them all
    three times over (a second of a 20,000-unit `inspect --json`); nothing they hold needs collecting."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


HintOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--hint",
        help="a reading hint NAME=VALUE, repeatable: table=, heading_level=, key=, title=, status=, "
        "prerequisites=, key_pattern=, status_word=WORD:STATUS, shape= (README: Reading hints)",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="TOML file whose [[trackers]] entry for FILE gives reading hints (its `read`)"),
]
ExplainOpt = Annotated[bool, typer.Option("--explain", help="say which rule read each unit, and what was left out")]


def _hints(file: Path, config: Path | None, pairs: list[str] | None) -> ReadingHints | None:
    """Reading hints for ``file``: its ``[[trackers]]`` entry in ``config``, then ``--hint`` pairs on top."""
    from syncbot.readers.hints import ReadingHints

    base = None
    if config is not None:
        from syncbot.settings import hints_for  # pydantic-settings: a twentieth of a second to import

        base = hints_for(config, file)
    extra = ReadingHints.from_pairs(pairs) if pairs else None
    if base is None:
        return extra
    return base.merged(extra)


@app.command()
@_without_gc
def inspect(
    file: Path,
    json_out: JsonOpt = False,
    shape: ShapeOpt = None,
    explain: ExplainOpt = False,
    hint: HintOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Show how syncbot reads a tracker: shape, units, waves and problems."""
    from syncbot.readers import load_document
    from syncbot.report import explain_lines, inspect_data, why_nothing

    doc = load_document(file)
    tracker, results, data = inspect_data(doc, shape, _hints(file, config, hint))
    if json_out:  # (the console script answers the plain `inspect --json FILE` itself: syncbot/entry.py)
        from syncbot.jsonout import dumps_indented  # json.dumps(indent=2), byte for byte, faster

        sys.stdout.write(dumps_indented(data) + "\n")
        return
    from rich.markup import escape  # the tracker's text is data: `[/]` in a title is no closing tag
    from rich.table import Table

    out.print(f"[bold]{escape(tracker.title or str(file))}[/bold]  ({data['shape']}, {len(tracker.sessions)} units)")
    if not tracker.sessions:
        out.print("No reader understood this document:")
        for line in why_nothing(results):
            out.print(f"  - {line}", markup=False)
        return

    table = Table("line", "key", "title", "status", "as written", "prerequisites", "checklist")
    for s in data["sessions"]:
        done = sum(c["done"] for c in s["checklist"])
        ck = f"{done}/{len(s['checklist'])}" if s["checklist"] else ""
        table.add_row(
            str(s["line"]),
            escape(s["key"]),
            escape(s["title"]),
            s["status"],
            escape(s["status_text"]),
            escape(", ".join(s["prerequisites"])),
            ck,
        )
    out.print(table)
    out.print("waves: " + "  ".join("[" + " ".join(w) + "]" for w in data["waves"]), markup=False)
    for p in data["problems"]:  # (a line each, piped or not: `file:line:` stays whole for editors and grep)
        out.print(f"{file}:{p['line']}: {p['severity']}: {p['message']}", soft_wrap=True, markup=False)
    if explain:
        for line in explain_lines(tracker, results):
            out.print(line, soft_wrap=True, markup=False)


@app.command()
def validate(files: list[Path], shape: ShapeOpt = None, hint: HintOpt = None, config: ConfigOpt = None) -> None:
    """Exit 0 when every tracker reads cleanly; else print `file:line: message` per problem, exit 1."""
    from syncbot.readers import load_document, read_document

    bad = False
    for file in files:
        tracker = read_document(load_document(file), shape, _hints(file, config, hint))[0]
        graph = build_graph(tracker)
        if not tracker.sessions:
            bad = True
            # (one line with its fix: what each reader looked for is `inspect --explain`'s to say)
            out.print(
                f"{file}:1: error: no work units found (no status table, task list, sections, log, board or "
                f"phase list that syncbot reads); `syncbot inspect --explain {file}` shows what each reader looked "
                "for, `--shape S` or a reading hint chooses one",
                soft_wrap=True,
                markup=False,
            )
            continue
        errors = 0
        for p in sorted([*tracker.problems, *graph.problems], key=lambda p: p.line):
            errors += p.severity is Severity.ERROR
            out.print(f"{file}:{p.line}: {p.severity.value}: {p.message}", soft_wrap=True, markup=False)
        if errors:
            bad = True
        else:
            waves = len(graph.waves())
            out.print(f"{file}: ok: {_count(len(tracker.sessions), 'unit')}, {_count(waves, 'wave')}", markup=False)
    if bad:
        raise typer.Exit(EXIT_PROBLEMS)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@app.command()
def mark(
    file: Path,
    key: str,
    word: Annotated[
        str, typer.Argument(metavar="STATUS", help=f"{STATUS_WORDS_HINT}: the words trailers and labels take")
    ],
    shape: ShapeOpt = None,
) -> None:
    """Change one unit's status in place, in the file's own words, with a minimal diff."""
    from syncbot.readers import load_document, read_document
    from syncbot.writer import WriteError, set_statuses, write_atomically

    status = status_from_word(word)
    if status is None:  # a usage error (exit 2), checked before the file is read
        raise UserError(f"{word!r} is not a status; use {STATUS_WORDS_HINT}", EXIT_INPUT)

    doc = load_document(file)
    tracker, _ = read_document(doc, shape)
    known = [s.key for s in tracker.sessions]
    if key not in known:
        # a usage error, like an unknown status word: nothing was wrong with the file
        few = ", ".join(known[:20]) + (f", … ({len(known) - 20} more)" if len(known) > 20 else "")
        raise UserError(f"{file}: no unit {key!r}; known keys: {few or 'none (no units read)'}", EXIT_INPUT)
    try:
        text = set_statuses(doc, tracker, {key: status})
    except WriteError as exc:
        raise UserError(str(exc), EXIT_PROBLEMS) from None
    if text == doc.text:
        out.print(f"{file}: session {key} is already {status.value}; nothing written")
        return
    write_atomically(file, text)
    out.print(f"{file}: session {key} -> {status.value}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option("--host", help="listen address (SYNCBOT_HOST)")] = None,
    port: Annotated[int | None, typer.Option("--port", help="listen port (SYNCBOT_PORT)")] = None,
    insecure_no_webhook_secret: Annotated[
        bool, typer.Option("--insecure-no-webhook-secret", help="accept unsigned webhooks (testing only)")
    ] = False,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate", help="with SYNCBOT_DATABASE_URL: apply the database schema first (SYNCBOT_DATABASE_MIGRATE)"
        ),
    ] = False,
) -> None:
    """Run the daemon: scheduled syncs plus GitHub/GitLab webhooks, /healthz, /readyz, /metrics."""
    # Imported here so the other commands never load FastAPI, uvicorn or APScheduler.
    from syncbot.logging import configure_logging
    from syncbot.service.serve import serve as run_daemon
    from syncbot.settings import load_settings

    settings = load_settings(host=host, port=port, database_migrate=True if migrate else None)
    configure_logging(settings)
    from loguru import logger

    for warning in settings.startup_warnings:  # in the daemon's log, JSON or text
        logger.warning(warning)
    raise typer.Exit(run_daemon(settings, insecure_no_webhook_secret=insecure_no_webhook_secret))


# --- push: plan, sync, and the embedded local forge ------------------------------------------------------
# Imports of the push machinery sit inside the functions, so `inspect`/`validate` stay light.

TrackerArg = Annotated[Path | None, typer.Argument(help="the tracker file (default: SYNCBOT_TRACKER)")]
_SYMBOL = {"create": "+", "update": "~", "close": "-", "reopen": "+", "add": "+", "remove": "-"}


def _push_settings(branch: str | None = None) -> Settings:
    from syncbot.logging import configure_logging
    from syncbot.settings import SettingsError, load_settings

    try:
        settings = load_settings(branch=branch)
    except SettingsError as exc:
        raise UserError(str(exc)) from None
    configure_logging(settings)  # one log line per applied action, secrets masked, on today's stderr
    for warning in settings.startup_warnings:  # a typo such as SYNCBOT_FORGEE is said, not ignored
        err.print(f"syncbot: warning: {warning}", markup=False, soft_wrap=True)
    return settings


@contextmanager
def _forge_errors() -> Iterator[None]:
    """A forge's refusal (bad token, no access, 422, rate limit) is one line and exit code 3; so is a push
    the remote refused.  Other git failures (an unknown watermark) and a status with nowhere to be written
    are one line too: their messages say what to do."""
    from syncbot.forge.base import BudgetSpent, ForgeError, RateLimitError
    from syncbot.git import GitError, PushRejected
    from syncbot.writer import WriteError

    try:
        yield
    except BudgetSpent as exc:  # its message says when the budget resets and what remains
        raise UserError(str(exc), EXIT_FORGE) from None
    except RateLimitError as exc:
        when = f"; it resets at {exc.reset_at:%Y-%m-%d %H:%M:%S %Z}" if exc.reset_at else ""
        raise UserError(f"{exc}{when}; run again then, nothing will be duplicated", EXIT_FORGE) from None
    except ForgeError as exc:
        raise UserError(str(exc), EXIT_FORGE) from None
    except GitError as exc:
        raise UserError(str(exc), EXIT_FORGE if isinstance(exc, PushRejected) else EXIT_INPUT) from None
    except WriteError as exc:
        raise UserError(str(exc), EXIT_PROBLEMS) from None


def _print_plan(plan: Plan, forge: str) -> None:
    from syncbot.markers import display

    if plan.empty:
        out.print(f"{plan.tracker_path} → {forge}: nothing to do")
    else:
        out.print(
            f"{plan.tracker_path} → {forge}: {len(plan.actions)} action(s), {plan.writes} write request(s), "
            f"about {plan.duration()} at GitHub's one write a second"
        )
    for a in plan.actions:
        out.print(f"  {_SYMBOL.get(a.type.split('_')[0], '*')} {display(a.summary)}", markup=False, soft_wrap=True)
    for w in plan.warnings:
        err.print(f"syncbot: warning: {w}", markup=False, soft_wrap=True)


def _targets(settings: Settings, tracker: Path | None) -> list[tuple[Settings, Path]]:
    """The trackers a command works on: TRACKER, else SYNCBOT_TRACKER, else every `[[trackers]]` entry."""
    from syncbot.runner import tracker_settings

    if tracker is not None:
        return [(settings, tracker)]
    configs = settings.tracker_configs()
    if not configs:
        raise UserError("no tracker given: pass TRACKER, set SYNCBOT_TRACKER, or list [[trackers]] in SYNCBOT_CONFIG")
    return [(tracker_settings(settings, c), c.path) for c in configs]


def _tracker_path(settings: Settings, tracker: Path | None) -> Path:
    path = tracker or settings.tracker
    if path is None:
        raise UserError("no tracker given: pass TRACKER or set SYNCBOT_TRACKER")
    return path


def _print_changes(changes: list[StatusChange]) -> None:
    for c in changes:
        conflict = f"; {c.conflict}" if c.conflict else ""
        out.print(f"  {c.key}: {c.old.value} → {c.new.value} ({c.reason}){conflict}", markup=False, soft_wrap=True)


def _print_warnings(report: SyncReport) -> None:
    for w in report.warnings:
        err.print(f"syncbot: warning: {w}", markup=False, soft_wrap=True)


def _print_status_changes(report: SyncReport, *, dry_run: bool) -> None:
    """The status changes of a sync, each counted where it was (or would be) written: into the tracker
    file (from issues and trailers), or only onto the forge (edits already in the tracker, such as the
    commit of an earlier `syncbot pull`).  "wrote" is said only when the bot's commit exists."""
    path = report.plan.tracker_path
    into_tracker = [c for c in report.changes if c.writes_tracker]
    already_there = [c for c in report.changes if not c.writes_tracker]
    if into_tracker:
        n = _count(len(into_tracker), "status change")
        if dry_run:
            out.print(f"{path}: would write {n} into the tracker", soft_wrap=True)
        elif report.commit:
            out.print(f"{path}: wrote {n} into the tracker", soft_wrap=True)
        else:
            out.print(f"{path}: {n} for the tracker, not written", soft_wrap=True)
        _print_changes(into_tracker)
    if already_there:
        n = _count(len(already_there), "status change")
        out.print(f"{path}: {n} already in the tracker; the plan below carries them to the forge", soft_wrap=True)
        _print_changes(already_there)
    _print_warnings(report)


@app.command("plan")
def plan_cmd(
    tracker: TrackerArg = None, json_out: JsonOpt = False, shape: ShapeOpt = None, branch: BranchOpt = None
) -> None:
    """Show what `sync` would change, in the tracker and on the forge; changes nothing."""
    from syncbot.engine import run_sync

    settings = _push_settings(branch)
    with _forge_errors():
        report = run_sync(settings, _tracker_path(settings, tracker), dry_run=True, shape=shape)
    plan = report.plan
    if json_out:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_status_changes(report, dry_run=True)
        _print_plan(plan, f"{report.forge.name} ({report.forge.repo})")
    if plan.refusal:
        err.print(f"syncbot: {plan.refusal}", markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_PROBLEMS)


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="show what would change, change nothing")]
BranchOpt = Annotated[
    str | None,
    typer.Option(
        "--branch",
        help="the branch trailers are read from and the bot's commit goes to (default: SYNCBOT_BRANCH, the "
        "checked-out branch, or in CI GITHUB_REF_NAME / CI_COMMIT_BRANCH)",
    ),
]


@app.command("sync")
def sync_cmd(
    tracker: TrackerArg = None,
    dry_run: DryRunOpt = False,
    force: Annotated[bool, typer.Option("--force", help="apply even a plan closing many issues")] = False,
    json_out: JsonOpt = False,
    shape: ShapeOpt = None,
    branch: BranchOpt = None,
) -> None:
    """Pull statuses into the tracker, mirror it into the forge, and post the progress summary."""
    from syncbot.engine import run_sync

    settings = _push_settings(branch)
    reports = []
    for per, path in _targets(settings, tracker):
        with _forge_errors():
            report = run_sync(
                per, path, dry_run=dry_run, force=force, shape=shape, progress=False if json_out else None
            )
        reports.append(report)
        if not json_out:
            _print_sync(report, dry_run)
    if json_out:
        data = [r.to_json() for r in reports]
        sys.stdout.write(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n")


def _print_sync(report: SyncReport, dry_run: bool) -> None:
    stats = report.forge.stats
    _print_status_changes(report, dry_run=dry_run)
    if report.commit:
        out.print(f"committed {report.plan.tracker_path} as {report.commit[:12]}")
    _print_plan(report.plan, f"{report.forge.name} ({report.forge.repo})")
    if report.applied and not report.plan.empty:
        out.print(f"applied {report.applied.done} action(s) ({stats.gets} reads, {stats.writes} writes)")
    if report.summary_posted:
        out.print("summary comment posted on the tracking issue")


@app.command("pull")
def pull_cmd(
    tracker: TrackerArg = None, dry_run: DryRunOpt = False, shape: ShapeOpt = None, branch: BranchOpt = None
) -> None:
    """Bring issue states and commit trailers into the tracker file (commit, no forge writes)."""
    from syncbot.engine import run_sync

    settings = _push_settings(branch)
    with _forge_errors():
        report = run_sync(settings, _tracker_path(settings, tracker), dry_run=dry_run, shape=shape, push=False)
    # Only what comes into the file counts here; edits already in the tracker go to the forge on `sync`.
    pulled = [c for c in report.changes if c.writes_tracker]
    if not pulled:
        out.print(f"{report.plan.tracker_path}: nothing to pull")
        _print_warnings(report)
        return
    n = _count(len(pulled), "status change")
    if dry_run:
        out.print(f"{report.plan.tracker_path}: would write {n} into the tracker")
    elif report.commit:
        out.print(f"{report.plan.tracker_path}: wrote {n} into the tracker")
    _print_changes(pulled)
    _print_warnings(report)
    if report.commit:
        out.print(f"committed {report.plan.tracker_path} as {report.commit[:12]}")


@app.command("summary")
def summary_cmd(
    tracker: TrackerArg = None,
    post: Annotated[bool, typer.Option("--post", help="post it on the tracking issue (edited in place)")] = False,
    shape: ShapeOpt = None,
) -> None:
    """Print the progress summary; `--post` posts it as the tracking issue's summary comment."""
    from syncbot.engine import post_summary, run_sync

    settings = _push_settings()
    with _forge_errors():
        report = run_sync(settings, _tracker_path(settings, tracker), dry_run=True, shape=shape)
        if post:
            post_summary(report)
    sys.stdout.write(report.summary)
    if post:
        err.print("summary comment posted on the tracking issue")


local_app = typer.Typer(
    no_args_is_help=True, help="Act on the embedded local forge as its users would.", rich_markup_mode=None
)
app.add_typer(local_app, name="local")
db_app = typer.Typer(
    no_args_is_help=True, help="The PostgreSQL database that `serve` replicas share.", rich_markup_mode=None
)
app.add_typer(db_app, name="db")


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply procrastinate's schema and syncbot's tables to SYNCBOT_DATABASE_URL; safe to run again."""
    from syncbot.settings import load_settings

    settings = load_settings()
    if settings.database_url is None:
        raise UserError("SYNCBOT_DATABASE_URL is not set; put postgresql://user:password@host:5432/database")
    try:
        import procrastinate  # noqa: F401
        import psycopg

        from syncbot.service.pg_schema import migrate
    except ImportError as exc:
        missing = f"the PostgreSQL backend is not installed ({exc.name})"
        raise UserError(f"{missing}: pip install 'syncbot[postgres]'") from None
    try:
        created = migrate(settings.database_url.get_secret_value())
    except psycopg.Error as exc:
        from syncbot.logging import Redactor
        from syncbot.service.pg_schema import DatabaseUnusable

        raise DatabaseUnusable(Redactor(settings.secret_values())(str(exc))) from None
    err.print(f"created: {', '.join(created)}" if created else "the database schema is up to date")


NumberArg = Annotated[int, typer.Argument(help="the issue number")]


def _local() -> LocalForge:
    from syncbot.forge.factory import local_db_path
    from syncbot.forge.local import LocalForge

    path = local_db_path(_push_settings())
    if not path.exists():
        raise UserError(f"no local forge at {path}; run `syncbot sync TRACKER` first")
    # Commands here are what a person does on the forge, so they are attributed to a person, not the bot.
    return LocalForge(path, user="local-user")


@local_app.command("issues")
def local_issues(json_out: JsonOpt = False) -> None:
    """List every issue of the local forge."""
    forge = _local()
    issues = forge.all_issues()
    if json_out:
        data = [forge.issue_json(i) for i in issues]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.table import Table

    table = Table("#", "state", "title", "labels", "milestone")
    for i in issues:
        state = i.state if i.state == "open" else f"{i.state} ({i.state_reason or '-'})"
        table.add_row(str(i.number), state, i.title, ", ".join(i.labels), i.milestone or "")
    out.print(table)


@local_app.command("show")
def local_show(number: NumberArg, json_out: JsonOpt = False) -> None:
    """Show one issue: fields, body, comments and the issues it is blocked by."""
    forge = _local()
    with _forge_errors():
        issue = forge.get_issue(number)
        blocked_by = forge.blocked_by(number)
    data = forge.issue_json(issue) | {"blocked_by": blocked_by}
    if json_out:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    reason = f" ({issue.state_reason})" if issue.state_reason else ""
    out.print(f"#{issue.number} {issue.title}  [{issue.state}{reason}]", markup=False)
    out.print(f"labels: {', '.join(issue.labels) or '-'}   milestone: {issue.milestone or '-'}", markup=False)
    if blocked_by:
        out.print("blocked by: " + ", ".join(f"#{n}" for n in blocked_by))
    out.print("")
    out.print(issue.body, markup=False)
    for c in data["comments"]:
        out.print(f"\n--- comment {c['id']}\n{c['body']}", markup=False)


@local_app.command("close")
def local_close(
    number: NumberArg,
    not_planned: Annotated[bool, typer.Option("--not-planned", help="close as not planned")] = False,
) -> None:
    """Close an issue (as completed unless --not-planned)."""
    from syncbot.forge.base import IssueChange

    with _forge_errors():
        reason: StateReason = "not_planned" if not_planned else "completed"
        _local().update_issue(number, IssueChange(state="closed", state_reason=reason))
    out.print(f"closed #{number} as {reason}")


@local_app.command("reopen")
def local_reopen(number: NumberArg) -> None:
    """Reopen a closed issue."""
    from syncbot.forge.base import IssueChange

    with _forge_errors():
        _local().update_issue(number, IssueChange(state="open"))
    out.print(f"reopened #{number}")


@local_app.command("comment")
def local_comment(number: NumberArg, text: str) -> None:
    """Add a comment to an issue."""
    with _forge_errors():
        c = _local().create_comment(number, text)
    out.print(f"commented on #{number} (comment {c.id})")


def main() -> None:
    """Entry point: run the app, turning known errors into one line on stderr and an exit code."""
    try:
        # Without standalone mode click hands `typer.Exit(code)` back as the return value.
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (TrackerError, UserError) as exc:
        err.print(f"syncbot: error: {exc}", markup=False, soft_wrap=True)
        sys.exit(getattr(exc, "code", EXIT_INPUT))
    except KeyboardInterrupt:
        err.print("syncbot: interrupted")
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: typer's own message and exit code 2
        exc.show()  # type: ignore[attr-defined]
        sys.exit(getattr(exc, "exit_code", EXIT_INPUT))
    sys.exit(code if isinstance(code, int) else 0)
