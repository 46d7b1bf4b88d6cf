"""The hidden markers syncbot writes into issue bodies, and the sync baseline kept in the tracking issue.

An issue body the bot owns looks like this (bedevere's habit: HTML comments delimit one block that every
run replaces, so nothing is ever appended twice)::

    <!-- syncbot:v1 tracker=session-tracker-md key=3 -->
    <!-- syncbot:begin -->
    ...rendered from the tracker, replaced on every sync...
    <!-- syncbot:end -->
    ...free area: whatever people write here is kept...

The first line is the identity of the issue.  The bot finds its issues by this marker only, never by title
and never by a local database, so a crash or a lost disk cannot create duplicates.

**Only the bot's own region is read as state.**  The marker counts only as the body's first line, followed
by ``BEGIN``; the region up to the first ``END`` must hold exactly one marker and one ``BEGIN``.  A marker
pasted anywhere else (a quote in the free area, a title copied into a block) never makes an issue the
bot's.  The baseline is read only from the last line of the tracking issue's block, as a whole line, and
carries a checksum: a hand-edited baseline is reported and ignored, never obeyed.

**Tracker id.**  :func:`tracker_id` is a slug of the tracker's path *relative to the repository root*:
lower-cased, every run of characters other than ``a-z0-9`` turned into one ``-``
(``docs/SESSION_TRACKER.md`` → ``docs-session-tracker-md``).  It is stable for as long as the file keeps
its path; moving the file makes a new tracker (its old issues are then left alone, as another tracker's).

**Keys** are percent-encoded in the marker (``quote`` with ``-._~`` safe), so a key can never end the
comment.  The tracking issue uses the reserved key ``@tracking``: ``@`` is always encoded in a real key,
so no session can collide with it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

from syncbot.render.inert import code_span

TRACKING_KEY = "@tracking"

BEGIN = "<!-- syncbot:begin -->"
END = "<!-- syncbot:end -->"

_MARKER_RE = re.compile(r"<!--\s*syncbot:v1\s+tracker=(\S+)\s+key=(\S+)\s*-->")
_MARKER_LINE = re.compile(r"<!-- syncbot:v1 tracker=(\S+) key=(\S+) -->[ \t]*(?:\n|$)")
_BASELINE_LINE = re.compile(r"<!-- syncbot:baseline (\{.*\}|z:[A-Za-z0-9+/=]+) -->")
_MILESTONE_TAG_RE = re.compile(r"<!--\s*syncbot:v1\s+tracker=(\S+)\s+milestone\s*-->")

# A reference to another session's issue whose number may not be known yet (it is created in the same
# apply).  Private-use characters never occur in text people write, so resolving is a plain substitution.
_REF_OPEN, _REF_CLOSE = "\ue000", "\ue001"
_REF_RE = re.compile(f"{_REF_OPEN}([^{_REF_CLOSE}]*){_REF_CLOSE}")


def tracker_id(path: str) -> str:
    """The stable slug of a tracker path relative to the repository root (see the module docstring)."""
    posix = PurePosixPath(path.replace("\\", "/")).as_posix().removeprefix("./")
    slug = re.sub(r"[^a-z0-9]+", "-", posix.lower()).strip("-")
    return slug or "tracker"


def _enc(key: str) -> str:
    return quote(key, safe="-._~")


def marker(tracker: str, key: str) -> str:
    """The identity line of one issue; the tracking issue uses ``key=TRACKING_KEY`` verbatim."""
    enc = key if key == TRACKING_KEY else _enc(key)
    return f"<!-- syncbot:v1 tracker={tracker} key={enc} -->"


def milestone_tag(tracker: str) -> str:
    """Put in a milestone's description: only milestones carrying it are updated or closed by the bot."""
    return f"<!-- syncbot:v1 tracker={tracker} milestone -->"


def milestone_owner(description: str) -> str | None:
    m = _MILESTONE_TAG_RE.search(description or "")
    return m.group(1) if m else None


@dataclass(frozen=True)
class Parsed:
    """An issue body split into what the bot owns and what people own."""

    tracker: str
    key: str
    block: str  # between BEGIN and END, without the delimiters
    free: str  # everything after END, as people wrote it


def parse(body: str | None) -> Parsed | None:
    """Split a body written by :func:`compose`; ``None`` unless it is the bot's (see the module docstring):
    the marker is the first line, and the region up to the first ``END`` holds one marker and one BEGIN."""
    text = (body or "").replace("\r\n", "\n").lstrip("\ufeff \t\n")
    m = _MARKER_LINE.match(text)
    if not m:
        return None
    tracker, raw_key = m.group(1), m.group(2)
    key = raw_key if raw_key == TRACKING_KEY else unquote(raw_key)
    rest = text[m.end() :]
    e = rest.find(END)
    region = rest if e < 0 else rest[:e]
    if _MARKER_RE.search(region) or region.count(BEGIN) > 1:
        return None  # two identities, or two blocks: not something the bot wrote
    b = region.find(BEGIN)
    if b < 0:
        return None  # a marker line alone (a person's issue, or a copy of a line) is not the bot's body
    if e < 0:
        # Someone removed the end delimiter: treat everything after the marker as the bot's block, so the
        # next sync rewrites a well-formed body instead of guessing where people's text starts.
        return Parsed(tracker, key, rest.strip("\n"), "")
    block = rest[b + len(BEGIN) : e].strip("\n")
    free = rest[e + len(END) :].lstrip("\n")
    return Parsed(tracker, key, block, free)


