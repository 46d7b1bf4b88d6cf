"""Logs: loguru, readable text on a terminal, JSON lines for containers.

Every line carries a ``run_id`` (the process's, or the sync's while one runs) and a ``delivery_id``
(the webhook being handled, ``-`` outside one); callers bind them with ``logger.contextualize`` so they
follow the code through threads started inside the block.

Secrets are masked at the sink, on the fully rendered line — message, bound values and traceback alike —
so no code path (a library's debug log of a request, an exception's text) can print a configured token.
``diagnose`` is always off: loguru's variable dumps in tracebacks would print local values, tokens
included.
"""

from __future__ import annotations

import json
import logging as std_logging
import re
import sys
import traceback
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

from loguru import logger

if TYPE_CHECKING:
    from loguru import Message, Record

    from syncbot.settings import Settings

MASK = "***"
# Shapes of forge tokens, masked even when not configured (a token pasted into a tracker, an env dump).
_TOKEN_SHAPES = r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{20,}"
_MIN_SECRET = 4  # shorter values would mask ordinary words; such a secret is refused elsewhere anyway

TEXT_FORMAT = (
    "{time:YYYY-MM-DD HH:mm:ss.SSS} {level: <7} run={extra[run_id]} delivery={extra[delivery_id]} {name}: {message}"
)


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


class Redactor:
    """Masks every configured secret value (and its JSON-escaped and PEM-line forms) in a string."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values: set[str] = set()
        for secret in secrets:
            if len(secret) < _MIN_SECRET:
                continue
            values.add(secret)
            values.add(json.dumps(secret)[1:-1])  # as it appears inside a JSON line
            values.add(repr(secret)[1:-1])  # as it appears in a repr()
            # A private key leaks line by line too (a traceback that shows part of the PEM).
            values.update(line.strip() for line in secret.splitlines() if len(line.strip()) >= 16)
        parts = [re.escape(v) for v in sorted(values, key=len, reverse=True)]
        parts.append(_TOKEN_SHAPES)
        self._pattern = re.compile("|".join(parts))

    def __call__(self, text: str) -> str:
        return self._pattern.sub(MASK, text)


class _InterceptHandler(std_logging.Handler):
    """Routes the standard library's logging (uvicorn, httpx, urllib3, PyGithub) into loguru, so it
    gets the same format, context and redaction."""

    def emit(self, record: std_logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        logger.patch(lambda r: r.__setitem__("name", record.name)).opt(exception=record.exc_info).log(
            level, record.getMessage()
        )


def _json_line(record: Record, redact: Redactor) -> str:
    data: dict[str, Any] = {
        "time": record["time"].isoformat(),
        "level": record["level"].name,
        "logger": record["name"],
        "message": record["message"],
        "run_id": record["extra"].get("run_id", "-"),
        "delivery_id": record["extra"].get("delivery_id", "-"),
    }
    for key, value in record["extra"].items():
        if key not in data:
            data[key] = value if isinstance(value, int | float | bool | None) else str(value)
    exc = record["exception"]
    if exc is not None and exc.type is not None:
        data["exception"] = "".join(traceback.format_exception(exc.type, exc.value, exc.traceback))
    return redact(json.dumps(data, ensure_ascii=False, default=str)) + "\n"


def make_sink(stream: TextIO, redact: Redactor, json_lines: bool) -> Callable[[Message], None]:
    def sink(message: Message) -> None:
        text = _json_line(message.record, redact) if json_lines else redact(str(message))
        stream.write(text)
        stream.flush()

    return sink


def configure_logging(
    settings: Settings,
    *,
    stream: TextIO | None = None,
    run_id: str | None = None,
    extra_secrets: Iterable[str] = (),
) -> Redactor:
    """Send every log line (loguru's and the standard library's) to ``stream`` (stderr), masked.
    Returns the redactor so other output (error messages) can be masked the same way."""
    out = stream if stream is not None else sys.stderr
    redact = Redactor([*settings.secret_values(), *extra_secrets])
    fmt = settings.log_format
    json_lines = fmt == "json" or (fmt == "auto" and not _isatty(out))
    logger.remove()
    logger.configure(extra={"run_id": run_id or new_run_id(), "delivery_id": "-"})
    logger.add(
        make_sink(out, redact, json_lines),
        level=settings.log_level,
        format="{message}" if json_lines else TEXT_FORMAT,
        diagnose=False,
        backtrace=False,
        enqueue=False,
    )
    # Records below the chosen level are not even built by the standard library's loggers.
    std_logging.basicConfig(handlers=[_InterceptHandler()], level=logger.level(settings.log_level).no, force=True)
    # uvicorn's access log would double every webhook line; the daemon logs deliveries itself.
    std_logging.getLogger("uvicorn.access").disabled = True
    # APScheduler logs every job it adds and runs at INFO, i.e. every debounced sync twice; keep that
    # for debugging only.
    if settings.log_level not in ("DEBUG", "TRACE"):
        std_logging.getLogger("apscheduler").setLevel(std_logging.WARNING)
    return redact


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
