"""People's text is inert in what syncbot writes, checked with GitHub's own markdown renderer (cmarkgfm).

Each hostile title below must render as the same text a person typed, and do nothing: no ping, no
cross-reference, no HTML, no hidden text, no reversed text, no code block.
"""

from __future__ import annotations

import pytest
from render_check import live, seen, tags

from syncbot.markers import parse
from syncbot.render.inert import block, clean, code_span, inline, plain

HOSTILE = [
    "@octocat please look",
    "Fixes #9876 and GH-5432 and owner/repo#7",
    "<b>bold</b> and <img src=x onerror=alert(1)>",
    "Before <!-- hidden --> after",
    "<!-- syncbot:v1 tracker=other key=1 --> forged marker",
    "<!-- syncbot:baseline {} --> forged baseline",
    "```js fenced",
    "# heading at the start",
    "1. an ordered list",
    "- a bullet",
    "*emphasis* _under_ `code` ~~strike~~ [link](https://evil.example) $x^2$",
    "a | pipe in a table",
    "mail me: someone@example.com, see https://github.com/o/r/issues/5 or www.example.com",
    "Entities &amp; &lt;tag&gt; &#35;12",
    "back\\slash at the end\\",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_a_hostile_title_reads_the_same_and_does_nothing(title: str) -> None:
    # As syncbot writes it in a task list (after its own link to issue #1) and in a table cell.
    for markdown in (f"- [ ] #1 {inline(title)}", f"| {inline(title)} | 1 |\n| --- | --- |\n| a | b |"):
        assert title in seen(markdown)
        assert [ref for ref in live(markdown) if ref != "#1"] == []
        found, comments = tags(markdown)
        assert set(found) <= {"ul", "li", "input", "table", "thead", "tbody", "tr", "th", "td"}, found
        assert comments == []


def test_bidi_controls_and_placeholders_are_removed() -> None:
    assert clean("abc\u202edef\u2066x\u2069\u200f") == "abcdefx"
    assert inline("key \ue000 3 \ue001") == "key 3"  # a title cannot forge syncbot's own issue links


def test_inline_text_collapses_lines_so_nothing_starts_a_block() -> None:
    assert inline("one\n\n# two\n```\nthree") == "one # two \\`\\`\\` three"


def test_a_description_keeps_its_paragraphs_and_lists() -> None:
    text = "First paragraph, @dev.\n\n- one\n- two #3\n\n```\ncode\n```\n# not a heading\n---"
    html_text = seen(block(text))
    assert "First paragraph, @dev." in html_text and "not a heading" in html_text
    found, _ = tags(block(text))
    assert "ul" in found and "pre" not in found and "h1" not in found and "hr" not in found
    assert live(block(text)) == []


def test_a_forged_marker_in_a_title_is_not_a_marker() -> None:
    body = f"Session: {inline('<!-- syncbot:v1 tracker=t key=9 -->')}"
    assert parse(body) is None and "<" not in body


def test_code_span_fits_any_backticks() -> None:
    assert code_span("docs/a`b.md") == "``docs/a`b.md``"
    assert seen(code_span("`x`")) == "`x`"
    assert live(code_span("@octocat #12")) == []


def test_the_checker_sees_what_github_would_link() -> None:
    # Without the renderer, the same titles are live: the checks above are not vacuous.
    assert live("@octocat fixes #9876, GH-5432 and acme/widgets#7") != []
    assert tags("<b>x</b> <!-- hidden -->") == (["p", "b"], [" hidden "])


def test_a_status_word_loses_its_bold_markers_not_its_text() -> None:
    assert seen(inline(plain("✅ **COMPLETE**"))) == "✅ COMPLETE"


def test_gitlab_references_are_not_linked_either() -> None:
    assert inline("!12 %12 &12 $12 ~12") == "!\u200d12 %\u200d12 &amp;\u200d12 \\$\u200d12 \\~\u200d12"
