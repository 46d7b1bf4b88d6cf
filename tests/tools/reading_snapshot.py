"""A golden guard for refactoring the readers: one JSON snapshot of how syncbot reads every known tracker.

    .venv/bin/python tests/tools/reading_snapshot.py OUT.json            # write a snapshot
    .venv/bin/python tests/tools/reading_snapshot.py OUT.json --check OLD.json   # write, then compare
    .venv/bin/python tests/tools/reading_snapshot.py BASE.json --rev main        # the readings of main's code

For every document of ``../shared/trackers/{seeds,corpus,corpus2}`` (when present), ``tests/fixtures/*/``,
``tests/golden/`` and ``examples/``, plus small generated trackers of every benchmark shape
(``benchmarks/shapes.py``, 300 units, written to a fixed directory so their paths stay the same), it keeps:

- ``json``: the bytes ``syncbot inspect --json FILE`` prints (a fresh process, as a user runs it);
- ``explain``: the bytes ``syncbot inspect --explain FILE`` prints;
- ``readers``: the ``repr`` of every reader's full result (sessions, spans, problems, notes, confidence),
  from ``read_document`` in one process.

The code read is a copy of ``syncbot/`` taken when the script starts (on ``PYTHONPATH``), so editing the tree
while a snapshot is made does not mix two versions into it.  Paths are written relative to the repository
root when inside it, so snapshots of two worktrees compare.
Not a unit test: it takes a minute or two.  ``--check`` exits 1 and names every document whose reading differs.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "trackers"
SYNCBOT = str(ROOT / ".venv" / "bin" / "syncbot")
GENERATED = Path("/tmp/syncbot-reading-snapshot-shapes")
GENERATED_UNITS = 300

READERS_DUMP = """
import sys
from syncbot.readers import load_document, read_document
for path in sys.argv[1:]:
    try:
        tracker, results = read_document(load_document(path))
        print(repr(path), repr(tracker), repr(results), sep="\\n")
    except Exception as exc:  # noqa: BLE001
        print(repr(path), "ERROR", repr(exc), sep="\\n")
"""


def documents() -> list[str]:
    found: list[Path] = []
    for folder in ("seeds", "corpus", "corpus2"):
        found += sorted((SHARED / folder).glob("*"))
    for folder in sorted((ROOT / "tests" / "fixtures").iterdir()):
        if folder.is_dir():
            found += sorted(folder.glob("*"))
    found += sorted((ROOT / "tests" / "golden").glob("*"))
    found += sorted((ROOT / "examples").glob("**/*.md"))
    found += generated()
    docs = []
    for p in found:
        name = p.name
        if not p.is_file() or name.endswith((".expected.json", ".source.txt")) or p.suffix not in (".md", ".txt"):
            continue
        docs.append(os.path.relpath(p, ROOT) if p.resolve().is_relative_to(ROOT) else str(p))
    return docs


def generated() -> list[Path]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import shapes

    GENERATED.mkdir(exist_ok=True)
    out = []
    for name, gen in shapes.SHAPES.items():
        p = GENERATED / f"{name}-{GENERATED_UNITS}.md"
        p.write_text(gen(GENERATED_UNITS, random.Random(7)), encoding="utf-8")
        out.append(p)
    return out


def run(cmd: list[str], env: dict[str, str]) -> str:
    p = subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False, env=env)
    out = f"rc={p.returncode}\n" + p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    if "Traceback" in out:  # a crash: its message, not the frames (they name the copy of the code)
        out = f"rc={p.returncode}\ncrashed: " + out.rstrip().rsplit("\n", 1)[-1]
    return out


def snapshot(code: str) -> dict[str, dict[str, str]]:
    docs = documents()
    env = {**os.environ, "PYTHONPATH": code, "PYTHONSAFEPATH": "1"}  # `python -c` must not import the tree's
    with ThreadPoolExecutor(max_workers=2) as pool:
        js = pool.map(lambda d: run([SYNCBOT, "inspect", "--json", d], env), docs)
        ex = pool.map(lambda d: run([SYNCBOT, "inspect", "--explain", d], env), docs)
        snap = {d: {"json": j, "explain": e} for d, j, e in zip(docs, js, ex, strict=True)}
    dump = run([str(ROOT / ".venv" / "bin" / "python"), "-c", READERS_DUMP, *docs], env).split("\n")[1:]
    for i in range(0, len(docs) * 3, 3):
        snap[ast.literal_eval(dump[i])]["readers"] = "\n".join(dump[i + 1 : i + 3])
    return snap


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--check", metavar="OLD", help="compare with an earlier snapshot")
    ap.add_argument("--rev", help="read with syncbot/ as of this git revision instead of the working tree")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as code:
        if args.rev:  # the code of an earlier commit, e.g. the one before a refactoring
            tar = subprocess.run(["git", "archive", args.rev, "syncbot"], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", code], input=tar.stdout, check=True)
        else:
            shutil.copytree(ROOT / "syncbot", Path(code) / "syncbot", ignore=shutil.ignore_patterns("__pycache__"))
        snap = snapshot(code)
    Path(args.out).write_text(json.dumps(snap, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    print(f"{len(snap)} documents -> {args.out}")
    if args.check:
        old = json.loads(Path(args.check).read_text(encoding="utf-8"))
        bad = [
            (d, k)
            for d in sorted(set(old) | set(snap))
            for k in ("json", "explain", "readers")
            if old.get(d, {}).get(k) != snap.get(d, {}).get(k)
        ]
        for d, k in bad:
            print(f"DIFFERS: {d} ({k})")
        same_bytes = Path(args.check).read_bytes() == Path(args.out).read_bytes()
        print("identical, byte for byte" if same_bytes else f"{len(bad)} differences")
        sys.exit(0 if same_bytes else 1)


if __name__ == "__main__":
    main()
