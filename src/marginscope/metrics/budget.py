"""Budget: actual against budget by month and by budget dimension, and the full-year outlook.

Definitions
-----------
- Budget cells are monthly (``period`` is the month's first day) for a measure
  (``revenue`` or ``gross_profit``), at whatever grain the budget was written
  (total, region, product category, rep, customer tier, or a combination); a total
  is the sum of the cells, so a budget file should hold one grain per measure.
- Actuals are the sales metrics' revenue and gross profit over the same months and
  the same dimension values: budget ``region`` = customer region, ``product_category``
  = product category, ``rep_id`` = the rep on the line, ``customer_tier`` = customer tier.
- Variance = actual - budget; attainment = actual / budget (missing when the budget is 0).
- A month only partly inside the comparison window (the date range, cut at the
  as-of date, default today) compares against its budget prorated by the days
  covered, and is marked ``partial``. Months after the as-of date have no actual
  yet and are marked ``future``.
- Budget to date sums the months of the range up to the as-of date (partial months
  prorated); its attainment is their actual over their budget.
- Region, category, rep and tier filters select budget cells too. Filters and
  scopes that budgets cannot express (industry, customer type, customer, product,
  a restricted scope) leave the budget missing rather than compare unlike things.
- Full-year outlook = actual to the as-of date + a forecast of the rest of the year,
  against the full-year budget; outlook attainment = outlook / full-year budget. The
  rest of the year is the remainder of the month in progress (its forecast times the
  share of its days after the as-of date) and every later month of the year. The
  forecast is the company series of :mod:`marginscope.metrics.forecast` under the
  same filters, scope and as-of date, with its model and backtest error beside the
  outlook; where there is no forecast (too short a history) the outlook is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import ibis
import pandas as pd

from marginscope.metrics import templates
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_source
from marginscope.metrics.periods import month_end, month_start
from marginscope.warehouse import Warehouse

MEASURES = ("revenue", "gross_profit")
DIMENSIONS = {"region": "region", "product_category": "category", "rep_id": "rep_id", "customer_tier": "tier"}
"""Budget dimension -> the sales line column it compares with."""

Forecast = Callable[[str, list[dt.date]], dict[dt.date, float] | None]
"""``forecast(measure, months)`` -> forecast value per month start, or None when there is no forecast."""


def budget_comparable(filters: Filters, scope: Scope) -> bool:
    """Whether the selection can be matched to budget cells."""
    return scope.customers is None and not (filters.industries or filters.customer_types or filters.customers
                                            or filters.products)


def _window(wh: Warehouse, filters: Filters, as_of: dt.date | None) -> tuple[dt.date, dt.date, dt.date]:
    """(first month start, last month end, as-of date) of the comparison."""
    as_of = as_of or dt.date.today()
    if filters.start and filters.end:
        return filters.start, filters.end, as_of
    budgets = wh.table("budgets")
    first, last = budgets.period.min().execute(), budgets.period.max().execute()
    if first is None or pd.isna(first):
        first = last = month_start(as_of)
    # Without an end the window closes with the last budget month, or with the start's month when the
    # range starts after every budget; without a start it opens with the first budget month, or with
    # the end's month when the range ends before any budget.
    end = filters.end or month_end(max(pd.Timestamp(last).date(), filters.start or dt.date.min))
    start = filters.start or min(pd.Timestamp(first).date(), month_start(end))
    return start, end, as_of


def _budget_cells(wh: Warehouse, filters: Filters, dimension: str | None, start: dt.date, end: dt.date):
    def build(f: Filters, _scope: Scope):
        b = wh.table("budgets")
        predicates = [b.period >= ibis.literal(f.start).truncate("M").cast("date"), b.period <= f.end]
        for budget_column, values in (("region", f.regions), ("product_category", f.categories),
                                      ("rep_id", f.reps), ("customer_tier", f.tiers)):
            if values:
                predicates.append(b[budget_column].isin(sorted(values)))
        b = b.filter(predicates)
        return b.group_by(["period", "measure"] + ([dimension] if dimension else [])).aggregate(budget=b.amount.sum())

    cells = templates.run(wh, ("budget.cells", dimension), build, replace(filters, start=start, end=end), EVERYTHING)
    cells["period"] = pd.to_datetime(cells["period"]).dt.date
    cells["budget"] = cells["budget"].astype("float64")
    return cells


def _actuals(wh: Warehouse, filters: Filters, scope: Scope, dimension: str | None,
             start: dt.date, end: dt.date) -> pd.DataFrame:
    keys = ["period"] + ([DIMENSIONS[dimension]] if dimension else [])

    def build(f: Filters, s: Scope):
        lines = sales_source(wh, f, s, keys=keys[1:], orders=False, by_customer=False).rows
        lines = lines.mutate(period=lines.invoice_date.truncate("M").cast("date"))
        return lines.group_by(keys).aggregate(revenue=lines.revenue.sum(),
                                              gross_profit=(lines.revenue - lines.cogs_signed).sum())

    totals = templates.run(wh, ("budget.actuals", dimension), build, replace(filters, start=start, end=end), scope)
    totals["period"] = pd.to_datetime(totals["period"]).dt.date
    long = totals.melt(id_vars=keys, value_vars=list(MEASURES), var_name="measure", value_name="actual")
    long["actual"] = long["actual"].astype("float64")
    return long.rename(columns={DIMENSIONS[dimension]: dimension}) if dimension else long


def _actuals_end(start: dt.date, end: dt.date, as_of: dt.date) -> dt.date:
    """The last day whose sales count: the as-of date inside the window. A window wholly after the
    as-of date reads its first day only; its months are all future and their actuals are dropped."""
    return max(start, min(end, as_of))


def _coverage(months: pd.Series, start: dt.date, end: dt.date, as_of: dt.date) -> pd.DataFrame:
    rows = []
    for month in months:
        first, last = month, month_end(month)
        covered_to = min(last, end, as_of)
        covered_from = max(first, start)
        days = max((covered_to - covered_from).days + 1, 0)
        rows.append({"period": month, "days_in_month": (last - first).days + 1, "days_covered": days,
                     "future": first > as_of})
    coverage = pd.DataFrame(rows)
    coverage["partial"] = (~coverage.future) & (coverage.days_covered < coverage.days_in_month)
    return coverage


def _compare(cells: pd.DataFrame, actuals: pd.DataFrame, keys: list[str], start, end, as_of,
             comparable: bool) -> pd.DataFrame:
    if cells.empty or actuals.empty:
        # Nothing to match; and pandas cannot outer-merge an empty frame of Arrow-backed strings.
        columns = list(dict.fromkeys([*cells.columns, *actuals.columns]))
        table = pd.concat([frame for frame in (cells, actuals) if not frame.empty] or [cells],
                          ignore_index=True).reindex(columns=columns)
    else:
        table = cells.merge(actuals, on=keys, how="outer")
    months = pd.Series(sorted(set(table.period)), dtype=object)
    coverage = _coverage(months, start, end, as_of) if len(months) else pd.DataFrame(
        columns=["period", "days_in_month", "days_covered", "future", "partial"])
    table = table.merge(coverage, on="period", how="left")
    future = table.future.astype(bool)
    share = (table.days_covered / table.days_in_month).where(~future, 1.0)  # a future month shows its whole budget
    table["budget"] = table.budget * share if comparable else float("nan")
    table["actual"] = table.actual.fillna(0.0).where(~future)  # no sales yet is 0; the future has no actual
    table["variance"] = table.actual - table.budget
    table["attainment"] = table.actual / table.budget.where(table.budget != 0)
    return table


def by_month(wh: Warehouse, filters: Filters = Filters(), scope: Scope = EVERYTHING,
             as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per month and measure: budget (prorated where partial), actual, variance,
    attainment, ``partial`` and ``future`` flags."""
    start, end, as_of = _window(wh, filters, as_of)
    cells = _budget_cells(wh, filters, None, start, end)
    actuals = _actuals(wh, filters, scope, None, start, _actuals_end(start, end, as_of))
    table = _compare(cells, actuals, ["period", "measure"], start, end, as_of, budget_comparable(filters, scope))
    columns = ["period", "measure", "budget", "actual", "variance", "attainment", "partial", "future"]
    return table[columns].sort_values(["measure", "period"]).reset_index(drop=True)


