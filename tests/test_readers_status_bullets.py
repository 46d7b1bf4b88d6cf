"""Lists whose items carry their status as a label, with no checkboxes: which lists are plans, how their items
are keyed and named, and what a status said elsewhere (a log line, a released version) makes of them."""

from __future__ import annotations

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.readers.legend import read_legend


def read(text: str) -> dict[str, tuple[str, Status, list[str]]]:
    tracker, _ = read_document(Document("notes.md", text))
    return {s.key: (s.title, s.status, s.prerequisites) for s in tracker.sessions}


AGENT_NOTES = """\
# CLAUDE.md

## Commands

- `make test` — unit tests
- `make lint` — golangci-lint

## Definition of done (not tasks)

- [ ] `make test` green
- [ ] New behaviour covered by a test

## Plan

- T1 — Journal parser — done
- T2 — Balance assertions — done [needs T1]
- T3 — CSV import: Nordea — doing [needs T1]
- T4 — Terminal UI — dropped (out of scope for 1.0)
- T5 — Man page — todo [needs T2, T3]

## Session log

- 2025-05-12 — T5: started it in a branch.
"""


def test_a_plan_among_other_lists_is_read_and_a_checklist_beside_it_is_not() -> None:
    """The `## Plan` list is the only list whose items carry statuses; the commands list is no plan, and the
    definition-of-done boxes are a checklist of its own, outweighed by a plan whose items carry ids.  `T1 —`
    is an id because a dash sets it off; the title ends where the status segment starts; `[needs T1]` is a
    dependency note, not a part of the title; the log below says T5 was started."""
    units = read(AGENT_NOTES)
    assert list(units) == ["T1", "T2", "T3", "T4", "T5"]
    assert units["T2"] == ("Balance assertions", Status.DONE, ["T1"])
    assert units["T3"] == ("CSV import: Nordea", Status.IN_PROGRESS, ["T1"])
    assert units["T4"][:2] == ("Terminal UI", Status.DROPPED)
    assert units["T5"] == ("Man page", Status.IN_PROGRESS, ["T2", "T3"])


def test_a_numbered_plan_with_legend_marks_beside_numbered_lists_of_questions() -> None:
    """Under `## Implementation plan` most steps carry a mark of the legend (or are struck through); the numbered
    motivation and open questions carry none and stay prose.  Steps with no mark have not started."""
    units = read(
        "# RFC 42\n\n## Motivation\n\n1. Upgrades once instead of 140 times.\n2. Cheaper hosting.\n3. One query.\n\n"
        "## Implementation plan\n\nSymbols: ✔ done · ▶ in progress · ⏸ on hold\n\n"
        "1. ✔ **Add the tenant column** (migration 0310).\n"
        "2. ▶ **RLS policies** — after step 1.\n"
        "3. **Composite indexes** — after step 2.\n"
        "4. ✖ ~~**Per-tenant keys**~~ — abandoned.\n"
        "5. ⏸ **Migration tool** — after step 3.\n\n"
        "## Open questions\n\n1. Do councils need a database of their own?\n2. Do we ask for consent?\n"
        "3. How long are backups kept?\n"
    )
    assert list(units) == ["1", "2", "3", "4", "5"]
    assert units["1"][1] is Status.DONE
    assert units["2"][1:] == (Status.IN_PROGRESS, ["1"])
    assert units["3"][1:] == (Status.PLANNED, ["2"])
    assert units["4"][1] is Status.DROPPED
    assert units["5"][1] is Status.BLOCKED


def test_a_list_where_every_item_says_the_same_is_a_tag_not_a_plan() -> None:
    """`- NEW: src/app.py` on every item of a list of files, among other lists, is no plan."""
    units = read(
        "# Log\n\n## Notes\n\n- Decided to split the work\n- Framework complete\n- More later\n- And more\n\n"
        "## Files\n\n- NEW: src/app.py\n- NEW: src/db.py\n- NEW: src/api.py\n"
    )
    assert units == {}


