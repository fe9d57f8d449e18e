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
- The monthly budget is the cells as written, per month and measure: whole months, never
  prorated (for a chart drawing the plan of every month beside the actuals).
- Budget to date sums the months of the range up to the as-of date (partial months
  prorated); its attainment is their actual over their budget.
- Region, category, rep and tier filters select budget cells too. Filters that budgets
  cannot express (industry, customer type, customer, product) leave the budget missing
  rather than compare unlike things.
- A restricted scope (a rep's or a manager's customers) compares with the budget of its
  reps: the cells whose ``rep_id`` owns a customer of the scope (the rep themself, or the
  team's reps), against those reps' lines on the scope's customers. Lines a rep sold to
  another rep's customer are outside the scope and not counted. A budget written without
  reps has no cells for a scope, and its budget is missing (:func:`basis` says why).
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
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import ibis
import ibis.expr.types as ir
import pandas as pd

from marginscope.metrics import semantic, templates
from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, ratio, sales_source
from marginscope.metrics.periods import month_end, month_start
from marginscope.warehouse import Warehouse

MEASURES = ("revenue", "gross_profit")
DIMENSIONS = {"region": "region", "product_category": "category", "rep_id": "rep_id", "customer_tier": "tier"}
"""Budget dimension -> the sales line column it compares with."""

Forecast = Callable[[str, list[dt.date]], dict[dt.date, float] | None]
"""``forecast(measure, months)`` -> forecast value per month start, or None when there is no forecast."""


UNBUDGETED_FILTERS = {"industries": "industry", "customer_types": "customer type", "customers": "customer",
                      "products": "product"}
"""The filters a budget cell has no column for (Filters field -> its name in a sentence)."""
BUDGET_COLUMNS = {"region": "region", "product_category": "product category", "rep_id": "rep",
                  "customer_tier": "customer tier"}


@dataclass(frozen=True)
class Basis:
    """What a selection's budget is: the filters its cells and actuals are read with, or why it has none.

    ``reps`` is set for a restricted scope: the reps whose budget cells are the scope's.
    """

    filters: Filters
    comparable: bool
    reason: str = ""
    reps: frozenset[str] | None = None


def _listed(names: list[str]) -> str:
    """
    >>> _listed(["region"]), _listed(["industry", "product"]), _listed(["a", "b", "c"])
    ('region', 'industry and product', 'a, b and c')
    """
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def basis(wh: Warehouse, filters: Filters, scope: Scope) -> Basis:
    """The budget of ``filters`` within ``scope``: see the module's definitions.

    Examples
    --------
    >>> wh = Warehouse.connect("duckdb://:memory:")
    >>> print(basis(wh, Filters(industries={"retail"}), EVERYTHING).reason)  # doctest: +NORMALIZE_WHITESPACE
    Budgets are written by region, product category, rep and customer tier, not by industry: remove the
    industry filter to compare with budget.
    """
    unbudgeted = [name for field, name in UNBUDGETED_FILTERS.items() if getattr(filters, field)]
    if unbudgeted:
        return Basis(filters, False, f"Budgets are written by {_listed(list(BUDGET_COLUMNS.values()))}, not by "
                                     f"{_listed(unbudgeted)}: remove the {_listed(unbudgeted)} "
                                     f"filter{'s' if len(unbudgeted) > 1 else ''} to compare with budget.")
    if scope.customers is None:
        return Basis(filters, True)
    customers = wh.table("customers")
    owners = execute(wh, customers.filter(customers.customer_id.isin(sorted(scope.customers)),
                                          customers.owner_rep_id.notnull()).select("owner_rep_id").distinct())
    reps = frozenset(owners.owner_rep_id.tolist())
    b = wh.table("budgets")
    # Counts, not any(): an empty table's any() is NULL, which pandas reads as a true NaN.
    written = execute(wh, b.aggregate(**{column: b[column].count() for column in BUDGET_COLUMNS}))
    grains = [name for column, name in BUDGET_COLUMNS.items() if written[column].iloc[0] > 0]
    if "rep" not in grains:
        by = f"by {_listed(grains)}" if grains else "as company totals"
        return Basis(filters, False, f"The budget is written {by}, not by rep, so no part of it is the budget of "
                                     "the customers you see. A budget with a rep_id column (one row per rep and "
                                     "month) gives every rep and manager their own.", reps)
    if not reps:
        return Basis(filters, False, "None of the customers you see has an owner rep, so no rep's budget is "
                                     "yours to compare with.", reps)
    chosen = reps & filters.reps if filters.reps else reps
    if not chosen:
        return Basis(filters, False, "The rep filter selects none of the reps whose customers you see: their "
                                     "budget is the one you can compare with.", reps)
    return Basis(replace(filters, reps=chosen), True, reps=chosen)


def _window(wh: Warehouse, filters: Filters, as_of: dt.date | None) -> tuple[dt.date, dt.date, dt.date]:
    """(first month start, last month end, as-of date) of the comparison."""
    as_of = as_of or dt.date.today()
    if filters.start and filters.end:
        return filters.start, filters.end, as_of
    budgets = wh.table("budgets")
    first, last = execute(wh, budgets.period.min()), execute(wh, budgets.period.max())
    if first is None or pd.isna(first):
        first = last = month_start(as_of)
    # Without an end the window closes with the last budget month, or with the start's month when the
    # range starts after every budget; without a start it opens with the first budget month, or with
    # the end's month when the range ends before any budget.
    end = filters.end or month_end(max(pd.Timestamp(last).date(), filters.start or dt.date.min))
    start = filters.start or min(pd.Timestamp(first).date(), month_start(end))
    return start, end, as_of


Sums = dict[tuple, float]
"""Figures keyed by (month start, measure) or (month start, measure, dimension value)."""


def _keys(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The rows' key tuples: periods as dates, missing labels as None (so that keys compare equal)."""
    values = []
    for column in columns:
        series = frame[column]
        if column == "period":  # days as numpy gives them: datetime.date objects
            values.append(pd.to_datetime(series).to_numpy().astype("datetime64[D]").tolist())
        else:
            values.append([None if pd.isna(value) else value for value in series.tolist()])
    return list(zip(*values))


def cells_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, dimension: str | None = None) -> ir.Table:
    """The budget summed per month, measure (and ``dimension``) over the months the range touches, for the
    budget dimensions the filters set (budgets have no customers: the scope does not narrow them)."""
    b = wh.table("budgets")
    predicates = [b.period >= ibis.literal(filters.start).truncate("M").cast("date"), b.period <= filters.end]
    for budget_column, values in (("region", filters.regions), ("product_category", filters.categories),
                                  ("rep_id", filters.reps), ("customer_tier", filters.tiers)):
        if values:
            predicates.append(b[budget_column].isin(sorted(values)))
    b = b.filter(predicates)
    return b.group_by(["period", "measure"] + ([dimension] if dimension else [])).aggregate(budget=b.amount.sum())


def _budget_cells(wh: Warehouse, filters: Filters, dimension: str | None, start: dt.date, end: dt.date) -> Sums:
    cells = templates.run_query(wh, cells_expr, replace(filters, start=start, end=end), EVERYTHING,
                                dimension=dimension)
    keys = _keys(cells, ["period", "measure"] + ([dimension] if dimension else []))
    return dict(zip(keys, cells["budget"].astype("float64").tolist()))


def actuals_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, dimension: str | None = None) -> ir.Table:
    """Revenue and gross profit per month (and the sales column of a budget ``dimension``) over the range."""
    keys = ["period"] + ([DIMENSIONS[dimension]] if dimension else [])
    lines = sales_source(wh, filters, scope, keys=keys[1:], orders=False, by_customer=False).rows
    lines = lines.mutate(period=lines.invoice_date.truncate("M").cast("date"))
    values = semantic.derive({"revenue": lines.revenue.sum(), "cogs": lines.cogs_signed.sum()}, MEASURES, ratio)
    return lines.group_by(keys).aggregate(**{measure: values[measure] for measure in MEASURES})


