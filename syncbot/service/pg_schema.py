"""The database schema of the PostgreSQL backend: procrastinate's, plus syncbot's own three tables.

:func:`migrate` (``syncbot db migrate``, ``serve --migrate``) is idempotent and safe to run from several
replicas at once: it holds an advisory lock, applies procrastinate's schema only to a database that has
none, and creates syncbot's tables with ``IF NOT EXISTS``.  Without ``--migrate``, ``serve`` migrates a
database that holds none of the tables (a new one, made for syncbot) and runs :func:`check` on any other:
it says what is missing instead of creating it.

syncbot's tables:

* ``syncbot_deliveries`` — webhook delivery ids already accepted (``INSERT … ON CONFLICT DO NOTHING``),
  so a redelivery is a duplicate whichever replica it reaches; rows older than a week are pruned.
* ``syncbot_trackers`` — per tracker, when a sync was last queued (the start-up reconcile runs once
  across replicas: a replica starting within the window of another's skips it) and the last result,
  so ``/readyz`` on any replica shows the same history.
* ``syncbot_budgets`` — the forge's request budget per installation or token, shared by the replicas.
"""

from __future__ import annotations

from typing import Any

from syncbot.errors import EXIT_FORGE, UserError

SCHEMA_LOCK = 0x5EC0_B07  # pg_advisory_xact_lock key: one migration at a time

SYNCBOT_TABLES = """
CREATE TABLE IF NOT EXISTS syncbot_deliveries (
    delivery_key text PRIMARY KEY,
    seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS syncbot_deliveries_seen_at_idx ON syncbot_deliveries (seen_at);

CREATE TABLE IF NOT EXISTS syncbot_trackers (
    tracker_id text PRIMARY KEY,
    queued_at timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    result text,
    error text,
    duration_seconds double precision
);

CREATE TABLE IF NOT EXISTS syncbot_budgets (
    budget_key text PRIMARY KEY,
    remaining integer NOT NULL,
    request_limit integer,
    reset_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""

REQUIRED = ("procrastinate_jobs", "syncbot_deliveries", "syncbot_trackers", "syncbot_budgets")


class SchemaMissing(UserError):
    """The database lacks tables the backend needs; the message says how to create them (exit 2)."""


class DatabaseUnusable(UserError):
    """The database refused or could not be reached (exit 3, as a forge that refuses); the message is
    the driver's, with every secret masked."""

    def __init__(self, message: str) -> None:
        # libpq's hint goes on a second line (`Is the server running on that host…`): one line here
        super().__init__(f"SYNCBOT_DATABASE_URL: {' '.join(message.split())}", EXIT_FORGE)


def _missing(conn: Any) -> list[str]:
    rows = conn.execute("SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL", [list(REQUIRED)])
    return [r[0] for r in rows.fetchall()]


def empty(conn: Any) -> bool:
    """Whether the database holds none of the backend's tables (a new database)."""
    return len(_missing(conn)) == len(REQUIRED)


def check(conn: Any) -> None:
    missing = _missing(conn)
    if missing:
        raise SchemaMissing(
            f"the database has no {', '.join(missing)} table; run `syncbot db migrate` once, or start "
            "`syncbot serve --migrate` (SYNCBOT_DATABASE_MIGRATE=true)"
        )


def migrate(conninfo: str) -> list[str]:
    """Create what is missing; returns what was created (empty when the database was up to date)."""
    import psycopg
    from procrastinate.schema import SchemaManager

    created: list[str] = []
    with psycopg.connect(conninfo, autocommit=False, connect_timeout=10) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
        missing = _missing(conn)
        if "procrastinate_jobs" in missing:
            # procrastinate's schema is one script of CREATE statements: applied whole, or not at all.
            conn.execute(SchemaManager.get_schema())
            created.append("procrastinate")
        conn.execute(SYNCBOT_TABLES)
        created += [name for name in missing if name.startswith("syncbot_")]
    return created
