"""`P3-1 now depends on P2-4`: a log line that replaces what a unit waits for (`readers/dep_revisions.py`)."""

from __future__ import annotations

import time

from syncbot.readers.dep_revisions import _REVISED_RE


def _cpu(text: str) -> float:
    started = time.process_time()
    _REVISED_RE.search(text)
    return time.process_time() - started


def test_the_key_is_read_whole_and_where_its_run_starts() -> None:
    for text, key in [
        ("- **P3-1 now depends on P2-4** (P2-2 is gone)", "P3-1"),
        ("#12 now needs #4", "#12"),
        ("x#12 now needs #4", "12"),
        ("foo.P3-3 now requires P1-4", "foo.P3-3"),
    ]:
        m = _REVISED_RE.search(text)
        assert m is not None and m.group("key") == key, text
    assert _REVISED_RE.search("abc now depends on P1-1") is None


def test_a_long_token_is_searched_in_linear_work() -> None:
    """A line of one long token of letters and digits (`a1a1…`, no `now` after it): the key's pattern tried
    every split of the token at every start (2 KB took 17 s, cubic).  Four times the token takes about four
    times the work."""
    small, large = "a1" * 25_000 + " x", "a1" * 100_000 + " x"
    assert _cpu(large) < 2.0
    assert _cpu(large) / max(_cpu(small), 1e-4) < 12
