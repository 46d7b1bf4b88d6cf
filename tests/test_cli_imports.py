"""`syncbot --help` stays fast because the command line imports nothing heavy up front: the readers
(markdown-it, ftfy), the forge clients (PyGithub, python-gitlab) and the webhook server (FastAPI, uvicorn)
are imported inside the commands that use them.  Checked structurally, in a fresh interpreter, not by time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("ftfy", "markdown_it", "github", "gitlab", "fastapi", "uvicorn", "starlette", "httpx", "syncbot.readers")


def _loaded_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    mods = json.loads(out.strip().splitlines()[-1])
    return sorted({h for h in HEAVY for m in mods if m == h or m.startswith(h + ".")})


def test_importing_the_cli_loads_no_reader_forge_or_server_module() -> None:
    assert _loaded_after("import syncbot.cli") == []


def test_building_the_command_tree_loads_none_either() -> None:
    # what `--help` needs besides rendering: the click command made from every typer command
    assert _loaded_after("import typer, syncbot.cli\ntyper.main.get_command(syncbot.cli.app)") == []


def _inspect(tracker: Path) -> str:
    return (
        "import sys, syncbot.cli\n"
        f"sys.argv = ['syncbot', 'inspect', '--json', {str(tracker)!r}]\n"
        "try:\n    syncbot.cli.main()\nexcept SystemExit:\n    pass\n"
    )


def test_inspect_still_imports_the_readers_and_markdown_it_only_for_a_document_that_needs_it(tmp_path: Path) -> None:
    plain = tmp_path / "t.md"
    plain.write_text("# T\n\n- [x] 1. First\n- [ ] 2. Second\n", encoding="utf-8")
    # (headings and list items only: read line by line, readers/plain_blocks.py)
    assert _loaded_after(_inspect(plain)) == ["syncbot.readers"]
    table = tmp_path / "table.md"
    table.write_text("# T\n\n| # | Task | Status |\n|---|---|---|\n| 1 | First | done |\n", encoding="utf-8")
    assert _loaded_after(_inspect(table)) == ["markdown_it", "syncbot.readers"]
