"""The planner: what the forge should hold against what it holds → an ordered list of small actions.

Pure (octoDNS's plan/apply): no request is made here; :mod:`syncbot.apply` only executes.  Rules:

- Only issues whose marker names this tracker are touched.  An issue with no marker, or with another
  tracker's marker, is left alone, even when it carries this tracker's label.
- Labels the bot does not manage (see :func:`syncbot.desired.is_managed_label`) are never removed.
- People's text below the bot's block is kept.
- A state the forge changed while the tracker did not (compared with the baseline) is left for ``pull``
  to bring into the tracker; push never reverts what a person did on the forge.
- A plan closing more than ``max_close_fraction`` of the existing managed issues is refused unless
  forced (octoDNS's safety check, with its minimum so that small trackers are not blocked by one close).
  The plan still comes back, with :attr:`Plan.refusal` set, so ``syncbot plan`` can show what it would
  do; :meth:`Plan.check` (called by apply) raises.

Issues are listed by the tracker label (one paginated listing, the no-op floor), then identified by
marker.  So an issue whose tracker label a person removed is invisible to the bot, and the next sync creates
a new one for its key; removing the label is how a person takes an issue away from the bot.

Issue numbers: the forge gives a number only when an issue is created, and a body wants ``#N`` links to its
prerequisites.  Issues are created in topological order (:func:`syncbot.desired.creation_order`) and
carry placeholders that :mod:`syncbot.apply` resolves from the numbers it has seen so far, so every body
is right at its first write.  The alternative, a second pass updating bodies once numbers are known,
would double the writes of a first sync.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from syncbot.desired import Desired, DesiredIssue, is_managed_label
from syncbot.duplicates import by_marker
from syncbot.errors import EXIT_PROBLEMS, UserError
from syncbot.forge.base import Issue, IssueState, Label, Milestone, StateReason
from syncbot.markers import TRACKING_KEY, Baseline, compose, display, milestone_owner, parse, resolve_refs
from syncbot.render.tracking import tracking_block

MIN_EXISTING_FOR_SAFETY = 10  # octoDNS's MIN_EXISTING_RECORDS: below this, closing a few is normal


class UnsafePlan(UserError):
    """The plan would close too large a share of the managed issues."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_PROBLEMS)


# --- actions ------------------------------------------------------------------------------------------


# GitHub asks integrators to make content-creating requests at most about once a second (its secondary
# rate limit); the GitHub adapter paces writes so (``seconds_between_writes``).
WRITE_SECONDS = 1.0


@dataclass(frozen=True)
class Action:
    type: ClassVar[str] = "action"
    key: str

    @property
    def summary(self) -> str:
        return self.type

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "key": self.key, "summary": self.summary}


@dataclass(frozen=True)
class CreateLabel(Action):
    type: ClassVar[str] = "create_label"
    label: Label

    @property
    def summary(self) -> str:
        return f"create label {self.label.name} (#{self.label.color})"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "name": self.label.name, "color": self.label.color}


@dataclass(frozen=True)
class UpdateLabel(CreateLabel):
    type: ClassVar[str] = "update_label"

    @property
    def summary(self) -> str:
        return f"update label {self.label.name} (#{self.label.color})"


@dataclass(frozen=True)
class CreateMilestone(Action):
    type: ClassVar[str] = "create_milestone"
    description: str = ""

    @property
    def summary(self) -> str:
        return f"create milestone {self.key!r}"


@dataclass(frozen=True)
class UpdateMilestone(Action):
    type: ClassVar[str] = "update_milestone"
    number: int = 0
    description: str | None = None
    state: IssueState | None = None

    @property
    def summary(self) -> str:
        what = [w for w, v in (("description", self.description), ("reopen", self.state)) if v is not None]
        return f"update milestone {self.key!r}: {', '.join(what)}"


@dataclass(frozen=True)
class CloseMilestone(Action):
    type: ClassVar[str] = "close_milestone"
    number: int | None = None  # None: created in this same plan

    @property
    def summary(self) -> str:
        return f"close milestone {self.key!r} (all its sessions are closed)"


@dataclass(frozen=True)
class CreateIssue(Action):
    type: ClassVar[str] = "create_issue"
    title: str = ""
    body: str = ""
    labels: tuple[str, ...] = ()
    milestone: str | None = None

    @property
    def summary(self) -> str:
        ms = f", milestone {self.milestone!r}" if self.milestone else ""
        return f"create issue {self.title!r} [{', '.join(self.labels)}]{ms}"

    def to_json(self) -> dict[str, Any]:
        return {
            **super().to_json(),
            "title": self.title,
            "labels": list(self.labels),
            "milestone": self.milestone,
            "body": display(self.body),
        }


