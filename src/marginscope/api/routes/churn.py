"""Churn risk (METRICS.md, "Forecast, churn risk, lifetime value"), from
:class:`~marginscope.metrics.engine.ChurnMetrics`.

Scores are as of the end of the range (default the last invoice date). They come with
their validation: a list's ``attrs`` carries the as-of date and, when there is no
model, the ``reason``, in which case the probabilities are null.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_records, json_value
from marginscope.metrics.churn import AT_RISK_THRESHOLD

router = APIRouter(prefix="/churn", tags=["churn"], dependencies=[MetricErrors])

AsOf = Annotated[dt.date | None, Query(description="The day the risk is assessed at (default: the end of the "
                                                   "range, or the last invoice date)")]
Threshold = Annotated[float, Query(ge=0, le=1, description="Churn probability above which a customer is at risk")]


@router.get("/risk", summary="Churn probability of every active customer")
def risk(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
         as_of: AsOf = None) -> MetricPage:
    """Per customer active at the as-of date: the probability of no purchase in the next 180 days, the
    features it comes from, the owner rep and the revenue of the last 365 days; riskiest first."""
    return page.of(metrics.churn.risk(filters, scope, as_of))


@router.get("/at-risk", summary="Active customers likely to make no purchase in the next 180 days")
def at_risk(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep, as_of: AsOf = None,
            threshold: Threshold = AT_RISK_THRESHOLD) -> MetricPage:
    """The customers of ``/risk`` whose churn probability is above ``threshold`` (default 0.5)."""
    return page.of(metrics.churn.at_risk(filters, scope, as_of, threshold))


@router.get("/validation", summary="How well the churn model did on a held-out time split")
def validation(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, as_of: AsOf = None) -> dict[str, Any]:
    """The AUC and calibration table of the model fitted 360 days before the as-of date and tested on the
    following 180 days' customers, with the sizes of both sets; ``reason`` says why there is no model."""
    result = metrics.churn.validation(filters, scope, as_of)
    return json_value(result.summary()) | {"calibration": json_records(result.calibration)}
