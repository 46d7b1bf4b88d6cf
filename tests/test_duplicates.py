"""Finding duplicates is pure: the oldest issue of a key is the unit's, newer ones are duplicates."""

from __future__ import annotations

from syncbot.duplicates import find_duplicates, retired_body
from syncbot.forge.base import Issue
from syncbot.markers import compose, parse


def issue(number: int, body: str, state: str = "open") -> Issue:
    return Issue(number, f"#{number}", body, state)  # type: ignore[arg-type]


def test_newer_copies_are_duplicates_of_the_oldest() -> None:
    issues = [issue(7, compose("t", "1", "b")), issue(3, compose("t", "1", "a")), issue(9, compose("t", "1", "c"))]
    found = find_duplicates("t", issues)
    assert [(d.key, d.keep, d.extra.number) for d in found] == [("1", 3, 7), ("1", 3, 9)]
    assert found[0].line == "closed #7 as a duplicate of #3 (unit 1)"


def test_a_person_s_issue_or_another_tracker_s_is_never_a_duplicate() -> None:
    marker_only = compose("t", "1", "x").split("\n")[0] + "\nI think unit 1 is broken."
    issues = [issue(1, compose("t", "1", "a")), issue(2, marker_only), issue(3, compose("other", "1", "a"))]
    assert find_duplicates("t", issues) == []


def test_a_retired_duplicate_is_nobody_s_unit() -> None:
    body = retired_body(compose("t", "1", "a", "notes"), keep=3)
    assert parse(body) is None
    assert body.startswith("<!-- syncbot:duplicate tracker=t key=1 of=#3 -->") and "notes" in body
