"""Parse and graph time for generated status-matrix trackers of 1,000 / 10,000 / 100,000 sessions.

    .venv/bin/python benchmarks/parse.py [--sizes 1000,10000,100000] [--shape table|detect] [--repeat N]

Prints one line per size: read time, graph time (build + waves + critical path), and per-session cost,
so linear growth shows as a flat last column.  ``--shape detect`` reads as ``syncbot`` does when a tracker
names no shape: every reader runs and the best reading wins.  ``--repeat N`` keeps the best of N runs (the
machine's other load only ever adds time).  Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import time

from syncbot.graph import build_graph
from syncbot.readers import read_document
from syncbot.readers.common import Document

STATUSES = ["✅ **COMPLETE**", "🔄 **READY**", "⏳ Waiting", "🚧 In Progress", "❌ Failed"]


def generate(n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    rows = ["# Session Tracker - Generated", "", f"**Completed**: 0/{n}", "", "## Session Status Matrix", ""]
    rows += ["| Session | Title | Status | Duration | Prerequisites | Output |", "|---|---|---|---|---|---|"]
    for i in range(1, n + 1):
        pre = sorted({rnd.randint(max(1, i - 50), i - 1) for _ in range(rnd.randint(0, 3))}) if i > 1 else []
        pre_text = "Sessions " + ",".join(map(str, pre)) if pre else "None"
        status, hours = rnd.choice(STATUSES), rnd.randint(1, 4)
        rows.append(f"| **{i}** | Work unit {i} | {status} | {hours}h | {pre_text} | out {i} |")
    return "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--shape", default="table", help="a reader's name, or `detect` to run every reader")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    shape = None if args.shape == "detect" else args.shape
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, shape {args.shape}")
    print(f"{'sessions':>9} {'read s':>8} {'graph s':>8} {'µs/session':>11}")
    for n in map(int, args.sizes.split(",")):
        text = generate(n)
        read_s = graph_s = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            tracker, _ = read_document(Document("gen.md", text), shape=shape)
            t1 = time.perf_counter()
            graph = build_graph(tracker)
            graph.waves()
            graph.critical_path()
            t2 = time.perf_counter()
            assert tracker.shape == "table", tracker.shape
            assert len(tracker.sessions) == n, f"read {len(tracker.sessions)} of {n} sessions"
            read_s, graph_s = min(read_s, t1 - t0), min(graph_s, t2 - t1)
        print(f"{n:>9} {read_s:>8.3f} {graph_s:>8.3f} {1e6 * (read_s + graph_s) / n:>11.1f}")


if __name__ == "__main__":
    main()
