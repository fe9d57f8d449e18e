"""A small in-process scheduler: named jobs run every N seconds in one background thread.

The server runs two: the refresh of its sources (when a refresh file is set) and the
evaluation of the alert rules. A job can be asked to run at once (after a load
through the API), and jobs never overlap, since they share the warehouse connection.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every_seconds: float
    run: Callable[[], object]
    on_demand: bool = False
    """Run only when asked for (:meth:`Scheduler.run_soon`), never on an interval."""
    next_at: float = 0.0
    runs: int = 0
    last_error: str | None = None

    def __post_init__(self) -> None:
        if self.on_demand:
            self.next_at = float("inf")


class Scheduler:
    """Runs ``jobs`` on their intervals in a daemon thread, from :meth:`start` to :meth:`stop`.

    Examples
    --------
    >>> done = []
    >>> scheduler = Scheduler([Job("count", 3600, lambda: done.append(1))])
    >>> scheduler.run_due(now=0.0); done
    [1]
    >>> scheduler.run_due(now=10.0); done  # not due again for an hour
    [1]
    """

    def __init__(self, jobs: list[Job], clock: Callable[[], float] = time.monotonic):
        self.jobs = {job.name: job for job in jobs}
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._soon: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def run_due(self, now: float | None = None) -> None:
        """Run the jobs that are due (or asked for) now."""
        now = self.clock() if now is None else now
        with self._lock:
            soon, self._soon = self._soon, set()
        for job in self.jobs.values():
            if job.name in soon or now >= job.next_at:
                job.next_at = float("inf") if job.on_demand else now + job.every_seconds
                try:
                    job.run()
                    job.last_error = None
                except Exception as exc:  # a failed run is logged; the next one is still scheduled
                    log.exception("scheduled job %s failed", job.name)
                    job.last_error = f"{type(exc).__name__}: {exc}"
                job.runs += 1

    def run_soon(self, name: str) -> None:
        """Run job ``name`` as soon as the thread is free."""
        if name in self.jobs:
            with self._lock:
                self._soon.add(name)
            self._wake.set()

    def _loop(self, first_delay: float) -> None:
        for job in self.jobs.values():
            job.next_at = float("inf") if job.on_demand else self.clock() + first_delay
        while not self._stop.is_set():
            self.run_due()
            with self._lock:
                pending = bool(self._soon)
            if pending:
                continue
            wait = max(0.0, min(job.next_at for job in self.jobs.values()) - self.clock()) if self.jobs else None
            self._wake.wait(wait)
            self._wake.clear()

    def start(self, first_delay: float = 0.0) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, args=(first_delay,), name="marginscope-scheduler",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
