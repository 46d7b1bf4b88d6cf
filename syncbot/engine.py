"""One sync of one tracker: pull, then push, then report.

1. read the tracker (working tree or forge file API) and list the forge once (issues, labels, milestones);
2. **pull**: merge the tracker, the issues and new commit trailers against the baseline kept in the
   tracking issue, and commit the tracker's new statuses (minimal diff, the bot's trailer);
3. **push**: plan the forge against the updated tracker and apply it; the tracking issue, written last,
   carries the new baseline (statuses, watermark, summary hash);
4. **report**: post or edit the summary comment on the tracking issue, and a short comment on each
   session whose status a trailer or a tracker edit changed.  Nothing is posted when nothing changed.

The listing is shared by pull and push, so a sync where nothing changed costs the three listings and no
write.  ``dry_run`` computes everything and writes nothing, anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict, Unpack

from loguru import logger

from syncbot.apply import ApplyResult, apply_plan, check_tracker, desired_for, forge_state, repo_relative
from syncbot.duplicates import heal_duplicates
from syncbot.errors import EXIT_FORGE, UserError
from syncbot.forge.base import Forge
from syncbot.forge.factory import make_forge, repo_root, state_path
from syncbot.gitwrite import Identity
from syncbot.markers import TRACKING_KEY, Baseline, display, read_baseline
from syncbot.merge import MergeResult, StatusChange, baseline_entries, baseline_strings
from syncbot.model import Tracker
from syncbot.plan import Plan, owned_issues, plan_sync
from syncbot.posting import post_summary_comment, record_posted, tracking_body
from syncbot.pull import (
    ForgeWorkspace,
    LocalWorkspace,
    PullResult,
    Workspace,
    WriteConflict,
    commit_message,
    pull_statuses,
)
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.readers.hints import ReadingHints
from syncbot.service.locks import LockTimeout, TrackerLock, lock_key
from syncbot.settings import Settings
from syncbot.summary import render_session_comment, render_summary, should_post, summary_hash, summary_marker

WRITE_ATTEMPTS = 3


@dataclass
class SyncReport:
    tracker: Tracker
    plan: Plan
    pull: PullResult
    forge: Forge
    dry_run: bool
    commit: str | None = None  # the bot's commit of the tracker, when statuses were written
    applied: ApplyResult | None = None
    summary_posted: bool = False
    summary: str = ""  # the rendered summary (numbers resolved as far as known)
    session_comments: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[StatusChange]:
        return self.pull.merge.changes

    def to_json(self) -> dict[str, object]:
        data = dict(self.plan.to_json(self.forge.name))
        data["dry_run"] = self.dry_run
        data["pull"] = {
            "changes": [
                {"key": c.key, "old": c.old.value, "new": c.new.value, "source": c.source, "reason": c.reason}
                | ({"conflict": c.conflict} if c.conflict else {})
                for c in self.changes
            ],
            "tracker_written": self.commit is not None,
            "commit": self.commit,
            "watermark": self.pull.watermark,
        }
        data["applied"] = self.applied.done if self.applied else 0
        data["summary_posted"] = self.summary_posted
        data["warnings"] = [*self.plan.warnings, *self.warnings]
        data["requests"] = {"gets": self.forge.stats.gets, "writes": self.forge.stats.writes}
        return data


def workspace_for(settings: Settings, tracker_path: Path, forge: Forge | None = None) -> Workspace:
    """The working tree holding ``tracker_path``; the forge's file API when configured (no clone)."""
    if settings.write_back == "api":
        if forge is None:
            raise UserError("SYNCBOT_WRITE_BACK=api needs a forge")
        return ForgeWorkspace(forge, tracker_path.as_posix(), settings.branch)
    root = repo_root(tracker_path.resolve().parent)
    if not (root / ".git").exists():
        raise UserError(
            f"{tracker_path}: not inside a git repository; run `git init` there, or set "
            "SYNCBOT_WRITE_BACK=api to use the forge's file API"
        )
    return LocalWorkspace(
        root,
        repo_relative(tracker_path, root),
        settings.branch,
        push=settings.push,
        identity=Identity.parse(settings.commit_identity),
    )


