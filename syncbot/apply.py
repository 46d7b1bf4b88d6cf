"""Executing a plan: one forge call per action, in the plan's order, nothing decided here.

The only state carried from one action to the next is what the forge answered: numbers of issues and
milestones created in this run, needed to resolve the ``#N`` placeholders of later bodies and links.

Crash safety comes from the plan, not from here: every object the bot creates is found again by its
marker (issues), its name (labels) or its title and tag (milestones), the baseline is written last, and
links are idempotent.  An apply stopped after any action and run again converges without duplicates.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from loguru import logger

from syncbot.desired import Desired, build_desired
from syncbot.errors import EXIT_PROBLEMS, UserError
from syncbot.forge.base import (
    AlreadyExistsError,
    BudgetSpent,
    Forge,
    IssueChange,
    Label,
    RateLimitError,
    RequestStats,
)
from syncbot.graph import build_graph
from syncbot.markers import TRACKING_KEY, Baseline, resolve_refs
from syncbot.model import Severity, Tracker
from syncbot.plan import (
    Action,
    AddBlockedBy,
    CloseIssue,
    CloseMilestone,
    CreateIssue,
    CreateLabel,
    CreateMilestone,
    ForgeState,
    Plan,
    RemoveBlockedBy,
    ReopenIssue,
    UpdateIssue,
    UpdateLabel,
    UpdateMilestone,
)
from syncbot.settings import Settings


@dataclass
class ApplyResult:
    done: int = 0
    numbers: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)  # key → number of issues created in this run
    warnings: list[str] = field(default_factory=list)
    stats: RequestStats = field(default_factory=RequestStats)


Step = Callable[[Action], None]


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Step]:
    """A rich progress bar on a terminal; one log line per action otherwise (CI logs stay readable)."""
    if enabled and total:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("[bold]sync"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}")
        ) as bar:
            task = bar.add_task("", total=total)

            def step(action: Action) -> None:
                bar.update(task, advance=1, description=action.summary[:60])

            yield step
        return

    def log(action: Action) -> None:
        logger.info("{}", action.summary)

    yield log


def apply_plan(plan: Plan, forge: Forge, *, progress: bool | None = None) -> ApplyResult:
    """Run ``plan`` against ``forge``.  Stops at the first error (the exception propagates); what was done
    stays done and the next plan picks up from there."""
    plan.check()
    if progress is None:
        progress = sys.stderr.isatty()
    result = ApplyResult(numbers=dict(plan.numbers))
    numbers = result.numbers
    milestones: dict[str, int] = {}
    link_fallback_warned = False
    with _progress(len(plan.actions), progress) as step, _budget(plan, result, forge):
        for action in plan.actions:
            _check_budget(plan, result, forge)
            match action:
                case CreateLabel(label=label) if isinstance(action, UpdateLabel):
                    forge.update_label(label)
                case CreateLabel(label=label):
                    _create_label(forge, label)
                case CreateMilestone(key=title, description=desc):
                    milestones[title] = forge.create_milestone(title, desc).number
                case UpdateMilestone(number=number, description=desc, state=state):
                    forge.update_milestone(number, description=desc, state=state)
                case CloseMilestone(key=title, number=number):
                    forge.update_milestone(number if number is not None else milestones[title], state="closed")
                case CreateIssue():
                    body = resolve_refs(action.body, numbers, final=True)
                    issue = forge.create_issue(action.title, body, list(action.labels), action.milestone)
                    numbers[action.key] = result.created[action.key] = issue.number
                case UpdateIssue():
                    forge.update_issue(_number(action, numbers), _change(action, numbers))
                case AddBlockedBy(key=key, blocker=blocker):
                    if not forge.add_blocked_by(numbers[key], numbers[blocker]) and not link_fallback_warned:
                        link_fallback_warned = True
                        msg = f"{forge.name}: native 'blocked by' links refused; used a plain link and labels"
                        result.warnings.append(msg)
                        logger.warning(msg)
                case RemoveBlockedBy(number=number, blocker_number=blocker_number):
                    forge.remove_blocked_by(number, blocker_number)
                case _:
                    raise TypeError(f"unknown action {action!r}")
            result.done += 1
            step(action)
    result.stats = forge.stats
    return result


def _number(action: UpdateIssue, numbers: dict[str, int]) -> int:
    return action.number if action.number is not None else numbers[action.key]


def _change(action: UpdateIssue, numbers: dict[str, int]) -> IssueChange:
    change = IssueChange(
        title=action.title,
        body=resolve_refs(action.body, numbers, final=True) if action.body is not None else None,
        labels=list(action.labels) if action.labels is not None else None,
        milestone=action.milestone,
    )
    if isinstance(action, CloseIssue):
        change.state, change.state_reason = "closed", action.reason
    elif isinstance(action, ReopenIssue):
        change.state, change.state_reason = "open", "reopened"
    return change


# --- the push, end to end (the imperative shell around the pure planner) ------------------------------


def repo_relative(path: Path, root: Path) -> str:
    """The tracker path as the tracker id and the bodies spell it: relative to the repository root, so
    they do not depend on the folder a command was run from."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_tracker(tracker: Tracker) -> None:
    """Refuse to push a tracker that cannot be mirrored faithfully (no units, duplicate keys, a cycle)."""
    if not tracker.sessions:
        raise UserError(f"{tracker.path}: no work units found; run `syncbot inspect {tracker.path}` to see why")
    graph = build_graph(tracker)
    errors = [p for p in [*tracker.problems, *graph.problems] if p.severity is Severity.ERROR]
    keys = [s.key for s in tracker.sessions]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise UserError(f"{tracker.path}: duplicate keys {', '.join(dupes)}; each session needs its own key")
    if graph.cycle or errors:
        first = errors[0] if errors else None
        where = f"{tracker.path}:{first.line}: {first.message}" if first else f"{tracker.path}: dependency cycle"
        raise UserError(f"{where}; run `syncbot validate {tracker.path}`", EXIT_PROBLEMS)


