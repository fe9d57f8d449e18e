"""Sales and profit: the figures of METRICS.md, "Sales and profit (ERP)".

Definitions (all over the lines selected by the filters and scope):

- gross_sales = sum(quantity * unit_price) of invoice lines; discount = their
  discount_amount (empty counts as 0).
- returns = net amount of credit-note lines, a positive figure; return_rate =
  returns / net amount of invoice lines.
- revenue = net amount of invoice lines - returns.
- cogs = cogs of invoice lines - cogs of credit-note lines (returned goods come back).
- gross_profit = revenue - cogs; gross_margin = gross_profit / revenue.
- cost_to_serve from ``costs_to_serve`` (see :mod:`marginscope.metrics.filters` for
  how it is allocated under product, category and rep filters or groupings);
  contribution_margin = gross_profit - cost_to_serve; contribution_margin_pct =
  contribution_margin / revenue.
- orders = distinct order_id of invoice lines (invoice_id where a line has no order);
  average_order_value = revenue / orders; active_customers = customers whose
  revenue in the selection is above 0.

A ratio whose denominator is 0 is missing (``None``/NaN), never 0 or infinity.
Money comes back as decimal(18, 2); ratios as float64.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from marginscope.metrics import semantic, templates
from marginscope.metrics.filters import (
    EVERYTHING,
    SEGMENT_COLUMNS,
    Filters,
    SalesSource,
    Scope,
    allocate_costs,
    cost_lines,
    customer_attributes,
    customer_costs,
    ratio,
    sales_source,
    segment_costs,
)
from marginscope.metrics.periods import period_end
from marginscope.warehouse import Warehouse

MEASURES = semantic.SALES_MEASURES
RATIOS = tuple(m for m in MEASURES if semantic.MEASURES[m].denominator)
MONEY = tuple(m for m in semantic.measures_of(semantic.Unit.MONEY, MEASURES) if m not in RATIOS)
COUNTS = semantic.measures_of(semantic.Unit.COUNT, MEASURES)


def _with_labels(dimensions) -> tuple[str, ...]:
    return tuple(column for d in dimensions for column in (d.column, d.label_column) if column)


CUSTOMER_DIMENSIONS = _with_labels(semantic.of_entity(semantic.Entity.CUSTOMER))
SPLIT_DIMENSIONS = (_with_labels(semantic.of_entity(semantic.Entity.PRODUCT))
                    + tuple(d.column for d in semantic.of_entity(semantic.Entity.LINE)))  # lines carry no rep name
DIMENSIONS = CUSTOMER_DIMENSIONS + SPLIT_DIMENSIONS
GRAINS = semantic.GRAINS


def _period(column: ir.Column, grain: str) -> ir.Value:
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}; use one of {', '.join(GRAINS)}")
    unit = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}[grain]
    return column.truncate(unit).cast("date")


def _line_totals(source: SalesSource, keys: list, derive: Callable[[ir.Table], ir.Table] | None = None,
                 *, monthly: bool = False) -> ir.Table:
    """Sums, orders and active customers per ``keys`` group of the source's rows (``derive``
    adds derived keys, such as the period, to the rows and to the split orders).

    ``monthly`` tells that every group lies within one month, where the active customers
    of segment cells add up (see :class:`marginscope.metrics.filters.SalesSource`)."""
    def derived(t: ir.Table) -> ir.Table:
        return derive(t) if derive else t

    lines = derived(source.rows)
    if monthly and "active_customers" in lines.columns:
        active_customers = lines.active_customers.sum()
        active = None
    else:
        people = derived(source.customer_rows)
        customer_revenue = people.group_by(list(dict.fromkeys([*keys, "customer_id"]))).aggregate(
            rev=people.revenue.sum())
        active = customer_revenue.group_by(keys).aggregate(active_customers=(customer_revenue.rev > 0).sum()) \
            if keys else customer_revenue.aggregate(active_customers=(customer_revenue.rev > 0).sum())
    metrics = dict(
        gross_sales=lines.gross_sales.sum(), discount=lines.discount.sum(), invoiced=lines.invoiced.sum(),
        returns=lines.returns.sum(), revenue=lines.revenue.sum(), cogs=lines.cogs_signed.sum(),
        orders=lines.orders.sum() if source.cells else lines.order_key.nunique(),
    )
    if active is None:
        metrics["active_customers"] = active_customers
    totals = lines.group_by(keys).aggregate(**metrics) if keys else lines.aggregate(**metrics)
    if source.cells:
        totals = _with_split_orders(totals, derived(source.split_orders), keys)
    if active is None:
        return totals
    if not keys:
        return totals.cross_join(active)
    return _join_null_safe(totals, active, keys)


def _join_null_safe(left: ir.Table, right: ir.Table, keys: list[str], how: str = "inner") -> ir.Table:
    # Null-safe: customers without a region (say) are one group, not dropped.
    joined = left.join(right, [left[k].identical_to(right[k]) for k in keys], how=how)
    return joined.drop(*[f"{k}_right" for k in keys])


def _with_split_orders(totals: ir.Table, split: ir.Table, keys: list[str]) -> ir.Table:
    """Add the distinct orders that span cells (see :mod:`marginscope.metrics.rollups`) to the cells' orders."""
    counted = dict(split_orders=split.order_key.nunique())
    if keys:
        joined = _join_null_safe(totals, split.group_by(keys).aggregate(**counted), keys, how="left")
    else:
        joined = totals.cross_join(split.aggregate(**counted))
    return joined.mutate(orders=joined.orders.fill_null(0) + joined.split_orders.fill_null(0)).drop("split_orders")