@dataclass(frozen=True)
class UpdateIssue(Action):
    """Change fields of an issue; subclasses also change its state, in the same request."""

    type: ClassVar[str] = "update_issue"
    number: int | None = None  # None: created earlier in this same plan
    title: str | None = None
    body: str | None = None
    labels: tuple[str, ...] | None = None
    milestone: str | None = None
    added: tuple[str, ...] = ()  # label changes, for the summary only
    removed: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        who = f"#{self.number}" if self.number is not None else "new issue"
        return f"{who} ({'tracking issue' if self.key == TRACKING_KEY else 'key ' + self.key})"

    def changes(self) -> list[str]:
        out = []
        if self.title is not None:
            out.append(f"title → {self.title!r}")
        if self.body is not None:
            out.append("body")
        if self.added:
            out.append("+" + " +".join(self.added))
        if self.removed:
            out.append("-" + " -".join(self.removed))
        if self.milestone is not None:
            out.append(f"milestone → {self.milestone!r}")
        return out

    @property
    def summary(self) -> str:
        return f"update {self.ref}: {', '.join(self.changes())}"

    def _also(self) -> str:
        """The field changes riding along with a close or reopen, for its summary."""
        more = self.changes()
        return f"; also {', '.join(more)}" if more else ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {**super().to_json(), "number": self.number}
        if self.title is not None:
            data["title"] = self.title
        if self.body is not None:
            data["body"] = display(self.body)
        if self.labels is not None:
            data["labels"] = list(self.labels)
            data["labels_added"] = list(self.added)
            data["labels_removed"] = list(self.removed)
        if self.milestone is not None:
            data["milestone"] = self.milestone
        return data


@dataclass(frozen=True)
class CloseIssue(UpdateIssue):
    type: ClassVar[str] = "close_issue"
    reason: StateReason = "completed"
    why: str = ""

    @property
    def summary(self) -> str:
        why = f" ({self.why})" if self.why else ""
        return f"close {self.ref} as {self.reason}{why}{self._also()}"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "state_reason": self.reason}


@dataclass(frozen=True)
class ReopenIssue(UpdateIssue):
    type: ClassVar[str] = "reopen_issue"

    @property
    def summary(self) -> str:
        return f"reopen {self.ref}{self._also()}"


@dataclass(frozen=True)
class AddBlockedBy(Action):
    """Native link: the issue of ``key`` is blocked by the issue of ``blocker`` (numbers known at apply)."""

    type: ClassVar[str] = "add_blocked_by"
    blocker: str = ""

    @property
    def summary(self) -> str:
        return f"link: {self.key} blocked by {self.blocker}"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "blocker": self.blocker}


@dataclass(frozen=True)
class RemoveBlockedBy(Action):
    type: ClassVar[str] = "remove_blocked_by"
    blocker: str = ""
    number: int = 0
    blocker_number: int = 0

    @property
    def summary(self) -> str:
        return f"unlink: #{self.number} ({self.key}) no longer blocked by #{self.blocker_number} ({self.blocker})"

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "blocker": self.blocker}


# --- the plan -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgeState:
    """What the forge holds, from three listings (issues by the tracker label, labels, milestones)."""

    issues: tuple[Issue, ...]
    labels: tuple[Label, ...]
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class Plan:
    tracker_id: str
    tracker_path: str
    actions: tuple[Action, ...]
    numbers: dict[str, int] = field(default_factory=dict)  # key → issue number, as listed
    warnings: tuple[str, ...] = ()
    managed: int = 0  # issues carrying this tracker's marker
    refusal: str | None = None  # set when the safety check refuses the plan (and it was not forced)

    def check(self) -> None:
        """Raise :class:`UnsafePlan` when the safety check refused this plan; apply calls it first."""
        if self.refusal:
            raise UnsafePlan(self.refusal)

    @property
    def empty(self) -> bool:
        return not self.actions

    def counts(self) -> dict[str, int]:
        c = Counter(a.type for a in self.actions)
        return {**dict(sorted(c.items())), "total": len(self.actions)}

    @property
    def writes(self) -> int:
        """Write requests applying this plan makes: one per action (labels and milestone ride on the issue
        create, link targets' ids come from the listing).  The summary comment, when posted, is one more."""
        return len(self.actions)

    def duration(self, seconds_per_write: float = WRITE_SECONDS) -> str:
        """How long applying takes at GitHub's pace for content-creating requests (one a second)."""
        seconds = round(self.writes * seconds_per_write)
        if seconds < 90:
            return f"{seconds} s"
        minutes = round(seconds / 60)
        return f"{minutes} min" if minutes < 90 else f"{minutes // 60} h {minutes % 60:02d} min"

    def to_json(self, forge: str) -> dict[str, Any]:
        return {
            "tracker": self.tracker_path,
            "tracker_id": self.tracker_id,
            "forge": forge,
            "actions": [a.to_json() for a in self.actions],
            "counts": self.counts(),
            "estimate": {"writes": self.writes, "seconds": round(self.writes * WRITE_SECONDS)},
            "warnings": list(self.warnings),
            "refused": self.refusal,
        }


