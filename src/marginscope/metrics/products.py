"""Products: revenue, profit, growth, ABC class, the Pareto curve and demand by month.

Definitions
-----------
- Products are ranked by revenue, descending (ties by product id). A product's
  cumulative share is the revenue of it and every product above it over the total
  revenue of products with positive revenue.
- ABC: a product is **A** when the products above it make less than 80% of revenue
  (so the product that crosses 80% is A: A is the set that makes 80%), **B** when
  they make less than 95%, **C** otherwise; a product with no positive revenue is C.
  The thresholds are parameters.
- Growth compares each product's revenue with the previous period of equal length
  (``n/a`` when that was 0).
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from marginscope.metrics import semantic, templates
from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_lines
from marginscope.metrics.sales import _period, by_expr, comparison_periods, growth
from marginscope.warehouse import Warehouse

A_SHARE, B_SHARE = 0.80, 0.95


def abc(revenue: pd.Series, a_share: float = A_SHARE, b_share: float = B_SHARE) -> pd.DataFrame:
    """ABC classes for revenues already sorted in descending order.

    Examples
    --------
    >>> abc(pd.Series([50.0, 30.0, 15.0, 5.0, 0.0]))[["cumulative_share", "abc_class"]].values.tolist()
    [[0.5, 'A'], [0.8, 'A'], [0.95, 'B'], [1.0, 'C'], [1.0, 'C']]
    """
    positive = revenue.astype("float64").clip(lower=0)
    total = positive.sum()
    cumulative = positive.cumsum() / total if total > 0 else pd.Series(np.zeros(len(revenue)), index=revenue.index)
    before = cumulative - (positive / total if total > 0 else 0)
    classes = np.where(positive <= 0, "C", np.where(before < a_share - 1e-12, "A",
                                                    np.where(before < b_share - 1e-12, "B", "C")))
    return pd.DataFrame({"cumulative_share": cumulative.round(12), "abc_class": classes}, index=revenue.index)


def performance(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, basis: str | None = None) -> pd.DataFrame:
    """One row per product sold in the range: name, category, sales and profit measures,
    revenue in the comparison period of ``basis`` (the semantic layer's default when None), growth,
    rank, cumulative share and ABC class; the prior range is in the result's ``attrs``."""
    current = templates.run_query(wh, by_expr, filters, scope, dimension="product_id")
    names = execute(wh, wh.table("products").select("product_id", "name", "category"))
    table = names.merge(current, on="product_id", how="inner")
    table = table.sort_values(["revenue", "product_id"], ascending=[False, True], kind="stable")
    table = table.reset_index(drop=True)
    if filters.start and filters.end:
        prior_range = comparison_periods(filters, semantic.comparison(basis).name).prior
        prior = templates.run_query(wh, by_expr, filters.with_range(*prior_range), scope, dimension="product_id")
        table = table.merge(prior[["product_id", "revenue"]].rename(columns={"revenue": "prior_revenue"}),
                            on="product_id", how="left")
        table["growth"] = [growth(now, before) if before is not None and not pd.isna(before) else None
                           for now, before in zip(table.revenue, table.prior_revenue)]
        table["growth"] = table["growth"].astype("float64")
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    # The Pareto curve plots cumulative_share against the share of products ranked so far.
    table["product_share"] = table["rank"] / max(len(table), 1)
    table = pd.concat([table, abc(table.revenue)], axis=1)
    if filters.start and filters.end:
        table.attrs.update(prior=prior_range)
    return table


def demand_trend_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, grain: str = "month") -> ir.Table:
    """Net units and revenue per product and period (returns subtract)."""
    lines = sales_lines(wh, filters, scope)
    signed_units = (lines.quantity * (lines.kind == "invoice").ifelse(1, -1)).cast("decimal(18, 4)")
    lines = lines.mutate(period=_period(lines.invoice_date, grain), units=signed_units)
    return lines.group_by(["product_id", "period"]).aggregate(
        units=lines.units.sum(), revenue=lines.revenue.sum().round(2).cast("decimal(18, 2)"),
    ).order_by(["product_id", "period"])