@contextmanager
def tracker_lock(settings: Settings, tracker_path: Path) -> Iterator[None]:
    """Hold the tracker's lock, which the daemon and every command take: one sync per tracker at a time.
    A second sync waits its turn (up to ``SYNCBOT_LOCK_TIMEOUT_SECONDS``)."""
    root = repo_root(tracker_path.resolve().parent) if settings.write_back == "git" else None
    lock = TrackerLock(state_path(settings, root), lock_key(settings.forge, settings.repo, tracker_path))
    try:
        lock.wait(settings.lock_timeout_seconds)
    except LockTimeout as exc:
        raise UserError(str(exc), EXIT_FORGE) from None
    with lock:
        yield


class SyncOptions(TypedDict, total=False):
    """The keyword arguments of :func:`sync_once`, which :func:`run_sync` passes on as they are."""

    dry_run: bool
    force: bool
    shape: str | None
    pull: bool
    push: bool
    post: bool
    progress: bool | None
    forge: Forge | None
    now: datetime | None
    hints: ReadingHints | None


def run_sync(settings: Settings, tracker_path: Path, **options: Unpack[SyncOptions]) -> SyncReport:
    """:func:`sync_once` under the tracker's lock; a dry run (``plan``) changes nothing and takes none."""
    if options.get("forge") is None and settings.write_back == "git":
        # Refuse a tracker that cannot be mirrored before anything (the lock, the local forge) is created.
        ws = workspace_for(settings, tracker_path)
        hints = options.get("hints") or settings.reading_hints(tracker_path)
        check_tracker(read_document(ws.read(), options.get("shape"), hints)[0])
    with nullcontext() if options.get("dry_run") else tracker_lock(settings, tracker_path):
        return sync_once(settings, tracker_path, **options)


