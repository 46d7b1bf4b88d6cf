"""The readers' layout: one structure per document, readers registered in one place, never importing
each other, and every task item a checkbox reading agrees on."""

from __future__ import annotations

import ast
from pathlib import Path

import syncbot.readers as readers
from syncbot.readers.checklists import task_items
from syncbot.readers.common import Document
from syncbot.readers.outline import outline

READERS_DIR = Path(readers.__file__).parent
READER_MODULES = {fn.__module__.rsplit(".", 1)[1] for fn in readers.READERS.values()}


def imported_modules(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "syncbot.readers":
                out.update(a.name for a in node.names)
            elif node.module.startswith("syncbot.readers."):
                out.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[2] for a in node.names if a.name.startswith("syncbot.readers."))
    return out


def test_every_reader_is_registered_in_init() -> None:
    assert list(readers.READERS) == [
        "board",
        "components",
        "gantt",
        "paragraphs",
        "phases",
        "sections",
        "table",
        "tasklist",
        "thread",
    ]
    for name in READER_MODULES:
        assert "register" not in imported_modules(READERS_DIR / f"{name}.py")


def test_no_module_imports_a_reader() -> None:
    """What two readers share lives in modules that are no readers."""
    for path in READERS_DIR.glob("*.py"):
        if path.name == "__init__.py":
            continue
        assert not imported_modules(path) & READER_MODULES, path.name


def test_one_structure_per_document() -> None:
    doc = Document("T.md", "# T\n\n## A\n\n- [x] one\n- [ ] two\n- [!] three\n- [/] four\n")
    assert doc.structure is doc.structure
    assert outline(doc).headings is doc.structure.headings
    # a `[!]` box is a task item to both (the two copies of the structure once disagreed about it)
    assert [it.line for it in task_items(doc)] == [it.line for it in outline(doc).items] == [5, 6, 7, 8]


def test_status_words_folded_by_ignorecase() -> None:
    """`TAMAMLANDI` is `tamamlandı` under re.IGNORECASE (`ı` matches `I`): the fast word path finds it as the
    phrase regex does, and its status is known (it raised KeyError)."""
    from syncbot.model import Status
    from syncbot.readers.status_words import classify_status, status_marks
    from syncbot.readers.vocabulary_match import first_phrase, phrase_re

    for text in ("TAMAMLANDI", "Durum: TAMAMLANDI é", "tamamlandi"):
        m, fast = phrase_re().search(text), first_phrase(text)
        assert m is not None and fast is not None and m.span() == fast.span()
        assert classify_status(text) is Status.DONE
        assert [st for _, _, st, _ in status_marks(text)] == [Status.DONE]
