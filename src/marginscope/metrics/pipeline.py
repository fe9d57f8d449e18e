"""CRM pipeline: won, lost and open deals, pipeline revenue, conversion and time to close.

Definitions
-----------
- Won deals have stage ``won``, lost deals ``lost``; closed = won + lost, counted
  when their ``close_date`` is in the date range. Open deals (``prospecting`` and
  ``engaging``) are a snapshot: every open deal, whatever its dates.
- New opportunities: deals whose ``engage_date`` is in the range.
- Pipeline revenue = sum(close_value) of won deals; average sale = pipeline revenue /
  won deals; conversion rate (CVR) = won / closed (missing without closed deals).
- Funnel: the deals engaged in the range (new opportunities), stage by stage:
  ``engaged``, ``closed`` (of them, the won or lost, whenever they closed), ``won``,
  and ``still_open`` (engaging still). One cohort from top to bottom, so no stage
  can hold more than the one above it; ``prospecting`` deals have no engage date
  and are in no cohort.
- Days to close = close_date - engage_date averaged over closed deals (won and
  lost); weeks = days / 7; ``days_to_close_won`` is the won-only variant.
- Filters: the date range as above; rep, region, industry, tier, customer type and
  customer through the deal's rep and account; category and product through its
  product. Deals without an account drop out under an account filter or a
  restricted scope (a user sees the deals of the customers in their scope).
- Dimensions: industry (sector), customer_id (account), product_id, category,
  rep_id, manager, regional_office, region; or a period (month, quarter, year) of
  the close date (closed deals) and of the engage date (new opportunities).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from marginscope.metrics import semantic, templates
from marginscope.metrics.filters import (
    EVERYTHING,
    Filters,
    Scope,
    customer_attributes,
    date_predicates,
    ratio,
    selection_predicates,
)
from marginscope.metrics.sales import _period, compared, comparison_periods, growth, outer_join_on
from marginscope.warehouse import Warehouse

DIMENSIONS = ("industry", "customer_id", "product_id", "category", "rep_id", "manager", "regional_office",
              "region", "tier")
MEASURES = semantic.PIPELINE_MEASURES


def deals(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Opportunities with account, rep and product attributes, filtered by everything but dates."""
    o = wh.table("opportunities")
    r = wh.table("reps").select("rep_id", "manager", "regional_office")
    p = wh.table("products").select("product_id", "category")
    t = o.left_join(customer_attributes(wh), "customer_id").drop("customer_id_right") \
        .left_join(r, "rep_id").drop("rep_id_right").left_join(p, "product_id").drop("product_id_right")
    predicates = selection_predicates(t, filters, scope)
    return t.filter(predicates) if predicates else t


def _in_range(column: ir.Column, filters: Filters) -> ir.Value:
    condition = column.notnull()
    for predicate in date_predicates(column, filters):
        condition &= predicate
    return condition