def _costs(wh: Warehouse, filters: Filters, scope: Scope, dimension: str | None, grain: str | None) -> ir.Table:
    """Cost to serve at the grain of the result: one row per group key."""
    segments = segment_costs(wh, filters, scope)
    if grain is not None:
        costs = segments if segments is not None and grain not in ("day", "week") else cost_lines(wh, filters, scope)
        return costs.group_by(period=_period(costs.cost_date, grain)).aggregate(
            cost_to_serve=costs.amount.sum().cast("decimal(18, 4)"))
    if segments is not None and dimension is None:
        return segments.aggregate(cost_to_serve=segments.amount.sum())
    if segments is not None and dimension in SEGMENT_COLUMNS:
        return segments.group_by(dimension).aggregate(cost_to_serve=segments.amount.sum())
    per_customer = customer_costs(wh, filters, scope)
    if dimension is None:
        return per_customer.aggregate(cost_to_serve=per_customer.cost_to_serve.sum())
    if dimension in CUSTOMER_DIMENSIONS:
        joined = per_customer.join(customer_attributes(wh), "customer_id")
        return joined.group_by(dimension).aggregate(cost_to_serve=joined.cost_to_serve.sum())
    # A product, category or rep gets each customer's cost in proportion to its share of that customer's revenue.
    lines = sales_source(wh, filters, scope, keys=(dimension,), orders=False).rows
    allocated = allocate_costs(per_customer, lines, lines, (dimension,))
    return allocated.group_by(dimension).aggregate(cost_to_serve=allocated.cost_to_serve.sum())


def _cents(value: ir.Value) -> ir.Value:
    return value.round(2).cast("decimal(18, 2)")


def _check_dimension(dimension: str) -> None:
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")


def _finish(t: ir.Table, keys: list[str], rounded: bool = True) -> ir.Table:
    """Derive profit and ratios; sums over no lines are 0, ratios over a 0 denominator missing.

    ``rounded=False`` keeps money at the 4 decimals allocated costs carry, for callers that sum
    the groups further and round once (a sum of rounded parts can be cents off the total)."""
    t = _fill_missing_line_totals(t)
    base = {name: t[name] for name in ("gross_sales", "discount", "invoiced", "returns", "revenue", "cogs",
                                       "orders", "active_customers")}
    values = semantic.derive(base | {"cost_to_serve": t.cost_to_serve.fill_null(0)}, MEASURES, ratio)

    def typed(name: str) -> ir.Value:
        if name in RATIOS:
            return values[name]
        if name in COUNTS:
            return values[name].cast("int64")
        return _cents(values[name]) if rounded else values[name].cast("decimal(18, 4)")

    return t.select(*keys, **{name: typed(name) for name in MEASURES})


def summary_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    totals = _line_totals(sales_source(wh, filters, scope, by_customer=False), [])
    return _finish(totals.cross_join(_costs(wh, filters, scope, None, None)), [])


def labels_expr(wh: Warehouse, dimension: str) -> ir.Table | None:
    """Names and attributes that describe a customer, product or rep id (None for other dimensions)."""
    if dimension == "customer_id":
        c = wh.table("customers")
        return c.select("customer_id", "region", "tier", customer_name=c.name)
    if dimension == "product_id":
        p = wh.table("products")
        return p.select("product_id", "category", product_name=p.name)
    if dimension == "rep_id":
        r = wh.table("reps")
        return r.select("rep_id", "manager", rep_name=r.name)
    return None