def sync_once(
    settings: Settings,
    tracker_path: Path,
    *,
    dry_run: bool = False,
    force: bool = False,
    shape: str | None = None,
    pull: bool = True,
    push: bool = True,
    post: bool = True,
    progress: bool | None = None,
    forge: Forge | None = None,
    now: datetime | None = None,
    hints: ReadingHints | None = None,
) -> SyncReport:
    """Pull, push and report for one tracker (see the module docstring).  ``hints``: the tracker's reading
    hints; by default its ``[[trackers]]`` entry's ``read`` table."""
    hints = hints or settings.reading_hints(tracker_path)
    if forge is None and settings.write_back == "git":
        forge = make_forge(settings, repo_root(tracker_path.resolve().parent), create=not dry_run)
    elif forge is None:
        forge = make_forge(settings, None, create=not dry_run)
    ws = workspace_for(settings, tracker_path, forge)
    if not dry_run:
        ws.recover()
    now = now or datetime.now(UTC)
    commit: str | None = None
    healed: list[str] = []
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        doc = ws.read()
        tracker, _ = read_document(doc, shape, hints)
        check_tracker(tracker)
        before = desired_for(tracker, settings)
        state = forge_state(forge, before)
        if push and not dry_run and attempt == 1:
            healed, issues = heal_duplicates(forge, before.tracker_id, state.issues)
            state = replace(state, issues=issues)
        owned, _ = owned_issues(before.tracker_id, state.issues)
        tracking = owned.pop(TRACKING_KEY, None)
        baseline, distrust = read_baseline(tracking.body) if tracking else (Baseline(), None)
        if pull:
            result = pull_statuses(ws, doc, tracker, baseline, owned, trailer_key=settings.trailer_key)
        else:
            result = _no_pull(doc, baseline)
        if not result.changed or dry_run:
            break
        try:
            commit = ws.write(doc.text, result.text, commit_message(result, ws.path))
            logger.info("committed {} ({})", ws.path, commit[:12])
            break
        except WriteConflict as exc:
            if attempt == WRITE_ATTEMPTS:
                raise UserError(f"{ws.path}: {exc}; it keeps changing, sync again later") from None
            logger.info("{}: changed while syncing; reading it again", ws.path)

    after = tracker
    if result.changed:
        after, _ = read_document(Document(doc.path, result.text), tracker.shape, hints)
    desired = desired_for(after, settings)
    statuses, reopen_to = baseline_strings(result.merge.baseline)
    extra = dict(baseline.extra)
    if reopen_to:
        extra["reopen_to"] = reopen_to
    else:
        extra.pop("reopen_to", None)

    tid = desired.tracker_id
    commit_url = settings.commit_url or ws.commit_url()

    def summarize(numbers: dict[str, int] | None) -> str:
        warnings = [str(w) for w in result.merge.warnings] + healed
        return render_summary(
            after,
            tracker_id=tid,
            now=now,
            changes=result.merge.changes,
            warnings=warnings,
            issue_numbers=numbers,
            commit_url=commit_url if numbers is not None else None,
        )

    # The hash is taken without issue numbers, so a first sync (numbers unknown until apply) and the next
    # one (numbers known) agree on "nothing changed".
    summary_plain = summarize(None)
    post_summary = (
        push
        and post
        and should_post(
            baseline.summary_hash, summary_plain, has_news=bool(result.merge.changes or result.merge.warnings or healed)
        )
    )
    store = replace(
        baseline,
        statuses=statuses,
        watermark=ws.watermark_after(commit, result.watermark) if commit else result.watermark,
        summary_hash=baseline.summary_hash,  # the new hash is recorded once the summary is posted
        extra=extra,
    )
    plan = plan_sync(
        desired,
        state,
        force=force,
        max_close_fraction=settings.max_close_fraction,
        store=store,
        follow=result.merge.forge_writes.keys(),
    )
    report = SyncReport(after, plan, result, forge, dry_run, commit=commit, warnings=[*result.warnings, *healed])
    if distrust and tracking is not None:
        report.warnings.append(f"tracking issue #{tracking.number}: {distrust}")
        logger.warning("tracking issue #{}: {}", tracking.number, distrust)
    report.summary = summarize(plan.numbers)
    if dry_run or not push:
        return report
    report.applied = apply_plan(plan, forge, progress=progress)
    numbers = report.applied.numbers
    if post_summary and TRACKING_KEY in numbers:
        report.summary = summarize(numbers)
        post_summary_comment(forge, numbers[TRACKING_KEY], summary_marker(tid), report.summary)
        report.summary_posted = True
        body = tracking_body(plan, numbers, tracking)
        if not record_posted(forge, numbers[TRACKING_KEY], body, summary_hash(summary_plain)):
            logger.warning("tracking issue #{}: could not record the posted summary", numbers[TRACKING_KEY])
    if post:
        sessions = after.by_key()
        for change in result.merge.changes:
            if change.source in ("trailer", "tracker") and change.key in numbers:
                title = sessions[change.key].title if change.key in sessions else ""
                body = render_session_comment(change, tracker_id=tid, commit_url=commit_url, title=title)
                forge.create_comment(numbers[change.key], body)
                report.session_comments += 1
    return report


def post_summary(report: SyncReport) -> None:
    """Post ``report.summary`` on the tracking issue now (``syncbot summary --post``)."""
    number = report.plan.numbers.get(TRACKING_KEY)
    if number is None:
        raise UserError(f"{report.plan.tracker_path} has no tracking issue yet; run `syncbot sync` first")
    post_summary_comment(report.forge, number, summary_marker(report.plan.tracker_id), report.summary)
    report.summary_posted = True


def _no_pull(doc: Document, baseline: Baseline) -> PullResult:
    return PullResult(MergeResult(baseline=baseline_entries(baseline.statuses)), doc.text, baseline.watermark)


def describe(report: SyncReport) -> list[str]:
    """Lines for a person: what moved in the tracker, then the plan."""
    lines = []
    for c in report.changes:
        lines.append(
            f"  {c.key}: {c.old.value} -> {c.new.value} ({c.reason})" + (f"; {c.conflict}" if c.conflict else "")
        )
    for a in report.plan.actions:
        lines.append(f"  {display(a.summary)}")
    return lines
