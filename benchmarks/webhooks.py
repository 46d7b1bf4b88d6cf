"""Webhook load benchmark: a real `syncbot serve` on loopback with a fake sync.

Measures
  * acknowledgement latency p50/p99 at 50 and 200 signed deliveries per second (open loop: latency is
    taken from the moment a request was *due*, so a stalled server cannot hide queueing delay);
  * how many syncs a burst of 100 deliveries makes;
  * the server's resident memory idle and after 1,000 deliveries.

Writes the figures to docs/performance.md, section "Webhooks", naming the machine.

    .venv/bin/python benchmarks/webhooks.py [--seconds 10] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-webhook-secret"
REPO = "bench/repo"
DEBOUNCE = 1.0
BODY = json.dumps(
    {"action": "closed", "issue": {"number": 7, "state": "closed"}, "repository": {"full_name": REPO}}
).encode()


def fake_sync(settings: Any, tracker: Any) -> bool:
    """The sync the server runs: 50 ms of pretend work.  Loaded through SYNCBOT_SYNC_FUNCTION."""
    time.sleep(0.05)
    return True


def signature(body: bytes) -> str:
    import hashlib
    import hmac

    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


SIG = signature(BODY)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    m = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(m.group(1)) / 1024 if m else float("nan")


def syncs_total(base: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("syncbot_syncs_total{"))


class Server:
    def __init__(self, state: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
        env.update(
            {
                # The repository root, not benchmarks/: a sibling module there could shadow a library.
                "PYTHONPATH": str(ROOT),
                "SYNCBOT_FORGE": "github",
                "SYNCBOT_REPO": REPO,
                "SYNCBOT_TRACKER": "SESSION_TRACKER.md",
                "SYNCBOT_GITHUB_WEBHOOK_SECRET": SECRET,
                "SYNCBOT_STATE_DIR": str(state),
                "SYNCBOT_SYNC_FUNCTION": "benchmarks.webhooks:fake_sync",
                "SYNCBOT_DEBOUNCE_SECONDS": str(DEBOUNCE),
                "SYNCBOT_SYNC_ON_START": "false",
                "SYNCBOT_LOG_FORMAT": "json",
                "SYNCBOT_LOG_LEVEL": "WARNING",
            }
        )
        exe = Path(sys.executable).with_name("syncbot")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from syncbot.cli import main; main()"]
        self.proc = subprocess.Popen(
            [*cmd, "serve", "--port", str(self.port)], cwd=state, env=env, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


class Connection:
    """One keep-alive HTTP/1.1 connection spoken by hand: a load generator light enough that, on a
    small machine, the client does not eat the CPU the server is being measured on."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def post(self, path: str, headers: dict[str, str], body: bytes) -> int:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
        )
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])


async def fire(base: str, rate: float, count: int, prefix: str, connections: int = 32) -> list[float]:
    """Send ``count`` deliveries at ``rate``/s (open loop); latency in ms from the moment each was due."""
    host, port = base.removeprefix("http://").split(":")
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(Connection(*await asyncio.open_connection(host, int(port))))
    latencies: list[float] = []

    async def one(i: int, due: float) -> None:
        conn = await pool.get()
        try:
            headers = {
                "X-GitHub-Event": "issues",
                "X-GitHub-Delivery": f"{prefix}-{i}",
                "X-Hub-Signature-256": SIG,
                "Content-Type": "application/json",
            }
            status = await conn.post("/webhooks/github", headers, BODY)
        finally:
            pool.put_nowait(conn)
        latencies.append((time.perf_counter() - due) * 1000)
        if status != 202:
            raise RuntimeError(f"unexpected {status}")

    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait().writer.close()
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return (
        f"{platform.node() or 'host'}: {cpu}, {os.cpu_count()} CPUs{mem}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def run(seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp))
        time.sleep(1.0)
        results["rss_idle_mb"] = rss_mb(server.proc.pid)
        for rate in (50, 200):
            lat = asyncio.run(fire(server.base, rate, int(rate * seconds), f"r{rate}"))
            results[f"rate_{rate}"] = {
                "requests": len(lat),
                "p50_ms": statistics.median(lat),
                "p99_ms": pct(lat, 0.99),
                "max_ms": max(lat),
            }
        # Let the syncs the load caused settle, then a clean burst.
        time.sleep(DEBOUNCE * 2 + 0.5)
        before = syncs_total(server.base)
        asyncio.run(fire(server.base, 10_000, 100, "burst"))
        time.sleep(DEBOUNCE * 3 + 0.5)
        results["burst_100_syncs"] = syncs_total(server.base) - before
        # Memory after 1,000 more deliveries (the delivery-id log is bounded, so this should be flat).
        asyncio.run(fire(server.base, 500, 1000, "mem"))
        time.sleep(DEBOUNCE * 2)
        results["rss_after_1000_mb"] = rss_mb(server.proc.pid)
        results["deliveries_total"] = sum(results[f"rate_{r}"]["requests"] for r in (50, 200)) + 1100
        results["rss_end_mb"] = rss_mb(server.proc.pid)
        results["exit_code_on_sigterm"] = server.stop()
    return results


def render(r: dict[str, Any], seconds: float) -> str:
    lines = [
        "## Webhooks",
        "",
        f"Measured by `benchmarks/webhooks.py` on {r['machine']}.",
        "A real `syncbot serve` (uvicorn, one process) on loopback with a fake 50 ms sync and a 1 s debounce;",
        "signed GitHub `issues` deliveries, each with its own delivery id, sent open-loop (latency counts",
        "from the moment a request was due).",
        "",
        "| load | requests | p50 ack | p99 ack | max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for rate in (50, 200):
        x = r[f"rate_{rate}"]
        lines.append(
            f"| {rate} req/s for {seconds:g} s | {x['requests']} | {x['p50_ms']:.1f} ms | {x['p99_ms']:.1f} ms "
            f"| {x['max_ms']:.1f} ms |"
        )
    lines += [
        "",
        f"- A burst of 100 deliveries made **{r['burst_100_syncs']:.0f}** sync(s) (goal: one).",
        f"- Resident memory of the server: **{r['rss_idle_mb']:.1f} MB** idle, **{r['rss_after_1000_mb']:.1f} MB** "
        f"after {r['deliveries_total']} deliveries (the rate steps, the burst, then 1,000 more; goal: under "
        "120 MB). The delivery-id log is bounded (10,000 ids), so memory stays flat.",
        f"- SIGTERM after the run: exit code {r['exit_code_on_sigterm']}.",
        "",
        "Goals from the issue: p99 under 50 ms at 200 requests/s, one sync per burst, under 120 MB.",
        "",
        "Notes. The load generator runs on the same machine (a hand-written keep-alive HTTP/1.1 client, so",
        "it takes little CPU from the server). uvicorn's `httptools` parser and `uvloop` matter here: with",
        "plain h11 and asyncio, a 3 s run on the same VM measured p99 ≈ 104 ms at 200 req/s; they are",
        "dependencies for that reason. The tail moves with other load on a 2-CPU machine: a run made while",
        "mypy was type-checking alongside measured p99 49 ms at 200 req/s.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace the "## Webhooks" section of ``path`` (or append it), leaving other sections alone."""
    text = path.read_text() if path.exists() else "# Performance\n\n"
    pattern = re.compile(r"^## Webhooks\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each rate step")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md")
    args = parser.parse_args()
    results = run(args.seconds)
    print(json.dumps(results, indent=2))
    if not args.no_write:
        write_section(ROOT / "docs" / "performance.md", render(results, args.seconds))
        print("wrote docs/performance.md, section Webhooks")


if __name__ == "__main__":
    main()
