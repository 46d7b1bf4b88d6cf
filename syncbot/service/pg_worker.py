"""The procrastinate worker of one replica, in a thread with its own event loop (the HTTP side keeps
uvicorn's), and beside it the recovery loop that retries the syncs of replicas that died.

The worker stops itself when one of its side tasks fails (the database restarted under its listening
connection): it is then started again, a few seconds later, until the replica drains."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import TYPE_CHECKING

from loguru import logger
from procrastinate import exceptions
from procrastinate.jobs import Job, Status
from procrastinate.worker import Worker

if TYPE_CHECKING:
    from syncbot.service.pg_queue import PostgresQueue

RESTART_AFTER = 3.0  # seconds between a worker that stopped on its own and the next one


class WorkerThread:
    def __init__(self, queue: PostgresQueue) -> None:
        self.queue = queue
        self.worker: Worker | None = None
        self.up = threading.Event()
        self.failure: BaseException | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._main, name="syncbot-pg-worker", daemon=True)

    def start(self, timeout: float = 30) -> None:
        self._thread.start()
        if not self.up.wait(timeout) or self.failure is not None:
            self.stop()
            raise RuntimeError(f"the PostgreSQL worker did not start: {self.failure}")

    def stop(self) -> None:
        self._stopping.set()
        if self.worker is not None:
            self.worker.stop()  # thread-safe: wakes the worker's loop

    def join(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self._thread.is_alive() and time.monotonic() < deadline:
            if self.worker is not None:
                self.worker.stop()  # again: a worker that was just starting forgets an earlier stop
            self._thread.join(min(0.2, max(deadline - time.monotonic(), 0)))
        return not self._thread.is_alive()

    def alive(self) -> bool:
        return self._thread.is_alive() and self.worker is not None and self.worker.worker_id is not None

    def _main(self) -> None:
        while not self._stopping.is_set():
            try:
                asyncio.run(self._run())
            except BaseException as exc:
                self.failure = exc
                self.up.set()
                logger.opt(exception=exc).error("the PostgreSQL worker stopped: {}", self.queue.redact(str(exc)))
            if not self._stopping.wait(RESTART_AFTER):
                logger.warning("the PostgreSQL worker stopped; starting it again")
                self.failure = None

    async def _run(self) -> None:
        q = self.queue
        async with q.app.open_async():
            self.worker = Worker(
                q.app,
                name="syncbot",
                concurrency=q.concurrency,
                install_signal_handlers=False,
                fetch_job_polling_interval=min(1.0, max(0.05, q.debounce / 4)),
                delete_jobs="successful",
                update_heartbeat_interval=q.heartbeat,
                stalled_worker_timeout=q.stalled,
            )
            recovery = asyncio.create_task(self._recover_loop())
            self.up.set()
            try:
                if not self._stopping.is_set():
                    await self.worker.run()
            finally:
                recovery.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await recovery

    async def _recover_loop(self) -> None:
        """Retry the syncs of replicas that stopped beating; each retried job frees its repository's lock."""
        q = self.queue
        jobs = q.app.job_manager
        while True:
            await asyncio.sleep(q.heartbeat)
            try:
                own = self.worker.worker_id if self.worker else None
                for job in await jobs.get_stalled_jobs(task_name=q.task_name, seconds_since_heartbeat=q.stalled):
                    if job.worker_id is None or job.worker_id != own:
                        await self._recover(job)
                await jobs.prune_stalled_workers(q.stalled)
                await asyncio.to_thread(q.refresh_metrics)
            except Exception as exc:
                logger.warning("stalled-job recovery failed, trying again: {}", q.redact(str(exc)))

    async def _recover(self, job: Job) -> None:
        assert job.id is not None
        jobs = self.queue.app.job_manager
        tracker = job.task_kwargs.get("tracker")
        try:
            await jobs.retry_job(job)
            logger.warning("sync of {} was running on a replica that stopped; retrying it", tracker)
        except exceptions.UniqueViolation:
            # Another sync of the tracker is queued already: it covers this one.
            await jobs.finish_job_by_id_async(job.id, status=Status.FAILED, delete_job=False)
            logger.warning("sync of {} was running on a replica that stopped; a queued sync covers it", tracker)
