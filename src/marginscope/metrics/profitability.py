"""Customer profitability and concentration.

Definitions
-----------
- Per customer: the sales measures of :mod:`marginscope.metrics.sales` (revenue,
  discount, COGS, gross profit, cost to serve, contribution margin, CM %) for every
  customer with sales or cost to serve in the selection.
- Drivers of a negative contribution margin: the three amounts that pull a
  customer's margin down, **discount**, **cost to serve** and **returns** (the net
  amount credited back), each with its share of their sum; ``main_driver`` is the
  largest.
- Whale curve: customers ranked by contribution margin, descending (ties by id);
  for each, the cumulative share of customers and the cumulative CM as a share of
  total CM (the curve rises above 100% and falls back when loss-makers are added).
  Shares of a total that is not positive (CM, GP) are missing: they mean nothing.
- Concentration: the smallest share of customers, ranked by gross profit, whose GP
  reaches a given share (default 70%) of total GP; and the share of GP from the top
  X% (default 20%) of customers, rounding the number of customers up. Both are
  missing when total GP is not positive.
- Negative-margin customers: contribution margin < 0 (or gross profit < 0 with
  ``by="gross_profit"``).
- Tier multiples: orders per active customer and revenue per active customer of one
  tier divided by another's (active = revenue > 0 in the selection).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope
from marginscope.metrics.sales import by_expr
from marginscope.warehouse import Warehouse

DRIVERS = ("discount", "cost_to_serve", "returns")


def customers(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Per customer profitability with the negative-margin drivers, by contribution margin descending."""
    table = execute(wh, by_expr(wh, "customer_id", filters, scope))
    attributes = execute(wh, wh.table("customers").select("customer_id", "name", "tier", "region", "industry",
                                               "owner_rep_id"))
    table = attributes.merge(table, on="customer_id", how="inner")
    amounts = table[list(DRIVERS)].astype("float64")
    total = amounts.sum(axis=1)
    negative = table.contribution_margin.astype("float64") < 0
    for driver in DRIVERS:
        table[f"{driver}_share"] = (amounts[driver] / total.where(total > 0)).where(negative)
    table["main_driver"] = amounts.idxmax(axis=1).where(negative & (total > 0))
    return table.sort_values(["contribution_margin", "customer_id"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def whale_curve(table: pd.DataFrame) -> pd.DataFrame:
    """The whale curve of a :func:`customers` table.

    Examples
    --------
    >>> curve = whale_curve(pd.DataFrame({"customer_id": ["a", "b", "c"], "contribution_margin": [80, 40, -20]}))
    >>> curve[["customer_share", "cumulative_cm_share"]].values.tolist()
    [[0.3333333333333333, 0.8], [0.6666666666666666, 1.2], [1.0, 1.0]]
    """
    ranked = table.sort_values(["contribution_margin", "customer_id"], ascending=[False, True], kind="stable")
    cm = ranked.contribution_margin.astype("float64")
    total = cm.sum()
    return pd.DataFrame({
        "customer_id": ranked.customer_id.to_numpy(),
        **({"name": ranked["name"].to_numpy()} if "name" in ranked else {}),
        "contribution_margin": cm.to_numpy(),
        "customer_share": np.arange(1, len(ranked) + 1) / max(len(ranked), 1),
        "cumulative_cm_share": (cm.cumsum() / total).to_numpy() if total > 0 else np.full(len(ranked), np.nan),
    })


def concentration(table: pd.DataFrame, profit_share: float = 0.70, top_share: float = 0.20) -> dict:
    """Share of customers making ``profit_share`` of gross profit, and the GP share of the top ``top_share``.

    Examples
    --------
    >>> gp = pd.DataFrame({"customer_id": list("abcde"), "gross_profit": [50, 30, 10, 6, 4]})
    >>> concentration(gp)
    {'customers': 5, 'profit_share': 0.7, 'customer_share_for_profit_share': 0.4, 'top_share': 0.2,
     'gp_share_of_top': 0.5}

    A share is of a whole: above 1, no share of customers could reach it.

    >>> concentration(gp, profit_share=1.5)
    Traceback (most recent call last):
    ...
    ValueError: profit_share must be a share from 0 to 1, not 1.5
    """
    for name, share in (("profit_share", profit_share), ("top_share", top_share)):
        if not 0 <= share <= 1:
            raise ValueError(f"{name} must be a share from 0 to 1, not {share}")
    gp = table.gross_profit.astype("float64").sort_values(ascending=False).to_numpy()
    total, n = gp.sum(), len(gp)
    result = {"customers": n, "profit_share": profit_share, "customer_share_for_profit_share": None,
              "top_share": top_share, "gp_share_of_top": None}
    if n == 0 or total <= 0:
        return result
    reached = np.flatnonzero(np.cumsum(gp) >= profit_share * total - 1e-9)
    result["customer_share_for_profit_share"] = float((reached[0] + 1) / n)
    top = math.ceil(top_share * n - 1e-9)
    result["gp_share_of_top"] = float(gp[:top].sum() / total)
    return result


def negative_margin(table: pd.DataFrame, by: str = "contribution_margin") -> tuple[pd.DataFrame, dict]:
    """The customers with a negative margin, and their count, share of customers and total."""
    if by not in ("contribution_margin", "gross_profit"):
        raise ValueError("by must be contribution_margin or gross_profit")
    losers = table[table[by].astype("float64") < 0].sort_values([by, "customer_id"])
    summary = {"customers": len(losers), "share_of_customers": len(losers) / len(table) if len(table) else None,
               "total": float(losers[by].astype("float64").sum())}
    return losers.reset_index(drop=True), summary


def contribution_by(wh: Warehouse, dimension: str, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Sales measures per value of a dimension with each group's share of total CM and GP."""
    table = execute(wh, by_expr(wh, dimension, filters, scope))
    for measure in ("contribution_margin", "gross_profit"):
        values = table[measure].astype("float64")
        total = values.sum()
        table[f"share_of_{measure}"] = values / total if total > 0 else np.nan
    return table


def tier_multiples(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, tier: str = "tier") -> pd.DataFrame:
    """Orders and revenue per active customer of each tier, and every tier as a multiple of every other.

    Rows are (tier, versus); columns the multiples of orders and of revenue per active customer.
    Customers without a tier belong to no tier, so they are left out (rather than compared, as a
    group of unknowns, with the tiers and with themselves).
    """
    per_tier = execute(wh, by_expr(wh, tier, filters, scope))
    per_tier = per_tier[(per_tier.active_customers > 0) & per_tier[tier].notna()]
    orders = per_tier.orders / per_tier.active_customers
    revenue = per_tier.revenue.astype("float64") / per_tier.active_customers
    stats = pd.DataFrame({tier: per_tier[tier], "orders_per_customer": orders, "revenue_per_customer": revenue})
    pairs = stats.merge(stats, how="cross", suffixes=("", "_versus"))
    pairs = pairs[pairs[tier] != pairs[f"{tier}_versus"]]
    return pd.DataFrame({
        tier: pairs[tier], "versus": pairs[f"{tier}_versus"],
        "orders_multiple": pairs.orders_per_customer / pairs.orders_per_customer_versus,
        "revenue_multiple": pairs.revenue_per_customer / pairs.revenue_per_customer_versus,
    }).sort_values([tier, "versus"]).reset_index(drop=True)
