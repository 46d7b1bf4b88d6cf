"""Creating an issue at most once, through a network that may lose the answer.

A create (POST) is not idempotent: resent after a timeout or a 5xx, it may make a second issue when the
first one was made and only its answer was lost.  PyGithub's ``GithubRetry`` resends POSTs, and
python-gitlab's ``retry_transient_errors`` does too, so the adapters turn that off for creates
(reads, edits and deletes keep their retries) and go through :func:`create_once`: after an unanswered
create it looks for the issue by its marker among the issues created since the attempt (numbers above
the newest one known before it), and sends again only when it is not there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from loguru import logger

from syncbot.forge.base import ForgeError, Issue
from syncbot.markers import parse

ATTEMPTS = 3


class Unanswered(Exception):
    """The create timed out or got a 5xx: it may or may not have happened."""


def same_issue(sent_title: str, sent_body: str, candidate: Issue) -> bool:
    """Whether ``candidate`` is the issue a create sent: by marker, else (no marker) by title and body."""
    mine, theirs = parse(sent_body), parse(candidate.body)
    if mine is not None:
        return theirs is not None and (theirs.tracker, theirs.key) == (mine.tracker, mine.key)
    return candidate.title == sent_title and candidate.body.strip() == sent_body.strip()


def create_once(
    send: Callable[[], Issue],
    recent: Callable[[], Iterable[Issue]],
    title: str,
    body: str,
    *,
    newest_before: int,
    forge: str,
    attempts: int = ATTEMPTS,
) -> Issue:
    """``send()`` the create; after an :class:`Unanswered` one, look among ``recent()`` issues numbered
    above ``newest_before`` for it before sending again."""
    for attempt in range(1, attempts + 1):
        try:
            return send()
        except Unanswered as exc:
            found = [i for i in recent() if i.number > newest_before and same_issue(title, body, i)]
            if found:
                issue = min(found, key=lambda i: i.number)
                logger.info("{}: the create of {!r} went unanswered but made #{}", forge, title, issue.number)
                return issue
            if attempt == attempts:
                raise ForgeError(f"{forge}: could not create issue {title!r} ({exc}); run again later") from None
            logger.info("{}: the create of {!r} went unanswered and made nothing; sending it again", forge, title)
    raise AssertionError("unreachable")
