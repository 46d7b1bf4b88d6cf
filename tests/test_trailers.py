"""The pure trailer parser against git itself, and the session grammar on top of it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, find, given, settings
from hypothesis import strategies as st

from syncbot.model import Status
from syncbot.trailers import (
    BOT_TRAILER,
    SessionUpdate,
    is_bot_commit,
    parse_session_value,
    parse_trailers,
    session_updates,
)

MESSAGES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "git-trailers" / "messages"


def git_parse(message: str, env: dict[str, str], cwd: Path) -> str:
    """The oracle: ``git interpret-trailers --parse``, outside any repository and with no user config."""
    proc = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message.encode("utf-8"),
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=10,
        check=True,
    )
    return proc.stdout.decode("utf-8")


def ours(message: str) -> str:
    return "".join(f"{key}: {value}\n" for key, value in parse_trailers(message))


@pytest.fixture
def oracle_env(git_env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **git_env}


# --- the reference corpus -------------------------------------------------------------------------------


def reference_messages() -> list[Path]:
    return sorted(MESSAGES.glob("*.txt")) if MESSAGES.is_dir() else []


@pytest.mark.skipif(not MESSAGES.is_dir(), reason="../shared/reference/git-trailers is absent")
@pytest.mark.parametrize("path", reference_messages(), ids=lambda p: p.name)
def test_reference_message_agrees_with_git(path: Path, oracle_env: dict[str, str], tmp_path: Path) -> None:
    message = path.read_bytes().decode("utf-8")
    assert ours(message) == git_parse(message, oracle_env, tmp_path)


# Cases the corpus does not spell out, each chosen to break one rule a simpler parser would get wrong.
EDGE_CASES = {
    "no_trailing_newline": "Subject\n\nSession: 3 done",
    "colon_first": "Subject\n\n: 3 done\n",
    "tab_before_colon": "Subject\n\nSession\t: 3\n",
    "continuation_after_comment": "Subject\n\nA: 1\n# c\n  more\n",
    "continuation_only_block": "Subject\n\n  indented\n  lines\n",
    "cherry_pick_mostly_prose": "Subject\n\n(cherry picked from commit abc)\none\ntwo\nthree\n",
    "sob_without_space": "Subject\n\nSigned-off-by:Ann\none\n",
    "divider_in_subject": "--- Subject\n\nSession: 3\n",
    "divider_no_newline": "Subject\n\nSession: 3\n---",
    "divider_with_text": "Subject\n\nSession: 3\n--- a/file\nSession: 4\n",
    "four_dashes": "Subject\n\nSession: 3\n----\n",
    "cut_line": "Subject\n\nSession: 3\n# ------------------------ >8 ------------------------\nX: 1\n",
    "old_conflicts_block": "Subject\n\nSession: 3\n\nConflicts:\n\tfile.c\n",
    "comment_subject": "# comment\nSubject\n\nSession: 3\n",
    "blank_with_spaces_before_block": "Subject\n   \nSession: 3\n",
    "crlf_continuation": "Subject\r\n\r\nSession: 3\r\n  more\r\n",
    "vertical_tab_is_not_space": "Subject\n\nSession: 3\n\vmore\n",
    "unicode_key": "Subject\n\nSéssion: 3\n",
    "empty": "",
    "only_blank_lines": "\n\n\n",
    "trailing_blank_with_spaces": "Subject\n\nSession: 3\n  \n\t\n",
    "sob_exactly_25pct": "S\n\nSigned-off-by: A\na\nb\nc\n",
    "key_with_digits_and_leading_dash": "S\n\nKey-2: x\n-x: y\n",
    "indented_trailer_after_comment": "S\n\nSigned-off-by: a\n# c\n B: 1\n : 2\n",
    "comment_then_conflicts_block": "S\n\nA: 1\n# c\nConflicts:\n\tx.c\n# d\n",
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_case_agrees_with_git(name: str, oracle_env: dict[str, str], tmp_path: Path) -> None:
    message = EDGE_CASES[name]
    assert ours(message) == git_parse(message, oracle_env, tmp_path)


# --- generated messages ---------------------------------------------------------------------------------

CUT_LINE = "# ------------------------ >8 ------------------------"
_text = st.text(
    alphabet=st.sampled_from([*"abcAZ019 -_:=.,<>@()#\t", "\r", "\v", "é", "ß", "—"]), min_size=0, max_size=12
)
_key = st.sampled_from(
    ["Session", "session", "SESSIONS", "Signed-off-by", "Co-authored-by", "See", "Session Id", "Key-2", "-x", "ü"]
)
_sep = st.sampled_from([":", ": ", " : ", "\t:", "=", "= ", ":  ", "::"])
_trailer_line = st.builds(lambda k, s, v: f"{k}{s}{v}", _key, _sep, _text)
_line = st.one_of(
    _trailer_line,
    _trailer_line,
    st.builds(lambda v: f"Signed-off-by: {v}", _text),
    st.builds(lambda v: f"(cherry picked from commit {v})", _text),
    st.builds(lambda ws, v: ws + v, st.sampled_from([" ", "  ", "\t"]), _text),  # continuation
    st.builds(lambda v: "#" + v, _text),  # comment
    st.sampled_from(["---", "--- a/file.py", "----", "---x", "Conflicts:", "\tpath.c", CUT_LINE]),
    st.sampled_from(["", " ", "\t", "\r"]),  # blank, or blank to git
    _text,  # prose
)
_paragraph = st.lists(_line, min_size=1, max_size=6)


@st.composite
def messages(draw: st.DrawFn) -> str:
    paragraphs = draw(st.lists(_paragraph, min_size=1, max_size=4))
    lines = [line for i, p in enumerate(paragraphs) for line in ([""] if i else []) + p]
    # git 2.39 never returns when a scissors line follows a `---` divider; keep the oracle answering.
    divider = next((i for i, line in enumerate(lines) if line.startswith("---")), len(lines))
    lines = [line if line != CUT_LINE or i < divider else "# scissors" for i, line in enumerate(lines)]
    lines += [""] * draw(st.integers(0, 2))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=messages())
@example(message="S\n\nSession: 1\n  two\nSigned-off-by: A\n")
def test_generated_message_agrees_with_git(message: str, oracle_env: dict[str, str], tmp_path: Path) -> None:
    assert ours(message) == git_parse(message, oracle_env, tmp_path)


def test_generator_reaches_trailer_blocks_git_accepts() -> None:
    # Differential tests over messages without trailers would agree trivially.
    found = find(messages(), lambda m: len(parse_trailers(m)) >= 3 and "\r\n" in m and "#" in m)
    assert len(parse_trailers(found)) >= 3


def test_oracle_is_really_consulted(oracle_env: dict[str, str], tmp_path: Path) -> None:
    # Guards the differential tests against a git that prints nothing for everything.
    assert git_parse("S\n\nSession: 3 done\n", oracle_env, tmp_path) == "Session: 3 done\n"


# --- the session grammar --------------------------------------------------------------------------------

GRAMMAR = [
    ("3 done", ("3",), Status.DONE),
    ("3 complete", ("3",), Status.DONE),
    ("3 completed", ("3",), Status.DONE),
    ("3 finished", ("3",), Status.DONE),
    ("3 DONE", ("3",), Status.DONE),
    ("3, 4 done", ("3", "4"), Status.DONE),
    ("3,4 done", ("3", "4"), Status.DONE),
    ("3 and 4 done", ("3", "4"), Status.DONE),
    ("3-5 in-progress", ("3", "4", "5"), Status.IN_PROGRESS),
    ("03-05 started", ("03", "04", "05"), Status.IN_PROGRESS),
    ("3 in progress", ("3",), Status.IN_PROGRESS),
    ("3 in_progress", ("3",), Status.IN_PROGRESS),
    ("3 start", ("3",), Status.IN_PROGRESS),
    ("3 wip", ("3",), Status.IN_PROGRESS),
    ("component-99 blocked", ("component-99",), Status.BLOCKED),
    ("3 blocked on IP-04", ("3",), Status.BLOCKED),
    ("T003 done", ("T003",), Status.DONE),
    ("T003-T005 done", ("T003-T005",), Status.DONE),  # ranges only for integer keys
    ("3 ready", ("3",), Status.READY),
    ("3 failed", ("3",), Status.FAILED),
    ("3 dropped", ("3",), Status.DROPPED),
    ("3 cancelled", ("3",), Status.DROPPED),
    ("00 done.", ("00",), Status.DONE),
]


@pytest.mark.parametrize(("value", "keys", "status"), GRAMMAR)
def test_grammar(value: str, keys: tuple[str, ...], status: Status) -> None:
    update, warnings = parse_session_value(value)
    assert warnings == []
    assert update is not None
    assert (update.keys, update.status, update.reopen) == (keys, status, False)


def test_reopen_is_a_marker_not_a_status() -> None:
    update, warnings = parse_session_value("3 reopen")
    assert warnings == []
    assert update == SessionUpdate(keys=("3",), status=None, reopen=True, trailer="Session: 3 reopen")


def test_note_after_the_status_is_kept() -> None:
    update, _ = parse_session_value("3 blocked on IP-04, waiting for keys")
    assert update is not None
    assert update.note == "on IP-04, waiting for keys"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3 finito", ["unknown status word 'finito'", "use one of done"]),
        ("3", ["has no status word", "'Session: 3 done'"]),
        ("done", ["names no session"]),
        ("", ["names no session"]),
        ("5-3 done", ["not a range"]),
        ("1-100000 done", ["not a range"]),
        ("1-" + "9" * 5000 + " done", ["not a range"]),  # (more digits than Python reads as a number)
    ],
)
def test_problems_are_warnings_naming_the_trailer_and_the_fix(value: str, expected: list[str]) -> None:
    update, warnings = parse_session_value(value)
    assert update is None
    assert len(warnings) >= 1
    text = " ".join(warnings)
    assert f"'Session: {value}'" in text
    for fragment in expected:
        assert fragment in text


def test_session_updates_reads_only_the_trailer_block() -> None:
    message = (
        "Finish pools\n\nSession: 9 done is mentioned in prose here\nand more prose.\n\n"
        "Session: 3 done\nSessions: 4-5 in-progress\nsession: 6 blocked\nSession: 7 finito\n"
        "Signed-off-by: Ann <ann@example.com>\n"
    )
    updates, warnings = session_updates(message)
    assert [(u.keys, u.status) for u in updates] == [
        (("3",), Status.DONE),
        (("4", "5"), Status.IN_PROGRESS),
        (("6",), Status.BLOCKED),
    ]
    assert len(warnings) == 1 and "finito" in warnings[0]


def test_the_trailer_key_is_a_setting_and_case_insensitive() -> None:
    message = "Work\n\nSTEP: 2 done\nSteps: 3, 4 ready\nSession: 5 done\n"
    updates, warnings = session_updates(message, key="Step")
    assert [u.keys for u in updates] == [("2",), ("3", "4")]
    assert warnings == []
    assert session_updates(message, key="Task") == ([], [])


def test_bot_commits_are_recognised_by_their_trailer_only() -> None:
    assert is_bot_commit(f"syncbot: update tracker\n\nSession: 3 done\n{BOT_TRAILER}\n")
    assert is_bot_commit("syncbot: update tracker\n\nsyncbot-commit: YES\n")
    assert not is_bot_commit(f"{BOT_TRAILER}\n")  # a subject is never a trailer
    assert not is_bot_commit(f"Mention it\n\n{BOT_TRAILER} in the body\nof prose.\n")
    assert not is_bot_commit("Human\n\nSyncbot-Commit: no\n")
