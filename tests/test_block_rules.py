"""Leaving out the block rules that cannot match (syncbot.readers.block_rules) changes no token.

Checked on every tracker the tests and the shared corpora hold, on one example of every rule's construct (in
lists, blockquotes, with CRLF line ends), and on generated documents mixing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from syncbot.readers.block_rules import idle_rules, parser_for
from syncbot.readers.common import markdown, new_markdown

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "trackers"


def _tokens(tokens: list[Token]) -> list[dict[str, object]]:
    return [t.as_dict() for t in tokens]


def assert_same_tokens(text: str) -> None:
    assert _tokens(parser_for(text, new_markdown).parse(text)) == _tokens(markdown().parse(text))


def _documents() -> list[Path]:
    docs = sorted(p for p in (HERE / "fixtures").rglob("*") if p.is_file())
    docs += sorted((HERE / "golden").glob("*.md")) + sorted((HERE.parent / "examples").glob("*.md"))
    for folder in ("seeds", "corpus", "corpus2"):
        docs += sorted((SHARED / folder).glob("*"))
    return [p for p in docs if p.suffix in (".md", ".txt", ".markdown")]


@pytest.mark.parametrize("path", _documents(), ids=lambda p: str(p.relative_to(p.parent.parent)))
def test_same_tokens_on_trackers(path: Path) -> None:
    assert_same_tokens(path.read_text(encoding="utf-8", errors="replace"))


# one text per rule whose construct needs that rule; the rule must stay on for it
_NEEDED = [
    ("table", "| a | b |\n|---|---|\n| 1 | 2 |\n"),
    ("code", "para\n\n    code\n"),
    ("code", "para\n\n\tcode\n"),
    ("code", "-     code in an item\n"),
    ("code", ">     quoted code\n"),
    ("fence", "```\ncode\n```\n"),
    ("fence", "- ~~~py\n  x\n  ~~~\n"),
    ("blockquote", "> quote\n"),
    ("hr", "a\n\n* * *\n"),
    ("hr", "- x\n- _ _ _\n"),
    ("reference", "[a]: /url\n\n[a]\n"),
    ("reference", "[multi\nline]: /url\n"),
    ("html_block", "<div>\nx\n</div>\n"),
    ("html_block", "<!-- note -->\n"),
    ("lheading", "Title\n=====\n"),
    ("lheading", "Title\r\n---  \r\n"),
    ("lheading", "Title\r---\r"),
    ("lheading", "> Title\n> ---\n"),
    ("lheading", "- Title\n  ===\n"),
    ("lheading", "1. > Title\n   > ---\n"),
]


@pytest.mark.parametrize(("rule", "text"), _NEEDED)
def test_a_rule_stays_on_where_its_construct_is(rule: str, text: str) -> None:
    assert rule not in idle_rules(text)
    assert_same_tokens(text)


def test_rules_whose_marks_are_missing_are_left_out() -> None:
    text = "# Tasks\n\n- [ ] T001 Build\n- [x] T002 Test (depends on T001)\n"
    assert idle_rules(text) == {"table", "code", "fence", "blockquote", "hr", "reference", "html_block", "lheading"}
    assert idle_rules("a -- b\n\n**bold**\n") == {*idle_rules(text)}  # `--` and `**` are no thematic break
    assert "hr" not in idle_rules("a - - - b\n")  # a necessary condition only: kept, though no rule matches


_LINES = [
    "",
    "text",
    "Title",
    "# Heading",
    "## Heading ##",
    "- [ ] item",
    "  - nested",
    "1. ordered",
    "2) ordered",
    "* star",
    "+ plus",
    "> quote",
    "> > deeper",
    ">     quoted code",
    "---",
    "===",
    "  ---  ",
    "* * *",
    "___",
    "- - -",
    "    indented",
    "\tindented",
    "```",
    "~~~",
    "```py",
    "[ref]: /url",
    "[ref]",
    "<div>",
    "</div>",
    "<!-- c -->",
    "| a | b |",
    "|---|---|",
    "a | b",
    "--- | ---",
    "-     code",
]


@st.composite
def _document(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(_LINES), max_size=14))
    prefix = draw(st.sampled_from(["", "- ", "> ", "  ", "1. "]))
    lines = [prefix + ln if draw(st.booleans()) else ln for ln in lines]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document())
def test_same_tokens_on_generated_documents(text: str) -> None:
    assert_same_tokens(text)