def by_dimension(wh: Warehouse, dimension: str, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                 as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per value of a budget dimension and measure over the elapsed part of the range."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown budget dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
    start, end, as_of = _window(wh, filters, as_of)
    cells = _budget_cells(wh, filters, dimension, start, end)
    actuals = _actuals(wh, filters, scope, dimension, start, _actuals_end(start, end, as_of))
    keys = ["period", "measure", dimension]
    table = _compare(cells, actuals, keys, start, end, as_of, budget_comparable(filters, scope))
    elapsed = table[~table.future.astype(bool)]
    totals = elapsed.groupby([dimension, "measure"], dropna=False)[["budget", "actual"]].sum(min_count=1)
    totals = totals.reset_index()
    totals["variance"] = totals.actual - totals.budget
    totals["attainment"] = totals.actual / totals.budget.where(totals.budget != 0)
    return totals.sort_values(["measure", dimension]).reset_index(drop=True)


def to_date(wh: Warehouse, filters: Filters = Filters(), scope: Scope = EVERYTHING,
            as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per measure: budget, actual, variance and attainment over the elapsed part of the range
    (the months of :func:`by_month` that are not in the future, partial months prorated)."""
    months = by_month(wh, filters, scope, as_of)
    elapsed = months[~months.future.astype(bool)]
    totals = elapsed.groupby("measure")[["budget", "actual"]].sum(min_count=1)
    totals = totals.reindex(list(MEASURES)).rename_axis("measure").reset_index()
    totals["variance"] = totals.actual - totals.budget
    totals["attainment"] = totals.actual / totals.budget.where(totals.budget != 0)
    return totals


def full_year_outlook(wh: Warehouse, year: int, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                      as_of: dt.date | None = None, forecast: Forecast | None = None) -> pd.DataFrame:
    """Per measure: actual to date, forecast of the remaining months, outlook and full-year budget."""
    as_of = as_of or dt.date.today()
    year_filters = replace(filters, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    months = by_month(wh, year_filters, scope, as_of)
    budget = _budget_cells(wh, filters, None, dt.date(year, 1, 1), dt.date(year, 12, 31))
    rows = []
    for measure in MEASURES:
        part = months[months.measure == measure]
        actual = part.loc[~part.future.astype(bool), "actual"].sum()
        remaining = [dt.date(year, m, 1) for m in range(1, 13) if dt.date(year, m, 1) > as_of]
        # The month in progress is partly actual; its remainder belongs to the forecast too.
        if as_of.year == year and as_of < month_end(as_of):
            remaining = [month_start(as_of), *remaining]
        rest = None if remaining else 0.0  # a year that is over needs no forecast
        values = forecast(measure, remaining) if forecast is not None and remaining else None
        if values is not None and all(m in values for m in remaining):
            rest = sum(values[m] for m in remaining)
            if remaining and remaining[0] == month_start(as_of):
                in_progress = remaining[0]
                elapsed = (as_of - in_progress).days + 1
                rest -= values[in_progress] * elapsed / month_end(in_progress).day
        full_budget = budget.loc[budget.measure == measure, "budget"].sum(min_count=1) \
            if budget_comparable(filters, scope) else float("nan")  # no budget cells: missing, not 0
        outlook = None if rest is None else actual + rest
        rows.append({"measure": measure, "actual_to_date": actual, "forecast_rest": rest, "outlook": outlook,
                     "full_year_budget": full_budget,
                     "outlook_attainment": None if outlook is None or not full_budget else outlook / full_budget})
    numbers = ["actual_to_date", "forecast_rest", "outlook", "full_year_budget", "outlook_attainment"]
    return pd.DataFrame(rows).astype({column: "float64" for column in numbers})
