"""The long-running service (``syncbot serve``): webhooks and a schedule feed a queue of syncs.

One interface, two backends (``queue.SyncQueue``): the embedded one (APScheduler + lock files, the
default, nothing to install) and PostgreSQL through procrastinate (``SYNCBOT_DATABASE_URL``), for
several replicas on one database.
"""
