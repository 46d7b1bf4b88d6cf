"""Reading hints: what a user writes when syncbot's inference reads a tracker wrong, and how
`inspect --explain` shows which rule read each unit and why the rest was left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syncbot.cli import main
from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.readers.hints import HintError, ReadingHints
from syncbot.settings import SettingsError, hints_for, load_settings

# German headers the built-in vocabulary does not know, keys written as `Ticket ABC-1`, statuses in the
# team's own words, and a risk register below.
TRACKER = """# Projekt

## Aufgaben

| Nummer | Vorhaben | Zustand | Braucht |
| --- | --- | --- | --- |
| Ticket ABC-1 | Datenbank | geschlossen | – |
| Ticket ABC-2 | API | in Arbeit | ABC-1 |
| Ticket ABC-3 | Oberfläche | 🟣 | ABC-2 |

## Risiken

| ID | Risiko | Status |
| --- | --- | --- |
| R1 | Zeit | open |
| R2 | Geld | open |
"""

HINTS = ReadingHints(
    key="Nummer",
    status="Zustand",
    prerequisites="Braucht",
    key_pattern=r"^(?:Ticket )?(ABC-\d+)",
    status_words=(("geschlossen", Status.DONE), ("in Arbeit", Status.IN_PROGRESS), ("🟣", Status.BLOCKED)),
)

TOML = """
[[trackers]]
path = "TRACKER.md"
forge = "local"

