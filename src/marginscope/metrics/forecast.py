"""Forecast: monthly revenue and gross profit per series with 80% and 95% intervals, each
made by the model that won a rolling-origin backtest, and never without its error.

Definitions
-----------
- Measures: ``revenue`` and ``gross_profit`` as in :mod:`marginscope.metrics.sales`,
  summed per calendar month of the invoice date.
- Series: the company total (``company``, one series named "Total"), or each value
  of the customer's ``region``, the product ``category`` or the ``rep_id`` on the
  line. Lines without a value form the series "(none)". When a dimension has more
  than ``limit`` values (default 12), the ``limit`` with the most revenue over the
  last 12 months of history stay (ties by name) and the rest are summed into one
  series, "Other"; revenue decides for both measures, so both show the same series.
- Filters and scope are applied where the lines are read, as everywhere (a rep's
  scope forecasts only their customers' lines), except the date range: a forecast
  reads all the history there is up to the as-of date.
- As-of date: the end of the date range when that is before today, otherwise today.
  History = every complete month up to the as-of date (a month is complete when its
  last day is on or before the as-of date), from the series' first month with a
  line; months without lines in between count 0. The forecast starts with the first
  month after the history (the month in progress, if any) and runs ``horizon``
  months (default 12).
- Candidate models, simplest first:

  * ``seasonal naive``: each month is forecast by the same month of the last year
    known (a horizon beyond 12 months repeats that year);
  * ``drift``: the last month plus the average monthly change over the history,
    y_T + h (y_T - y_1) / (T - 1);
  * exponential smoothing (statsmodels ``ETSModel``: additive errors, heuristic
    initial states, parameters by maximum likelihood, fitted on the series divided
    by its mean absolute value): ``ETS(A,N,N)`` (level only), ``ETS(A,A,N)``
    (additive trend), ``ETS(A,Ad,N)`` (damped trend) and, when every fit of the
    backtest has at least 24 months, with additive 12-month seasonality:
    ``ETS(A,N,A)``, ``ETS(A,A,A)``, ``ETS(A,Ad,A)``.

- Backtest, rolling origin over the last 6 complete months: with T months of
  history the origins are the ends of months T-6 to T-1. From each origin every
  candidate forecasts every month after it up to month T, knowing only the months
  up to the origin: month T-5 is forecast once (horizon 1) and month T six times
  (horizons 1 to 6), 21 forecasts in all. An ETS model's parameters are estimated
  once, on the months up to the first origin, and its states are updated with the
  months up to each later origin ("rolling-origin updating", Tashman 2000), so no
  parameter has seen a month it forecasts.
- The seasonal-naive baseline needs the month a year before each month it
  forecasts, so with 13 to 17 months of history the backtest covers only the last
  T - 12 months (origins at the ends of months 12 to T-1). With fewer than 13
  months there is no forecast and ``note`` says why: no forecast could be checked
  against the seasonal-naive one.
- Errors over the backtest's forecasts: MAE = mean |actual - forecast|; MAPE = mean
  |actual - forecast| / |actual|, leaving out months whose actual is 0 (a
  percentage of 0 is undefined; MAPE is missing when every actual is 0);
  ``relative_mae`` = the model's MAE / the seasonal-naive MAE over the same
  forecasts (below 1 the model beats "same month last year"; missing when the
  seasonal-naive MAE is 0).
- The model chosen is the candidate with the lowest MAE (MAPE cannot rank months
  of 0), except that a simpler model (in the order above) whose MAE is within 1%
  of the lowest wins: a more complex model has to be clearly better. A candidate
  that cannot be fitted at every origin (the optimiser fails, a forecast is not
  finite) is left out, with the reason in its ``note``.
- The forecast is the chosen model with its parameters estimated on the whole
  history. Intervals (80% and 95%) are the model's own, assuming normal errors:
  for ETS, statsmodels' analytic prediction intervals; for seasonal naive,
  sigma * sqrt(k + 1) with k = floor((h - 1) / 12) the whole years before the
  month forecast; for drift, sigma * sqrt(h (1 + h / (T - 1))) (Hyndman and
  Athanasopoulos, *Forecasting: principles and practice*, 3rd ed., 5.5). A naive
  model's sigma is the root mean square of its residuals over the history:
  y_t - y_(t-12) for seasonal naive; y_t - y_(t-1) - slope for drift, whose sum of
  squares is divided by T - 2.
- A series whose history has no month below 0 (revenue, unless returns outweighed
  sales in a month) is not forecast below 0: the forecast and its bounds are cut at
  0, where normal errors around a small or falling series would reach below it.
- Full-year outlook (see :mod:`marginscope.metrics.budget`): the company series'
  forecast, under the same filters, scope and as-of date, gives the forecast of the
  remaining months; the outlook carries that series' model and backtest error.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from marginscope.metrics import templates
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_source
from marginscope.metrics.periods import add_months, month_end, month_start
from marginscope.warehouse import Warehouse

MEASURES = ("revenue", "gross_profit")
SERIES = ("company", "region", "category", "rep_id")
TOTAL, NO_VALUE, OTHER = "Total", "(none)", "Other"
SEASON = 12
BACKTEST_MONTHS = 6
MIN_HISTORY = SEASON + 1
SEASONAL_ETS_MIN = 2 * SEASON
DEFAULT_HORIZON = 12
DEFAULT_LIMIT = 12
TIE_TOLERANCE = 0.01  # of the lowest MAE
ROUNDING = 1e-9  # of the mean absolute actual: MAEs this close are equal (exact fits differ by rounding only)
Z = {80: 1.2815515655446004, 95: 1.959963984540054}  # standard normal quantiles of 90% and 97.5%
SEASONAL_NAIVE = "seasonal naive"
_FITTING = threading.Lock()  # warnings.catch_warnings is not thread-safe; fits hold the GIL anyway


@contextmanager
def _fitting() -> Iterator[None]:
    """One model fit at a time, without statsmodels' convergence chatter (a poor fit shows in the
    backtest), and with BLAS on one thread: the optimiser's matrices are tiny, and waking
    OpenBLAS's threads for each of its steps made fits three times slower."""
    with _FITTING, warnings.catch_warnings(), _blas().limit(limits=1, user_api="blas"):
        warnings.simplefilter("ignore")
        yield