def desired_for(tracker: Tracker, settings: Settings) -> Desired:
    return build_desired(tracker, title_template=settings.title_template, milestones=settings.milestones)


def forge_state(forge: Forge, desired: Desired) -> ForgeState:
    """Three listings, whatever the number of sessions: the floor of a sync where nothing changed."""
    return ForgeState(
        tuple(forge.list_issues(desired.tracker_label)),
        tuple(forge.list_labels()),
        tuple(forge.list_milestones()),
    )


def _create_label(forge: Forge, label: Label) -> None:
    """Create a label; one that exists already counts as created.  Shared labels (``status:done``,
    ``ready``) race when two trackers of a repository sync at once, and either may win."""
    try:
        forge.create_label(label)
    except AlreadyExistsError:
        logger.debug("label {} exists already (created concurrently)", label.name)


# Requests left unspent when a plan is cut short: the summary comment, and a person's own use of the token.
RATE_RESERVE = 20


def _spent(plan: Plan, result: ApplyResult, reset_at: datetime | None, saved: bool = False) -> BudgetSpent:
    left = [a for a in plan.actions[result.done :] if not (saved and a.key == TRACKING_KEY)]
    kinds = Counter(a.type.replace("_", " ") for a in left)
    what = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    when = f"it resets at {reset_at:%Y-%m-%d %H:%M} UTC" if reset_at else "it resets within the hour"
    note = "; the tracking issue records the links made so far" if saved else ""
    return BudgetSpent(
        f"the forge's hourly request budget is spent after {result.done} of {len(plan.actions)} actions; "
        f"{len(left)} remain ({what}){note}; {when}, and the next sync continues from there without duplicates",
        reset_at,
        result.done,
        len(left),
    )


def _check_budget(plan: Plan, result: ApplyResult, forge: Forge) -> None:
    """Stop before the next write when the forge says the hourly budget is (nearly) spent."""
    remaining = forge.stats.rate_limit_remaining
    if remaining is not None and remaining <= RATE_RESERVE:
        saved = _save_progress(plan, result, forge)
        raise _spent(plan, result, forge.stats.rate_limit_reset, saved)


@contextmanager
def _budget(plan: Plan, result: ApplyResult, forge: Forge) -> Iterator[None]:
    """A rate limit hit part-way through becomes :class:`BudgetSpent`: what is done and what remains."""
    try:
        yield
    except BudgetSpent:
        raise
    except RateLimitError as exc:
        saved = False
        with suppress(RateLimitError):
            saved = _save_progress(plan, result, forge)
        raise _spent(plan, result, exc.reset_at or forge.stats.rate_limit_reset, saved) from None


def _save_progress(plan: Plan, result: ApplyResult, forge: Forge) -> bool:
    """Stopped among the links (every issue written): write the tracking issue now, from the reserve, with
    a baseline that names only the links made.  The next sync then adds just the rest; without it, it would
    add every link again (links are known from the baseline), and a tracker with more links than an
    hour's budget would never finish.  The summary hash is left out, so the next sync posts the summary."""
    left = plan.actions[result.done :]
    tracking = [a for a in left if a.key == TRACKING_KEY and isinstance(a, CreateIssue | UpdateIssue)]
    if not tracking or any(a not in tracking and not isinstance(a, _LINK_PHASE) for a in left):
        return False
    action = tracking[-1]
    if action.body is None:
        return False
    base = Baseline.from_text(action.body)
    if base.to_text() not in action.body:
        return False
    adding = {(a.key, a.blocker) for a in left if isinstance(a, AddBlockedBy)}
    removing = {(a.key, a.blocker) for a in left if isinstance(a, RemoveBlockedBy)}
    links = sorted({link for link in base.links if link not in adding} | removing)
    body = action.body.replace(base.to_text(), replace(base, links=links, summary_hash=None).to_text())
    if isinstance(action, CreateIssue):
        issue = forge.create_issue(
            action.title, resolve_refs(body, result.numbers, final=True), list(action.labels), None
        )
        result.numbers[TRACKING_KEY] = result.created[TRACKING_KEY] = issue.number
    else:
        forge.update_issue(_number(action, result.numbers), _change(replace(action, body=body), result.numbers))
    return True


_LINK_PHASE = (AddBlockedBy, RemoveBlockedBy, CloseMilestone)
