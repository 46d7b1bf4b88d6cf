"""The three-way status merge: the tracker, the forge and commit trailers against the last sync's baseline.

Pure functions over plain values: the shell reads git and the forge, turns what it saw into the inputs below,
calls :func:`merge_statuses`, and applies the :class:`MergeResult` (write the tracker, update issues, post
the summary, store :attr:`MergeResult.baseline`).

The rule (DESIGN.md, "Who wins when both sides changed"): a side *changed* when its status differs from the
baseline. Only one side changed → take it. Several changed → the later event wins and the change records
the conflict so the summary can say so. Nothing changed → nothing.

The events of all sides are replayed in time order, rather than comparing each side's final status, because
a trailer ``reopen`` means "back to what it was before it was closed", and what it was depends on the events
before it: an issue closed at 11:00 and a ``Session: 3 reopen`` commit at 12:00 reopens Session 3.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol

from syncbot.forge.base import Issue
from syncbot.model import Status, Tracker, status_from_word

Source = Literal["tracker", "forge", "trailer"]

STATUS_LABEL_PREFIX = "status:"

# On a tie in time the later in this order wins.  The repository is the record: a commit that edits the
# tracker and carries a trailer means what its trailer says, and both were written after looking at the
# issue, which a forge timestamp with the same second cannot claim.
_TIE_RANK: dict[Source, int] = {"forge": 0, "tracker": 1, "trailer": 2}

# Unknown times sort first: an event we cannot date never beats one we can.
_EPOCH = datetime.min.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class BaselineEntry:
    """What the last sync agreed a session's status was.

    ``reopen_to`` is the open status the session had before it was closed, so a reopen can go back to it
    (``blocked`` stays ``blocked``) instead of guessing ``in_progress``.
    """

    status: Status
    reopen_to: Status | None = None


@dataclass(frozen=True)
class CommitRef:
    """One commit, as far as a summary needs it."""

    sha: str
    subject: str
    at: datetime | None = None  # commit time
    author: str = ""

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class ForgeObservation:
    """The status an issue implies now, and the event that made it so."""

    status: Status
    at: datetime | None
    who: str | None
    event: str  # "closed as completed", "reopened", "labelled status:blocked"
    issue: int | None = None


class SessionUpdateLike(Protocol):
    """The shape of :class:`syncbot.trailers.SessionUpdate`; properties so frozen dataclasses match."""

    @property
    def keys(self) -> Sequence[str]: ...

    @property
    def status(self) -> Status | None: ...

    @property
    def reopen(self) -> bool: ...


@dataclass(frozen=True)
class TrailerUpdate:
    """One parsed trailer (``Session: 3, 4 done``) of one commit on the default branch."""

    keys: tuple[str, ...]
    status: Status | None  # None with ``reopen``; None without it means an unknown status word
    reopen: bool
    commit: CommitRef
    trailer: str = ""  # as written, for messages

    @classmethod
    def from_update(cls, update: SessionUpdateLike, commit: CommitRef) -> TrailerUpdate:
        return cls(
            keys=tuple(update.keys),
            status=update.status,
            reopen=update.reopen,
            commit=commit,
            trailer=str(getattr(update, "trailer", "")),
        )


def trailer_updates(commit: CommitRef, updates: Iterable[SessionUpdateLike]) -> list[TrailerUpdate]:
    """Attach a commit to the updates parsed from its message (keeps their order)."""
    return [TrailerUpdate.from_update(u, commit) for u in updates]


# --------------------------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class StatusChange:
    """A session's status moved since the last sync: from ``old`` (the baseline) to ``new``.

    One exception: when the outcome is the baseline again because a tracker edit lost to a later event,
    ``old`` is the tracker's status, since the tracker's line is what changes.
    """

    key: str
    old: Status
    new: Status
    source: Source  # the side whose event won
    reason: str  # plain text: "trailer `Session: 3 done` in abc1234 "Pool" by Ann"
    conflict: str | None = None  # what lost, when sides disagreed
    at: datetime | None = None  # time of the winning event
    commit: CommitRef | None = None  # the trailer's commit or the tracker edit's commit
    issue: int | None = None  # forge side: the issue number
    who: str | None = None  # forge side: who closed/reopened/labelled
    tracker_was: Status | None = None  # the tracker's status before this change is written

    @property
    def writes_tracker(self) -> bool:
        """The tracker file needs this status written (it does not say ``new`` yet)."""
        return self.tracker_was != self.new


@dataclass(frozen=True)
class MergeWarning:
    message: str
    key: str | None = None
    commit: str | None = None  # sha

    def __str__(self) -> str:
        return self.message


@dataclass
class MergeResult:
    changes: list[StatusChange] = field(default_factory=list)
    warnings: list[MergeWarning] = field(default_factory=list)
    baseline: dict[str, BaselineEntry] = field(default_factory=dict)  # to store for the next sync
    # Issues whose state/label must follow the outcome: a person changed them and lost to a later event.
    forge_writes: dict[str, Status] = field(default_factory=dict)

    @property
    def tracker_writes(self) -> dict[str, Status]:
        """Key → status for every session whose line in the tracker must change."""
        return {c.key: c.new for c in self.changes if c.writes_tracker}

    @property
    def conflicts(self) -> list[StatusChange]:
        return [c for c in self.changes if c.conflict]


# ------------------------------------------------------------------------------------------ issue state


def parse_status_label(label: str) -> Status | None:
    """``status:in_progress`` (also ``Status: In-Progress``, ``status:wip``: the words of ``syncbot mark``
    and of trailers) → the status; anything else → None."""
    if not label.lower().startswith(STATUS_LABEL_PREFIX):
        return None
    return status_from_word(label[len(STATUS_LABEL_PREFIX) :])


def _entry(baseline: BaselineEntry | Status | None) -> BaselineEntry | None:
    if baseline is None or isinstance(baseline, BaselineEntry):
        return baseline
    return BaselineEntry(baseline)


def _reopen_target(entry: BaselineEntry | None) -> Status:
    if entry is not None and entry.reopen_to is not None and not entry.reopen_to.closed:
        return entry.reopen_to
    return Status.IN_PROGRESS


def observe_issue(issue: Issue, baseline: BaselineEntry | Status | None) -> ForgeObservation | None:
    """The status an issue implies, compared with the baseline; None when it implies nothing.

    The bot left every issue matching the baseline at the last sync (state and ``status:`` label), so any
    difference now is a person's doing.
    """
    entry = _entry(baseline)
    base = entry.status if entry else None
    if issue.state == "closed":
        if issue.state_reason is None and base is not None and base.closed:
            # A forge that records no reason (GitLab) cannot tell done from dropped: closed is what we left.
            return None
        status = Status.DROPPED if issue.state_reason == "not_planned" else Status.DONE
        event = "closed as not planned" if status is Status.DROPPED else "closed as completed"
        return ForgeObservation(status, issue.closed_at, issue.closed_by, event, issue.number)
    if base is not None and base.closed:
        # Open while the baseline says closed: someone reopened it.  The bot's stale `status:done` label
        # says nothing; a label naming an open status says where the person wants it.
        chosen = _person_label(issue, base)
        if chosen is not None and not chosen.closed:
            return ForgeObservation(
                chosen, issue.updated_at, None, f"reopened and labelled status:{chosen}", issue.number
            )
        return ForgeObservation(_reopen_target(entry), issue.updated_at, None, "reopened", issue.number)
    chosen = _person_label(issue, base)
    if chosen is None or chosen.closed:
        # A `status:done` label on an open issue contradicts its state; the state is what people see.
        return None
    return ForgeObservation(chosen, issue.updated_at, None, f"labelled status:{chosen}", issue.number)


def _person_label(issue: Issue, base: Status | None) -> Status | None:
    """The one status label that differs from the baseline; None when none or several do."""
    found = {s for lb in issue.labels if (s := parse_status_label(lb)) is not None and s != base}
    # Several differing labels: we cannot tell which one the person meant, so keep what we had.
    return next(iter(found)) if len(found) == 1 else None


def issue_status(
    issue: Issue, baseline_status: BaselineEntry | Status | None
) -> tuple[Status | None, datetime | None, str | None]:
    """(status the issue implies, when, who); status None when the issue says nothing beyond the baseline."""
    obs = observe_issue(issue, baseline_status)
    if obs is None:
        entry = _entry(baseline_status)
        return (entry.status if entry else None), issue.updated_at, None
    return obs.status, obs.at, obs.who


# ---------------------------------------------------------------------------------------------- merging


@dataclass(frozen=True)
class _Event:
    source: Source
    at: datetime | None
    sort_at: datetime
    seq: int
    status: Status | None  # None: a reopen
    reason: str
    commit: CommitRef | None = None
    issue: int | None = None
    who: str | None = None


def _utc(dt: datetime | None) -> datetime | None:
    # Forges and git give aware times; a naive one is taken as UTC rather than crash on comparison.
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def _stamp(dt: datetime | None) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if dt else "an unknown time"


def _commit_text(commit: CommitRef) -> str:
    by = f" by {commit.author}" if commit.author else ""
    return f'{commit.short} "{commit.subject}"{by}'


def baseline_entries(
    statuses: Mapping[str, str], reopen_to: Mapping[str, str] | None = None
) -> dict[str, BaselineEntry]:
    """Entries from the stored baseline's plain strings (``Baseline.statuses`` and a ``reopen_to`` map).

    A status word this version does not know is left out: that session then counts as new, and the
    tracker's status stands, rather than a guess being merged.
    """
    out: dict[str, BaselineEntry] = {}
    for key, word in statuses.items():
        try:
            status = Status(word)
        except ValueError:
            continue
        back: Status | None = None
        if reopen_to and key in reopen_to:
            try:
                back = Status(reopen_to[key])
            except ValueError:
                back = None
        out[key] = BaselineEntry(status, back)
    return out


def baseline_strings(entries: Mapping[str, BaselineEntry]) -> tuple[dict[str, str], dict[str, str]]:
    """The inverse of :func:`baseline_entries`: (statuses, reopen_to) as plain strings to store."""
    statuses = {k: e.status.value for k, e in entries.items()}
    reopen_to = {k: e.reopen_to.value for k, e in entries.items() if e.reopen_to is not None}
    return statuses, reopen_to


def tracker_statuses(tracker: Tracker) -> dict[str, Status]:
    return {s.key: s.status for s in tracker.sessions}


def _resolve_key(key: str, known: Mapping[str, Status], folded: Mapping[str, list[str]]) -> str | None:
    if key in known:
        return key
    # `t003` for `T003`: accept a case difference when it names exactly one session.
    candidates = folded.get(key.casefold(), [])
    return candidates[0] if len(candidates) == 1 else None


def merge_statuses(
    tracker: Tracker | Mapping[str, Status],
    baseline: Mapping[str, BaselineEntry | Status],
    *,
    tracker_edits: Mapping[str, CommitRef] | None = None,
    forge: Mapping[str, ForgeObservation] | None = None,
    trailers: Sequence[TrailerUpdate] = (),
    tracker_name: str = "the tracker",
) -> MergeResult:
    """Merge every session's status; see the module docstring for the rule.

    ``tracker``: the tracker's statuses now (document order).  ``baseline``: the last sync's statuses; a key
    missing from it is new, and the tracker's status is its baseline (the tracker defines sessions, and the
    first push makes the issue match it).  ``tracker_edits``: for each session whose status the tracker
    changed, the commit that changed it (its time decides against the other sides).  ``forge``: what each
    session's issue implies (see :func:`observe_issue`).  ``trailers``: in commit order on the default
    branch, each commit once; the order is kept even if commit times disagree with it.
    """
    now_status = tracker_statuses(tracker) if isinstance(tracker, Tracker) else dict(tracker)
    edits = tracker_edits or {}
    observed = forge or {}
    result = MergeResult()

    folded: dict[str, list[str]] = {}
    for k in now_status:
        folded.setdefault(k.casefold(), []).append(k)

    per_key: dict[str, list[_Event]] = {k: [] for k in now_status}
    seq = 0
    last_trailer_at = _EPOCH
    for upd in trailers:
        if upd.status is None and not upd.reopen:
            result.warnings.append(
                MergeWarning(
                    f"commit {_commit_text(upd.commit)}: trailer `{upd.trailer or ', '.join(upd.keys)}` has "
                    "no status word syncbot knows; nothing was written. Fix: write a later commit with e.g. "
                    "`Session: <key> done` (done, in-progress, blocked, ready, failed, dropped, reopen).",
                    key=None,
                    commit=upd.commit.sha,
                )
            )
            continue
        # Commit order is the order of record; a rebased commit with an older date must not jump back.
        at = _utc(upd.commit.at)
        last_trailer_at = max(last_trailer_at, at or _EPOCH)
        for raw in upd.keys:
            key = _resolve_key(raw, now_status, folded)
            if key is None:
                known = ", ".join(list(now_status)[:8]) + (", …" if len(now_status) > 8 else "")
                result.warnings.append(
                    MergeWarning(
                        f"commit {_commit_text(upd.commit)}: trailer names session {raw!r}, which "
                        f"{tracker_name} does not have (known keys: {known or 'none'}); nothing was written "
                        f"for it. Fix: write a later commit with a trailer naming an existing key, "
                        f"or add session {raw!r} to {tracker_name}.",
                        key=raw,
                        commit=upd.commit.sha,
                    )
                )
                continue
            what = upd.trailer or f"{raw} {'reopen' if upd.reopen else upd.status}"
            seq += 1
            per_key[key].append(
                _Event(
                    "trailer",
                    at,
                    last_trailer_at,
                    seq,
                    None if upd.reopen else upd.status,
                    f"trailer `{what}` in {_commit_text(upd.commit)}",
                    commit=upd.commit,
                )
            )

    for key, current in now_status.items():
        entry = _entry(baseline.get(key)) or BaselineEntry(current)
        events = list(per_key[key])
        if current != entry.status:
            edit = edits.get(key)
            at = _utc(edit.at) if edit else None
            reason = f"tracker edit in {_commit_text(edit)}" if edit else "tracker edit"
            events.append(_Event("tracker", at, at or _EPOCH, 0, current, reason, commit=edit))
        obs = observed.get(key)
        if obs is not None and obs.status != entry.status:
            at = _utc(obs.at)
            who = f" by {obs.who}" if obs.who else ""
            where = f"issue #{obs.issue}" if obs.issue is not None else "the issue"
            events.append(
                _Event(
                    "forge",
                    at,
                    at or _EPOCH,
                    0,
                    obs.status,
                    f"{where} {obs.event}{who}",
                    issue=obs.issue,
                    who=obs.who,
                )
            )
        change, new_entry = _merge_one(key, entry, current, events)
        result.baseline[key] = new_entry
        if obs is not None and obs.status != new_entry.status:
            result.forge_writes[key] = new_entry.status
        if change is not None:
            result.changes.append(change)
    return result


def _merge_one(
    key: str, entry: BaselineEntry, current: Status, events: list[_Event]
) -> tuple[StatusChange | None, BaselineEntry]:
    events.sort(key=lambda e: (e.sort_at, _TIE_RANK[e.source], e.seq))
    status, reopen_to = entry.status, entry.reopen_to
    produced: list[tuple[_Event, Status]] = []
    for ev in events:
        if ev.status is None:  # reopen
            if status.closed:
                status = reopen_to if reopen_to is not None and not reopen_to.closed else Status.IN_PROGRESS
        else:
            if ev.status.closed and not status.closed:
                reopen_to = status  # remember where a later reopen goes back to
            status = ev.status
        produced.append((ev, status))
    new_entry = BaselineEntry(status, reopen_to)
    if status == current and status == entry.status:
        return None, new_entry
    winner = next(ev for ev, st in reversed(produced) if st == status)
    # Each other side's last word, when it differs from the outcome, lost: that is the conflict to report.
    last_word: dict[Source, tuple[_Event, Status]] = {}
    for ev, st in produced:
        last_word[ev.source] = (ev, st)
    losers = [
        f"{ev.reason} ({_stamp(ev.at)}) wanted {st}"
        for src, (ev, st) in sorted(last_word.items(), key=lambda t: _TIE_RANK[t[0]])
        # A side whose last word is the baseline (a reopen of an open session) changed nothing, so lost nothing.
        if src != winner.source and st != status and st != entry.status
    ]
    conflict = None
    if losers:
        conflict = "; ".join(losers) + f"; the later {winner.reason} ({_stamp(winner.at)}) wins"
    change = StatusChange(
        key=key,
        # Back at the baseline after a tracker edit lost: what changes is the tracker's line.
        old=entry.status if status != entry.status else current,
        new=status,
        source=winner.source,
        reason=winner.reason,
        conflict=conflict,
        at=winner.at,
        commit=winner.commit,
        issue=winner.issue,
        who=winner.who,
        tracker_was=current,
    )
    return change, new_entry
