"""A tiny router over :mod:`http.server`, run on 127.0.0.1 in a thread.

Real HTTP on loopback (not a mock of the client library) so the adapters are exercised through PyGithub,
python-gitlab, requests and urllib3 exactly as in production, and vcrpy can record the wire traffic.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Request:
    method: str
    path: str  # as sent (percent-encoded); route parameters are decoded
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Response:
    status: int
    body: Any = None  # JSON-serialisable, or bytes
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


class HttpError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.response = Response(status, body, headers or {})


@dataclass
class Injected:
    """A canned response served instead of the real one, for the next ``times`` matching requests."""

    status: int
    body: Any
    headers: dict[str, str]
    times: int
    method: str | None = None
    carry_out: bool = False  # do the real request first, then answer with this (a lost answer)


class Emulator:
    """Routes, a request log, injected failures and a deterministic clock."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.log: list[tuple[str, str, int]] = []  # (method, path?query, status)
        self.injected: list[Injected] = []
        self.errors: list[str] = []
        self.prefix = ""  # e.g. "/api/v3": GitHub Enterprise serves the API under a path
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        # A fixed clock that ticks one second per write keeps recorded cassettes byte-stable.
        self._now = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)

    # -- set-up ------------------------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        regex = regex.replace("{path+}", "(?P<path>.+)")
        self._routes.append((method, re.compile(f"^{regex}$"), handler))

    def inject(
        self,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        times: int = 1,
        method: str | None = None,
        carry_out: bool = False,
    ) -> None:
        """Serve ``status``/``body`` for the next ``times`` matching requests; with ``carry_out`` the real
        request is carried out first, as when a server does the work and its answer is lost."""
        with self.lock:
            self.injected.append(Injected(status, body, headers or {}, times, method, carry_out))

    def tick(self) -> str:
        self._now += timedelta(seconds=1)
        return self.now()

    def now(self) -> str:
        return self._now.strftime("%Y-%m-%dT%H:%M:%SZ")

    def count(self, method: str | None = None) -> int:
        return sum(1 for m, _, _ in self.log if method is None or m == method)

    # -- hooks for subclasses ------------------------------------------------------------------------
    def authenticate(self, request: Request) -> None:
        """Raise HttpError to refuse the request."""

    def finish(self, request: Request, response: Response) -> Response:
        return response

    # -- serving -------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        with self.lock:
            try:
                for injected in self.injected:
                    if injected.method in (None, request.method):
                        injected.times -= 1
                        if injected.times <= 0:
                            self.injected.remove(injected)
                        if injected.carry_out:
                            self._route(request)
                        return Response(injected.status, injected.body, dict(injected.headers))
                return self._route(request)
            except HttpError as err:
                return self.finish(request, err.response)
            except Exception as err:  # an emulator bug must show up as a 500, not a dropped connection
                self.errors.append(repr(err))
                return Response(500, {"message": f"emulator error: {err!r}"})

    def _route(self, request: Request) -> Response:
        with self.lock:
            try:
                if self.prefix:
                    if not request.path.startswith(self.prefix + "/"):
                        raise HttpError(404, {"message": "Not Found"})
                    request.path = request.path[len(self.prefix) :]
                self.authenticate(request)
                for method, regex, handler in self._routes:
                    if method != request.method:
                        continue
                    match = regex.match(request.path)
                    if match:
                        # Match the raw path, then decode each part: GitLab ids are "group%2Fproject".
                        request.params = {k: unquote(v) for k, v in match.groupdict().items()}
                        return self.finish(request, handler(request))
                raise HttpError(404, {"message": "Not Found"})
            except HttpError as err:
                return self.finish(request, err.response)
            except Exception as err:  # an emulator bug must show up as a 500, not a dropped connection
                self.errors.append(repr(err))
                return Response(500, {"message": f"emulator error: {err!r}"})

    def start(self) -> str:
        emulator = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms stalls

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                request = Request(
                    method=self.command,
                    path=parts.path,
                    raw_path=self.path,
                    query=query,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                response = emulator.dispatch(request)
                with emulator.lock:
                    emulator.log.append((self.command, self.path, response.status))
                if isinstance(response.body, bytes):
                    payload = response.body
                elif response.body is None or response.status == 304:
                    payload = b""
                else:
                    payload = json.dumps(response.body).encode()
                self.send_response(response.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **response.headers}
                if response.status == 304:
                    headers.pop("Content-Type", None)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def etag_of(payload: Any, base_url: str = "") -> str:
    """A weak validator of a body; independent of the port the emulator happens to listen on."""
    text = json.dumps(payload, sort_keys=True)
    if base_url:
        text = text.replace(base_url, "")
    return 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:40] + '"'


def paginate(
    items: list[Any], request: Request, url: str, default_per_page: int = 30
) -> tuple[list[Any], dict[str, str], int, int]:
    """One page of ``items`` and an RFC 8288 ``Link`` header as GitHub and GitLab send it."""
    from urllib.parse import urlencode

    per_page = max(1, min(100, int(request.query.get("per_page") or default_per_page)))
    page = max(1, int(request.query.get("page") or 1))
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]

    def link(n: int) -> str:
        query = {**request.query, "per_page": str(per_page), "page": str(n)}
        return f"<{url}?{urlencode(query)}>"

    rels = []
    if page < last:
        rels.append(f'{link(page + 1)}; rel="next"')
        rels.append(f'{link(last)}; rel="last"')
    if page > 1:
        rels.append(f'{link(1)}; rel="first"')
        rels.append(f'{link(page - 1)}; rel="prev"')
    headers = {"Link": ", ".join(rels)} if rels else {}
    return chunk, headers, page, last
