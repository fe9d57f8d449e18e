"""What follows every load, whoever loads: the audit entry, the data-quality checks, the alert rules.

The command line, the ingest API and the scheduled refresh load through :mod:`marginscope.ingest`
and then hand the results to one :class:`LoadService`, so the three do the same after a load:

1. every load (loaded or rejected) is written to the audit log, with who loaded it and from where;
2. when rows changed, the data-quality checks of :mod:`marginscope.metrics.quality` run, and the
   checks that found something are written to the audit log (``quality_checks``) and the log; the
   Data page shows the same checks, computed once for the new data version;
3. then the alert rules are evaluated, so that an alert on the new data goes out at once.

Steps 2 and 3 read the whole warehouse. The command line and the scheduled refresh run them in
line (the refresh already runs in the server's background thread); the ingest API answers first
and has the server's scheduler run them (:meth:`LoadService.follow_up`), so that a push of a few
rows never waits for checks over every line.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from marginscope.alerts import AlertEvaluator
from marginscope.auth import Auth
from marginscope.ingest.load import LoadResult
from marginscope.metrics.engine import Metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FollowUp:
    """What ran after a load: the quality checks that found something and the alert rules' outcomes."""

    flagged: pd.DataFrame
    alerts: list = field(default_factory=list)


def changed(results: Sequence[LoadResult]) -> bool:
    """Whether any of the loads inserted or updated rows (a rejected or unchanged load changes nothing)."""
    return any(result.ok and (result.rows_inserted or result.rows_updated) for result in results)


class LoadService:
    """The steps that follow a load (module docstring), over ``metrics`` and the users' ``auth`` store.

    ``alerts`` evaluates the rules after a load (None: no rules are evaluated, as in a notebook).
    """

    def __init__(self, metrics: Metrics, auth: Auth, alerts: AlertEvaluator | None = None):
        self.metrics, self.auth, self.alerts = metrics, auth, alerts

    def record(self, results: Sequence[LoadResult], user: str, client: str | None) -> bool:
        """Write each load to the audit log; return whether rows changed (so that the follow-up is due)."""
        for result in results:
            self.auth.audit.record("load", user, client, table=result.table, source=result.source,
                                   load_id=result.load_id, status=result.status, rows_read=result.rows_read,
                                   rows_loaded=result.rows_loaded, rows_rejected=result.rows_rejected,
                                   data_version=result.data_version)
        return changed(results)

    def follow_up(self, trigger: str, user: str = "marginscope", client: str | None = "after load") -> FollowUp:
        """Run the quality checks and then the alert rules on the data as it is now."""
        checks = self.metrics.quality.checks()
        flagged = checks[checks.status != "ok"].reset_index(drop=True)
        self.auth.audit.record("quality_checks", user, client, trigger=trigger, checks=len(checks),
                               flagged=dict(zip(flagged.check.tolist(), flagged.rows.astype(int).tolist())),
                               data_version=self.metrics.data_version)
        if not flagged.empty:
            log.info("quality checks after %s: %s", trigger, ", ".join(f"{row.check} ({row.rows:,} rows)"
                                                                       for row in flagged.itertuples()))
        outcomes = self.alerts.run(trigger) if self.alerts is not None else []
        return FollowUp(flagged, outcomes)

    def after(self, results: Sequence[LoadResult], user: str, client: str | None,
              trigger: str = "load") -> FollowUp | None:
        """:meth:`record` the loads, then :meth:`follow_up` at once when rows changed (None when none did)."""
        if not self.record(results, user, client):
            return None
        return self.follow_up(trigger, user, client)
