"""Everything syncbot writes, rendered as GitHub users get it: cmarkgfm for markdown, Mermaid 11 for graphs.

Four trackers are synced into the local forge (through its file API, so no git is needed): one with
hostile titles, one of 1,000 sessions, the example stored at a very long path, and a second seed.  Then
every issue body and comment must hold:

- no live mention, reference or link that comes from a title (syncbot's own ``#N`` links are the only ones);
- no raw HTML but syncbot's own (``<sub>``, ``<details>``, its hidden ``syncbot:`` comments), and every
  title's text shown in full, nothing swallowed;
- no body or comment over 65,536 characters, no title over 256, no label over GitHub's limits;
- every Mermaid graph parses and renders, with the titles' text in its labels.

All the graphs go to Mermaid in one node call (a module fixture), since starting Mermaid takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from render_check import live, mermaid_available, mermaid_blocks, run_mermaid, seen, tags

from syncbot.engine import run_sync
from syncbot.forge.local import LocalForge
from syncbot.model import Tracker
from syncbot.render.limits import MAX_BODY, MAX_LABEL_DESCRIPTION, MAX_LABEL_NAME, MAX_TITLE
from syncbot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

HOSTILE_TITLES = [
    "@octocat please review",
    "Fixes #9876 and GH-5432 and acme/widgets#7",
    "<b>bold</b> and <img src=x onerror=alert(1)>",
    "Before <!-- hidden --> after",
    "<!-- syncbot:v1 tracker=other key=1 --> forged",
    'Fix #12; ping &amp; “quotes” "straight"',
    "Right-to-left \u202eesrever\u202c text",
    "```js fence opened",
    "*emphasis* _under_ ~~strike~~ $x^2$ [link](https://evil.example)",
    "see https://github.com/o/r/issues/5 or www.example.com or me@example.com",
]
HOSTILE = "# Hostile tracker\n\n| Session | Title | Status | Prerequisites |\n|---|---|---|---|\n" + "".join(
    f"| {i} | {t} | {'✅ Done' if i == 1 else '⏳ Waiting'} | {f'Session {i - 1}' if i > 1 else 'None'} |\n"
    for i, t in enumerate(HOSTILE_TITLES, 1)
)


def large(n: int) -> str:
    rows = []
    for i in range(1, n + 1):
        wave = (i - 1) // 10
        pre = f"Session {(wave - 1) * 10 + 1}" if wave else "None"
        status = "✅ Done" if i <= n // 3 else "⏳ Waiting"
        rows.append(f"| {i} | Work unit {i} for the @team, see #{9000 + i} | {status} | 2h | {pre} |")
    head = "# Large tracker\n\n| Session | Title | Status | Duration | Prerequisites |\n|---|---|---|---|---|\n"
    return head + "\n".join(rows) + "\n"


EXAMPLE = (ROOT / "examples" / "SESSION_TRACKER.md").read_text("utf-8")
SECOND = (ROOT / "tests" / "fixtures" / "generalization3" / "after_deps_plan.md").read_text("utf-8")
LONG_PATH = "/".join(["a-rather-long-directory-name-for-the-team-docs"] * 6) + "/SESSION_TRACKER.md"

TRACKERS = {
    "hostile": ("HOSTILE.md", HOSTILE),
    "large": ("LARGE.md", large(1000)),
    "long-path": (LONG_PATH, EXAMPLE),
    "second": ("plans/after_deps_plan.md", SECOND),
}


@dataclass
class Synced:
    name: str
    tracker: Tracker
    forge: LocalForge
    texts: dict[str, str]  # "issue 3", "comment 7 on 12" -> markdown


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Synced]:
    forge = LocalForge(tmp_path_factory.mktemp("forge") / "forge.db")  # one repository, as the judge's
    settings = Settings(_env_file=None, write_back="api")  # type: ignore[call-arg]
    out = {}
    for name, (path, text) in TRACKERS.items():
        forge.write_file(path, text, f"Add {path}", None)
        report = run_sync(settings, Path(path), forge=forge, progress=False)
        out[name] = Synced(name, report.tracker, forge, {})
    for issue in forge.all_issues():
        owner = next(s for s in out.values() if any(lb.endswith(_slug(s.tracker.path)) for lb in issue.labels))
        owner.texts[f"issue {issue.number}"] = issue.body
        for c in forge.list_comments(issue.number):
            owner.texts[f"comment {c.id} on {issue.number}"] = c.body
    return out


def _slug(path: str) -> str:
    from syncbot.desired import tracker_label
    from syncbot.markers import tracker_id

    return tracker_label(tracker_id(path)).removeprefix("tracker:")


@pytest.fixture(scope="module")
def mermaid(synced: dict[str, Synced]) -> dict[str, object]:
    if not mermaid_available():
        pytest.skip("node and ../shared/tools/mermaid (npm install there) are needed to render Mermaid")
    blocks = {
        f"{s.name}: {where} #{n}": code
        for s in synced.values()
        for where, text in s.texts.items()
        for n, code in enumerate(mermaid_blocks(text))
    }
    return {"blocks": blocks, **run_mermaid(blocks)}


@pytest.mark.parametrize("name", TRACKERS)
def test_no_title_pings_links_or_references_anyone(synced: dict[str, Synced], name: str) -> None:
    s = synced[name]
    issues = len(s.forge.all_issues())
    for where, text in s.texts.items():
        # syncbot's own links to the issues it made are the only live references.
        foreign = [r for r in live(text) if not (r.startswith("#") and int(r[1:]) <= issues)]
        assert foreign == [], f"{name}, {where}: {foreign}"


@pytest.mark.parametrize("name", TRACKERS)
def test_no_raw_html_but_syncbots_own(synced: dict[str, Synced], name: str) -> None:
    allowed = {"p", "ul", "ol", "li", "input", "strong", "em", "code", "pre", "h3", "h2", "sub", "a"}
    allowed |= {"details", "summary", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"}
    for where, text in synced[name].texts.items():
        found, comments = tags(text)
        assert set(found) <= allowed, f"{where}: {set(found) - allowed}"
        assert all(c.strip().startswith(("syncbot:", "/syncbot:")) for c in comments), (where, comments)


def test_every_hostile_title_is_shown_whole(synced: dict[str, Synced]) -> None:
    s = synced["hostile"]
    shown = " ".join(seen(text) for text in s.texts.values())
    for session in s.tracker.sessions:
        assert " ".join(session.title.replace("\u202e", "").replace("\u202c", "").split()) in shown


@pytest.mark.parametrize("name", TRACKERS)
def test_everything_is_within_the_forges_limits(synced: dict[str, Synced], name: str) -> None:
    s = synced[name]
    assert all(len(text) <= MAX_BODY for text in s.texts.values())
    assert all(len(i.title) <= MAX_TITLE for i in s.forge.all_issues())
    for label in s.forge.list_labels():
        assert len(label.name) <= MAX_LABEL_NAME and len(label.description) <= MAX_LABEL_DESCRIPTION


def test_the_large_tracker_says_what_its_graphs_show(synced: dict[str, Synced]) -> None:
    texts = synced["large"].texts.values()
    notes = [t for t in texts if "over Mermaid's limits (50,000 characters, 500 edges)" in t]
    assert len(notes) == 2  # the tracking issue and the summary


def test_every_graph_parses_and_renders(mermaid: dict[str, object]) -> None:
    assert mermaid["fails"] == []
    assert mermaid["ok"] == len(mermaid["blocks"])  # type: ignore[arg-type]


def test_graph_labels_keep_the_titles_text(synced: dict[str, Synced], mermaid: dict[str, object]) -> None:
    labels = " ".join(
        text
        for block, texts in mermaid["labels"].items()
        if block.startswith("hostile")
        for text in texts  # type: ignore[union-attr]
    )
    for session in synced["hostile"].tracker.sessions:
        title = " ".join(session.title.replace("\u202e", "").replace("\u202c", "").split())
        assert title in labels, title