def _actuals(wh: Warehouse, filters: Filters, scope: Scope, dimension: str | None,
             start: dt.date, end: dt.date) -> Sums:
    keys = ["period"] + ([DIMENSIONS[dimension]] if dimension else [])
    totals = templates.run_query(wh, actuals_expr, replace(filters, start=start, end=end), scope, dimension=dimension)
    actuals = {}
    for (period, *label), *values in zip(_keys(totals, keys), *(totals[m].astype("float64").tolist()
                                                                 for m in MEASURES)):
        for measure, value in zip(MEASURES, values):
            actuals[(period, measure, *label)] = value
    return actuals


def _actuals_end(start: dt.date, end: dt.date, as_of: dt.date) -> dt.date:
    """The last day whose sales count: the as-of date inside the window. A window wholly after the
    as-of date reads its first day only; its months are all future and their actuals are dropped."""
    return max(start, min(end, as_of))


def _coverage(month: dt.date, start: dt.date, end: dt.date, as_of: dt.date) -> tuple[float, bool, bool]:
    """(share of the month's budget compared, partial, future) for a month of the window."""
    if month > as_of:
        return 1.0, False, True  # a future month shows its whole budget
    last = month_end(month)
    days = max((min(last, end, as_of) - max(month, start)).days + 1, 0)
    return days / last.day, days < last.day, False