def summary_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, dimension: str | None = None,
                 grain: str | None = None) -> ir.Table:
    """Every pipeline measure, in total, per ``dimension`` or per period of ``grain``."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
    t = deals(wh, filters, scope)
    closed = t.filter(t.stage.isin(["won", "lost"]) & _in_range(t.close_date, filters))
    new = t.filter(_in_range(t.engage_date, filters))
    if grain:
        closed = closed.mutate(key=_period(closed.close_date, grain))
        new = new.mutate(key=_period(new.engage_date, grain))
    elif dimension:
        closed, new = closed.mutate(key=closed[dimension]), new.mutate(key=new[dimension])
    else:
        closed, new = closed.mutate(key=ibis.literal("all")), new.mutate(key=ibis.literal("all"))
    is_won = closed.stage == "won"
    days = (closed.close_date - closed.engage_date).cast("int64")
    closed_totals = closed.group_by("key").aggregate(
        won=is_won.sum(), lost=(~is_won).sum(),
        pipeline_revenue=closed.close_value.sum(where=is_won),
        days_to_close=days.mean(), days_to_close_won=days.mean(where=is_won),
    )
    new_totals = new.group_by("key").aggregate(new_opportunities=new.count())
    joined = outer_join_on(closed_totals, new_totals, "key")
    if not grain:
        open_deals = t.filter(t.stage.isin(["prospecting", "engaging"]))
        open_deals = open_deals.mutate(key=open_deals[dimension] if dimension else ibis.literal("all"))
        open_totals = open_deals.group_by("key").aggregate(open=open_deals.count())
        joined = outer_join_on(joined, open_totals, "key")
    else:
        joined = joined.mutate(open=ibis.literal(None, "int64"))
    if not grain and not dimension:  # a total is one row, even over no deals at all
        joined = outer_join_on(ibis.memtable({"key": ["all"]}), joined, "key")
    won, lost = joined.won.fill_null(0), joined.lost.fill_null(0)
    revenue = joined.pipeline_revenue.fill_null(0)
    result = joined.select(
        key=joined.key, won=won.cast("int64"), lost=lost.cast("int64"), closed=(won + lost).cast("int64"),
        open=joined.open.cast("int64") if grain else joined.open.fill_null(0).cast("int64"),
        new_opportunities=joined.new_opportunities.fill_null(0).cast("int64"),
        pipeline_revenue=revenue.cast("decimal(18, 2)"),
        average_sale=ratio(revenue, won), conversion_rate=ratio(won, won + lost),
        days_to_close=joined.days_to_close.cast("float64"),
        weeks_to_close=(joined.days_to_close / 7).cast("float64"),
        days_to_close_won=joined.days_to_close_won.cast("float64"),
    )
    name = (grain and "period") or dimension
    return result.rename(**{name: "key"}).order_by(name) if name else result.drop("key")


def funnel_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """One row: the deals engaged in the range, how many have closed since and how many were won."""
    t = deals(wh, filters, scope)
    cohort = t.filter(_in_range(t.engage_date, filters))
    totals = cohort.aggregate(engaged=cohort.count(), closed=cohort.stage.isin(["won", "lost"]).sum(),
                              won=(cohort.stage == "won").sum(), still_open=(cohort.stage == "engaging").sum())
    return totals.select(**{name: totals[name].fill_null(0).cast("int64") for name in FUNNEL_STAGES})


FUNNEL_STAGES = ("engaged", "closed", "won", "still_open")


def compare(wh: Warehouse, basis: str, filters: Filters, scope: Scope = EVERYTHING,
            fiscal_year_start_month: int = 1) -> pd.DataFrame:
    """Every pipeline measure now and in the comparison period (``previous`` = QoQ for a quarter, ``yoy``)."""
    periods = comparison_periods(filters, basis, fiscal_year_start_month)
    now = templates.run_query(wh, summary_expr, filters.with_range(*periods.current), scope).iloc[0]
    before = templates.run_query(wh, summary_expr, filters.with_range(*periods.prior), scope).iloc[0]
    table = compared([m for m in MEASURES if m != "open"], now, before)
    table.attrs.update(current=periods.current, prior=periods.prior, basis=basis)
    return table


def movers(wh: Warehouse, dimension: str, filters: Filters, scope: Scope = EVERYTHING,
           measure: str = "pipeline_revenue", n: int = 10, basis: str | None = None) -> pd.DataFrame:
    """The ``n`` values of a dimension whose ``measure`` changed most (by absolute change)
    from the comparison period of ``basis`` (the semantic layer's default when None) to the filtered
    range; unchanged values are not movers. The prior range is in the result's ``attrs``."""
    prior_range = comparison_periods(filters, semantic.comparison(basis).name).prior
    now = templates.run_query(wh, summary_expr, filters, scope, dimension=dimension)[[dimension, measure]]
    before = templates.run_query(wh, summary_expr, filters.with_range(*prior_range), scope,
                                 dimension=dimension)[[dimension, measure]]
    table = now.merge(before, on=dimension, how="outer", suffixes=("", "_prior"))
    table[measure] = table[measure].astype("float64").fillna(0)
    table[f"{measure}_prior"] = table[f"{measure}_prior"].astype("float64").fillna(0)
    table["change"] = table[measure] - table[f"{measure}_prior"]
    table = table[table.change != 0]
    table["growth"] = [growth(a, b) for a, b in zip(table[measure], table[f"{measure}_prior"])]
    table = table.assign(size=table.change.abs()).sort_values(["size", dimension], ascending=[False, True])
    table = table.drop(columns="size").head(n).reset_index(drop=True)
    table.attrs.update(prior=prior_range)
    return table