def compose(tracker: str, key: str, block: str, free: str = "") -> str:
    """The full body: marker, the bot's block, and the people's free area kept verbatim."""
    body = f"{marker(tracker, key)}\n{BEGIN}\n{block.strip(chr(10))}\n{END}\n"
    if free:
        body += "\n" + free.lstrip("\n")
    return body


def ref(key: str) -> str:
    """A placeholder for a link to the issue of ``key``, resolved by :func:`resolve_refs`."""
    return f"{_REF_OPEN}{key}{_REF_CLOSE}"


def resolve_refs(text: str, numbers: dict[str, int], *, final: bool = False) -> str:
    """Replace placeholders with ``#N`` where the number is known.

    Unknown numbers stay placeholders unless ``final``; then they fall back to the key as plain text, so a
    body never shows a private-use character.
    """

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in numbers:
            return f"#{numbers[key]}"
        return code_span(key) if final else m.group(0)

    return _REF_RE.sub(sub, text)


def display(text: str) -> str:
    """Placeholders made readable for a plan printed before the numbers exist (``#?3``)."""
    return _REF_RE.sub(lambda m: f"#?{m.group(1)}", text)


# --- the baseline -------------------------------------------------------------------------------------


@dataclass
class Baseline:
    """What the last sync left behind, kept hidden in the tracking issue (no local database).

    - ``statuses``: the status of every key as last synced; the three-way merge compares both sides to it.
    - ``watermark``: the last commit whose trailers were applied.
    - ``links``: the native ``blocked by`` links the bot created, as ``(key, blocker key)``.  Knowing them
      from here costs no request per issue.  Links are idempotent at the forge, so a crash between adding a
      link and writing the baseline only repeats a harmless add.
    - ``summary_hash``: a hash of the last posted summary, so an unchanged summary is not posted again.
    """

    statuses: dict[str, str] = field(default_factory=dict)
    watermark: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    summary_hash: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # fields a newer syncbot wrote; kept round-trip

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        data.update(
            {
                "v": 1,
                "statuses": dict(sorted(self.statuses.items())),
                "watermark": self.watermark,
                "links": [list(p) for p in sorted(set(self.links))],
                "summary_hash": self.summary_hash,
            }
        )
        data.pop("sum", None)
        data["sum"] = _checksum(data)
        return data

    def to_text(self) -> str:
        """One hidden comment.  ``<``, ``>`` and ``&`` are JSON-escaped so the comment cannot be closed early."""
        raw = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        raw = raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"<!-- syncbot:baseline {_pack(raw)} -->"

    @classmethod
    def from_text(cls, body: str | None) -> Baseline:
        """The baseline of a tracking issue's body (or block); an empty one when there is none or it
        cannot be trusted.  :func:`read_baseline` also says why."""
        return read_baseline(body)[0]


def read_baseline(body: str | None) -> tuple[Baseline, str | None]:
    """The baseline and, when one was found but ignored, why (for a warning).

    Read only from the bot's region: ``body`` may be a whole tracking issue (its block is used) or the
    block itself, and the baseline must be that block's last line, whole.  A baseline whose checksum does
    not match was edited by hand: it is ignored, so the sync behaves as a first sync would.
    """
    parsed = parse(body)
    block = parsed.block if parsed is not None else (body or "").replace("\r\n", "\n")
    lines = [line for line in block.strip().split("\n") if line.strip()]
    m = _BASELINE_LINE.fullmatch(lines[-1].strip()) if lines else None
    if not m:
        stray = "syncbot:baseline" in (body or "")
        return Baseline(), "a baseline outside the bot's place was ignored" if stray else None
    try:
        data = json.loads(_unpack(m.group(1)))
    except ValueError:
        return Baseline(), "the baseline is not valid JSON; ignored"
    if not isinstance(data, dict):
        return Baseline(), "the baseline is not a JSON object; ignored"
    if "sum" in data and data.get("sum") != _checksum({k: v for k, v in data.items() if k != "sum"}):
        return Baseline(), "the baseline was edited by hand (its checksum does not match); ignored"
    # A field of the wrong shape is read as left out, never a crash.
    known = {"v", "statuses", "watermark", "links", "summary_hash", "sum"}
    statuses, links = data.get("statuses"), data.get("links")
    return Baseline(
        statuses={str(k): str(v) for k, v in statuses.items()} if isinstance(statuses, dict) else {},
        watermark=_str_or_none(data.get("watermark")),
        links=[(str(p[0]), str(p[1])) for p in links if isinstance(p, list) and len(p) == 2]
        if isinstance(links, list)
        else [],
        summary_hash=_str_or_none(data.get("summary_hash")),
        extra={k: v for k, v in data.items() if k not in known},
    ), None


def _checksum(data: dict[str, Any]) -> str:
    """A digest of the baseline's fields: it catches a hand edit (not a forger, who can write the tracker
    anyway; what keeps forged text out is that only the bot's place is read)."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# A large tracker's baseline (statuses and links of thousands of sessions) would not fit in the tracking
# issue's body (65,536 characters), so above this size it is stored zlib-compressed, in base64 (whose
# alphabet cannot close the comment), after ``z:``.
PACK_ABOVE = 4_000
_PACKED = "z:"


def _pack(raw: str) -> str:
    if len(raw) <= PACK_ABOVE:
        return raw
    return _PACKED + base64.b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode("ascii")


def _unpack(text: str) -> str:
    if not text.startswith(_PACKED):
        return text
    try:
        return zlib.decompress(base64.b64decode(text[len(_PACKED) :], validate=True)).decode("utf-8")
    except (ValueError, zlib.error):
        raise ValueError("unreadable packed baseline") from None