[trackers.read]
key = "Nummer"
status = "Zustand"
prerequisites = "Braucht"
key_pattern = '^(?:Ticket )?(ABC-\\d+)'
status_words = { "geschlossen" = "done", "in Arbeit" = "in_progress", "🟣" = "blocked" }
"""


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["syncbot", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err


def units(hints: ReadingHints | None) -> dict[str, tuple[str, list[str]]]:
    tracker, _ = read_document(Document("TRACKER.md", TRACKER), hints=hints)
    return {s.key: (s.status.value, s.prerequisites) for s in tracker.sessions}


def test_without_hints_the_unusual_table_is_misread() -> None:
    read = units(None)
    assert "ABC-1" not in read  # keys come out as slugs of `Ticket ABC-1`, `geschlossen` is no status


def test_hints_name_the_columns_the_key_pattern_and_the_status_words() -> None:
    assert units(HINTS) == {
        "ABC-1": ("done", []),
        "ABC-2": ("in_progress", ["ABC-1"]),
        "ABC-3": ("blocked", ["ABC-2"]),
    }


def test_the_table_hint_picks_the_table_and_leaves_the_others_out() -> None:
    doc = Document("TRACKER.md", TRACKER)
    tracker, results = read_document(doc, hints=ReadingHints(table="Risiken", key="ID", status="Status"))
    assert [s.key for s in tracker.sessions] == ["R1", "R2"]  # a risk register, because the user says so
    notes = next(r.notes for r in results if r.reader == "table")
    left_out = (
        "line 5: table (nummer | vorhaben | zustand | braucht) left out: hint table='Risiken' names another table"
    )
    assert left_out in notes


def test_heading_level_makes_every_heading_of_that_level_a_unit() -> None:
    text = "# Plan\n\n### Datenbank\nZustand: geschlossen\n\n### API\nStatus: in progress\n\n### UI\nStatus: todo\n"
    hints = ReadingHints(heading_level=3, status_words=(("geschlossen", Status.DONE),))
    tracker, _ = read_document(Document("PLAN.md", text), hints=hints)
    assert [(s.key, s.status.value, s.rule) for s in tracker.sessions] == [
        ("datenbank", "done", "sections: hinted section heading at level 3"),
        ("api", "in_progress", "sections: hinted section heading at level 3"),
        ("ui", "planned", "sections: hinted section heading at level 3"),
    ]


def test_key_pattern_rekeys_headings_and_their_prerequisites() -> None:
    text = "# Plan\n\n## Ticket ABC-7 Login\nStatus: done\n\n## Ticket ABC-8 Logout\nStatus: todo\nDepends on: ABC-7\n"
    tracker, _ = read_document(Document("PLAN.md", text), hints=ReadingHints(key_pattern=r"^Ticket (ABC-\d+)"))
    assert [(s.key, s.title, s.prerequisites) for s in tracker.sessions] == [
        ("ABC-7", "Login", []),
        ("ABC-8", "Logout", ["ABC-7"]),
    ]


def test_inspect_explain_names_the_reader_per_unit_and_why_a_table_was_skipped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "TRACKER.md").write_text(TRACKER, encoding="utf-8")
    (tmp_path / "syncbot.toml").write_text(TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(monkeypatch, capsys, "inspect", "TRACKER.md", "--config", "syncbot.toml", "--explain")
    assert code == 0
    assert "line 7: ABC-1 <- table: row of the table on line 5" in out
    assert "table: chosen" in out
    assert "line 13: table (id | risiko | status) left out: its headers say risks" in out
    assert "sections: not used" in out  # every other reader says what it looked for

    code, out, _ = run(monkeypatch, capsys, "inspect", "TRACKER.md", "--config", "syncbot.toml", "--json")
    data = json.loads(out)
    first = data["sessions"][0]
    assert (first["key"], first["status"], first["rule"]) == (
        "ABC-1",
        "done",
        "table: row of the table on line 5",
    )


def test_hints_on_the_command_line_override_the_config(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "TRACKER.md").write_text(TRACKER, encoding="utf-8")
    (tmp_path / "syncbot.toml").write_text(TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["inspect", "TRACKER.md", "--json", "--config", "syncbot.toml", "--hint", "status_word=🟣:failed"]
    code, out, _ = run(monkeypatch, capsys, *args)
    assert code == 0
    assert [s["status"] for s in json.loads(out)["sessions"]] == ["done", "in_progress", "failed"]


@pytest.mark.parametrize(
    ("hint", "message"),
    [
        (
            "status=Statu",
            "hint status column 'Statu' matches no table header in TRACKER.md; "
            "headers are: Nummer, Vorhaben, Zustand, Braucht, ID, Risiko, Status",
        ),
        ("table=Backlog", "hint table 'Backlog' matches no table heading or header in TRACKER.md; tables are: line 5"),
        ("heading_level=4", "hint heading_level 4 matches no heading in TRACKER.md; heading levels used: 1, 2"),
        ("key_pattern=ABC-\\d+", "has 0 groups; put exactly one group around the key"),
        ("status_word=zu:fertig", "status word 'zu' maps to 'fertig'; put one of planned, ready, in_progress"),
        ("colour=red", "unknown hint(s) colour; known hints are shape, table, heading_level"),
        ("status", "--hint 'status': put NAME=VALUE"),
    ],
)
def test_a_bad_hint_is_a_clear_error_with_exit_2(
    hint: str, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "TRACKER.md").write_text(TRACKER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(monkeypatch, capsys, "inspect", "TRACKER.md", "--hint", hint)
    assert code == 2
    assert message in " ".join(err.split())


def test_settings_parse_the_read_table_of_a_tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SYNCBOT_CONFIG", "SYNCBOT_TRACKER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "syncbot.toml"
    cfg.write_text(TOML, encoding="utf-8")
    (entry,) = load_settings(config=cfg).tracker_configs()
    assert entry.hints == HINTS
    assert hints_for(cfg, Path("TRACKER.md")) == HINTS
    assert load_settings(config=cfg).reading_hints(Path("TRACKER.md")) == HINTS  # what `sync` reads with
    assert hints_for(cfg, Path("OTHER.md")) is None

    cfg.write_text('[[trackers]]\npath = "TRACKER.md"\nread = { status_words = { "zu" = "closed" } }\n')
    with pytest.raises(SettingsError, match=r"entry 1, read: .*status word 'zu' maps to 'closed'; put one of"):
        load_settings(config=cfg)


def test_hints_validate_themselves() -> None:
    with pytest.raises(HintError, match="heading_level 9 is no heading level; put 1 to 6"):
        ReadingHints(heading_level=9)
    with pytest.raises(HintError, match="is not a regular expression"):
        ReadingHints(key_pattern="(")
