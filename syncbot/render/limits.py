"""The forges' documented size limits, and fitting text inside them.

GitHub (REST, ``@octokit/openapi``): an issue title at most 256 characters, an issue body or a comment at
most 65,536 (a longer one is a 422 ``body is too long``), a label name at most 50 and its description at
most 100 ("Must be 100 characters or fewer").  GitLab (issuable model): a title at most 255 characters, a
description or note at most 1 megabyte.  syncbot writes within the smaller of each pair, so one output
fits both forges.

Mermaid (``maxTextSize``, ``maxEdges``): a graph of at most 50,000 characters and 500 edges; above them
it renders an error instead of the graph.
"""

from __future__ import annotations

import hashlib

MAX_TITLE = 255  # GitLab's limit; GitHub's is 256
MAX_BODY = 65_536  # GitHub's limit on an issue body and on a comment; GitLab's is 1 MB
MAX_LABEL_NAME = 50
MAX_LABEL_DESCRIPTION = 100

MERMAID_MAX_TEXT = 50_000
MERMAID_MAX_EDGES = 500

GITLAB_MAX_TITLE = 255
GITLAB_MAX_TEXT = 1_048_576


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``ellipsis`` when cut (at a space if one is
    near, so a word is not split)."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    space = cut.rfind(" ")
    if space >= len(cut) - 12 and space > 0:
        cut = cut[:space]
    return cut.rstrip() + ellipsis


def fit_name(name: str, limit: int = MAX_LABEL_NAME) -> str:
    """A name within ``limit`` characters; a long one keeps a hash of the whole, so two never collide."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:6]
    return f"{name[: limit - 7]}~{digest}"
