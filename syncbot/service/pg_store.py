"""syncbot's own rows in PostgreSQL (``pg_schema``), and the one statement it runs on procrastinate's
jobs table: pushing a queued sync back while requests keep coming (the trailing debounce).

Every function takes a psycopg connection (autocommit, or inside the caller's transaction), so the
queue decides what goes in one transaction."""

from __future__ import annotations

from typing import Any

# Each webhook request that joins a queued sync pushes it back to ``debounce`` seconds after itself, but
# never past ``max_wait`` after the first request (a steady stream cannot starve it) and never earlier
# than it was (a rate limit's reset).  A webhook raises a queued reconcile's priority to its own, and its
# delivery id is kept with the job (at most 50) for the sync's log lines.  A schedule tick it joins is
# no tick any more (``timestamp`` goes): it must run even if a sync started since the tick.
_JOIN = """
UPDATE procrastinate_jobs
   SET scheduled_at = GREATEST(
           COALESCE(scheduled_at, '-infinity'::timestamptz),
           LEAST(now() + make_interval(secs => %(debounce)s),
                 COALESCE(to_timestamp((args->>'first_at')::double precision), now())
                     + make_interval(secs => %(max_wait)s))),
       priority = GREATEST(priority, %(priority)s),
       args = CASE WHEN %(delivery)s::text = '' OR jsonb_array_length(COALESCE(args->'deliveries', '[]')) >= 50
                   THEN args - 'timestamp'
                   ELSE jsonb_set(args - 'timestamp', '{deliveries}',
                                  COALESCE(args->'deliveries', '[]') || to_jsonb(%(delivery)s::text)) END
 WHERE queueing_lock = %(queueing_lock)s AND status = 'todo'
RETURNING id
"""


def join_queued(
    conn: Any, queueing_lock: str, *, debounce: float, max_wait: float, priority: int, delivery: str
) -> bool:
    """Fold one more request into the queued sync; False when none is queued any more (it has started,
    and so covers the request)."""
    row = conn.execute(
        _JOIN,
        {
            "queueing_lock": queueing_lock,
            "debounce": debounce,
            "max_wait": max_wait,
            "priority": priority,
            "delivery": delivery,
        },
    ).fetchone()
    return row is not None


def postpone_queued(conn: Any, queueing_lock: str, seconds: float) -> None:
    """The queued sync waits at least ``seconds`` more (a rate limit resets then)."""
    conn.execute(
        "UPDATE procrastinate_jobs SET scheduled_at = GREATEST(COALESCE(scheduled_at, now()),"
        " now() + make_interval(secs => %s)), args = args - 'timestamp'"
        " WHERE queueing_lock = %s AND status = 'todo'",
        [seconds, queueing_lock],
    )


def cancel_queued(conn: Any, queueing_lock: str) -> None:
    """A tracker no longer served: its waiting sync is cancelled (a running one finishes)."""
    conn.execute(
        "UPDATE procrastinate_jobs SET status = 'cancelled' WHERE queueing_lock = %s AND status = 'todo'",
        [queueing_lock],
    )


def mark_queued(conn: Any, tracker_id: str) -> None:
    conn.execute(
        "INSERT INTO syncbot_trackers (tracker_id, queued_at) VALUES (%s, now())"
        " ON CONFLICT (tracker_id) DO UPDATE SET queued_at = now()",
        [tracker_id],
    )


def claim_start(conn: Any, tracker_id: str, window: float) -> bool:
    """The start-up reconcile of one tracker, once across replicas: True for the first replica to ask
    within ``window`` seconds of the last sync queued for it (by any replica, for any reason).  The row
    lock of the upsert orders replicas starting at the same moment."""
    row = conn.execute(
        "INSERT INTO syncbot_trackers (tracker_id, queued_at) VALUES (%s, now())"
        " ON CONFLICT (tracker_id) DO UPDATE SET queued_at = now()"
        " WHERE syncbot_trackers.queued_at IS NULL"
        " OR syncbot_trackers.queued_at < now() - make_interval(secs => %s)"
        " RETURNING tracker_id",
        [tracker_id, window],
    ).fetchone()
    return row is not None


def started_since(conn: Any, tracker_id: str, epoch: float) -> bool:
    """Did a sync of this tracker start at or after ``epoch``?  Such a sync covers a schedule tick."""
    row = conn.execute(
        "SELECT 1 FROM syncbot_trackers WHERE tracker_id = %s AND started_at >= to_timestamp(%s)",
        [tracker_id, epoch],
    ).fetchone()
    return row is not None


def mark_started(conn: Any, tracker_id: str) -> None:
    conn.execute(
        "INSERT INTO syncbot_trackers (tracker_id, started_at) VALUES (%s, now())"
        " ON CONFLICT (tracker_id) DO UPDATE SET started_at = now()",
        [tracker_id],
    )


def mark_finished(conn: Any, tracker_id: str, *, ok: bool, error: str | None, duration: float) -> None:
    conn.execute(
        "UPDATE syncbot_trackers SET finished_at = now(), result = %s, error = %s, duration_seconds = %s"
        " WHERE tracker_id = %s",
        ["ok" if ok else "failed", error, duration, tracker_id],
    )


def first_delivery(conn: Any, delivery_key: str) -> bool:
    """Remember a delivery; True the first time any replica sees it."""
    row = conn.execute(
        "INSERT INTO syncbot_deliveries (delivery_key) VALUES (%s) ON CONFLICT DO NOTHING RETURNING 1",
        [delivery_key],
    ).fetchone()
    return row is not None


def prune_deliveries(conn: Any, days: float) -> None:
    conn.execute("DELETE FROM syncbot_deliveries WHERE seen_at < now() - make_interval(days => %s)", [int(days)])


def tracker_rows(conn: Any, tracker_ids: list[str], queue_prefix: str) -> list[dict[str, Any]]:
    """What ``/readyz`` shows per tracker, the same on every replica: the last result, and whether a
    sync runs or waits right now."""
    rows = conn.execute(
        """
        SELECT ids.tracker_id, t.result, t.error,
               EXTRACT(EPOCH FROM now() - t.finished_at)::double precision AS age,
               t.duration_seconds,
               EXISTS (SELECT 1 FROM procrastinate_jobs j
                        WHERE j.status = 'doing' AND j.args->>'tracker' = ids.tracker_id) AS running,
               EXISTS (SELECT 1 FROM procrastinate_jobs j
                        WHERE j.queueing_lock = %(queue)s || ids.tracker_id AND j.status = 'todo') AS pending
          FROM unnest(%(ids)s::text[]) WITH ORDINALITY AS ids(tracker_id, n)
          LEFT JOIN syncbot_trackers t USING (tracker_id)
         ORDER BY ids.n
        """,
        {"ids": tracker_ids, "queue": queue_prefix},
    ).fetchall()
    return [
        {
            "tracker": tid,
            "last_result": result,
            "last_error": error,
            "age_seconds": None if age is None else round(age, 3),
            "duration_seconds": duration,
            "running": running,
            "pending": pending,
        }
        for tid, result, error, age, duration, running, pending in rows
    ]