def _norm(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def owned_issues(tid: str, issues: Iterable[Issue]) -> tuple[dict[str, Issue], list[str]]:
    """This tracker's issues by key (identity by marker only); warnings for duplicates (a sync heals them
    first, see :mod:`syncbot.duplicates`; a plan only names them)."""
    out, dups = by_marker(tid, issues)
    warnings = [f"#{d.extra.number} repeats the marker of #{d.keep} (key {d.key}); left alone" for d in dups]
    return out, warnings


def _label_delta(
    existing: tuple[str, ...], wanted: tuple[str, ...], tracker_lbl: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """The new label list (people's labels kept), added, removed; ``None`` when nothing changes."""
    have = {n.lower() for n in existing}
    want = {n.lower() for n in wanted}
    kept = [n for n in existing if not is_managed_label(n, tracker_lbl) or n.lower() in want]
    added = tuple(n for n in wanted if n.lower() not in have)
    removed = tuple(n for n in existing if n not in kept)
    if not added and not removed:
        return None
    return tuple(kept) + added, added, removed


def plan_sync(
    desired: Desired,
    state: ForgeState,
    *,
    force: bool = False,
    max_close_fraction: float = 0.3,
    min_existing: int = MIN_EXISTING_FOR_SAFETY,
    store: Baseline | None = None,
    follow: Collection[str] = (),
) -> Plan:
    """The ordered actions that bring the forge to ``desired``; empty when nothing differs.

    Order: labels, milestones, issues (creations in dependency order), link removals and additions,
    milestone closes, and last the tracking issue, whose baseline records what the others did.  Writing
    the baseline last is what makes an interrupted apply safe to run again.

    ``store`` is the baseline the tracking issue should carry after this sync (pull's watermark, the
    summary hash, where reopened sessions go back to); its statuses and links are taken from ``desired``.

    ``follow``: keys whose issue a person changed and lost to a later event (pull's
    :attr:`~syncbot.merge.MergeResult.forge_writes`); their state is set to ``desired`` even though the
    tracker did not move.
    """
    tid = desired.tracker_id
    owned, warnings = owned_issues(tid, state.issues)
    tracking = owned.pop(TRACKING_KEY, None)
    baseline = Baseline.from_text(tracking.body) if tracking else Baseline()
    numbers = {k: i.number for k, i in owned.items()}
    actions: list[Action] = []

    # labels: by name, case-insensitively as GitHub compares them
    have_labels = {lb.name.lower(): lb for lb in state.labels}
    for lb in desired.labels:
        lex = have_labels.get(lb.name.lower())
        if lex is None:
            actions.append(CreateLabel(lb.name, lb))
        elif lex.color.lower() != lb.color.lower() or (lex.description or "") != lb.description:
            actions.append(UpdateLabel(lb.name, lb))

    # milestones: by title; only those whose description carries our tag are edited or closed
    have_ms = {m.title: m for m in state.milestones}
    closes_ms: list[Action] = []
    for dm in desired.milestones:
        mex = have_ms.get(dm.title)
        if mex is None:
            actions.append(CreateMilestone(dm.title, dm.description))
            if dm.closed:
                closes_ms.append(CloseMilestone(dm.title, None))
            continue
        if milestone_owner(mex.description) != tid:
            continue
        desc = dm.description if _norm(mex.description) != _norm(dm.description) else None
        reopen: IssueState | None = "open" if (not dm.closed and mex.state == "closed") else None
        if desc is not None or reopen is not None:
            actions.append(UpdateMilestone(dm.title, mex.number, desc, reopen))
        if dm.closed and mex.state == "open":
            closes_ms.append(CloseMilestone(dm.title, mex.number))

    # session issues
    creating: set[str] = set()
    closing_existing = 0
    for di in desired.issues:
        block = resolve_refs(di.block, numbers)
        ex = owned.get(di.key)
        if ex is None:
            creating.add(di.key)
            actions.append(CreateIssue(di.key, di.title, compose(tid, di.key, block), di.labels, di.milestone))
            if di.state == "closed":
                actions.append(CloseIssue(di.key, reason=di.state_reason))
            continue
        action = _issue_update(di, ex, block, baseline, desired.tracker_label, tid, di.key in follow)
        if action is not None:
            actions.append(action)
            if isinstance(action, CloseIssue) and ex.state == "open":
                closing_existing += 1

    # issues of sessions no longer in the tracker: closed, never deleted, so their history stays
    wanted = desired.by_key()
    for key, ex in owned.items():
        if key not in wanted and ex.state == "open":
            actions.append(CloseIssue(key, ex.number, reason="not_planned", why="no longer in the tracker"))
            closing_existing += 1

    existing = len(owned)
    refusal = None
    if not force and existing >= min_existing and closing_existing > max_close_fraction * existing:
        refusal = (
            f"refusing to close {closing_existing} of {existing} managed issues "
            f"(more than {max_close_fraction:.0%}); check the tracker, then re-run with --force to apply"
        )

    # native links, known from the baseline: no request per issue to find them
    want_links = set(desired.links)
    had = set(baseline.links)
    for k, d in sorted(had - want_links):
        if k in numbers and d in numbers and k not in creating and d not in creating:
            actions.append(RemoveBlockedBy(k, d, numbers[k], numbers[d]))
    for k, d in desired.links:
        if (k, d) in had and k not in creating and d not in creating:
            continue
        actions.append(AddBlockedBy(k, d))

    actions.extend(closes_ms)

    # the tracking issue, last
    new_baseline = replace(
        store or baseline,
        statuses={i.key: i.status.value for i in desired.issues},
        links=list(desired.links),
    )
    block = resolve_refs(tracking_block(desired, new_baseline), numbers)
    if tracking is None:
        actions.append(
            CreateIssue(
                TRACKING_KEY, desired.tracking_title, compose(tid, TRACKING_KEY, block), (desired.tracker_label,)
            )
        )
    else:
        fields = _field_changes(
            tracking, tid, TRACKING_KEY, desired.tracking_title, block, (desired.tracker_label,), desired.tracker_label
        )
        if any(fields[f] is not None for f in ("title", "body", "labels")):
            actions.append(UpdateIssue(TRACKING_KEY, **fields))
    if tracking is not None:
        numbers[TRACKING_KEY] = tracking.number
    return Plan(tid, desired.tracker_path, tuple(actions), numbers, tuple(warnings), existing, refusal)


def _field_changes(
    ex: Issue, tid: str, key: str, title: str, block: str, labels: tuple[str, ...], tracker_lbl: str
) -> dict[str, Any]:
    """The :class:`UpdateIssue` fields that differ (``None`` where not); people's text and labels kept."""
    parsed = parse(ex.body)
    body = compose(tid, key, block, parsed.free if parsed else "")
    delta = _label_delta(ex.labels, labels, tracker_lbl)
    return {
        "number": ex.number,
        "title": title if ex.title != title else None,
        "body": body if _norm(body) != _norm(ex.body) else None,
        "labels": delta[0] if delta else None,
        "added": delta[1] if delta else (),
        "removed": delta[2] if delta else (),
    }


def _issue_update(
    di: DesiredIssue, ex: Issue, block: str, baseline: Baseline, tracker_lbl: str, tid: str, follow: bool = False
) -> UpdateIssue | None:
    fields = _field_changes(ex, tid, di.key, di.title, block, di.labels, tracker_lbl)
    fields["milestone"] = di.milestone if di.milestone is not None and ex.milestone != di.milestone else None
    # The tracker moved since the last sync (or there is no baseline yet): its status is what we push.
    # Otherwise a differing state was set on the forge, and pull, not push, deals with it; unless pull
    # already did (``follow``: the person's change lost to a later event, and the issue must follow).
    tracker_moved = follow or baseline.statuses.get(di.key) != di.status.value
    if ex.state != di.state and tracker_moved:
        if di.state == "closed":
            return CloseIssue(di.key, reason=di.state_reason, **fields)
        return ReopenIssue(di.key, **fields)
    if (
        ex.state == "closed"
        and di.state == "closed"
        and ex.state_reason in ("completed", "not_planned")
        and ex.state_reason != di.state_reason
        and tracker_moved
    ):
        # Forges without close reasons (GitLab) report None, which is never taken as a difference.
        return CloseIssue(di.key, reason=di.state_reason, why=f"was {ex.state_reason}", **fields)
    if any(fields[f] is not None for f in ("title", "body", "labels", "milestone")):
        return UpdateIssue(di.key, **fields)
    return None
