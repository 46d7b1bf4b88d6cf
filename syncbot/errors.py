"""Errors a user can act on.  Kept out of :mod:`syncbot.cli` so pure modules (the planner, the forge
factory) can raise them without importing the command line; the CLI boundary prints them as one line."""

from __future__ import annotations

EXIT_PROBLEMS = 1  # validation found problems / plan refused
EXIT_INPUT = 2  # the input cannot be read at all
EXIT_FORGE = 3  # the forge refused or failed (token, access, rate limit, 422)


class UserError(Exception):
    """An error the user can fix; printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


class TrackerError(Exception):
    """A document that cannot be read at all (missing, binary, empty). The CLI exits 2.

    Defined here (and re-exported by :mod:`syncbot.readers.common`) so the command line can catch it
    without importing the readers, markdown-it and ftfy before it knows it has a tracker to read."""
