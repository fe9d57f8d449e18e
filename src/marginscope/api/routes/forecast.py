"""Monthly forecasts with their backtest (METRICS.md, "Forecast"), from
:class:`~marginscope.metrics.engine.ForecastMetrics`.

A forecast reads every complete month up to the as-of date (default: ``end``, or today
when ``end`` is later or missing); ``start`` does not cut the history. Every answer's
``attrs`` give the as-of date and the last month of history. A series whose history is
too short has no forecast rows, and its backtest row says why in ``note``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep
from marginscope.metrics import forecast
from marginscope.metrics.filters import Filters

router = APIRouter(prefix="/forecast", tags=["forecast"], dependencies=[MetricErrors])

# A Literal of the metric module's tuple (see api/params.py), which a type checker cannot read.
Measure = Annotated[Literal[forecast.MEASURES], Query(description="What is forecast")]  # type: ignore[valid-type]
Series = Annotated[Literal[forecast.SERIES], Query(  # type: ignore[valid-type]
    description="company: the total; region, category, rep_id: one series per value")]
AsOf = Annotated[dt.date | None, Query(description="History is every complete month up to this day "
                                                   "(default: end, or today when end is later or missing)")]
Top = Annotated[int, Query(ge=1, le=100, description="Series kept one by one (by revenue over the last 12 "
                                                     "months); the rest are summed into Other")]
Horizon = Annotated[int, Query(ge=1, le=60, description="Months forecast after the last complete month")]


def _as_of(filters: Filters, as_of: dt.date | None) -> tuple[dt.date, dict]:
    as_of = as_of or forecast.as_of_for(filters)
    return as_of, {"as_of": as_of, "last_complete_month": forecast.last_complete_month(as_of)}


@router.get("/monthly", summary="History and forecast per series and month, with 80% and 95% intervals")
def monthly(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
            measure: Measure = "revenue", series: Series = "company", horizon: Horizon = forecast.DEFAULT_HORIZON,
            as_of: AsOf = None, top: Top = forecast.DEFAULT_LIMIT) -> MetricPage:
    """Per series and month: ``kind`` (actual or forecast), value, lo80, hi80, lo95, hi95 and the model that
    made the forecast. Read the backtest (``/forecast/backtest``) with it: a forecast is never shown without
    its error."""
    as_of, attrs = _as_of(filters, as_of)
    return page.of(metrics.forecast.monthly(measure, series, horizon, filters, scope, as_of, top), **attrs)


@router.get("/backtest", summary="The model chosen per series and its backtest error")
def backtest(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
             measure: Measure = "revenue", series: Series = "company", as_of: AsOf = None,
             top: Top = forecast.DEFAULT_LIMIT) -> MetricPage:
    """Per series: model, MAPE and MAE of the rolling-origin backtest over the last 6 months, the
    seasonal-naive MAPE and MAE, relative_mae (the model's MAE over seasonal naive's), the months of
    history and of the backtest, the first and last origins, and a note when there is no forecast."""
    as_of, attrs = _as_of(filters, as_of)
    return page.of(metrics.forecast.backtest(measure, series, filters, scope, as_of, top), **attrs)


@router.get("/candidates", summary="Every model the backtest compared, per series")
def candidates(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
               measure: Measure = "revenue", series: Series = "company", as_of: AsOf = None,
               top: Top = forecast.DEFAULT_LIMIT) -> MetricPage:
    """Per series and candidate model: MAE, MAPE, relative_mae, the forecasts compared, whether it was
    chosen, and why a candidate took no part (too short a history, a fit that failed)."""
    as_of, attrs = _as_of(filters, as_of)
    return page.of(metrics.forecast.candidates(measure, series, filters, scope, as_of, top), **attrs)
