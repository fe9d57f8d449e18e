"""The server's background work: the scheduled refresh of its sources and the alert rules.

Both run in one :class:`~marginscope.alerts.scheduler.Scheduler` thread, so they never
overlap. A refresh loads on the server's own warehouse connection, under the metrics'
lock, as a load through the REST API does: the data version it bumps is the one open
pages poll, so they redraw with the new data. Alerts run after every refresh that
changed data, after every load through the API, and every ``alerts_every_minutes``.
"""

from __future__ import annotations

import logging

from marginscope.alerts import AlertEvaluator
from marginscope.alerts.scheduler import Job, Scheduler
from marginscope.auth import Auth
from marginscope.ingest.refresh import RefreshPlan, SourceRun, run_refresh
from marginscope.metrics.engine import Metrics

log = logging.getLogger(__name__)

REFRESH_USER = "scheduled refresh"


def refresh_once(metrics: Metrics, auth: Auth, plan: RefreshPlan, alerts: AlertEvaluator | None) -> list[SourceRun]:
    """Reload every source of ``plan`` on the server's connection; record it; run the alerts if data changed."""
    with metrics.lock:
        runs = run_refresh(metrics.warehouse, plan, user=REFRESH_USER)
    changed = False
    for run in runs:
        if run.error:
            log.warning("refresh of %s failed: %s", run.label, run.error)
            auth.audit.record("load", REFRESH_USER, "scheduler", source=run.label, status="failed", error=run.error)
        for result in run.results:
            changed |= bool(result.ok and (result.rows_inserted or result.rows_updated))
            auth.audit.record("load", REFRESH_USER, "scheduler", table=result.table, source=result.source,
                              status=result.status, rows_loaded=result.rows_loaded,
                              rows_rejected=result.rows_rejected, data_version=result.data_version)
    if changed and alerts is not None:
        alerts.run("refresh")
    return runs


def scheduler(metrics: Metrics, auth: Auth, alerts: AlertEvaluator, plan: RefreshPlan | None,
              alerts_every_minutes: float) -> Scheduler:
    """The server's jobs: ``alerts`` always, ``refresh`` when a refresh plan is given."""
    jobs = [Job("alerts", alerts_every_minutes * 60, lambda: alerts.run("schedule"))]
    if plan is not None:
        jobs.insert(0, Job("refresh", plan.every_minutes * 60, lambda: refresh_once(metrics, auth, plan, alerts)))
    return Scheduler(jobs)