def test_bold_ids_key_the_items_and_an_id_listed_twice_is_one_unit() -> None:
    """`- **F-01** Movement **[done]**` is F-01 (the bold id leads the item); F-15, struck in its milestone and
    listed again on the cut list, is one unit."""
    units = read(
        "# Milestones\n\nMarks: **[done]** · **[in progress]** · **[dropped]**\n\n## M1\n\n"
        "- **F-01** Movement in snow **[done]**\n- **F-02** Thermometer **[in progress]**\n"
        "- ~~**F-15** Multiplayer~~ **[dropped]**\n\n## Cut list\n\n"
        "- **F-15** Multiplayer — too big **[dropped]**\n- **F-24** Dog sled **[dropped]**\n"
    )
    assert list(units) == ["F-01", "F-02", "F-15", "F-24"]
    assert units["F-01"][:2] == ("Movement in snow", Status.DONE)
    assert units["F-15"][1] is Status.DROPPED


def test_the_entries_of_a_released_version_are_done() -> None:
    """A roadmap written as a changelog turned around: `## [0.8.0] — 2025-03-14` is a version and its release
    date, so its entries (no marker) shipped; the ideas list, with no ids, stays out.  An underscore inside
    a word (`1.04_01`) is no emphasis."""
    units = read(
        "# Roadmap\n\n## [1.0.0] — not released\n\n### Added\n"
        "- #71 RSA signatures — requires #64 *(in progress)*\n- #75 SAF-T 1.04_01 export *(todo)*\n"
        "- #78 QR code *(done)*\n\n"
        "## [0.9.0] — not released\n\n### Added\n- #64 Private keys *(done)*\n\n"
        "## [0.8.0] — 2025-03-14\n\n### Added\n- #55 Sequential numbering\n- #56 Credit notes — requires #55\n\n"
        "## Ideas\n\n- Transport guides\n- Thermal printers\n"
    )
    assert set(units) == {"71", "75", "78", "64", "55", "56"}
    assert units["71"] == ("RSA signatures", Status.IN_PROGRESS, ["64"])
    assert units["75"][0] == "SAF-T 1.04_01 export"
    assert units["55"][1] is Status.DONE
    assert units["56"][1:] == (Status.DONE, ["55"])


def test_a_legend_line_of_many_marks_counts_even_when_one_word_is_known() -> None:
    """`⚪ not begun · 🟢 going · 🟡 at risk · 🔴 stuck · ❌ dropped`: five glossed marks make the line a legend;
    the one meaning we know (❌ dropped, not the built-in failed) holds."""
    line = "States: ⚪ nyet · 🟢 marxa · 🟡 risc · 🔴 encallat · ❌ dropped"
    legend = read_legend(Document("okr.md", f"# OKR\n\n{line}\n"))
    assert legend == {"❌": Status.DROPPED}


def test_a_log_line_naming_two_units_gives_each_its_status() -> None:
    """`KR1.2 ✅ · IN-2 ✅` and `KR1.1 🚧 i IN-1 🔴`: once a key has its status, the next key opens a statement of
    its own, whatever joins the two."""
    units = read(
        "# OKR\n\n| KR | Result | State |\n| --- | --- | --- |\n| KR1.1 | Deploy time | ⚪ |\n"
        "| KR1.2 | Rollback | ⚪ |\n| IN-1 | Pipeline | ⚪ |\n| IN-2 | Helm chart | ⚪ |\n\n"
        "## Check-in\n\n- KR1.2 ✅ · IN-2 ✅\n- KR1.1 🚧 i IN-1 🔴\n"
    )
    assert units["KR1.2"][1] is Status.DONE
    assert units["IN-2"][1] is Status.DONE
    assert units["KR1.1"][1] is Status.IN_PROGRESS
    assert units["IN-1"][1] is Status.BLOCKED


def test_a_status_after_a_note_with_its_date_or_after_a_dash_with_what_blocks_it() -> None:
    """`**#498 Retry policies** (`Retry(total=5)`) ✅ merged 2026-03-02` is done; `— ⏸️ blocked by
    python-trio/trio#2901 (…)` is blocked, whatever blocks it following the status."""
    got = read(
        "# Roadmap\n\n## Now\n\n- **#498 Retry policies** (`Retry(total=5)`) ✅ merged 2026-03-02\n"
        "- **#541 Typed hooks** — 🚧 draft; after #498\n"
        "- **#455 Trio support** — ⏸️ blocked by python-trio/trio#2901 (cancel scopes)\n"
    )
    assert [st for _, st, _ in got.values()] == [Status.DONE, Status.PLANNED, Status.BLOCKED]
