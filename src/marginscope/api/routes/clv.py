"""Customer lifetime value (METRICS.md, "Forecast, churn risk, lifetime value"), from
:class:`~marginscope.metrics.engine.LifetimeValueMetrics`.

BG/NBD with Gamma-Gamma in contribution-margin terms, discounted; as of the end of the
range (default the last invoice date). When there is no fit the values are null and the
list's ``attrs`` give the ``reason``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep
from marginscope.metrics.clv import ANNUAL_DISCOUNT_RATE, HORIZON_MONTHS

router = APIRouter(prefix="/clv", tags=["clv"], dependencies=[MetricErrors])

AsOf = Annotated[dt.date | None, Query(description="The day the value is assessed at (default: the end of the "
                                                   "range, or the last invoice date)")]
Horizon = Annotated[int, Query(ge=1, le=120, description="Months of future purchases counted")]
DiscountRate = Annotated[float, Query(ge=0, le=1, description="Annual discount rate (0.10 is 10%)")]


@router.get("/customers", summary="Lifetime value of every customer")
def customers(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep, as_of: AsOf = None,
              horizon_months: Horizon = HORIZON_MONTHS,
              annual_discount_rate: DiscountRate = ANNUAL_DISCOUNT_RATE) -> MetricPage:
    """Per customer with a purchase: frequency, recency and age in weeks, expected purchases over the horizon,
    P(alive), expected contribution margin per purchase, discounted CLV and CLV / acquisition cost."""
    return page.of(metrics.clv.customers(filters, scope, as_of, horizon_months, annual_discount_rate))


@router.get("/segments", summary="Lifetime value per RFM segment")
def segments(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
             horizon_months: Horizon = HORIZON_MONTHS,
             annual_discount_rate: DiscountRate = ANNUAL_DISCOUNT_RATE) -> MetricPage:
    """Per segment: customers, total and mean CLV, mean P(alive), expected purchases and CLV / CAC."""
    return page.of(metrics.clv.by_segment(filters, scope, horizon_months, annual_discount_rate))


@router.get("/model", summary="The fitted BG/NBD and Gamma-Gamma parameters")
def model(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
          as_of: AsOf = None) -> MetricPage:
    """One row per model and parameter (r, alpha, a, b; p, q, v); ``attrs`` give the customers each model
    was fitted on, the penalty a fit needed, and the correlation of frequency and margin."""
    return page.of(metrics.clv.model(filters, scope, as_of))
