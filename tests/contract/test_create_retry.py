"""A create is never resent blindly: after a lost answer (5xx) the adapter looks for the issue first.

Runs on the HTTP forges (the local forge has no network to lose an answer in).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syncbot.forge.base import Forge
from syncbot.markers import compose

ForgeFactory = Callable[[], Forge]
LABEL = "tracker:t-md"


def emulator_of(forge: Forge, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if forge.name == "local":
        pytest.skip("the local forge has no network")
    return request.getfixturevalue("github_emulator" if forge.name == "github" else "gitlab_emulator")


def posts(emulator, what: str) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for method, path, _ in emulator.log if method == "POST" and path.split("?")[0].endswith(what))


def test_a_create_whose_answer_was_lost_is_found_not_repeated(
    forge_factory: ForgeFactory, request: pytest.FixtureRequest
) -> None:
    forge = forge_factory()
    emulator = emulator_of(forge, request)
    body = compose("t-md", "3", "the unit")
    forge.list_issues(LABEL)
    emulator.inject(502, {"message": "Bad Gateway"}, method="POST", carry_out=True)

    issue = forge.create_issue("Session 3: API", body, [LABEL], None)

    made = [i for i in forge.list_issues(LABEL)]
    assert [i.number for i in made] == [issue.number]
    assert posts(emulator, "/issues") == 1


def test_a_create_that_made_nothing_is_sent_again(forge_factory: ForgeFactory, request: pytest.FixtureRequest) -> None:
    forge = forge_factory()
    emulator = emulator_of(forge, request)
    forge.list_issues(LABEL)
    emulator.inject(503, {"message": "Service Unavailable"}, method="POST")

    issue = forge.create_issue("Session 3: API", compose("t-md", "3", "the unit"), [LABEL], None)

    assert [i.number for i in forge.list_issues(LABEL)] == [issue.number]
    assert posts(emulator, "/issues") == 2


def test_reads_are_still_retried(forge_factory: ForgeFactory, request: pytest.FixtureRequest) -> None:
    forge = forge_factory()
    emulator = emulator_of(forge, request)
    emulator.inject(502, {"message": "Bad Gateway"}, method="GET")
    assert forge.list_issues(LABEL) == []