def _compared(wh: Warehouse, filters: Filters, scope: Scope, dimension: str | None,
              as_of: dt.date | None) -> Iterator[tuple]:
    """The comparison window's budget cells beside its actuals, per key of either side: (key, budget
    prorated or NaN, actual (0 without sales, NaN in the future), partial, future)."""
    chosen = basis(wh, filters, scope)
    filters, comparable = chosen.filters, chosen.comparable
    start, end, as_of = _window(wh, filters, as_of)
    cells = _budget_cells(wh, filters, dimension, start, end)
    actuals = _actuals(wh, filters, scope, dimension, start, _actuals_end(start, end, as_of))
    coverage: dict[dt.date, tuple[float, bool, bool]] = {}
    for key in dict.fromkeys([*cells, *actuals]):
        month = key[0]
        if month not in coverage:
            coverage[month] = _coverage(month, start, end, as_of)
        share, partial, future = coverage[month]
        budget = cells.get(key)
        yield (key, budget * share if comparable and budget is not None else float("nan"),
               float("nan") if future else actuals.get(key, 0.0), partial, future)


def _compare(compared: Iterator[tuple], keys: list[str]) -> pd.DataFrame:
    """The rows of :func:`_compared` as a table: ``keys``, budget (prorated), actual, variance,
    attainment, partial, future."""
    columns: dict[str, list] = {name: [] for name in [*keys, "budget", "actual", "partial", "future"]}
    for key, *figures in compared:
        for name, value in zip([*keys, "budget", "actual", "partial", "future"], [*key, *figures]):
            columns[name].append(value)
    table = pd.DataFrame(columns).astype({"budget": "float64", "actual": "float64", "partial": bool,
                                          "future": bool})
    table["variance"] = table.actual - table.budget
    table["attainment"] = table.actual / table.budget.where(table.budget != 0)
    return table


