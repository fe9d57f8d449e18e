"""Actual against budget (METRICS.md, "Budget"), from :class:`~marginscope.metrics.engine.BudgetMetrics`.

Budgets exist per region, product category, rep and customer tier; filters they cannot
express (industry, customer type, customer, product) leave the budget null rather than
compare unlike things. A rep's or manager's scope compares with its reps' budget cells
(null when the budget has none by rep): :func:`marginscope.metrics.budget.basis`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import BudgetDimension
from marginscope.api.results import MetricErrors, MetricPage, PageDep

router = APIRouter(prefix="/budget", tags=["budget"], dependencies=[MetricErrors])

AsOf = Annotated[dt.date | None, Query(description="The day that splits actual from future months and prorates "
                                                   "the month in progress (default today)")]


@router.get("/by-month", summary="Budget and actual per month and measure")
def by_month(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
             as_of: AsOf = None) -> MetricPage:
    """Per month and measure: budget, actual, variance, attainment, and whether the month is partial or future."""
    return page.of(metrics.budget.by_month(filters, scope, as_of=as_of))


@router.get("/by/{dimension}", summary="Budget and actual per value of a budget dimension")
def by_dimension(dimension: BudgetDimension, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
                 page: PageDep, as_of: AsOf = None) -> MetricPage:
    """Per value and measure: budget, actual, variance and attainment over the range up to ``as_of``."""
    return page.of(metrics.budget.by_dimension(dimension, filters, scope, as_of=as_of))


@router.get("/to-date", summary="Budget to date per measure")
def to_date(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
            as_of: AsOf = None) -> MetricPage:
    """Per measure: budget, actual, variance and attainment over the elapsed part of the range."""
    return page.of(metrics.budget.to_date(filters, scope, as_of=as_of))


@router.get("/full-year-outlook", summary="Actual to date against the full-year budget")
def full_year_outlook(year: Annotated[int, Query(ge=1900, le=9999, description="The calendar year")],
                      metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                      as_of: AsOf = None) -> MetricPage:
    """Per measure: actual to ``as_of``, the forecast of the rest of the year (the remainder of the month in
    progress and every later month), the outlook (their sum), the full-year budget and the outlook's
    attainment; with the forecast's model, backtest MAPE and relative_mae (its error over the seasonal-naive
    forecast's; see ``/forecast/backtest``). The forecast is the company's, under the same filters and scope.
    When the history is too short to forecast, the outlook is null and ``forecast_note`` says why."""
    return page.of(metrics.budget.full_year_outlook(year, filters, scope, as_of=as_of))
