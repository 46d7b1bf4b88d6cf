"""The daemon's deliveries: the log of ids survives a restart, a slow body times out, and every log line
carries a cleaned id."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from loguru import logger
from test_daemon import FakeSync, env_clean, gh_headers, issue_body, make_settings  # noqa: F401 - fixture

from syncbot.service.clock import ManualClock
from syncbot.service.deliveries import LOG_NAME, BodyTooSlow, DeliveryLog, read_body
from syncbot.service.serve import build_app
from syncbot.webhooks import clean_delivery_id


def test_the_delivery_log_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / LOG_NAME
    assert not DeliveryLog(path=path).seen("github:d-1")
    assert DeliveryLog(path=path).seen("github:d-1")  # a new process, the same state directory
    assert (tmp_path / "state" / ".gitignore").read_text() == "*\n"


def test_the_file_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / LOG_NAME
    log = DeliveryLog(size=3, path=path)
    for n in range(20):
        log.seen(f"id-{n}")
    assert len(path.read_text().splitlines()) <= 6
    again = DeliveryLog(size=3, path=path)
    assert again.seen("id-19") and not again.seen("id-0")


def test_a_redelivery_after_a_restart_is_a_duplicate(tmp_path: Path, env_clean: None) -> None:  # noqa: F811
    body = issue_body()
    for expected in ("accepted", "duplicate"):
        app = build_app(make_settings(tmp_path), FakeSync(), schedules=False, clock=ManualClock())
        with TestClient(app) as client:
            r = client.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="d-77"))
            assert r.json()["result"] == expected


def slow_request(chunks: list[bytes]) -> Request:
    """A request whose body sends ``chunks``, then nothing more, ever."""
    queue = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]

    async def receive() -> dict[str, Any]:
        if queue:
            return queue.pop(0)
        await asyncio.Event().wait()  # the sender stalls
        raise AssertionError("unreachable")

    return Request({"type": "http", "method": "POST", "headers": []}, receive)


def test_a_body_still_arriving_after_the_timeout_is_refused() -> None:
    with pytest.raises(BodyTooSlow):
        asyncio.run(read_body(slow_request([b'{"a":', b" 1"]), limit=1024, timeout=0.05))


def test_the_daemon_answers_408_to_a_slow_body(tmp_path: Path, env_clean: None) -> None:  # noqa: F811
    app = build_app(make_settings(tmp_path, webhook_body_timeout_seconds=0.05), FakeSync(), clock=ManualClock())
    response = asyncio.run(app.state.webhooks.handle(slow_request([b"{"]), "github"))
    assert response.status_code == 408


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("d-1", "d-1"), ("x\ny INFO forged line", "xyINFOforgedline"), ("a" * 100, "a" * 64), ("\u202e", "")],
)
def test_delivery_ids_are_cleaned(raw: str, clean: str) -> None:
    assert clean_delivery_id(raw) == clean


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(json.dumps(m.record["extra"]) + " " + m.record["message"]))
    yield lines
    logger.remove(sink)


def test_no_log_line_carries_a_raw_id(tmp_path: Path, env_clean: None, log_lines: list[str]) -> None:  # noqa: F811
    body = issue_body()
    forged = "d-9%0AWARNING forged"  # a header cannot hold a line break; what a proxy may decode into one
    app = build_app(make_settings(tmp_path), FakeSync(), schedules=False, clock=ManualClock())
    with TestClient(app) as client:
        for _ in range(2):  # accepted, then "seen before" (a line that used to print the raw id)
            client.post(
                "/webhooks/github", content=body, headers=gh_headers(body, delivery=forged.replace("\n", "%0A"))
            )
    assert log_lines and not any("\n" in line or "%0A" in line for line in log_lines)
    assert any("d-90AWARNINGforged" in line for line in log_lines)
