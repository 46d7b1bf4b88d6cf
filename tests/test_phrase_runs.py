"""Status phrases looked for at an ASCII word with only the phrases that start with that word
(`vocabulary_match.run_phrase_re`) are the phrases `phrase_re()` finds there: the same match, span and text, at
every word of generated texts made of the phrases themselves, in several cases, and for every status
reading of every fixture line (`classify_status`, `status_marks`)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from syncbot.readers import vocabulary_match

ROOT = Path(__file__).parent.parent
DOCS = sorted(
    p
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "golden", ROOT / "examples")
    for p in folder.glob("**/*")
    if p.suffix in (".md", ".txt") and p.is_file()
)


def _old_first_phrase(text: str) -> re.Match[str] | None:
    if vocabulary_match.NON_ASCII_WORD_CHAR.search(text) is not None:
        return vocabulary_match.phrase_re().search(text)
    for w in vocabulary_match.WORD_RUN.finditer(text):
        if w.group().lower() in vocabulary_match.FIRST_RUNS:
            m = vocabulary_match.phrase_re().match(text, w.start())
            if m is not None:
                return m
    return None


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return vocabulary_match.phrase(a) == vocabulary_match.phrase(b)


def _check(text: str) -> None:
    if vocabulary_match.NON_ASCII_WORD_CHAR.search(text) is None:
        for w in vocabulary_match.WORD_RUN.finditer(text):
            run = w.group().lower()
            if run in vocabulary_match.FIRST_RUNS:
                rx = vocabulary_match.run_phrase_re(run)
                new = rx.match(text, w.start()) if rx is not None else None
                assert _same(new, vocabulary_match.phrase_re().match(text, w.start())), (text, run)
    assert _same(vocabulary_match.first_phrase(text), _old_first_phrase(text)), text


def test_every_phrase_at_its_first_word() -> None:
    for p, _ in vocabulary_match.PHRASES:
        for t in (p, p.upper(), p.title(), f"x {p} y", f"{p}-x", f"{p}s", f"({p})", f"**{p}** 3"):
            _check(t)


def test_generated_texts() -> None:
    rnd = random.Random(3)
    words = [p for p, _ in vocabulary_match.PHRASES if p.isascii()]
    pieces = [*words, " ", " ", "-", "_", "x", "3", "✅", "(", ")", ":", "on", "in", "not", "🚧", "İ", "ı"]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        for t in (text, text.upper(), text.title()):
            _check(t)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_line(path: Path) -> None:
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        _check(line)