@functools.cache
def _blas():
    """The process's thread pools, found once: looking them up (a scan of the loaded libraries) took
    longer than some of the fits it wrapped."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def as_of_for(filters: Filters, today: dt.date | None = None) -> dt.date:
    """The forecast's as-of date for a selection: the end of its date range, but never after today.

    >>> as_of_for(Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)), today=dt.date(2026, 3, 5))
    datetime.date(2025, 6, 30)
    >>> as_of_for(Filters(), today=dt.date(2026, 3, 5))
    datetime.date(2026, 3, 5)
    """
    today = today or dt.date.today()
    return min(filters.end, today) if filters.end else today


def last_complete_month(as_of: dt.date) -> dt.date:
    """The first day of the last month that has ended by ``as_of``.

    >>> last_complete_month(dt.date(2026, 3, 31)), last_complete_month(dt.date(2026, 3, 30))
    (datetime.date(2026, 3, 1), datetime.date(2026, 2, 1))
    """
    return month_start(as_of) if as_of == month_end(as_of) else add_months(month_start(as_of), -1)


# --- history ------------------------------------------------------------------------

def history_expr(wh: Warehouse, series: str, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Revenue and gross profit per month (and per value of the series' dimension)."""
    _check_series(series)
    keys = ["period"] + ([] if series == "company" else [series])
    lines = sales_source(wh, filters, scope, keys=keys[1:], orders=False, by_customer=False).rows
    lines = lines.mutate(period=lines.invoice_date.truncate("M").cast("date"))
    return lines.group_by(keys).aggregate(revenue=lines.revenue.sum(),
                                          gross_profit=(lines.revenue - lines.cogs_signed).sum())


def history_filters(filters: Filters, as_of: dt.date) -> Filters:
    """The selection a forecast reads: every line up to the end of the last complete month."""
    return replace(filters, start=None, end=month_end(last_complete_month(as_of)))


