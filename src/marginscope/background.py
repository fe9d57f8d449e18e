"""The server's background work: the scheduled refresh of its sources, what follows a load, the alert rules.

They run in one :class:`~marginscope.alerts.scheduler.Scheduler` thread, so they never
overlap. A refresh loads on the server's own warehouse connection, under the metrics'
lock, as a load through the REST API does: the data version it bumps is the one open
pages poll, so they redraw with the new data. After every refresh that changed data, and
(as the job ``after load``) after every load through the API that did, the load service
runs the quality checks and the alert rules (:mod:`marginscope.load_service`); the rules
also run every ``alerts_every_minutes``.
"""

from __future__ import annotations

import logging

from marginscope.alerts import AlertEvaluator
from marginscope.alerts.scheduler import Job, Scheduler
from marginscope.ingest.refresh import RefreshPlan, SourceRun, run_refresh
from marginscope.load_service import LoadService

log = logging.getLogger(__name__)

REFRESH_USER = "scheduled refresh"
AFTER_LOAD = "after load"
"""The job that runs the quality checks and the alert rules after a load through the API."""


def refresh_once(service: LoadService, plan: RefreshPlan) -> list[SourceRun]:
    """Reload every source of ``plan`` on the server's connection, then what follows a load (audit entries;
    when data changed, the quality checks and the alert rules)."""
    metrics = service.metrics
    with metrics.lock:
        runs = run_refresh(metrics.warehouse, plan, user=REFRESH_USER)
    for run in runs:
        if run.error:
            log.warning("refresh of %s failed: %s", run.label, run.error)
            service.auth.audit.record("load", REFRESH_USER, "scheduler", source=run.label, status="failed",
                                      error=run.error)
    service.after([result for run in runs for result in run.results], REFRESH_USER, "scheduler", "refresh")
    return runs


def scheduler(service: LoadService, alerts: AlertEvaluator, plan: RefreshPlan | None,
              alerts_every_minutes: float) -> Scheduler:
    """The server's jobs: ``alerts`` always, ``after load`` when asked for (:meth:`Scheduler.run_soon`),
    ``refresh`` when a refresh plan is given."""
    jobs = [Job("alerts", alerts_every_minutes * 60, lambda: alerts.run("schedule")),
            Job(AFTER_LOAD, float("inf"), lambda: service.follow_up("load", "api", "after load"), on_demand=True)]
    if plan is not None:
        jobs.insert(0, Job("refresh", plan.every_minutes * 60, lambda: refresh_once(service, plan)))
    return Scheduler(jobs)
