"""`syncbot inspect --json` against a markdown-it-only parse, for every shape the readers know.

    .venv/bin/python benchmarks/shapes.py [--shapes table,thread,...] [--sizes 20000,50000,100000] [--repeat 3]
    .venv/bin/python benchmarks/shapes.py --help-time [--repeat 10]

For each shape and size it writes a generated tracker of that many units to a temporary directory, then
times two fresh processes on it, interleaved, best of ``--repeat``:

- *markdown-it only*: ``python -c`` that imports markdown-it-py and parses the file with
  ``MarkdownIt("commonmark").enable("table").enable("strikethrough")`` (block and inline rules), nothing else;
- *inspect*: ``.venv/bin/syncbot inspect --json FILE`` (shape detection: every reader runs), output discarded.

Both are whole processes (interpreter start, imports, reading the file), so the ratio is what a user sees.
The machine's other load only ever adds time, so the best of N is the figure; the ratio of the two best
times in the same run is steadier than either.  ``--markdown`` prints the table for docs/performance.md.
``--cpu`` times each process by its CPU time (user + system, from ``getrusage``) instead of the wall clock:
on a machine whose other load comes and goes it moves less, though contention still inflates it.
``--bytecode`` first compiles the timed trees' ``syncbot`` packages to bytecode (``compileall``), as pip does
when it installs a package: markdown-it-py is installed so, while an editable checkout under
``PYTHONDONTWRITEBYTECODE=1`` compiles syncbot's modules from source on every start (about 0.07 s of CPU).
``--help-time`` times ``.venv/bin/syncbot --help`` (wall clock, best of N).  ``--against DIR`` also times
``DIR/.venv/bin/syncbot`` (another worktree, e.g. the commit before a change), interleaved with the two
others, and checks that both print the same bytes.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNCBOT = ROOT / ".venv" / "bin" / "syncbot"
PY = sys.executable
MD_ONLY = (
    "import sys\n"
    "from markdown_it import MarkdownIt\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "MarkdownIt('commonmark').enable('table').enable('strikethrough').parse(text)\n"
)


def gen_table(n: int, rnd: random.Random) -> str:
    statuses = ["✅ **COMPLETE**", "🔄 **READY**", "⏳ Waiting", "🚧 In Progress", "❌ Failed"]
    rows = ["# Session Tracker - Generated", "", f"**Completed**: 0/{n}", "", "## Session Status Matrix", ""]
    rows += ["| Session | Title | Status | Duration | Prerequisites | Output |", "|---|---|---|---|---|---|"]
    for i in range(1, n + 1):
        pre = sorted({rnd.randint(max(1, i - 50), i - 1) for _ in range(rnd.randint(0, 3))}) if i > 1 else []
        pre_text = "Sessions " + ",".join(map(str, pre)) if pre else "None"
        status, hours = rnd.choice(statuses), rnd.randint(1, 4)
        rows.append(f"| **{i}** | Work unit {i} | {status} | {hours}h | {pre_text} | out {i} |")
    return "\n".join(rows) + "\n"


def gen_thread(n: int, rnd: random.Random) -> str:
    statuses = ["Complete", "In progress", "Blocked", "Complete ✅"]
    out = ["# Development Log", "", "Append-only log of work sessions.", ""]
    for i in range(1, n + 1):
        day = 1 + i % 28
        out += [
            f"## Session {i:02d} - 2025-09-{day:02d} - Work on module {i}",
            "",
            f"**Status:** {rnd.choice(statuses)}",
            "",
            f"Worked on module {i}: refactored the loader and added tests.",
            "",
            f"- Fixed parsing of item {i}",
            "- Wrote notes for the next session",
            "",
        ]
    return "\n".join(out)


def gen_sections(n: int, rnd: random.Random) -> str:
    statuses = ["✅ Complete", "🚧 In Progress", "⏳ Planned", "Blocked"]
    out = ["# Implementation Plan", "", "Each session below is one unit of work.", ""]
    for i in range(1, n + 1):
        dep = f"Session {rnd.randint(max(1, i - 20), i - 1)}" if i > 1 else "None"
        out += [
            f"## Session {i}: Build component {i}",
            "",
            f"**Status:** {rnd.choice(statuses)}",
            f"**Depends on:** {dep}",
            "",
            f"Implement component {i} and its tests.",
            "",
        ]
    return "\n".join(out)


def gen_components(n: int, rnd: random.Random) -> str:
    marks = ["✅", "🚧", "🔲", "❌"]
    out = ["# Project Status", "", "## Current Implementation Status", ""]
    for i in range(1, n + 1):
        mark = rnd.choice(marks)
        pct = {"✅": 100, "🚧": 50, "🔲": 0, "❌": 20}[mark]
        out += [f"### {mark} Service {i} ({pct}%)", "", f"- Handles requests of kind {i}", f"- Owner: team {i % 7}", ""]
    return "\n".join(out)


def gen_phases(n: int, rnd: random.Random) -> str:
    heads = ["✅ COMPLETED", "🔄 IN PROGRESS", "⭕ PENDING"]
    out = ["# Project Status Report", "", "## Detailed Status", ""]
    for i in range(1, n + 1):
        head = rnd.choice(heads)
        box = "x" if head.startswith("✅") else " "
        out += [f"### {head} - Phase {i} features", f"- [{box}] Design of feature {i}"]
        out += [f"- [{box}] Tests for feature {i}", ""]
    return "\n".join(out)


def gen_tasklist(n: int, rnd: random.Random) -> str:
    out = ["# Tasks", "", "## Phase 1: Everything", ""]
    for i in range(1, n + 1):
        box = rnd.choice("xX ")
        dep = f" (depends on T{rnd.randint(max(1, i - 30), i - 1):05d})" if i > 1 and rnd.random() < 0.4 else ""
        out.append(f"- [{box}] T{i:05d} Implement part {i} of the service{dep}")
    return "\n".join(out) + "\n"


def gen_board(n: int, rnd: random.Random) -> str:
    columns = ["To Do", "In Progress", "Blocked", "Done"]
    cards: dict[str, list[str]] = {c: [] for c in columns}
    for i in range(1, n + 1):
        cards[rnd.choice(columns)].append(f"- ONB-{i} Screen number {i}")
    out = ["# Sprint Board", ""]
    for c in columns:
        out += [f"### {c}", "", *cards[c], ""]
    return "\n".join(out)


SHAPES: dict[str, Callable[[int, random.Random], str]] = {
    "table": gen_table,
    "thread": gen_thread,
    "sections": gen_sections,
    "components": gen_components,
    "phases": gen_phases,
    "tasklist": gen_tasklist,
    "board": gen_board,
}


CPU = False  # --cpu: time a process by its CPU time (user + system) instead of the wall clock


def run(cmd: list[str]) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, check=False)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    dt = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime if CPU else time.perf_counter() - t0
    if p.returncode not in (0, 1):  # inspect exits 1 when a tracker has problems
        raise SystemExit(f"{cmd} failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    return dt, p.stdout


def help_time(repeat: int) -> None:
    best = min(run([str(SYNCBOT), "--help"])[0] for _ in range(repeat))
    print(f"syncbot --help: {1000 * best:.0f} ms (best of {repeat})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--sizes", default="20000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("--help-time", action="store_true", help="time `syncbot --help` only")
    ap.add_argument("--against", metavar="DIR", help="also time DIR/.venv/bin/syncbot (another worktree)")
    ap.add_argument("--cpu", action="store_true", help="CPU time (user + system) instead of wall clock")
    ap.add_argument("--bytecode", action="store_true", help="compile the timed trees to bytecode first, as installed")
    args = ap.parse_args()
    global CPU
    CPU = args.cpu
    if args.help_time:
        help_time(args.repeat)
        return
    clock = "CPU time (user + system)" if CPU else "wall clock"
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, {clock}")
    other = str(Path(args.against).resolve() / ".venv" / "bin" / "syncbot") if args.against else None
    if args.bytecode:
        for tree in [ROOT, *([Path(args.against).resolve()] if args.against else [])]:
            python = str(tree / ".venv" / "bin" / "python")
            subprocess.run([python, "-m", "compileall", "-q", str(tree / "syncbot")], check=True)
    if args.markdown:
        extra = " | other inspect | other ratio" if other else ""
        print(f"| shape | units | read as | markdown-it only | inspect --json | ratio{extra} |")
        print("| --- | ---: | --- | ---: | ---: | ---: |" + (" ---: | ---: |" if other else ""))
    else:
        extra = f" {'other s':>8} {'other':>6}" if other else ""
        print(f"{'shape':>10} {'units':>7} {'read as':>10} {'mdit s':>7} {'inspect s':>9} {'ratio':>6}{extra}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for n in map(int, args.sizes.split(",")):
                path = Path(tmp) / f"{shape}-{n}.md"
                path.write_text(SHAPES[shape](n, random.Random(7)), encoding="utf-8")
                md_s = ins_s = oth_s = float("inf")
                data = None
                for _ in range(args.repeat):
                    md_s = min(md_s, run([PY, "-c", MD_ONLY, str(path)])[0])
                    dt, stdout = run([str(SYNCBOT), "inspect", "--json", str(path)])
                    ins_s = min(ins_s, dt)
                    if other:
                        odt, ostdout = run([other, "inspect", "--json", str(path)])
                        oth_s = min(oth_s, odt)
                        if ostdout != stdout:
                            read_as_diff = "outputs differ"
                            print(f"{shape} {n}: {read_as_diff}", file=sys.stderr)
                    data = data or json.loads(stdout)
                assert data is not None
                units, read_as = len(data["sessions"]), data["shape"]
                if units != n:
                    read_as += f" ({units} units)"
                ratio = ins_s / md_s
                if args.markdown:
                    extra = f" {oth_s:.2f} s | {oth_s / md_s:.2f}× |" if other else ""
                    print(f"| {shape} | {n:,} | {read_as} | {md_s:.2f} s | {ins_s:.2f} s | {ratio:.2f}× |{extra}")
                else:
                    extra = f" {oth_s:>8.2f} {oth_s / md_s:>6.2f}" if other else ""
                    line = f"{shape:>10} {n:>7} {read_as:>10} {md_s:>7.2f} {ins_s:>9.2f} {ratio:>6.2f}{extra}"
                    print(line, flush=True)


if __name__ == "__main__":
    main()
