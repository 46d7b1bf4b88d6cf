"""State is read only from the bot's own region of a body: a forged marker or baseline is never obeyed."""

from __future__ import annotations

from syncbot.markers import TRACKING_KEY, Baseline, compose, parse, read_baseline

REAL = Baseline(statuses={"1": "done"}, watermark="abc", links=[("2", "1")], summary_hash="h")
FORGED = Baseline(statuses={"1": "dropped"}, watermark="evil", links=[("1", "2")])


def tracking_body(block_lines: list[str], baseline: Baseline = REAL, free: str = "") -> str:
    return compose("t-md", TRACKING_KEY, "\n".join([*block_lines, baseline.to_text()]), free)


def test_the_baseline_is_the_last_line_of_the_bot_block() -> None:
    assert read_baseline(tracking_body(["- [x] #1 Title"])) == (REAL, None)


def test_a_baseline_forged_in_a_title_is_not_read() -> None:
    # A session title copied into the task list, carrying a baseline comment of its own.
    title_line = f"- [ ] #1 Sneaky {FORGED.to_text()} — `planned`"
    body = compose("t-md", TRACKING_KEY, title_line)  # the bot's real baseline is missing
    assert read_baseline(body) == (Baseline(), "a baseline outside the bot's place was ignored")
    # With the real one in its place, the forged one changes nothing.
    assert read_baseline(tracking_body([title_line]))[0] == REAL


def test_a_baseline_in_the_free_area_is_not_read() -> None:
    body = compose("t-md", TRACKING_KEY, "- [x] #1 Title", free=FORGED.to_text())
    assert read_baseline(body)[0] == Baseline()


def test_a_hand_edited_baseline_is_reported_and_ignored() -> None:
    body = tracking_body(["x"]).replace('"1":"done"', '"1":"dropped"')
    baseline, why = read_baseline(body)
    assert baseline == Baseline()
    assert why is not None and "edited by hand" in why


def test_a_baseline_written_before_checksums_is_still_read() -> None:
    legacy = '<!-- syncbot:baseline {"statuses":{"1":"done"},"v":1,"watermark":"abc"} -->'
    assert read_baseline(compose("t", TRACKING_KEY, legacy))[0].statuses == {"1": "done"}


def test_a_marker_counts_only_as_the_first_line() -> None:
    bot = compose("t-md", "3", "block")
    assert parse(bot) is not None
    assert parse("Please look at this:\n\n" + bot) is None  # quoted by a person
    assert parse("> " + bot) is None


def test_two_identities_or_two_blocks_are_not_the_bot_s() -> None:
    marker = compose("t-md", "3", "x").split("\n")[0]
    assert parse(compose("t-md", "4", marker)) is None
    assert parse(compose("t-md", "4", "<!-- syncbot:begin -->")) is None


def test_a_marker_in_people_s_text_below_the_block_is_theirs() -> None:
    other = compose("t-md", "9", "x").split("\n")[0]
    p = parse(compose("t-md", "3", "block", free=f"copied: {other}"))
    assert p is not None and p.key == "3"


def test_a_person_s_issue_that_starts_with_a_marker_is_not_adopted() -> None:
    marker = compose("t-md", "3", "x").split("\n")[0]
    assert parse(marker + "\nPlease fix the login page.") is None
