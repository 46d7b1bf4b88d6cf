"""What people see: markdown rendered with cmarkgfm (GitHub's cmark-gfm) and Mermaid 11 under jsdom.

- :func:`render` gives the HTML GitHub's renderer makes of a body (raw HTML kept, so a test sees it);
- :func:`seen` gives the text a reader sees, with the zero-width joiners syncbot adds taken out;
- :func:`live` lists mentions and references GitHub would link in that text (outside code and links);
- :func:`tags` lists the HTML tags a body carries, comments included;
- :func:`run_mermaid` parses and renders Mermaid blocks with ``../shared/tools/mermaid`` in one node call.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options

MERMAID_TOOL = Path(__file__).resolve().parents[2] / "shared" / "tools" / "mermaid"
ZWJ = "\u200d"
# What GitHub turns into a ping or a cross-reference in text (not in code, not already a link).
_LIVE = re.compile(r"(?<![\w`])@[A-Za-z0-9][\w-]*|(?<![\w&])#\d+\b|\bGH-\d+\b|\b[\w.-]+/[\w.-]+#\d+\b|https?://|www\.")


def render(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class _Text(HTMLParser):
    def __init__(self, *, skip_code: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_code = skip_code
        self.depth = 0
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if self.skip_code and tag in ("code", "pre", "a"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip_code and tag in ("code", "pre", "a"):
            self.depth -= 1

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def _parse(markdown: str, *, skip_code: bool) -> _Text:
    parser = _Text(skip_code=skip_code)
    parser.feed(render(markdown))
    parser.close()
    return parser


def seen(markdown: str) -> str:
    """The text a reader sees (code included), whitespace collapsed, zero-width joiners removed."""
    text = "".join(_parse(markdown, skip_code=False).parts).replace(ZWJ, "")
    return " ".join(text.split())


def live(markdown: str) -> list[str]:
    """Mentions, references and bare URLs GitHub would link in the rendered text."""
    return _LIVE.findall("".join(_parse(markdown, skip_code=True).parts))


def tags(markdown: str) -> tuple[list[str], list[str]]:
    """The HTML tags and the HTML comments (their text) in the rendered body."""
    parser = _parse(markdown, skip_code=False)
    return parser.tags, parser.comments


def mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)\n```$", markdown, flags=re.DOTALL | re.MULTILINE)


def mermaid_available() -> bool:
    return shutil.which("node") is not None and (MERMAID_TOOL / "node_modules" / "mermaid").is_dir()


def run_mermaid(blocks: dict[str, str]) -> dict[str, Any]:
    """``{"ok", "bad", "fails", "labels"}`` for the blocks by id; labels as the text a reader sees."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "blocks.json"
        path.write_text(json.dumps([{"id": k, "code": v} for k, v in blocks.items()]), "utf-8")
        out = subprocess.run(
            ["node", "mermaid_check.mjs", str(path)],
            cwd=MERMAID_TOOL,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["labels"] = {
        k: [html.unescape(re.sub(r"<[^>]+>", "", raw)) for raw in v] for k, v in result["labels"].items()
    }
    return result
