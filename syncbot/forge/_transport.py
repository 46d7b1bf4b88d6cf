"""The HTTP seam shared by the GitHub and GitLab adapters.

Both client libraries (PyGithub, python-gitlab) talk through a :class:`requests.Session`; mounting
:class:`SeamAdapter` on that session gives one place to

* count requests (``RequestStats``), so benchmarks and ``--json`` see what a sync really cost;
* make listings conditional (``If-None-Match``): an unchanged listing answers 304, which GitHub does not
  count against the rate limit, and the cached body is handed to the library as if it were a 200 — the
  libraries need no knowledge of caching, and their pagination (``Link`` headers) keeps working;
* stop at once when the primary rate limit is spent instead of sleeping for up to an hour;
* refuse a success whose body is not JSON (a proxy's login page, a body cut off mid-way) with one line
  naming the forge and the status (:class:`NotJsonAnswer`), instead of a library's traceback.

The cache is keyed by a hash of the token, never by the token: two tokens may see different data, and
the cache file must never hold a secret.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from syncbot.forge.base import ForgeError, RateLimitError, RequestStats
from syncbot.statedir import ensure_state_dir

# Headers the libraries read from a listing; everything else of a cached response is dropped.
_KEPT_HEADERS = ("content-type", "link", "etag", "x-total", "x-total-pages", "x-next-page", "x-page")
CACHE_HIT_HEADER = "X-Syncbot-Cache"


def token_fingerprint(token: str) -> str:
    """A short one-way digest of a token: enough to key a cache, useless to an attacker."""
    return hashlib.sha256(("syncbot-etag-cache\0" + token).encode()).hexdigest()[:24]


class ETagCache:
    """Validators and bodies of earlier GET responses, per token fingerprint.

    In memory always; also on disk when ``directory`` is given, so a CLI run can answer 304s from the
    previous run (files are ``0600``: they hold issue text).
    """

    def __init__(self, fingerprint: str, directory: Path | None = None) -> None:
        self.fingerprint = fingerprint
        self.directory = directory
        self._memory: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _key(self, url: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{url}".encode()).hexdigest()

    def _file(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / self.fingerprint / f"{key}.json"

    def get(self, url: str) -> dict[str, Any] | None:
        key = self._key(url)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        path = self._file(key)
        if path is None or not path.is_file():
            return None
        try:
            entry: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None  # a damaged cache file only costs a full GET
        with self._lock:
            self._memory[key] = entry
        return entry

    def put(self, url: str, etag: str, headers: dict[str, str], body: bytes) -> None:
        key = self._key(url)
        entry = {"etag": etag, "headers": headers, "body": body.decode("utf-8", "surrogateescape")}
        with self._lock:
            self._memory[key] = entry
        path = self._file(key)
        if path is None:
            return
        try:
            if self.directory is not None:
                ensure_state_dir(self.directory.parent)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh)
            tmp.replace(path)
        except OSError:
            pass  # the cache is an optimisation; a read-only disk must not fail a sync


class NotJsonAnswer(ForgeError):
    """The forge (or something in front of it) answered with a body that is not JSON."""


def not_json(forge: str, response: requests.Response) -> NotJsonAnswer | None:
    """A :class:`NotJsonAnswer` for a response whose non-empty body does not parse; None when it does."""
    body = response.content
    if not body.strip():
        return None
    try:
        json.loads(body)
    except ValueError:
        kind = (response.headers.get("Content-Type") or "no content type").split(";")[0]
        return NotJsonAnswer(
            f"{forge} answered {response.status_code} with a body that is not JSON ({kind}, {len(body)} bytes): "
            "a proxy or login page in between, or an answer cut off; check the forge URL and try again"
        )
    return None


def one_line(text: str, limit: int = 200) -> str:
    """A forge's error text fit for one line: an HTML page is named, not shown; whitespace folded."""
    if text.lstrip()[:1] == "<":
        return "a page that is not JSON"
    return " ".join(text.split())[:limit]


class SeamAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that counts, caches conditionally and refuses to wait out a spent limit."""

    def __init__(
        self,
        stats: RequestStats,
        cache: ETagCache | None,
        *,
        max_retries: Any = 0,
        max_rate_limit_wait: float = 60.0,
        pool_maxsize: int = 10,
        forge: str = "the forge",
        before_write: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(max_retries=max_retries, pool_connections=pool_maxsize, pool_maxsize=pool_maxsize)
        self.forge = forge
        self.stats = stats
        self.cache = cache
        self.max_rate_limit_wait = max_rate_limit_wait
        self._counting = threading.Lock()  # a fleet's discovery sends from several threads at once
        # Called before each write is sent (urllib3 retries happen below it): a fleet spaces the writes of
        # one installation across its syncs.
        self.before_write = before_write

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        method = (request.method or "GET").upper()
        url = request.url or ""
        if self.before_write is not None and method not in ("GET", "HEAD"):
            self.before_write()
        entry = None
        if method == "GET" and self.cache is not None:
            entry = self.cache.get(url)
            if entry is not None:
                request.headers["If-None-Match"] = entry["etag"]
        try:
            response = super().send(request, **kwargs)
        except Exception:
            self._count(method, url, 0)  # refused mid-retry (a spent limit) or unreachable: still a request
            raise
        self._count(method, url, response.status_code)
        self._note_rate_limit(response)
        if response.status_code in (403, 429):
            self._check_rate_limit(response)
        if 200 <= response.status_code < 300 and (refused := not_json(self.forge, response)) is not None:
            raise refused
        if method != "GET" or self.cache is None:
            return response
        if response.status_code == 304 and entry is not None:
            return self._from_cache(response, entry)
        etag = response.headers.get("ETag")
        if response.status_code == 200 and etag:
            kept = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
            self.cache.put(url, etag, kept, response.content)
        return response

    def _count(self, method: str, url: str, status: int) -> None:
        path = requests.utils.urlparse(url).path
        key = f"{method} {path}"
        with self._counting:
            self.stats.by_path[key] = self.stats.by_path.get(key, 0) + 1
            if method in ("GET", "HEAD"):
                self.stats.gets += 1
                if status == 304:
                    self.stats.not_modified += 1
            else:
                self.stats.writes += 1

    def _note_rate_limit(self, response: requests.Response) -> None:
        """Keep the last remaining-requests figure the forge reported (a 304 carries it too)."""
        headers = response.headers
        remaining = headers.get("X-RateLimit-Remaining", headers.get("RateLimit-Remaining"))
        if remaining is not None and remaining.strip().isdigit():
            self.stats.rate_limit_remaining = int(remaining.strip())
        reset = headers.get("X-RateLimit-Reset", headers.get("RateLimit-Reset"))
        if reset is not None and reset.strip().isdigit():
            self.stats.rate_limit_reset = datetime.fromtimestamp(int(reset.strip()), UTC)

    def _from_cache(self, not_modified: requests.Response, entry: dict[str, Any]) -> requests.Response:
        """Turn a 304 into the 200 the library expects, carrying the cached body and headers."""
        response = requests.Response()
        response.status_code = 200
        response.reason = "OK"
        headers = CaseInsensitiveDict(entry["headers"])
        # Fresh rate-limit headers from the 304 win over cached ones.
        for name, value in not_modified.headers.items():
            if name.lower().startswith(("x-ratelimit", "ratelimit")):
                headers[name] = value
        headers[CACHE_HIT_HEADER] = "hit"
        response.headers = headers
        response._content = entry["body"].encode("utf-8", "surrogateescape")
        response.url = not_modified.url
        response.request = not_modified.request
        response.encoding = "utf-8"
        response.connection = self
        response.raw = not_modified.raw
        return response

    def _check_rate_limit(self, response: requests.Response) -> None:
        """Raise at once when the primary limit is spent and the reset is further away than we wait."""
        headers = response.headers
        remaining = headers.get("X-RateLimit-Remaining", headers.get("RateLimit-Remaining"))
        reset_raw = headers.get("X-RateLimit-Reset", headers.get("RateLimit-Reset"))
        retry_after = headers.get("Retry-After")
        reset_at: datetime | None = None
        if reset_raw and reset_raw.strip().isdigit():
            reset_at = datetime.fromtimestamp(int(reset_raw.strip()), UTC)
        wait: float | None = None
        if retry_after and retry_after.strip().isdigit():
            wait = float(retry_after)
        elif reset_at is not None:
            wait = (reset_at - datetime.now(UTC)).total_seconds()
        spent = remaining is not None and remaining.strip() == "0"
        if (spent or response.status_code == 429) and wait is not None and wait > self.max_rate_limit_wait:
            if reset_at is None:
                reset_at = datetime.fromtimestamp(datetime.now(UTC).timestamp() + wait, UTC)
            host = requests.utils.urlparse(response.url or "").hostname or "the forge"
            raise RateLimitError(f"rate limit of {host} spent", reset_at)


def mount(session: requests.Session, adapter: SeamAdapter) -> None:
    session.mount("https://", adapter)
    session.mount("http://", adapter)