def monthly_history(totals: pd.DataFrame, series: str, last_month: dt.date,
                    limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """Complete monthly history per series: (series, period, revenue, gross_profit).

    ``totals`` is the result of :func:`history_expr`; months without lines become 0,
    from each series' first month to ``last_month``; series beyond ``limit`` are summed
    into "Other" (module docstring). Series come in order of revenue, "Other" last.

    >>> totals = pd.DataFrame({"period": [dt.date(2026, 1, 1), dt.date(2026, 3, 1)],
    ...                        "revenue": [5.0, 7.0], "gross_profit": [1.0, 2.0]})
    >>> monthly_history(totals, "company", dt.date(2026, 4, 1)).revenue.tolist()
    [5.0, 0.0, 7.0, 0.0]
    """
    _check_series(series)
    if series == "company":
        return _company_history(totals, last_month)
    frame = totals.copy()
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    frame = frame[frame.period <= last_month]
    for measure in MEASURES:
        frame[measure] = frame[measure].astype("float64")
    if series == "company":
        frame["series"] = TOTAL
    else:
        frame["series"] = frame[series].astype(object).where(frame[series].notna(), NO_VALUE).astype(str)
        recent = frame[frame.period > add_months(last_month, -SEASON)].groupby("series").revenue.sum()
        recent = recent.reindex(sorted(set(frame.series)), fill_value=0.0)
        ranked = sorted(recent.index, key=lambda name: (-recent[name], name))
        if len(ranked) > limit:
            kept = set(ranked[:limit])
            frame["series"] = frame.series.where(frame.series.isin(kept), OTHER)
            ranked = [*ranked[:limit], OTHER]
        order = {name: index for index, name in enumerate(ranked)}
    frame = frame.groupby(["series", "period"], as_index=False)[list(MEASURES)].sum()
    pieces = []
    for name, rows in frame.groupby("series", sort=False):
        months = _months(min(rows.period), last_month)
        filled = rows.set_index("period")[list(MEASURES)].reindex(months, fill_value=0.0)
        pieces.append(filled.rename_axis("period").reset_index().assign(series=name))
    columns = ["series", "period", *MEASURES]
    if not pieces:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in MEASURES else object) for c in columns})
    history = pd.concat(pieces, ignore_index=True)[columns]
    if series != "company":
        history = history.sort_values("series", key=lambda names: names.map(order), kind="stable")
    return history.reset_index(drop=True)


def _company_history(totals: pd.DataFrame, last_month: dt.date) -> pd.DataFrame:
    """:func:`monthly_history` of the one company series, summed in plain Python (it is computed at
    every filter change, before the forecasts can start)."""
    sums: dict[dt.date, list[float]] = {}
    periods = pd.to_datetime(totals["period"]).dt.date.tolist()
    values = zip(*(totals[m].astype("float64").tolist() for m in MEASURES))
    for period, measures in zip(periods, values):
        if period <= last_month:
            month = sums.setdefault(period, [0.0] * len(MEASURES))
            for index, value in enumerate(measures):
                month[index] += value
    columns = ["series", "period", *MEASURES]
    if not sums:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in MEASURES else object) for c in columns})
    months = _months(min(sums), last_month)
    filled = [sums.get(month, [0.0] * len(MEASURES)) for month in months]
    return pd.DataFrame({"series": [TOTAL] * len(months), "period": months,
                         **{m: [row[i] for row in filled] for i, m in enumerate(MEASURES)}})


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def _check_series(series: str) -> None:
    if series not in SERIES:
        raise ValueError(f"unknown series {series!r}; use one of {', '.join(SERIES)}")


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")


# --- models -------------------------------------------------------------------------

@dataclass(frozen=True)
class Prediction:
    """Forecasts of the next months with their interval bounds (``level`` -> (lower, upper))."""

    mean: np.ndarray
    bounds: dict[int, tuple[np.ndarray, np.ndarray]]


def _normal(mean: np.ndarray, sigma: np.ndarray) -> Prediction:
    return Prediction(mean, {level: (mean - z * sigma, mean + z * sigma) for level, z in Z.items()})