def by_expr(wh: Warehouse, dimension: str, filters: Filters, scope: Scope = EVERYTHING,
            labelled: bool = False, *, rounded: bool = True, limit: int | None = None) -> ir.Table:
    """Every measure per value of ``dimension``; ``labelled`` adds the names of :func:`labels_expr`;
    ``rounded=False`` leaves money at 4 decimals (see :func:`_finish`); ``limit`` keeps the first rows only
    (by revenue, then ``dimension``)."""
    _check_dimension(dimension)
    totals = _line_totals(sales_source(wh, filters, scope, keys=(dimension,), by_customer=False), [dimension])
    joined = _finish(_with_costs(totals, _costs(wh, filters, scope, dimension, None), dimension), [dimension],
                     rounded)
    labels = labels_expr(wh, dimension) if labelled else None
    if labels is not None:
        joined = joined.left_join(labels, dimension).drop(f"{dimension}_right")
    ordered = joined.order_by(ibis.desc("revenue"), dimension)
    return ordered if limit is None else ordered.limit(limit)


def top_expr(wh: Warehouse, dimension: str, n: int | None, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """The ``n`` values of ``dimension`` with the most revenue (``None``: every value that sold), labelled,
    with revenue, cogs, gross_profit and gross_margin only.

    The same rows, in the same order, with the same figures as the first ``n`` of
    :func:`by_expr` (ranked by revenue to the cent, then by ``dimension``), for rankings
    that show no more: no cost to allocate, no orders or customers to count, so the query
    reads the cells once. A value with cost to serve and no sales, which :func:`by_expr`
    lists with zero revenue, is not among them.
    """
    _check_dimension(dimension)
    lines = sales_source(wh, filters, scope, keys=(dimension,), orders=False, by_customer=False).rows
    totals = lines.group_by(dimension).aggregate(revenue=lines.revenue.sum(), cogs=lines.cogs_signed.sum())
    top = totals.mutate(ranked=totals.revenue.round(2)).order_by(ibis.desc("ranked"), dimension)
    top = top if n is None else top.limit(n)
    values = semantic.derive({"revenue": top.revenue, "cogs": top.cogs}, ("gross_profit", "gross_margin"), ratio)
    top = top.select(dimension, revenue=_cents(top.revenue), cogs=_cents(top.cogs),
                     gross_profit=_cents(values["gross_profit"]), gross_margin=values["gross_margin"])
    labels = labels_expr(wh, dimension)
    if labels is not None:
        top = top.left_join(labels, dimension).drop(f"{dimension}_right")
    return top.order_by(ibis.desc("revenue"), dimension)


def _stand_in(dtype) -> ir.Scalar:
    """A value of ``dtype`` standing in for a missing one in a join key (told apart by a flag beside it)."""
    if dtype.is_string():
        return ibis.literal("")
    if dtype.is_date():
        return ibis.literal(dt.date(1, 1, 1))
    if dtype.is_boolean():
        return ibis.literal(False)
    return ibis.literal(0).cast(dtype)


def outer_join_on(left: ir.Table, right: ir.Table, key: str) -> ir.Table:
    """Full outer join on ``key`` where a missing key matches a missing key (a group of its own).

    The key is compared as (is it missing, its value or a stand-in) with plain equalities rather than
    IS NOT DISTINCT FROM: PostgreSQL runs a full join only on conditions it can hash or merge.
    """
    def keyed(t: ir.Table, suffix: str) -> ir.Table:
        return t.mutate(**{f"_missing{suffix}": t[key].isnull(),
                           f"_key{suffix}": t[key].fill_null(_stand_in(t[key].type()))})
    left, right = keyed(left, "_l"), keyed(right, "_r")
    joined = left.outer_join(right, [left._missing_l == right._missing_r, left._key_l == right._key_r])
    joined = joined.mutate(**{key: joined[key].fill_null(joined[f"{key}_right"])})
    return joined.drop(f"{key}_right", "_missing_l", "_key_l", "_missing_r", "_key_r")


def _with_costs(totals: ir.Table, costs: ir.Table, key: str) -> ir.Table:
    """Line totals beside costs; a group with costs and no sales still appears, with zero sales."""
    return outer_join_on(totals, costs, key)


def trend_expr(wh: Warehouse, grain: str, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    source = sales_source(wh, filters, scope, keys=("period",), daily=grain in ("day", "week"), by_customer=False)
    totals = _line_totals(source, ["period"], lambda t: t.mutate(period=_period(t.invoice_date, grain)),
                          monthly=grain == "month")
    if filters.splits_customers:
        # Cost to serve is dated by its own GL date and belongs to customers; under a product
        # or rep filter there is no defensible monthly split, so it is left out of the trend.
        joined = totals.mutate(cost_to_serve=ibis.literal(None, "decimal(18, 4)"))
    else:
        joined = _with_costs(totals, _costs(wh, filters, scope, None, grain), "period")
    return _finish(joined, ["period"]).order_by("period")


def period_bounds(period: dt.date, grain: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of ``grain`` starting on ``period``."""
    if grain == "day":
        return period, period
    if grain == "week":
        return period, period + dt.timedelta(days=6)
    return period, period_end(period, grain)


def mark_partial(trend: pd.DataFrame, grain: str, filters: Filters) -> pd.DataFrame:
    """``trend`` with, per period, the days of it the range covers (``first_day``, ``last_day``, ``days``)
    and ``partial``: true when the range starts after the period's first day or ends before its last
    (a month in progress, say), so that it is shown as partial and compared with the same days.

    Examples
    --------
    >>> trend = pd.DataFrame({"period": pd.to_datetime(["2026-11-01", "2026-12-01"])})
    >>> f = Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 6))
    >>> mark_partial(trend, "month", f)[["days", "partial"]].values.tolist()
    [[30, False], [6, True]]
    """
    trend = trend.copy()
    whole = [period_bounds(period, grain) for period in pd.to_datetime(trend["period"]).dt.date]
    firsts = [max(first, filters.start) if filters.start else first for first, _ in whole]
    lasts = [min(last, filters.end) if filters.end else last for _, last in whole]
    trend["first_day"] = pd.to_datetime(pd.Series(firsts, dtype="object"))
    trend["last_day"] = pd.to_datetime(pd.Series(lasts, dtype="object"))
    trend["days"] = pd.Series([(last - first).days + 1 for first, last in zip(firsts, lasts)], dtype="int64")
    trend["partial"] = pd.Series([(first, last) != bounds for first, last, bounds in zip(firsts, lasts, whole)],
                                 dtype="bool")
    return trend


def _fill_missing_line_totals(t: ir.Table) -> ir.Table:
    zero = ibis.literal(0).cast("decimal(18, 4)")
    return t.mutate(**{c: t[c].fill_null(zero) for c in ("gross_sales", "discount", "invoiced", "returns",
                                                          "revenue", "cogs")},
                    orders=t.orders.fill_null(0), active_customers=t.active_customers.fill_null(0))


COMPARISONS = tuple(semantic.COMPARISONS)
growth = semantic.growth  # the one growth formula; the metrics that compare two values import it from here


@dataclass(frozen=True)
class Periods:
    """The current and prior date ranges of a comparison."""

    current: tuple[dt.date, dt.date]
    prior: tuple[dt.date, dt.date]


def comparison_periods(filters: Filters, basis: str, fiscal_year_start_month: int = 1) -> Periods:
    """Date ranges for a comparison of the filtered range (see
    :func:`marginscope.metrics.semantic.comparison_range`).

    Examples
    --------
    >>> f = Filters(start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    >>> comparison_periods(f, "previous").prior
    (datetime.date(2025, 12, 31), datetime.date(2026, 3, 31))
    >>> comparison_periods(f, "ytd").current, comparison_periods(f, "ytd").prior
    ((datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)), (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)))
    """
    if filters.start is None or filters.end is None:
        raise ValueError("a comparison needs a date range with a start and an end")
    current, prior = semantic.comparison_range(filters.start, filters.end, basis, fiscal_year_start_month)
    return Periods(current, prior)


def compare(wh: Warehouse, basis: str, filters: Filters, scope: Scope = EVERYTHING,
            fiscal_year_start_month: int = 1,
            summarise: Callable[[Filters], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every measure now and in the comparison period, with the change and growth.

    ``basis`` as in :func:`comparison_periods`; growth is missing ("n/a") when the
    prior value is 0. The periods are in the result's ``attrs``. ``summarise(filters)``
    computes a summary (the engine passes its cached one).
    """
    periods = comparison_periods(filters, basis, fiscal_year_start_month)
    if summarise is None:
        def summarise(f: Filters) -> pd.DataFrame:
            return templates.run_query(wh, summary_expr, f, scope)

    current = summarise(filters.with_range(*periods.current))
    prior = summarise(filters.with_range(*periods.prior))
    table = compared(MEASURES, current.iloc[0], prior.iloc[0])
    table.attrs.update(current=periods.current, prior=periods.prior, basis=semantic.comparison(basis).name)
    return table


def compared(measures, current: pd.Series, prior: pd.Series) -> pd.DataFrame:
    """One row per measure: current, prior, change (percentage points, as a fraction, for a rate) and
    growth (missing for a rate, and when the prior is 0), as :func:`marginscope.metrics.semantic.change`."""
    changes = [semantic.change(m, current[m], prior[m]) for m in measures]
    columns = {column: np.array([float("nan") if getattr(c, column) is None else getattr(c, column)
                                 for c in changes], dtype="float64")
               for column in ("current", "prior", "change", "growth")}
    return pd.DataFrame({"measure": list(measures), **columns})

