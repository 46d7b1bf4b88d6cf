"""Cheap checks put in front of slower ones, so that a long document is not scanned for what it cannot hold,
answer exactly as the slower checks alone do, on the cases that come closest to fooling them."""

from __future__ import annotations

import re

import pytest

from syncbot.readers.common import _MOJIBAKE_MARKERS, detect_mojibake
from syncbot.readers.dep_revisions import _ANY_RE, _ANY_WORDS
from syncbot.readers.key_index import slug_shaped


@pytest.mark.parametrize(
    "text",
    [
        "plain text, ✅ done, 🚧 doing",
        "über alles; √2; ‚quoted‘",  # the markers' first characters alone
        "Status: ‚úÖ Done",  # a check mark read as Mac Roman
        "√© caf√©",
        "ü",
        "‚",
        "",
    ],
)
def test_mojibake_is_told_as_by_every_marker(text: str) -> None:
    """No marker: no mojibake; a marker: the whole text decides, as before any check of its first characters."""
    if not any(m in text for m in _MOJIBAKE_MARKERS):
        assert detect_mojibake(text) is False
    else:
        assert detect_mojibake(text) == (text.encode("mac_roman").decode("utf-8") != text)


@pytest.mark.parametrize(
    "text",
    [
        "P2 AHORA DEPENDE DE P1",
        "P2 agora  depende do P1",
        "P2 DÉPEND MAINTENANT DE P1",
        "P2 Hängt\tjetzt von P1 ab",
        "P2 HÄNGT JETZT VON P1",
        "depende; dépendance; hängte",  # the words without the rest
        "nothing of the kind",
    ],
)
def test_a_revision_in_another_language_is_not_skipped(text: str) -> None:
    """A text `_ANY_RE` matches holds one of `_ANY_WORDS` once lower-cased, in any case it is written."""
    if _ANY_RE.search(text):
        assert any(w in text.lower() for w in _ANY_WORDS)


@pytest.mark.parametrize(
    "key",
    ["ups-for-the-rack", "32-gb-ram-kit-for-the-ds923", "a-b", "ab-cd", "x-y-z", "1-2-3", "VS-001", "Ab-cd-ef", "12"],
)
def test_a_key_with_fewer_than_two_hyphens_is_no_slug(key: str) -> None:
    slow = key == key.lower() and sum(bool(re.search(r"[^\W\d_]", p)) for p in key.split("-")) >= 3
    assert slug_shaped(key) is slow
