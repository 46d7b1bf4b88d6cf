"""One installation token per installation, each cached until near its expiry.

:class:`~syncbot.auth.InstallationTokens` keeps one token fresh; a fleet serves many installations, so
:class:`TokenPool` keeps one of those per installation id, created on first use and dropped when the
installation goes away.  Minting and the clock are injected: tests count mints under a fake clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from syncbot.auth import REFRESH_MARGIN_SECONDS, InstallationTokens, Token

Mint = Callable[[int], Token]
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TokenPool:
    """Installation tokens by installation id.  Thread-safe: syncs of many trackers share one pool."""

    def __init__(self, mint: Mint, *, margin: float = REFRESH_MARGIN_SECONDS, clock: Clock = _utc_now) -> None:
        self._mint = mint
        self._margin = margin
        self._clock = clock
        self._tokens: dict[int, InstallationTokens] = {}
        self._lock = threading.Lock()

    def _of(self, installation_id: int) -> InstallationTokens:
        with self._lock:
            tokens = self._tokens.get(installation_id)
            if tokens is None:
                tokens = self._tokens[installation_id] = InstallationTokens(
                    lambda: self._mint(installation_id), margin=self._margin, clock=self._clock
                )
            return tokens

    def get(self, installation_id: int) -> str:
        """A token of the installation with more than ``margin`` seconds to live (minted when needed)."""
        return self._of(installation_id).get()

    def source(self, installation_id: int) -> Callable[[], str]:
        """A function returning the installation's current token, for clients that ask per request (it
        follows :meth:`forget`: the next call mints a new one)."""
        return lambda: self.get(installation_id)

    def forget(self, installation_id: int) -> None:
        """The installation was deleted or suspended: its token is of no further use."""
        with self._lock:
            self._tokens.pop(installation_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._tokens)

    def __repr__(self) -> str:
        return f"TokenPool({len(self)} installation(s), <tokens hidden>)"
