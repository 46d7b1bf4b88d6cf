"""Secrets never printed: a secret is put in every place one could leak from, and every byte of output
the process produces (log lines in both formats, HTTP answers, error messages) is searched for it."""

from __future__ import annotations

import io
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from loguru import logger

from syncbot.logging import MASK, Redactor, configure_logging
from syncbot.service.clock import ManualClock
from syncbot.service.serve import build_app
from syncbot.settings import Settings, SettingsError, load_settings
from syncbot.webhooks import github_signature

GH_TOKEN = "ghp_TOPSECRETgithubtoken0123456789abcdef"
GL_TOKEN = "glpat-TOPSECRETgitlabTOKEN-42xx"
HOOK_SECRET = 'hook"secret\\with-quote-9911'  # a quote and a backslash: JSON escapes them
GL_HOOK = "gitlab-hook-secret-5150"
PEM_LINE = "MIIEpAIBAAKCAQEA7topsecretKEYmaterialLINEabcdefghijklmnop"
PEM = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_LINE}\n-----END RSA PRIVATE KEY-----\n"
SECRETS = [GH_TOKEN, GL_TOKEN, HOOK_SECRET, GL_HOOK, PEM_LINE, json.dumps(HOOK_SECRET)[1:-1]]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    yield
    # Leave logging as other tests expect it: no sink on a dead buffer, no interception of the stdlib.
    logger.remove()
    logger.add(sys.stderr)
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    logging.getLogger("apscheduler").setLevel(logging.NOTSET)


def secret_settings(tmp_path: Path, **over: Any) -> Settings:
    values: dict[str, Any] = {
        "forge": "github",
        "repo": "o/r",
        "tracker": "T.md",
        "github_token": GH_TOKEN,
        "gitlab_token": GL_TOKEN,
        "github_webhook_secret": HOOK_SECRET,
        "gitlab_webhook_token": GL_HOOK,
        "github_app_private_key": PEM,
        "state_dir": tmp_path / "state",
        "debounce_seconds": 0,
        "sync_on_start": False,
        "log_level": "DEBUG",
    }
    values.update(over)
    return load_settings(**values)


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret leaked: {secret[:6]}…"
    assert "TOPSECRET" not in text and "topsecret" not in text


def test_settings_repr_str_and_dump(tmp_path: Path) -> None:
    s = secret_settings(tmp_path)
    assert_clean(repr(s) + str(s) + s.model_dump_json() + repr(s.model_dump()) + repr(s.tracker_configs()))
    assert set(s.secret_values()) == {GH_TOKEN, GL_TOKEN, HOOK_SECRET, GL_HOOK, PEM}


def test_settings_errors_never_echo_values(monkeypatch: pytest.MonkeyPatch) -> None:
    # A token pasted into the wrong variable must not come back in the error message.
    monkeypatch.setenv("SYNCBOT_GITHUB_APP_ID", GH_TOKEN)
    monkeypatch.setenv("SYNCBOT_PORT", GL_TOKEN)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "SYNCBOT_GITHUB_APP_ID" in str(info.value)
    assert_clean(str(info.value))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_log_path_is_masked(tmp_path: Path, fmt: str) -> None:
    s = secret_settings(tmp_path, log_format=fmt)
    out = io.StringIO()
    configure_logging(s, stream=out)

    # 1. a message that quotes a secret
    logger.info("token is {} and hook secret {}", GH_TOKEN, HOOK_SECRET)
    # 2. bound context values
    logger.bind(auth=f"Bearer {GL_TOKEN}").warning("bound")

    # 3. an exception carrying the secret, logged with its traceback; and a local holding one
    def fail() -> None:
        token = GH_TOKEN  # noqa: F841 - a local: loguru's diagnose mode would print it
        raise RuntimeError(f"401 Unauthorized for {GL_TOKEN} / {PEM_LINE}")

    try:
        fail()
    except RuntimeError:
        logger.exception("sync failed")
    # 4. the standard library's debug logging of a request (urllib3 / PyGithub / python-gitlab style)
    logging.getLogger("urllib3.connectionpool").debug(
        'https://gitlab.example:443 "GET /api/v4/projects?private_token=%s HTTP/1.1" 401 None', GL_TOKEN
    )
    logging.getLogger("github.Requester").debug("GET /repos {'Authorization': 'token %s'}", GH_TOKEN)
    # 5. a real HTTP client's request log and error (httpx, through a fake transport: no network)
    transport = httpx.MockTransport(lambda req: httpx.Response(401, text=f"bad credentials {GH_TOKEN}"))
    with httpx.Client(transport=transport, headers={"Authorization": f"token {GH_TOKEN}"}) as client:
        response = client.get(f"https://gitlab.example/api/v4/user?private_token={GL_TOKEN}")
        try:
            response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            logger.error("forge said: {} — {} — {}", exc, response.text, dict(exc.request.headers))
    # 6. a token shape nobody configured
    logger.info("pasted ghp_{} into the tracker", "Z" * 36)

    text = out.getvalue()
    assert_clean(text)
    assert "Z" * 36 not in text
    assert text.count(MASK) >= 8
    assert "HTTP Request" in text  # httpx's own line did arrive, masked
    if fmt == "json":
        for line in text.splitlines():
            record = json.loads(line)
            assert record["run_id"] and record["delivery_id"] == "-"


def test_http_answers_and_readyz_never_show_secrets(tmp_path: Path) -> None:
    s = secret_settings(tmp_path, log_format="json")
    out = io.StringIO()
    configure_logging(s, stream=out)

    def sync(tracker: Any) -> None:
        raise httpx.HTTPStatusError(
            f"401 for url https://api.github.com/?access_token={GH_TOKEN}",
            request=httpx.Request("GET", "https://api.github.com/", headers={"Authorization": GH_TOKEN}),
            response=httpx.Response(401),
        )

    body = json.dumps({"action": "closed", "repository": {"full_name": "o/r"}}).encode()
    answers: list[str] = []
    clock = ManualClock()
    with TestClient(build_app(s, sync, schedules=False, clock=clock)) as c:
        for headers in (
            {"X-GitHub-Event": "issues"},
            {"X-GitHub-Event": "issues", "X-Hub-Signature-256": github_signature(body, "wrong")},
            {"X-GitHub-Event": "issues", "X-Hub-Signature-256": github_signature(body, HOOK_SECRET)},
        ):
            r = c.post("/webhooks/github", content=body, headers={**headers, "X-GitHub-Delivery": "d"})
            answers.append(f"{r.status_code} {r.headers} {r.text}")
        r = c.post("/webhooks/gitlab", content=b"{}", headers={"X-Gitlab-Event": "Issue Hook", "X-Gitlab-Token": "x"})
        answers.append(r.text)
        clock.advance(0)  # the sync the accepted delivery asked for (no debounce), on this thread
        ready = c.get("/readyz").text
        answers.append(ready + c.get("/metrics").text)
    assert '"last_result":"failed"' in ready and "401 for url" in ready
    assert_clean("\n".join(answers))
    assert_clean(out.getvalue())
    assert "sync of" in out.getvalue()


def test_redactor_masks_longest_first_and_skips_tiny_values() -> None:
    r = Redactor(["abcdefgh", "abcdefghij", "ab"])
    assert r("x abcdefghij y abcdefgh z ab") == "x *** y *** z ab"


def test_cli_tracebacks_never_print_locals() -> None:
    """An unexpected crash prints a traceback; frames' locals (a token passed to an adapter) stay out of it."""
    from syncbot.cli import app

    assert app.pretty_exceptions_show_locals is False
