"""A GitHub App fleet of 1,000 repositories, one tracker each, on the loopback GitHub emulator.

    .venv/bin/python benchmarks/fleet.py [--repos 1000] [--installations 4] [--workers 8] [--markdown]

Measured, with one replica (this process; the daemon's worker pool is 8 threads):

* **discovery**: the App's installations (JWT), each installation's repositories (installation token,
  100 a page) and every repository's ``.github/syncbot.toml`` (contents API): time and requests;
* **reconcile**: every tracker synced once (a first sync: issues, labels, the tracking issue and its
  summary, all through the real planner, applier and GitHub adapter), then again with nothing changed
  (discovery's GETs and the listings are conditional: 304s, which GitHub does not count);
* **memory per tracker**: the Python heap the discovered fleet holds (tracemalloc: the served set, the
  clients and their conditional-request caches), and the process's peak RSS after the reconciles.

Requests are counted at the emulator, so the token mints and the App's JWT calls are included.  The
emulator runs in this process and shares its two CPUs, so the times are an upper bound of syncbot's own.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT / "tests"))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from emulators.github import GitHubEmulator  # noqa: E402
from loguru import logger  # noqa: E402

from syncbot.fleet.config import CONFIG_PATH  # noqa: E402
from syncbot.fleet.setup import FleetSetup, build_fleet  # noqa: E402
from syncbot.settings import Settings  # noqa: E402

APP_ID = 1000
TRACKER = """# Tracker

| # | Session | Status | Depends on |
|---|---------|--------|------------|
| 1 | Setup | ✅ Done | |
| 2 | Model | 🔄 In progress | 1 |
| 3 | API | ⏳ Planned | 2 |
"""


@dataclass
class Step:
    name: str
    seconds: float
    requests: int
    counted: int  # requests GitHub counts against the rate limit (all but 304s)
    by_kind: Counter[str]


def fleet_emulator(repos: int, installations: int) -> GitHubEmulator:
    gh = GitHubEmulator()
    gh.app_id = APP_ID
    gh.rate_limit = gh.rate_remaining = 10**9  # one emulator plays every installation's budget
    for i in range(repos):
        inst = 1 + i % installations
        name = f"org{inst}/repo{i:04}"
        gh.add_installation(inst, f"org{inst}", [name])
        gh.commit(name, "Add the tracker", {"TRACKER.md": TRACKER, CONFIG_PATH: 'path = "TRACKER.md"\n'})
    gh.start()
    return gh


def kind(method: str, path: str) -> str:
    path = path.split("?")[0]
    for key in ("/access_tokens", "/app/installations", "/installation/repositories", "/contents/", "/commits"):
        if key in path:
            return f"{method} {key}"
    if path.startswith("/repos/"):
        return f"{method} /repos/…/{path.split('/')[4] if path.count('/') >= 4 else ''}"
    return f"{method} {path}"


def measure(gh: GitHubEmulator, name: str, work: object) -> Step:
    start = len(gh.log)
    t0 = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - t0
    log = gh.log[start:]
    by_kind = Counter(f"{kind(m, p)} -> {s}" for m, p, s in log)
    return Step(name, seconds, len(log), sum(1 for _, _, s in log if s != 304), by_kind)


def run(repos: int, installations: int, workers: int) -> tuple[list[Step], dict[str, float]]:
    logger.remove()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    gh = fleet_emulator(repos, installations)
    steps: list[Step] = []
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            github_url=gh.base_url,
            github_app_id=APP_ID,
            github_app_private_key=key.decode(),
            state_dir=Path(tmp) / "state",
        )
        setup: FleetSetup = build_fleet(settings, seconds_between_writes=0, backoff_factor=0)
        steps.append(measure(gh, "discovery", setup.fleet.reconcile))
        steps.append(measure(gh, "discovery again, nothing changed", setup.fleet.reconcile))
        trackers = setup.fleet.trackers()
        assert len(trackers) == repos, f"discovered {len(trackers)} of {repos}"

        def reconcile() -> None:
            with ThreadPoolExecutor(workers) as pool:
                outcomes = list(pool.map(setup.sync, trackers))
            assert all(o.ok for o in outcomes)

        def again() -> None:
            setup.fleet.reconcile()
            reconcile()

        steps.append(measure(gh, "first reconcile (every tracker's first sync)", reconcile))
        steps.append(measure(gh, "discovery + reconcile after it (listings changed by it: read again)", again))
        steps.append(measure(gh, "discovery + reconcile, nothing changed", again))

        # The heap a discovered fleet holds, measured on a second one (tracemalloc slows what it traces).
        tracemalloc.start()
        base = tracemalloc.take_snapshot()
        other = build_fleet(settings)
        other.fleet.reconcile()
        held = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(base, "filename"))
        tracemalloc.stop()
        assert len(other.fleet.trackers()) == repos
        figures["heap_bytes_per_tracker"] = held / repos
        figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["issues"] = sum(len(r.issues) for r in gh.repos.values())
    gh.stop()
    return steps, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--installations", type=int, default=4)
    parser.add_argument("--workers", type=int, default=8, help="sync threads (the daemon's pool is 8)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    steps, figures = run(args.repos, args.installations, args.workers)
    n = args.repos
    if args.markdown:
        print("| step | time | requests | per tracker | counted by GitHub |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for s in steps:
            print(f"| {s.name} | {s.seconds:.1f} s | {s.requests:,} | {s.requests / n:.1f} | {s.counted:,} |")
    else:
        for s in steps:
            per = s.requests / n
            print(f"{s.name}: {s.seconds:.1f} s, {s.requests} requests ({per:.1f}/tracker), {s.counted} counted")
            for k, c in s.by_kind.most_common():
                print(f"    {c:>7}  {k}")
    print(
        f"\n{n} repositories in {args.installations} installations, {args.workers} sync threads; "
        f"heap held by the discovered fleet: {figures['heap_bytes_per_tracker'] / 1024:.1f} KiB per tracker; "
        f"peak RSS {figures['peak_rss_mb']:.0f} MB ({figures['peak_rss_mb'] * 1024 / n:.0f} KiB per tracker, "
        f"emulator included); {figures['issues']:.0f} issues created"
    )


if __name__ == "__main__":
    main()