def by_month(wh: Warehouse, filters: Filters = Filters(), scope: Scope = EVERYTHING,
             as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per month and measure: budget (prorated where partial), actual, variance,
    attainment, ``partial`` and ``future`` flags."""
    table = _compare(_compared(wh, filters, scope, None, as_of), ["period", "measure"])
    columns = ["period", "measure", "budget", "actual", "variance", "attainment", "partial", "future"]
    return table[columns].sort_values(["measure", "period"]).reset_index(drop=True)


def monthly_budget(wh: Warehouse, filters: Filters = Filters(), scope: Scope = EVERYTHING) -> pd.DataFrame:
    """One row per month and measure with a budget cell in the date range: the budget as written
    (whole months, never prorated). Empty when the selection cannot be matched to budget cells
    (see :func:`basis`)."""
    chosen = basis(wh, filters, scope)
    start, end, _ = _window(wh, chosen.filters, None)
    cells = _budget_cells(wh, chosen.filters, None, start, end) if chosen.comparable else {}
    table = pd.DataFrame({"period": [k[0] for k in cells], "measure": [k[1] for k in cells],
                          "budget": list(cells.values())}).astype({"budget": "float64"})
    return table.sort_values(["measure", "period"]).reset_index(drop=True)


def by_dimension(wh: Warehouse, dimension: str, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                 as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per value of a budget dimension and measure over the elapsed part of the range."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown budget dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
    table = _compare(_compared(wh, filters, scope, dimension, as_of), ["period", "measure", dimension])
    elapsed = table[~table.future.astype(bool)]
    totals = elapsed.groupby([dimension, "measure"], dropna=False)[["budget", "actual"]].sum(min_count=1)
    totals = totals.reset_index()
    totals["variance"] = totals.actual - totals.budget
    totals["attainment"] = totals.actual / totals.budget.where(totals.budget != 0)
    return totals.sort_values(["measure", dimension]).reset_index(drop=True)


def _total(values: list[float]) -> float:
    """The sum of ``values``; missing (NaN), not 0, when there are none.

    >>> _total([1.5, 2.0]), _total([])
    (3.5, nan)
    """
    return sum(values) if values else float("nan")


def to_date(wh: Warehouse, filters: Filters = Filters(), scope: Scope = EVERYTHING,
            as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per measure: budget, actual, variance and attainment over the elapsed part of the range
    (the months of :func:`by_month` that are not in the future, partial months prorated)."""
    # The sums of by_month's elapsed rows, without its table: this is on the overview of every filter change.
    budgets: dict[str, list[float]] = {measure: [] for measure in MEASURES}
    actual: dict[str, list[float]] = {measure: [] for measure in MEASURES}
    for (_, measure), budget, value, _, future in _compared(wh, filters, scope, None, as_of):
        if future or measure not in actual:
            continue
        actual[measure].append(value)
        if not math.isnan(budget):
            budgets[measure].append(budget)
    totals = pd.DataFrame({"measure": list(MEASURES), "budget": [_total(budgets[m]) for m in MEASURES],
                           "actual": [_total(actual[m]) for m in MEASURES]})
    totals["variance"] = totals.actual - totals.budget
    totals["attainment"] = totals.actual / totals.budget.where(totals.budget != 0)
    return totals


def full_year_outlook(wh: Warehouse, year: int, filters: Filters = Filters(), scope: Scope = EVERYTHING,
                      as_of: dt.date | None = None, forecast: Forecast | None = None,
                      budget: pd.DataFrame | None = None, details: dict[str, dict] | None = None) -> pd.DataFrame:
    """Per measure: actual to date, forecast of the remaining months, outlook and full-year budget.

    ``budget`` is the year's :func:`monthly_budget` when the caller has read it already;
    ``details`` holds, per measure, more columns to show beside the figures, of object dtype (the
    engine adds the forecast's model and backtest error: :func:`marginscope.metrics.forecast.backtest_details`).
    """
    as_of = as_of or dt.date.today()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    filters = basis(wh, filters, scope).filters
    if budget is None:
        budget = monthly_budget(wh, replace(filters, start=start, end=end), scope)
    actuals = _actuals(wh, filters, scope, None, start, _actuals_end(start, end, as_of))
    budgets: dict[str, list[float]] = {}
    for measure, amount in zip(budget["measure"].tolist(), budget["budget"].tolist()):
        if not math.isnan(amount):
            budgets.setdefault(measure, []).append(amount)
    rows = []
    for measure in MEASURES:
        actual = sum(value for (month, name), value in actuals.items() if name == measure and month <= as_of)
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
        full_budget = _total(budgets.get(measure, []))
        outlook = None if rest is None else actual + rest
        rows.append({"measure": measure, "actual_to_date": actual, "forecast_rest": rest, "outlook": outlook,
                     "full_year_budget": full_budget,
                     "outlook_attainment": None if outlook is None or not full_budget else outlook / full_budget,
                     **(details[measure] if details is not None else {})})
    # Built column by column at once: a table of two rows costs more in pandas' column inserts than to compute.
    figures = ["actual_to_date", "forecast_rest", "outlook", "full_year_budget", "outlook_attainment"]
    types = dict.fromkeys(figures, "float64") | dict.fromkeys(details[MEASURES[0]] if details else (), object)
    return pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype=types.get(column))
                         for column in rows[0]})