def seasonal_naive(y: np.ndarray, horizon: int) -> Prediction:
    """Same month of the last year known; sigma * sqrt(k + 1) with k = floor((h - 1) / 12).

    >>> y = np.array([1.0] * 12 + [2.0, 4.0] * 6)  # every month is 1 above or 3 above the year before
    >>> p = seasonal_naive(y, 13)
    >>> p.mean[:3].tolist(), float(p.mean[12])
    ([2.0, 4.0, 2.0], 2.0)
    >>> sigma = math.sqrt((1 + 9) / 2)
    >>> bool(np.isclose(p.bounds[95][1][0], 2 + 1.959963984540054 * sigma))
    True
    >>> bool(np.isclose(p.bounds[95][1][12] - 2, (p.bounds[95][1][0] - 2) * math.sqrt(2)))
    True
    """
    steps = np.arange(horizon)
    mean = y[len(y) - SEASON + steps % SEASON]
    residuals = y[SEASON:] - y[:-SEASON]
    sigma = math.sqrt(float(np.mean(residuals ** 2))) if len(residuals) else float("nan")
    return _normal(mean.astype("float64"), sigma * np.sqrt(steps // SEASON + 1))


def drift(y: np.ndarray, horizon: int) -> Prediction:
    """The last value plus the average change: y_T + h (y_T - y_1) / (T - 1).

    >>> p = drift(np.array([10.0, 12.0, 14.0, 16.0]), 2)
    >>> p.mean.tolist(), p.bounds[80][0].tolist()  # a straight line: nothing left unexplained
    ([18.0, 20.0], [18.0, 20.0])
    """
    count = len(y)
    slope = (y[-1] - y[0]) / (count - 1)
    steps = np.arange(1, horizon + 1)
    residuals = np.diff(y) - slope
    sigma = math.sqrt(float(np.sum(residuals ** 2)) / (count - 2))
    return _normal(y[-1] + steps * slope, sigma * np.sqrt(steps * (1 + steps / (count - 1))))


@dataclass(frozen=True)
class ETS:
    """An additive-error exponential-smoothing model of statsmodels, fitted on the series divided
    by its mean absolute value (the optimiser behaves the same at any scale)."""

    trend: str | None
    damped: bool
    seasonal: bool

    @property
    def name(self) -> str:
        trend = "N" if self.trend is None else ("Ad" if self.damped else "A")
        return f"ETS(A,{trend},{'A' if self.seasonal else 'N'})"

    @property
    def min_history(self) -> int:
        return SEASONAL_ETS_MIN if self.seasonal else SEASON

    def _model(self, endog):
        """The statsmodels model of ``endog``, with the initial states of statsmodels' heuristic
        (:func:`_heuristic_states`)."""
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        values = np.asarray(endog, dtype="float64")
        level, trend, seasonal = _heuristic_states(values[:_heuristic_reads(len(values), self.seasonal)].tobytes(),
                                                   self.seasonal)
        return ETSModel(endog, error="add", trend=self.trend, damped_trend=self.damped,
                        seasonal="add" if self.seasonal else None, seasonal_periods=SEASON if self.seasonal else None,
                        initialization_method="known", initial_level=level, initial_trend=trend,
                        initial_seasonal=None if seasonal is None else seasonal.copy())

    def predict(self, y: np.ndarray, horizon: int) -> Prediction:
        scale = float(np.mean(np.abs(y))) or 1.0
        with _fitting():
            fitted = self._model(pd.Series(y / scale)).fit(disp=False)  # statsmodels' intervals need a Series
            prediction = fitted.get_prediction(start=len(y), end=len(y) + horizon - 1)
            # What summary_frame holds, without a DataFrame per level: the columns of pred_int are the bounds.
            bounds = {level: np.asarray(prediction.pred_int(alpha=1 - level / 100)) for level in Z}
        mean = np.asarray(prediction.predicted_mean) * scale
        return Prediction(mean, {level: (pair[:, 0] * scale, pair[:, 1] * scale) for level, pair in bounds.items()})

    def backtest(self, y: np.ndarray, origins: range) -> list[np.ndarray]:
        """Forecasts of the months after each origin up to the end of ``y``: parameters estimated on
        the months up to the first origin, states updated with the months up to each origin.

        Smoothing is a recursion forward in time, so the states of a model of the months up to an
        origin are the first rows of the states of a longer series' model with the same initial
        states. Origins whose heuristic initial states agree are therefore smoothed once, up to
        the last of them, instead of once each (building a model, which runs the heuristic, cost
        more than fitting it)."""
        scale = float(np.mean(np.abs(y[:origins[0]]))) or 1.0
        forecasts = []
        with _fitting():
            model = self._model(y[:origins[0]] / scale)
            params = model.fit(disp=False, return_params=True)
            phi = params[model.param_names.index("damping_trend")] if self.damped else 1.0
            for group in self._same_start(origins):
                longest = self._model(y[:group[-1]] / scale)
                _, states = longest.smooth(params, return_raw=True)
                states = np.asarray(states)
                extra_rows = len(states) - group[-1]  # the initial states' row, if statsmodels returns it
                for origin in group:
                    forecasts.append(self.point_forecast(states[:origin + extra_rows], phi, len(y) - origin) * scale)
        return forecasts

    def _same_start(self, origins: range) -> list[list[int]]:
        """The origins grouped by the months statsmodels' heuristic initialisation reads (:func:`_heuristic_reads`)."""
        if not self.seasonal:
            return [list(origins)]
        groups: dict[int, list[int]] = {}
        for origin in origins:
            groups.setdefault(_heuristic_reads(origin, seasonal=True), []).append(origin)
        return list(groups.values())

    def point_forecast(self, states: np.ndarray, phi: float, horizon: int) -> np.ndarray:
        """The forecast from smoothed states (rows: months; columns: level, trend, seasonal as the model has
        them): l_T + (phi + ... + phi^h) b_T + s_(T+h-12(k+1)), Hyndman et al. (2008), table 2.1.

        Statsmodels' results object computes the same numbers, but builds standard errors first,
        which would cost the backtest hundreds of times more."""
        steps = np.arange(1, horizon + 1)
        forecast = np.full(horizon, states[-1, 0])
        if self.trend is not None:
            forecast = forecast + np.cumsum(phi ** steps) * states[-1, 1]
        if self.seasonal:
            forecast = forecast + states[len(states) - SEASON + (steps - 1) % SEASON, -1]
        return forecast


def _heuristic_reads(months: int, seasonal: bool) -> int:
    """How many first months of a series of ``months`` statsmodels' heuristic initialisation reads: 10
    without seasonality; with it, ``k`` whole years, k = max(ceil((10 + 12) / 12), min(5, floor(months / 12)))
    (Hyndman and Athanasopoulos, 3rd ed., 2.6; statsmodels ``_initialization_heuristic``).

    >>> _heuristic_reads(30, seasonal=False), _heuristic_reads(30, seasonal=True), _heuristic_reads(40, seasonal=True)
    (10, 24, 36)
    """
    if not seasonal:
        return 10
    return SEASON * max(math.ceil((10 + 2 * (SEASON // 2)) / SEASON), min(5, months // SEASON))


@functools.lru_cache(maxsize=64)
def _heuristic_states(first_months: bytes, seasonal: bool) -> tuple[float, float, np.ndarray | None]:
    """(level, trend, seasonal states) of statsmodels' heuristic for a series starting with ``first_months``
    (float64 bytes: the months :func:`_heuristic_reads`), with or without seasonality.

    The heuristic is most of the cost of building a model, and a backtest and forecast build a dozen
    models whose heuristic reads the same months: the level and seasonal states do not depend on the
    trend (the trend is the slope of the same regression whose intercept is the level), so every model
    of one seasonality starts alike, and the models of the backtest's origins start as the first one.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(np.frombuffer(first_months), error="add", trend="add", seasonal="add" if seasonal else None,
                     seasonal_periods=SEASON if seasonal else None, initialization_method="heuristic")
    return model.initial_level, model.initial_trend, (np.array(model.initial_seasonal) if seasonal else None)


@dataclass(frozen=True)
class Naive:
    """A model without parameters to estimate: the backtest simply applies it at every origin."""

    name: str
    min_history: int
    method: Callable[[np.ndarray, int], Prediction]

    def predict(self, y: np.ndarray, horizon: int) -> Prediction:
        return self.method(y, horizon)

    def backtest(self, y: np.ndarray, origins: range) -> list[np.ndarray]:
        return [self.method(y[:origin], len(y) - origin).mean for origin in origins]


ETS_MODELS = (ETS(None, False, False), ETS("add", False, False), ETS("add", True, False),
              ETS(None, False, True), ETS("add", False, True), ETS("add", True, True))
CANDIDATES = (Naive(SEASONAL_NAIVE, SEASON, seasonal_naive), Naive("drift", 3, drift), *ETS_MODELS)
"""Every model a backtest compares, simplest first (the order that wins ties)."""


# --- backtest -----------------------------------------------------------------------

@dataclass(frozen=True)
class Backtest:
    """The backtest of a series of ``months`` months: its last ``window`` months are forecast."""

    months: int  # months of history
    window: int  # the last ``window`` months are forecast

    @property
    def origins(self) -> range:
        """Each origin as the number of months fitted on."""
        return range(self.months - self.window, self.months)


def backtest_window(months: int) -> Backtest | None:
    """The backtest of a history of ``months`` months (None: too short to check any forecast).

    >>> backtest_window(36).origins, backtest_window(15).origins, backtest_window(12)
    (range(30, 36), range(12, 15), None)
    """
    if months < MIN_HISTORY:
        return None
    return Backtest(months, min(BACKTEST_MONTHS, months - SEASON))


def _errors(y: np.ndarray, plan: Backtest, candidate: ETS | Naive) -> tuple[np.ndarray, np.ndarray]:
    """(actuals, forecasts) of every backtest forecast, origin by origin."""
    forecasts = candidate.backtest(y, plan.origins)
    for origin, forecast in zip(plan.origins, forecasts):
        if not np.all(np.isfinite(forecast)):
            raise ValueError(f"the forecast from month {origin} is not finite")
    return np.concatenate([y[origin:] for origin in plan.origins]), np.concatenate(forecasts)


def mape(actuals: np.ndarray, forecasts: np.ndarray) -> float:
    """Mean absolute percentage error over the months whose actual is not 0 (NaN if none).

    >>> round(mape(np.array([100.0, 0.0, 50.0]), np.array([90.0, 5.0, 60.0])), 6)  # (10/100 + 10/50) / 2
    0.15
    """
    keep = actuals != 0
    if not keep.any():
        return float("nan")
    return float(np.mean(np.abs(actuals[keep] - forecasts[keep]) / np.abs(actuals[keep])))


def choose(maes: list[float], scale: float) -> int:
    """The position of the model chosen among models ordered simplest first, by their backtest MAEs:
    the first whose MAE is within 1% of the lowest (``scale``, the mean absolute actual, sets what
    counts as rounding).

    >>> choose([10.0, 9.95, 9.0], scale=100)  # 9.95 is not within 1% of 9.0
    2
    >>> choose([10.0, 9.95], scale=100)  # 10.0 is within 1% of 9.95: the simpler model wins
    0
    """
    best = min(maes)
    return next(i for i, mae in enumerate(maes) if mae <= best * (1 + TIE_TOLERANCE) + ROUNDING * scale)


def evaluate(history: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Backtest every candidate on every series of ``history`` (from :func:`monthly_history`).

    One row per series and candidate: series, model, mae, mape, relative_mae (against
    seasonal naive), forecasts (how many were compared), chosen, note (why a candidate
    or the series has no result); plus, per series, history_months, backtest_months,
    first_origin and last_origin (month ends).
    """
    _check_measure(measure)
    rows: list[dict[str, Any]] = []
    for name, months in history.groupby("series", sort=False):
        y = months[measure].to_numpy(dtype="float64")
        periods = list(months.period)
        plan = backtest_window(len(y))
        base: dict[str, Any] = {"series": name, "history_months": len(y)}
        if plan is None:
            reason = (f"{len(y)} complete months of history; a forecast needs at least {MIN_HISTORY}, so that it "
                      "can be checked against the same month a year earlier (the seasonal-naive forecast)")
            rows.append({**base, "model": None, "chosen": False, "note": reason})
            continue
        base |= {"backtest_months": plan.window, "first_origin": month_end(periods[plan.origins[0] - 1]),
                 "last_origin": month_end(periods[plan.origins[-1] - 1])}
        results = []
        for candidate in CANDIDATES:
            row = {**base, "model": candidate.name, "chosen": False}
            if plan.origins[0] < candidate.min_history:
                row["note"] = f"needs {candidate.min_history} months before the first origin"
            else:
                try:
                    actuals, forecasts = _errors(y, plan, candidate)
                except Exception as exc:
                    row["note"] = f"could not be fitted: {exc}"
                else:
                    row |= {"mae": float(np.mean(np.abs(actuals - forecasts))), "mape": mape(actuals, forecasts),
                            "forecasts": len(actuals), "scale": float(np.mean(np.abs(actuals)))}
            results.append(row)
        naive_mae = results[0].get("mae", float("nan"))
        for row in results:
            if "mae" in row:
                row["relative_mae"] = row["mae"] / naive_mae if naive_mae > 0 else float("nan")
        fitted = [row for row in results if "mae" in row]
        if fitted:
            fitted[choose([row["mae"] for row in fitted], fitted[0]["scale"])]["chosen"] = True
        rows.extend(results)
    columns = ["series", "model", "chosen", "mae", "mape", "relative_mae", "forecasts", "history_months",
               "backtest_months", "first_origin", "last_origin", "note"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("mae", "mape", "relative_mae"):
        table[column] = table[column].astype("float64")
    for column in ("forecasts", "backtest_months"):
        table[column] = table[column].astype("Int64")
    table["chosen"] = table["chosen"].astype(bool)
    return table


def summarise(candidates: pd.DataFrame) -> pd.DataFrame:
    """One row per series: the model chosen, its MAPE and MAE, the seasonal-naive MAPE and MAE,
    relative_mae, the backtest's months and origins, and a note when there is no forecast."""
    summaries: dict = {}
    naive: dict = {}
    # Plain rows: a few dozen of them, where a pandas group-by costs more than the whole loop.
    for candidate in candidates.to_dict("records"):
        name = candidate["series"]
        if name not in summaries:
            summaries[name] = {
                "series": name, "model": None, "mape": float("nan"), "mae": float("nan"),
                "seasonal_naive_mape": float("nan"), "seasonal_naive_mae": float("nan"),
                "relative_mae": float("nan"), **{key: candidate[key] for key in (
                    "history_months", "backtest_months", "first_origin", "last_origin", "forecasts", "note")}}
        if candidate["model"] == SEASONAL_NAIVE:
            naive.setdefault(name, candidate)
        row = summaries[name]
        if candidate["chosen"] and row["model"] is None:
            row |= {"model": candidate["model"], "mape": candidate["mape"], "mae": candidate["mae"],
                    "relative_mae": candidate["relative_mae"], "forecasts": candidate["forecasts"], "note": None}
    for name, row in summaries.items():
        if row["model"] is not None:
            row |= {"seasonal_naive_mape": naive[name]["mape"], "seasonal_naive_mae": naive[name]["mae"]}
    columns = ["series", "model", "mape", "mae", "seasonal_naive_mape", "seasonal_naive_mae", "relative_mae",
               "history_months", "backtest_months", "first_origin", "last_origin", "forecasts", "note"]
    types = {"forecasts": "Int64", "backtest_months": "Int64", "history_months": "Int64", "mape": "float64",
             "mae": "float64", "seasonal_naive_mape": "float64", "seasonal_naive_mae": "float64",
             "relative_mae": "float64"}
    return pd.DataFrame({column: pd.Series([row[column] for row in summaries.values()], dtype=types.get(column))
                         for column in columns})


# --- forecast -----------------------------------------------------------------------

INTERVAL_COLUMNS = ("lo80", "hi80", "lo95", "hi95")


def predict(history: pd.DataFrame, backtest: pd.DataFrame, measure: str,
            horizon: int = DEFAULT_HORIZON) -> pd.DataFrame:
    """History and forecast per series: (series, period, kind, value, lo80, hi80, lo95, hi95, model).

    ``kind`` is ``actual`` for the months of history and ``forecast`` for the ``horizon``
    months after it, made by the model ``backtest`` (from :func:`summarise`) chose. A
    series without a model has its history only.
    """
    _check_measure(measure)
    if horizon < 1:
        raise ValueError("a forecast needs a horizon of at least 1 month")
    chosen = backtest.set_index("series").model
    by_name = {candidate.name: candidate for candidate in CANDIDATES}
    pieces = []
    for name, months in history.groupby("series", sort=False):
        actual = months[["series", "period"]].assign(kind="actual", value=months[measure].astype("float64"))
        pieces.append(actual)
        model = chosen.get(name)
        if model is None or pd.isna(model):
            continue
        y = actual.value.to_numpy()
        prediction = by_name[model].predict(y, horizon)
        last = months.period.iloc[-1]
        floor = 0.0 if (y >= 0).all() else -np.inf

        def cut(values: np.ndarray, floor: float = floor) -> np.ndarray:
            return np.maximum(values, floor)

        pieces.append(pd.DataFrame({
            "series": name, "period": [add_months(last, step) for step in range(1, horizon + 1)],
            "kind": "forecast", "value": cut(prediction.mean),
            "lo80": cut(prediction.bounds[80][0]), "hi80": cut(prediction.bounds[80][1]),
            "lo95": cut(prediction.bounds[95][0]), "hi95": cut(prediction.bounds[95][1]), "model": model}))
    columns = ["series", "period", "kind", "value", *INTERVAL_COLUMNS, "model"]
    if not pieces:
        return pd.DataFrame(columns=columns).astype(dict.fromkeys(("value", *INTERVAL_COLUMNS), "float64"))
    table = pd.concat(pieces, ignore_index=True).reindex(columns=columns)
    return table.astype(dict.fromkeys(("value", *INTERVAL_COLUMNS), "float64"))


def outlook_forecast(monthly: dict[str, pd.DataFrame]) -> Callable[[str, list[dt.date]], dict | None]:
    """The forecast :func:`marginscope.metrics.budget.full_year_outlook` takes, from the
    company series' :func:`predict` result per measure: None where there is no forecast."""
    forecasts: dict[str, dict[dt.date, float]] = {}
    for measure, table in monthly.items():
        ahead = [kind == "forecast" for kind in table["kind"].tolist()]
        forecasts[measure] = {period: float(value) for period, value, keep in
                              zip(table["period"].tolist(), table["value"].tolist(), ahead) if keep}

    def forecast(measure: str, months: list[dt.date]) -> dict[dt.date, float] | None:
        if not months:
            return {}
        values = forecasts.get(measure)
        if values is None or not all(month in values for month in months):
            return None
        return {month: values[month] for month in months}
    return forecast


BACKTEST_DETAIL_TYPES = {"backtest_mape": "float64", "relative_mae": "float64"}
"""The types of :func:`backtest_details` columns that are not objects."""


def backtest_details(backtests: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """Per measure, from the company series' :func:`summarise`: the model, MAPE and relative MAE of the
    outlook's forecast and why there is none, the ``details`` of
    :func:`marginscope.metrics.budget.full_year_outlook` (with :data:`BACKTEST_DETAIL_TYPES`)."""
    details = {}
    for measure, backtest in backtests.items():
        if backtest.empty:
            details[measure] = {"model": None, "backtest_mape": float("nan"), "relative_mae": float("nan"),
                                "forecast_note": "no sales in the history"}
        else:
            details[measure] = {"model": backtest["model"].iloc[0], "backtest_mape": backtest["mape"].iloc[0],
                                "relative_mae": backtest["relative_mae"].iloc[0],
                                "forecast_note": backtest["note"].iloc[0]}
    return details


# --- without the engine's cache (tests, scripts) ------------------------------------

def history(wh: Warehouse, series: str = "company", filters: Filters = Filters(), scope: Scope = EVERYTHING,
            as_of: dt.date | None = None, limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """:func:`monthly_history` of the warehouse's lines (as-of date: :func:`as_of_for`)."""
    as_of = as_of or as_of_for(filters)
    _check_series(series)
    totals = templates.run_query(wh, history_expr, history_filters(filters, as_of), scope, series=series)
    return monthly_history(totals, series, last_complete_month(as_of), limit)
