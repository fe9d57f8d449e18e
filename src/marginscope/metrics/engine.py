"""The metrics layer's front door: ``marginscope.open(url)`` returns a :class:`Metrics`.

Every consumer (pages, API, exports, alerts, notebooks) asks for figures here.
Results are pandas DataFrames with named, typed columns, cached by
(query, arguments, filters, scope, data version): a new load changes the data
version, so nothing stale is ever served.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from threading import Lock
from typing import TYPE_CHECKING, Any, ClassVar

import ibis.expr.types as ir
import pandas as pd

from marginscope.config import get_settings
from marginscope.metrics import (
    budget,
    campaigns,
    catalog,
    churn,
    clv,
    customers,
    executor,
    fitting,
    nps,
    pipeline,
    portrait,
    products,
    profitability,
    quality,
    receivables,
    rfm,
    sales,
    semantic,
    team,
    templates,
)
from marginscope.metrics import forecast as forecasting
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, text_value
from marginscope.warehouse import Warehouse

if TYPE_CHECKING:
    from marginscope.insights import InsightMetrics

CACHE_SIZE = 512


class _Cache:
    """A small LRU of DataFrames; callers get copies, so they cannot change a cached result."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size, self.lock = size, Lock()
        self.entries: OrderedDict[Any, pd.DataFrame] = OrderedDict()
        self.hits = self.misses = 0

    def holds(self, key) -> bool:
        with self.lock:
            return key in self.entries

    def put(self, key, value: pd.DataFrame) -> None:
        """Cache ``value`` (which the caller no longer uses) under ``key``."""
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def get(self, key, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                self.hits += 1
                return self.entries[key].copy()
            self.misses += 1
        value = compute()
        self.put(key, value)
        return value.copy()


class SalesMetrics:
    """Sales and profit figures; definitions in :mod:`marginscope.metrics.sales`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """One row with every measure of :data:`marginscope.metrics.sales.MEASURES`."""
        return self._m._run(sales.summary_expr, filters, scope)

    def by(self, dimension: str, filters: Filters = Filters(), scope: Scope = EVERYTHING,
           labelled: bool = False, limit: int | None = None) -> pd.DataFrame:
        """One row per value of ``dimension`` (e.g. region, tier, category, rep_id), by revenue descending.

        ``labelled`` adds the names (and region, tier or category) of customers, products and reps;
        ``limit`` keeps the first rows only.
        """
        return self._m._run(sales.by_expr, filters, scope, dimension=dimension, labelled=labelled, limit=limit)

    def trend(self, grain: str = "month", filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """One row per day, week, month, quarter or year with sales, in date order, each with the days of it
        the range covers and whether that is only part of it (see :func:`marginscope.metrics.sales.mark_partial`)."""
        trend = self._m._run(sales.trend_expr, filters, scope, grain=grain)
        return sales.mark_partial(trend, grain, filters)

    def compare(self, basis: str, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Every measure now and in the comparison period, with the change and growth.

        ``basis`` is ``previous`` (MoM/QoQ: the period of equal length before), ``yoy``
        or ``ytd`` (see :func:`marginscope.metrics.sales.comparison_periods`). Growth is
        missing ("n/a") when the prior value is 0.
        """
        return self._m._cached(self.compare, filters, scope, lambda: sales.compare(
            self._m.warehouse, basis, filters, scope, self._m.fiscal_year_start_month,
            summarise=lambda f: self.summary(f, scope)), basis=basis)

    def top_customers(self, n: int = 10, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """The ``n`` customers with the highest revenue (ties: by customer id), with name, region and tier."""
        # Limited in the warehouse: tens of thousands of customers would cost more to convert than to rank.
        return self.by("customer_id", filters, scope, labelled=True, limit=n)

    def top_products(self, n: int = 10, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """The ``n`` products with the highest revenue (ties: by product id), with name and category."""
        return self.by("product_id", filters, scope, labelled=True, limit=n)

    def top(self, dimension: str, n: int | None = 10, filters: Filters = Filters(),
            scope: Scope = EVERYTHING) -> pd.DataFrame:
        """The rows of :meth:`by` (``labelled``, ``limit=n``; ``n=None``: every value that sold) with revenue,
        COGS, gross profit and gross margin only: for a ranking that shows no more, it costs a fraction of
        the query (see :func:`marginscope.metrics.sales.top_expr`)."""
        return self._m._run(sales.top_expr, filters, scope, dimension=dimension, n=n)


class BudgetMetrics:
    """Actual against budget; definitions in :mod:`marginscope.metrics.budget`.

    ``as_of`` (default today) cuts the month in progress and marks later months as future.
    """

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def basis(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> budget.Basis:
        """What the selection's budget is (a restricted scope's: its reps' cells), or why it has none."""
        with self._m.pinned():
            return budget.basis(self._m.warehouse, filters, scope)

    def by_month(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                 as_of: dt.date | None = None) -> pd.DataFrame:
        as_of = as_of or dt.date.today()
        return self._m._cached(budget.by_month, filters, scope, as_of=as_of)

    def by_dimension(self, dimension: str, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                     as_of: dt.date | None = None) -> pd.DataFrame:
        as_of = as_of or dt.date.today()
        return self._m._cached(budget.by_dimension, filters, scope, dimension=dimension, as_of=as_of)

    def monthly_budget(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Per month and measure: the budget as written (whole months, not prorated), no actuals."""
        return self._m._cached(budget.monthly_budget, filters, scope)

    def to_date(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                as_of: dt.date | None = None) -> pd.DataFrame:
        """Per measure: budget, actual, variance and attainment over the elapsed part of the range."""
        as_of = as_of or dt.date.today()
        return self._m._cached(budget.to_date, filters, scope, as_of=as_of)

    def full_year_outlook(self, year: int, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                          as_of: dt.date | None = None, forecast: budget.Forecast | None = None) -> pd.DataFrame:
        """Per measure: actual to ``as_of``, forecast of the rest of ``year``, outlook, full-year budget and
        outlook attainment, with the forecast's model, backtest MAPE, relative MAE and a note when there is
        no forecast.

        The forecast is the company series of :attr:`Metrics.forecast` under the same filters, scope and
        as-of date; ``forecast`` replaces it (then the model columns are left out).
        """
        as_of = as_of or dt.date.today()
        if forecast is not None:
            with self._m.lock:
                return budget.full_year_outlook(self._m.warehouse, year, filters, scope, as_of, forecast)
        filters = self.basis(filters, scope).filters  # a rep's outlook forecasts the lines their budget counts
        horizon = self._m.forecast.horizon_to(dt.date(year, 12, 1), as_of)
        # Fitted before the cached computation below, which holds the connection's lock.
        monthly = {m: self._m.forecast.monthly(m, "company", horizon, filters, scope, as_of)
                   for m in budget.MEASURES}
        backtests = {m: self._m.forecast.backtest(m, "company", filters, scope, as_of) for m in budget.MEASURES}
        year_budget = self.monthly_budget(replace(filters, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)),
                                          scope)
        return self._m._cached(self.full_year_outlook, filters, scope, lambda: budget.full_year_outlook(
            self._m.warehouse, year, filters, scope, as_of, forecasting.outlook_forecast(monthly), year_budget,
            forecasting.backtest_details(backtests)).astype(forecasting.BACKTEST_DETAIL_TYPES),
            year=year, as_of=as_of, forecast=None)


class ForecastMetrics:
    """Monthly forecasts chosen by backtest; definitions in :mod:`marginscope.metrics.forecast`.

    ``series`` is ``company`` (the total), ``region``, ``category`` or ``rep_id``; ``measure`` is
    ``revenue`` or ``gross_profit``. ``as_of`` defaults to the end of the date range, or today when
    that is earlier; the date range does not cut the history. Series beyond ``limit`` are summed
    into "Other". Models are fitted outside the connection's lock, so a long fit never holds up
    another page's queries.
    """

    PENDING_LIMIT = 64

    def __init__(self, metrics: Metrics):
        self._m = metrics
        self._pending: dict[tuple, tuple[Future, tuple]] = {}  # cache entry -> (fit, its arguments)
        self._lock = Lock()

    @staticmethod
    def horizon_to(last_month: dt.date, as_of: dt.date) -> int:
        """The horizon that reaches ``last_month`` from ``as_of`` (at least the default horizon)."""
        first = forecasting.last_complete_month(as_of)
        months = (last_month.year - first.year) * 12 + last_month.month - first.month
        return max(forecasting.DEFAULT_HORIZON, months)

    def history(self, series: str = "company", filters: Filters = Filters(), scope: Scope = EVERYTHING,
                as_of: dt.date | None = None, limit: int = forecasting.DEFAULT_LIMIT) -> pd.DataFrame:
        """Complete months per series: (series, period, revenue, gross_profit)."""
        as_of = as_of or forecasting.as_of_for(filters)
        if series not in forecasting.SERIES:
            raise ValueError(f"unknown series {series!r}; use one of {', '.join(forecasting.SERIES)}")
        reads = forecasting.history_filters(filters, as_of)
        last_month = forecasting.last_complete_month(as_of)

        def complete_months() -> pd.DataFrame:
            totals = self._m._run(forecasting.history_expr, reads, scope, series=series)
            return forecasting.monthly_history(totals, series, last_month, limit)

        # Each measure's backtest and forecast read it: fill in the months once (keyed by the last complete
        # month, not the as-of date: every day of a month shares it).
        return self._m._computed(forecasting.monthly_history, reads, scope, complete_months, series=series,
                                 last_month=last_month, limit=limit)

    def candidates(self, measure: str = "revenue", series: str = "company", filters: Filters = Filters(),
                   scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                   limit: int = forecasting.DEFAULT_LIMIT) -> pd.DataFrame:
        """Every candidate model's backtest error per series, the chosen one marked."""
        return self._fitted(self._key(self.candidates, measure, series, limit), filters, scope, as_of,
                            lambda as_of: fitting.run(self._m.fits_apart, forecasting.evaluate,
                                                      self.history(series, filters, scope, as_of, limit), measure))

    def backtest(self, measure: str = "revenue", series: str = "company", filters: Filters = Filters(),
                 scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                 limit: int = forecasting.DEFAULT_LIMIT) -> pd.DataFrame:
        """Per series: the model chosen, its MAPE and MAE, the seasonal-naive MAPE and MAE, the relative
        MAE, the backtest's months and origins, and why there is no forecast when there is none."""
        return self._fitted(self._key(self.backtest, measure, series, limit), filters, scope, as_of,
                            lambda as_of: forecasting.summarise(
                                self.candidates(measure, series, filters, scope, as_of, limit)))

    def monthly(self, measure: str = "revenue", series: str = "company", horizon: int = forecasting.DEFAULT_HORIZON,
                filters: Filters = Filters(), scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                limit: int = forecasting.DEFAULT_LIMIT) -> pd.DataFrame:
        """History and forecast per series: (series, period, kind, value, lo80, hi80, lo95, hi95, model)."""
        def predict(as_of: dt.date) -> pd.DataFrame:
            history = self.history(series, filters, scope, as_of, limit)
            backtest = self.backtest(measure, series, filters, scope, as_of, limit)
            return fitting.run(self._m.fits_apart, forecasting.predict, history, backtest, measure, horizon)

        return self._fitted(self._key(self.monthly, measure, series, limit, horizon=horizon), filters, scope, as_of,
                            predict)

    def _fitted(self, key: tuple, filters: Filters, scope: Scope, as_of: dt.date | None,
                compute: Callable[[dt.date], pd.DataFrame]) -> pd.DataFrame:
        """The table ``key`` of a forecast, cached: from the fit :meth:`start` began, when it began one,
        otherwise ``compute(as_of)``."""
        as_of = as_of or forecasting.as_of_for(filters)
        reads = forecasting.history_filters(filters, as_of)

        def collected_or_computed() -> pd.DataFrame:
            started = self._collect(key, reads, scope)
            return started if started is not None else compute(as_of)

        return self._m._cached_computed(key, reads, scope, collected_or_computed)

    def start(self, measure: str = "revenue", series: str = "company", horizon: int = forecasting.DEFAULT_HORIZON,
              filters: Filters = Filters(), scope: Scope = EVERYTHING, as_of: dt.date | None = None,
              limit: int = forecasting.DEFAULT_LIMIT) -> None:
        """Start choosing and fitting the forecast :meth:`monthly` (with :meth:`candidates` and :meth:`backtest`)
        will give, in the fitting process (:mod:`marginscope.metrics.fitting`), and return at once: a page
        starts its forecasts first and runs its queries while they are fitted."""
        as_of = as_of or forecasting.as_of_for(filters)
        reads = forecasting.history_filters(filters, as_of)
        keys = [self._key(self.candidates, measure, series, limit), self._key(self.backtest, measure, series, limit),
                self._key(self.monthly, measure, series, limit, horizon=horizon)]
        version = self._m._version()
        wanted = [(key, reads, scope, version) for key in keys]
        with self._lock:
            wanted = [entry for entry in wanted if entry not in self._pending and not self._m.cache.holds(entry)]
        if not wanted:
            return
        arguments = (self.history(series, filters, scope, as_of, limit), measure, horizon)
        started = (fitting.submit(self._m.fits_apart, fitting.fit, *arguments), arguments)
        with self._lock:
            if len(self._pending) > self.PENDING_LIMIT:  # started and never asked for: a page that failed
                self._pending.clear()
            self._pending.update(dict.fromkeys(wanted, started))

    _PARTS: ClassVar[dict[str, int]] = {"candidates": 0, "backtest": 1, "monthly": 2}
    """Where each method's table is in the result of :func:`fitting.fit`."""

    @staticmethod
    def _key(method: Callable, measure: str, series: str, limit: int, **more) -> tuple:
        """The cache key of a forecast table: the method and its arguments but the as-of date, which the
        history filters it is cached under carry (every as-of date of a month shares a forecast)."""
        return executor.query_key(method, {"measure": measure, "series": series, "limit": limit, "as_of": None,
                                           **more})

    @classmethod
    def _part(cls, key: tuple) -> int:
        return cls._PARTS[key[0].rsplit(".", 1)[1]]

    def _collect(self, key: tuple, reads: Filters, scope: Scope) -> pd.DataFrame | None:
        """The table for ``key`` of the fit :meth:`start` began, if it began one (None otherwise).

        The fit's other tables are cached at the same time: a fit is collected once, by whichever of
        its tables a page asks for first.
        """
        entry = (key, reads, scope, self._m._version())
        with self._lock:
            started = self._pending.pop(entry, None)
            if started is None:
                return None
            siblings = [other for other, fit in self._pending.items() if fit is started]
            for other in siblings:
                del self._pending[other]
        future, arguments = started
        parts = fitting.result(future, fitting.fit, *arguments)
        for other in siblings:
            self._m.cache.put(other, parts[self._part(other[0])])
        return parts[self._part(key)]


class CustomerMetrics:
    """Customer status and retention; definitions in :mod:`marginscope.metrics.customers`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def status(self, grain: str, filters: Filters, scope: Scope = EVERYTHING,
               window: int = customers.CHURN_WINDOW_DAYS) -> pd.DataFrame:
        """Buying, new, returning, reactivated, churned and active customers per period, with ratios."""
        return self._m._cached(customers.status_by_period, filters, scope, grain=grain, window=window)

    def status_lists(self, grain: str, filters: Filters, scope: Scope = EVERYTHING,
                     window: int = customers.CHURN_WINDOW_DAYS) -> pd.DataFrame:
        """The customers behind every count: (period, customer_id, status, orders)."""
        return self._m._cached(customers.classify, filters, scope, grain=grain, window=window)

    def portrait(self, customer_id: str, filters: Filters, scope: Scope = EVERYTHING) -> portrait.Portrait:
        """Everything about one customer (raises ``CustomerNotFound`` outside the scope)."""
        customer_id = text_value(customer_id, "customer_id")
        with self._m.lock:
            return portrait.portrait(
                self._m.warehouse, customer_id, filters, scope, self._m.fiscal_year_start_month,
                churn_risk=lambda f: (self._m.churn.risk(f, scope), self._m.churn.validation(f, scope)),
                lifetime_values=lambda f: self._m.clv.customers(f, scope))

    def retention(self, segment: str, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Retention rate per owner rep, tier, region, industry or customer type."""
        return self._m._cached(customers.retention, filters, scope, segment=segment)


class ProfitabilityMetrics:
    """Customer profitability and concentration; definitions in :mod:`marginscope.metrics.profitability`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def customers(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Per customer margins with the drivers of negative contribution, best first."""
        return self._m._cached(profitability.customers, filters, scope)

    def whale_curve(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        return profitability.whale_curve(self.customers(filters, scope))

    def concentration(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, profit_share: float = 0.70,
                      top_share: float = 0.20) -> dict:
        return profitability.concentration(self.customers(filters, scope), profit_share, top_share)

    def negative_margin(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                        by: str = "contribution_margin") -> tuple[pd.DataFrame, dict]:
        return profitability.negative_margin(self.customers(filters, scope), by)

    def contribution_by(self, dimension: str, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._cached(profitability.contribution_by, filters, scope, dimension=dimension)

    def tier_multiples(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._cached(profitability.tier_multiples, filters, scope)


class PipelineMetrics:
    """CRM pipeline figures; definitions in :mod:`marginscope.metrics.pipeline`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, dimension: str | None = None,
                grain: str | None = None) -> pd.DataFrame:
        """Won, lost, open, new, pipeline revenue, average sale, CVR, time to close: in total, per
        ``dimension`` or per period of ``grain`` (each period with the days the range covers and whether
        that is only part of it, as :meth:`SalesMetrics.trend`)."""
        table = self._m._run(pipeline.summary_expr, filters, scope, dimension=dimension, grain=grain)
        return table if grain is None else sales.mark_partial(table, grain, filters)

    def funnel(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """The deals engaged in the range, stage by stage: engaged, closed since, won, still open."""
        return self._m._run(pipeline.funnel_expr, filters, scope)

    def compare(self, basis: str, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._cached(pipeline.compare, filters, scope, basis=basis,
                               fiscal_year_start_month=self._m.fiscal_year_start_month)

    def movers(self, dimension: str, filters: Filters, scope: Scope = EVERYTHING,
               measure: str = "pipeline_revenue", n: int = 10, basis: str | None = None) -> pd.DataFrame:
        """The values of ``dimension`` whose ``measure`` moved most against the comparison ``basis``."""
        return self._m._cached(pipeline.movers, filters, scope, dimension=dimension, measure=measure, n=n,
                               basis=semantic.comparison(basis).name)


class TeamMetrics:
    """Reps and managers with the CVR x average-sale matrix; see :mod:`marginscope.metrics.team`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def reps(self, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._cached(team.reps, filters, scope)

    def managers(self, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._cached(team.managers, filters, scope)


class RFMMetrics:
    """RFM segmentation; definitions in :mod:`marginscope.metrics.rfm`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def scores(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Per customer R, F, M, scores and segment as of the end of the range."""
        return self._m._cached(rfm.scores, filters, scope)

    def segments(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._cached(rfm.segment_summary, filters, scope)

    def matrix(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        return rfm.rf_matrix(self.scores(filters, scope))

    def migration(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(segment moves over the last quarter, slipping customers)."""
        with self._m.lock:
            return rfm.migration(self._m.warehouse, filters, scope)


class ChurnMetrics:
    """Churn risk of active customers with its validation; definitions in :mod:`marginscope.metrics.churn`.

    ``as_of`` defaults to the end of the date range, or the last invoice date.
    """

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def panel(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
              as_of: dt.date | None = None) -> pd.DataFrame:
        """The active customers at the train, test and score cutoffs with their features and labels."""
        return self._m._cached(churn.panel, filters, scope, as_of=as_of)

    def risk(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
             as_of: dt.date | None = None) -> pd.DataFrame:
        """Per active customer: churn probability, its features, owner rep and revenue, riskiest first.

        The probabilities are missing when there is no validated model; ``attrs["reason"]`` says why.
        """
        return self._m._cached(self.risk, filters, scope,
                               lambda: churn.risk(self._m.warehouse, self.panel(filters, scope, as_of)), as_of=as_of)

    def at_risk(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                threshold: float = churn.AT_RISK_THRESHOLD) -> pd.DataFrame:
        """The customers of :meth:`risk` whose churn probability is above ``threshold``."""
        return churn.at_risk(self.risk(filters, scope, as_of), threshold)

    def at_risk_summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                        threshold: float = churn.AT_RISK_THRESHOLD) -> dict:
        """Active and at-risk customers, and the at-risk customers' revenue of the last 365 days with its share."""
        return churn.at_risk_summary(self.risk(filters, scope, as_of), threshold)

    def holdout(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                as_of: dt.date | None = None) -> pd.DataFrame:
        """The held-out test customers with the probability the earlier fit gave them and their label."""
        return self._m._cached(self.holdout, filters, scope, lambda: churn.holdout(self.panel(filters, scope, as_of)),
                               as_of=as_of)

    def validation(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                   bins: int = churn.CALIBRATION_BINS) -> churn.Validation:
        """AUC, calibration table and the sizes of the held-out time split."""
        return churn.validation(self.holdout(filters, scope, as_of), bins)


class LifetimeValueMetrics:
    """Customer lifetime value (BG/NBD and Gamma-Gamma); definitions in :mod:`marginscope.metrics.clv`.

    ``as_of`` defaults to the end of the date range, or the last invoice date.
    """

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                as_of: dt.date | None = None) -> pd.DataFrame:
        """Per customer: frequency, recency and age in weeks, margin per repeat purchase, acquisition cost."""
        return self._m._cached(clv.summary, filters, scope, as_of=as_of)

    def model(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
              as_of: dt.date | None = None) -> pd.DataFrame:
        """The fitted BG/NBD and Gamma-Gamma parameters; ``attrs`` holds the customers fitted or the reason."""
        return self._m._cached(self.model, filters, scope, lambda: clv.fit(self.summary(filters, scope, as_of)),
                               as_of=as_of)

    def customers(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                  horizon_months: int = clv.HORIZON_MONTHS,
                  annual_discount_rate: float = clv.ANNUAL_DISCOUNT_RATE) -> pd.DataFrame:
        """Per customer: expected purchases, P(alive), expected margin per purchase, CLV and CLV / CAC."""
        return self._m._cached(self.customers, filters, scope,
                               lambda: clv.customers(self.summary(filters, scope, as_of),
                                                     self.model(filters, scope, as_of), horizon_months,
                                                     annual_discount_rate),
                               as_of=as_of, horizon_months=horizon_months, annual_discount_rate=annual_discount_rate)

    def by_segment(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                   horizon_months: int = clv.HORIZON_MONTHS,
                   annual_discount_rate: float = clv.ANNUAL_DISCOUNT_RATE) -> pd.DataFrame:
        """CLV per RFM segment (as of the end of the range, like the segments)."""
        return self._m._cached(self.by_segment, filters, scope, lambda: clv.by_segment(
            self.customers(filters, scope, None, horizon_months, annual_discount_rate),
            self._m.rfm.scores(filters, scope)),
            horizon_months=horizon_months, annual_discount_rate=annual_discount_rate)


class ProductMetrics:
    """Product figures; definitions in :mod:`marginscope.metrics.products`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def performance(self, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                    basis: str | None = None) -> pd.DataFrame:
        """Products ranked by revenue with profit, growth against the comparison ``basis``, cumulative share
        and ABC class."""
        return self._m._cached(products.performance, filters, scope, basis=semantic.comparison(basis).name)

    def demand_trend(self, grain: str = "month", filters: Filters = Filters(),
                     scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Net units and revenue per product and period."""
        return self._m._run(products.demand_trend_expr, filters, scope, grain=grain)


class ReceivableMetrics:
    """Receivables at the end of the date range; definitions in :mod:`marginscope.metrics.receivables`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def open_invoices(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        return self._m._run(receivables.open_invoices_expr, filters, scope)

    def aging(self, filters: Filters = Filters(), scope: Scope = EVERYTHING, by_customer: bool = False) -> pd.DataFrame:
        return self._m._run(receivables.aging_expr, filters, scope, by_customer=by_customer)

    def summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """One row: as_of, open_amount, overdue_amount, revenue_90d, dso_days."""
        return self._m._cached(self.summary, filters, scope,
                               lambda: pd.DataFrame([receivables.dso(self._m.warehouse, filters, scope)]))


class CampaignMetrics:
    """Campaign attribution, lift and ROI; definitions in :mod:`marginscope.metrics.campaigns`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """One row per campaign overlapping the date range: attributed sales and won deals, target
        revenue during and in the baseline, lift, incremental gross profit, cost and ROI."""
        return self._m._run(campaigns.summary_expr, filters, scope)

    def campaign(self, campaign_id: str, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """The :meth:`summary` row of one campaign, whatever the date range (empty if there is no such campaign)."""
        campaign_id = text_value(campaign_id, "campaign_id")
        return self._m._run(campaigns.summary_expr, filters, scope, campaign_id=campaign_id)

    def customers(self, campaign_id: str, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """The customers the campaign reached: attributed revenue, GP and orders, won deals, in the target or not."""
        campaign_id = text_value(campaign_id, "campaign_id")
        return self._m._run(campaigns.customers_expr, filters, scope, campaign_id=campaign_id)

    def by_day(self, campaign_id: str, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Target revenue and GP on each day of the campaign beside the same day of its baseline, with running
        totals (empty if there is no such campaign)."""
        def compute() -> pd.DataFrame:
            found = self.campaign(campaign_id, filters, scope)
            if found.empty:
                return pd.DataFrame(columns=["day", "date", "baseline_date", "revenue", "baseline_revenue"])
            days = self._m._run(campaigns.daily_expr, filters, scope, campaign_id=campaign_id)
            return campaigns.by_campaign_day(days, found.iloc[0])
        return self._m._cached(self.by_day, filters, scope, compute, campaign_id=campaign_id)


class NpsMetrics:
    """Net promoter score beside financial value; definitions in :mod:`marginscope.metrics.nps`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def responses(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """Every answer in the range with its category (promoter, passive, detractor), newest first."""
        return self._m._run(nps.answers_expr, filters, scope)

    def respondents(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """One row per customer answering in the range, with their answers and latest score."""
        return self._m._run(nps.respondents_expr, filters, scope)

    def summary(self, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """One row: responses, respondents, average score, category shares and NPS (points, -100 to 100)."""
        return self._m._cached(self.summary, filters, scope, lambda: nps.summary(self.respondents(filters, scope)))

    def by(self, dimension: str, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
        """NPS per tier, region, industry, customer_type, owner_rep_id or rfm_segment, beside the segment's
        revenue, gross profit and contribution margin, in total and per customer."""
        if dimension not in nps.DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}; use one of {', '.join(nps.DIMENSIONS)}")

        def compute() -> pd.DataFrame:
            customers = self._m._run(nps.customers_in_selection_expr, filters, scope)
            scores = self._m.rfm.scores(filters, scope) if dimension == "rfm_segment" else None
            return nps.by_segment(self.respondents(filters, scope), customers,
                                  self._m.profitability.customers(filters, scope), dimension, scores)
        return self._m._cached(self.by, filters, scope, compute, dimension=dimension)


class CatalogMetrics:
    """What there is to filter by; see :mod:`marginscope.metrics.catalog`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def attribute_values(self, attribute: str, scope: Scope = EVERYTHING) -> list[str]:
        """Distinct values of a customer attribute: region, industry, tier or customer_type."""
        frame = self._m._cached(self.attribute_values, Filters(), scope, lambda: pd.DataFrame(
            {"value": catalog.attribute_values(self._m.warehouse, attribute, scope)}), attribute=attribute)
        return list(frame["value"])

    def categories(self) -> list[str]:
        frame = self._m._cached(self.categories, Filters(), EVERYTHING,
                                lambda: pd.DataFrame({"value": catalog.categories(self._m.warehouse)}))
        return list(frame["value"])

    def reps(self) -> pd.DataFrame:
        return self._m._cached(catalog.reps, Filters(), EVERYTHING)

    def products(self) -> pd.DataFrame:
        return self._m._cached(catalog.products, Filters(), EVERYTHING)

    def owned_customers(self, reps: list[str] | None = None, manager: str | None = None) -> frozenset[str]:
        """The customers owned by ``reps`` or by the team of ``manager`` (a user's scope is built from it)."""
        reps = [text_value(rep, "owner_rep") for rep in reps or ()]
        manager = None if manager is None else text_value(manager, "manager")
        reps = sorted(reps)
        frame = self._m._cached(self.owned_customers, Filters(), EVERYTHING, lambda: pd.DataFrame(
            {"customer_id": catalog.owned_customers(self._m.warehouse, reps, manager)}, dtype=object),
            reps=reps, manager=manager)
        return frozenset(frame["customer_id"])

    def find_customers(self, text: str, scope: Scope = EVERYTHING, limit: int = catalog.SEARCH_LIMIT) -> pd.DataFrame:
        text = text_value(text, "text")
        return self._m._cached(catalog.find_customers, Filters(), scope, text=text, limit=limit)

    def customer_names(self, customer_ids, scope: Scope = EVERYTHING) -> pd.DataFrame:
        ids = tuple(sorted({text_value(customer_id, "customer_id") for customer_id in customer_ids}))
        return self._m._cached(self.customer_names, Filters(), scope,
                               lambda: catalog.customer_names(self._m.warehouse, list(ids), scope), customer_ids=ids)

    def data_span(self, scope: Scope = EVERYTHING) -> tuple[dt.date | None, dt.date | None]:
        frame = self._m._cached(self.data_span, Filters(), scope, lambda: pd.DataFrame(
            [catalog.data_span(self._m.warehouse, scope)], columns=["first", "last"], dtype=object))
        return frame["first"].iloc[0], frame["last"].iloc[0]

    def table_counts(self) -> dict[str, int]:
        frame = self._m._cached(self.table_counts, Filters(), EVERYTHING, lambda: pd.Series(
            catalog.table_counts(self._m.warehouse)).rename("rows").to_frame())
        return {str(name): int(rows) for name, rows in frame["rows"].items()}


class QualityMetrics:
    """Data status and quality checks; definitions in :mod:`marginscope.metrics.quality`."""

    def __init__(self, metrics: Metrics):
        self._m = metrics

    def _whole(self, query, compute=None, **arguments) -> pd.DataFrame:
        """A figure of the whole warehouse (no filters, no scope: the Data page is for admins and analysts)."""
        return self._m._cached(query, Filters(), EVERYTHING, compute, **arguments)

    def tables(self, refresh_hours: float | None = None) -> pd.DataFrame:
        """Rows, date span, last load, hours since it and whether a refresh is overdue, per table."""
        hours = refresh_hours if refresh_hours is not None else get_settings().refresh_hours
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, second=0, microsecond=0)
        return self._whole(quality.tables, now=now, refresh_hours=hours)

    def check_rows(self, check: str, threshold: float = quality.NEGATIVE_MARGIN_THRESHOLD) -> pd.DataFrame:
        """The rows behind one quality check."""
        return self._whole(quality.check_rows, check=check, threshold=threshold)

    def checks(self, threshold: float = quality.NEGATIVE_MARGIN_THRESHOLD) -> pd.DataFrame:
        """Every quality check with the rows it found and a few examples."""
        return self._whole(self.checks, lambda: quality.checks(
            self._m.warehouse, threshold, rows_behind=lambda check: self.check_rows(check, threshold)),
            threshold=threshold)

    def duplicate_customers(self) -> pd.DataFrame:
        return self._whole(quality.duplicate_customers)

    def missing_budget_months(self) -> pd.DataFrame:
        return self._whole(quality.missing_budget_months)

    def load_log(self, limit: int | None = 50) -> pd.DataFrame:
        return self._whole(self.load_log, lambda: self._m.warehouse.load_log(limit), limit=limit)

    def quarantine(self) -> pd.DataFrame:
        """Rows kept aside by loads, with their problems and the source row as read."""
        return self._whole(self.quarantine, lambda: self._m.warehouse.quarantine())


class Metrics:
    """All of marginscope's figures over one warehouse.

    One connection serves every thread: queries take :attr:`lock` in turn, one query
    at a time (DuckDB already spreads one query over every core, so nothing is lost
    by it), so that two pages being drawn at once share the connection fairly.

    Examples
    --------
    >>> import marginscope
    >>> ms = marginscope.open("duckdb://:memory:")
    >>> ms.sales.summary().revenue.iloc[0]
    Decimal('0.00')
    """

    def __init__(self, warehouse: Warehouse, fiscal_year_start_month: int | None = None):
        self.warehouse = warehouse
        self.fiscal_year_start_month = fiscal_year_start_month or get_settings().fiscal_year_start_month
        self.cache = _Cache()
        self.fits_apart = False
        """Fit forecasts in the worker process of :mod:`marginscope.metrics.fitting` (the web app turns it
        on). Off in scripts and notebooks: a worker process starts by importing the script that started it."""
        self.lock = executor.lock_of(warehouse)  # the connection's lock, which every query takes
        self._pinned = threading.local()  # the data version a thread's page is drawn from
        self.catalog = CatalogMetrics(self)
        self.quality = QualityMetrics(self)
        self.sales = SalesMetrics(self)
        self.products = ProductMetrics(self)
        self.budget = BudgetMetrics(self)
        self.customers = CustomerMetrics(self)
        self.profitability = ProfitabilityMetrics(self)
        self.pipeline = PipelineMetrics(self)
        self.team = TeamMetrics(self)
        self.rfm = RFMMetrics(self)
        self.receivables = ReceivableMetrics(self)
        self.campaigns = CampaignMetrics(self)
        self.nps = NpsMetrics(self)
        self.forecast = ForecastMetrics(self)
        self.churn = ChurnMetrics(self)
        self.clv = LifetimeValueMetrics(self)
        self._insights: InsightMetrics | None = None

    @property
    def insights(self) -> InsightMetrics:
        """The findings written from these metrics (:mod:`marginscope.insights`, which sits above the metrics
        layer: imported when first asked for, so that the metrics never depend on it)."""
        if self._insights is None:
            from marginscope.insights import InsightMetrics

            self._insights = InsightMetrics(self)
        return self._insights

    def _cached(self, query: Callable, filters: Filters, scope: Scope, compute: Callable | None = None,
                **arguments) -> pd.DataFrame:
        """The result of ``query`` with ``arguments`` over ``filters`` and ``scope``, computed once per data
        version, holding the connection's lock.

        ``query`` is a metric function, called as ``query(warehouse, filters=, scope=, **arguments)``; or,
        with ``compute``, the facade method ``compute()`` stands for, which must then be given every
        argument it takes. The cache key is :func:`marginscope.metrics.executor.query_key`'s: derived from
        the query and its arguments, never written by hand.
        """
        key = executor.query_key(query, arguments, every_default=compute is not None)
        return self._cached_as(key, filters, scope, compute or self._call(query, filters, scope, arguments))

    def _computed(self, query: Callable, filters: Filters, scope: Scope, compute: Callable | None = None,
                  **arguments) -> pd.DataFrame:
        """Like :meth:`_cached`, but ``compute()`` runs without the connection's lock: for work done in
        Python (fitting models) that reads the warehouse only through cached methods, which lock."""
        key = executor.query_key(query, arguments, every_default=compute is not None)
        return self._cached_computed(key, filters, scope, compute or self._call(query, filters, scope, arguments))

    def _call(self, query: Callable, filters: Filters, scope: Scope, arguments: dict) -> Callable[[], pd.DataFrame]:
        """``query`` as a computation: given the filters and scope where it takes them."""
        takes = executor.signature_of(query).parameters  # read once per function, not on every cache hit
        given = {name: value for name, value in (("filters", filters), ("scope", scope)) if name in takes}
        return partial(query, self.warehouse, **given, **arguments)

    def _version(self) -> int:
        """The data version this thread's figures are cached under (see :meth:`pinned`)."""
        with self.lock:
            version = getattr(self._pinned, "version", None)
            return self.warehouse.data_version if version is None else version

    @property
    def data_version(self) -> int:
        """The warehouse's data version (read under the lock, as every use of the connection is)."""
        with self.lock:
            return self.warehouse.data_version

    @contextmanager
    def pinned(self) -> Iterator[Metrics]:
        """Read the data version once for this thread's block of queries.

        Every figure computed in the block is cached and looked up under the same
        data version, so a page never mixes two loads' results. Blocks nest.
        """
        outer = getattr(self._pinned, "version", None)
        if outer is None:
            with self.lock:
                self._pinned.version = self.warehouse.data_version
        try:
            yield self
        finally:
            self._pinned.version = outer

    def batch(self, **queries: Callable[[Metrics], pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Run a page's queries together, all against one data version.

        The data version is read once, so every figure of the page comes from the
        same load, and repeated sub-queries (a summary used by two cards) run once.

        Examples
        --------
        >>> import marginscope
        >>> ms = marginscope.open("duckdb://:memory:")
        >>> page = ms.batch(kpis=lambda m: m.sales.summary(), top=lambda m: m.sales.top_customers(5))
        >>> sorted(page)
        ['kpis', 'top']
        """
        with self.pinned():
            return {name: query(self) for name, query in queries.items()}

    def _run(self, query: Callable[..., ir.Table], filters: Filters, scope: Scope, **arguments) -> pd.DataFrame:
        """The table expression ``query(warehouse, filters=, scope=, **arguments)`` executed, cached like
        :meth:`_cached` and compiled once per filter shape (see :mod:`marginscope.metrics.templates`), both
        under the key :func:`marginscope.metrics.executor.query_key` derives."""
        return self._cached_as(executor.query_key(query, arguments), filters, scope,
                               lambda: templates.run_query(self.warehouse, query, filters, scope, **arguments))

    def _cached_as(self, key: tuple, filters: Filters, scope: Scope, compute: Callable[[], pd.DataFrame]):
        """``compute()`` cached under a key derived already, holding the connection's lock."""
        with self.lock:
            return self.cache.get((key, filters, scope, self._version()), compute)

    def _cached_computed(self, key: tuple, filters: Filters, scope: Scope, compute: Callable[[], pd.DataFrame]):
        """``compute()`` cached under a key derived already, without the lock (see :meth:`_computed`)."""
        return self.cache.get((key, filters, scope, self._version()), compute)

    def close(self) -> None:
        self.warehouse.close()


def open_metrics(url: str | None = None) -> Metrics:
    return Metrics(Warehouse.connect(url))
