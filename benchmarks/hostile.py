"""`syncbot inspect --json` on hostile long lines, by CPU time (user + system) of a fresh process.

    .venv/bin/python benchmarks/hostile.py [--sizes 25000,100000] [--against DIR] [--cases brackets,marks,keys]

- *brackets*: a task line of many unclosed full-width `（阻塞：` openings (each `阻塞`, blocked, a status run);
- *marks*: a heading and a task line of many `🚧 — ` (every character blank, a status run each);
- *keys*: a task line naming N keys and then `needs T1`, ahead of the N tasks it names;
- *dates*: a table of N rows keyed by N distinct dates that no other cell names (``dated_keys``);
- *cards*: a board drawn as a table of N cards all titled `x` (``lane_table``: keys `x`, `x-2`, …);
- *terms*: a legend line of N `*Term* = feito x.` definitions, each a legend word beside a mark;
- *numbers*: a task line `after (0 1 2 … N)`, bare numbers in a bracket (``refs._listed``);
- *blanks*: a heading and an item ending `✅` and N blanks (``phrase_context.trailing_brackets``, the heading's
  closing `#`s);
- *fields*: status fields (`- Parser | status: doing`) with N blanks inside a value and before a separator
  (``bullet_labels.INLINE_STATUS_RE``, ``summaries._SUMMARY_LABEL``);
- *dashes*: a table keyed `K1/4`, `K2/4`…, a dependency cell of one token `1-1-…-1` of N characters
  (``ref_ranges.split_range``);
- *legend*: a legend line `✅ done`, N blanks and `é` (``legend._PAIR_RE``);
- *digits*: a task line `after` N digits in runs of 4,000 and `x 3초` (``ref_markers.QUANTITY_RE``).

Sizes are bytes of the long line for *brackets* and *marks*, keys for *keys*, rows for *dates* and *cards*,
definitions for *terms*, numbers for *numbers*, blanks for *blanks*, *fields* and *legend*, characters of the
token for *dashes* and digits for *digits* (in runs of 4,000: a number of more than 4,300 digits is the
document's error).  ``--against DIR`` also times ``DIR/.venv/bin/syncbot`` (another worktree) and checks that
it prints the same bytes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import shapes  # (the script beside this one: its timing of a process)


def _brackets(n: int) -> str:
    line = "（阻塞：" * (n // len("（阻塞：".encode()))
    return f"# Tasks\n\n- [ ] T1 Ship\n- [ ] T2 Test\n- [ ] T3 Work {line}\n"


def _marks(n: int) -> str:
    line = "🚧 — " * (n // len("🚧 — ".encode()))
    return f"# Plan\n\n## ✅ Phase 1\n\n- [x] T1 Ship\n\n## Phase 2 {line}\n\n- [ ] T2 Test {line}\n"


def _keys(n: int) -> str:
    keys = " ".join(f"T{i}" for i in range(1, n + 1))
    tasks = "\n".join(f"- [ ] T{i} Work {i}" for i in range(1, n + 1))
    return f"# Tasks\n\n- [ ] T0 Work {keys} needs T1\n{tasks}\n"


def _dates(n: int) -> str:
    import datetime

    days = [(datetime.date(1000, 1, 1) + datetime.timedelta(days=i)).isoformat() for i in range(n)]
    rows = "".join(f"| {d} | Work {i} | todo | none |\n" for i, d in enumerate(days))
    return f"# Schedule\n\n| Date | Work | Status | After |\n|---|---|---|---|\n{rows}"


def _cards(n: int) -> str:
    return "# Board\n\n| To do | Done |\n|---|---|\n" + "| x | |\n" * n


def _terms(n: int) -> str:
    line = " ".join(f"*Term{chr(97 + i % 26)}* = feito x." for i in range(n))
    return f"# Tasks\n\n- *Backlog* = ideias. {line}\n- *Feito* = feito\n- *Bloqueado* = bloqueado\n\n- [ ] T1 Ship\n"


def _numbers(n: int) -> str:
    return "# Tasks\n\n- [ ] 1. Ship\n- [ ] 2. Test\n- [ ] 3. Work after (" + " ".join(map(str, range(n))) + ")\n"


def _blanks(n: int) -> str:
    return f"# Plan\n\n## Phase 1 ✅{' ' * n}\n\n- [ ] T1 Ship ✅{' ' * n}\n- [ ] T2 Test\n"


def _fields(n: int) -> str:
    items = f"- Lexer | status: done\n- Checker | status: todo\n- Parser | status: doing{' ' * n}now\n"
    return f"# Plan\n\n{items}- Linker{' ' * n}x | status: done\n"


def _dashes(n: int) -> str:
    rows = "| K1/4 | a | todo | none |\n| K2/4 | b | todo | K1/4 |\n| K3/4 | c | todo | K2/4 |\n"
    head = "| Key | Work | Status | Depends on |\n|---|---|---|---|\n"
    return f"# Tasks\n\n{head}{rows}| K4/4 | d | todo | {'1-' * (n // 2)}1 |\n"


def _legend(n: int) -> str:
    return f"# Tasks\n\nLegend: ✅ done{' ' * n}é\n\n- [ ] T1 Ship\n- [x] T2 Test\n"


def _digits(n: int) -> str:
    runs = " ".join("1" * min(4000, n - i) for i in range(0, n, 4000))
    return f"# Tasks\n\n- [ ] T1 Ship\n- [ ] T2 Test after {runs}x 3초\n"


CASES: dict[str, Callable[[int], str]] = {
    "brackets": _brackets,
    "marks": _marks,
    "keys": _keys,
    "dates": _dates,
    "cards": _cards,
    "terms": _terms,
    "numbers": _numbers,
    "blanks": _blanks,
    "fields": _fields,
    "dashes": _dashes,
    "legend": _legend,
    "digits": _digits,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--sizes", default="25000,100000")
    ap.add_argument("--against", metavar="DIR", help="also time DIR/.venv/bin/syncbot (another worktree)")
    args = ap.parse_args()
    shapes.CPU = True
    trees = [shapes.ROOT, *([Path(args.against).resolve()] if args.against else [])]
    print(f"{'case':>9} {'size':>7} " + " ".join(f"{t.name + ' s':>10}" for t in trees))
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases.split(","):
            for n in map(int, args.sizes.split(",")):
                path = Path(tmp) / f"{case}-{n}.md"
                path.write_text(CASES[case](n), encoding="utf-8")
                times, outs = [], set()
                for tree in trees:
                    dt, out = shapes.run([str(tree / ".venv" / "bin" / "syncbot"), "inspect", "--json", str(path)])
                    times.append(dt)
                    outs.add(out)
                if len(outs) > 1:
                    print(f"{case} {n}: outputs differ", file=sys.stderr)
                print(f"{case:>9} {n:>7} " + " ".join(f"{t:>10.2f}" for t in times), flush=True)


if __name__ == "__main__":
    main()
