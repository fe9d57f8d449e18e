"""Sales team: reps and managers, with the CVR x average-sale matrix.

Definitions
-----------
- Per rep: customers owned (``customers.owner_rep_id``; within the user's scope, so a
  rep sees how many of their own customers each rep owns), revenue, gross profit and
  CM % of the sales credited to the rep (the rep on the invoice line), retention
  rate of the customers they own (:func:`marginscope.metrics.customers.retention`),
  and the CRM figures of :mod:`marginscope.metrics.pipeline` for their deals.
- Per manager: the same over the manager's reps; ratios are recomputed from the
  manager's totals, not averaged over reps. Money is summed over the reps' unrounded
  figures and rounded once, so a manager's contribution margin (whose cost to serve is
  allocated in fractions of a cent) is the total to the cent, not a sum of rounded parts.
- Matrix: x = conversion rate, y = average sale, split at the company's values over
  the same selection (company CVR = all won / all closed; company average sale =
  all pipeline revenue / all won). A value equal to the company's counts as high.
  Reps without closed deals have no quadrant.
"""

from __future__ import annotations

import pandas as pd

from marginscope.metrics import customers as customer_status
from marginscope.metrics import pipeline
from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope
from marginscope.metrics.sales import by_expr
from marginscope.warehouse import Warehouse

QUADRANTS = {
    (True, True): ("Star performers", "Protect their accounts and share their playbook with the team."),
    (True, False): ("Efficient closers", "Coach on deal size: upsell, bundle, and aim at larger accounts."),
    (False, True): ("Big-game hunters", "Coach on qualification and closing; review lost deals together."),
    (False, False): ("Needs support", "Review pipeline quality and pair with a mentor from the stars."),
}
"""(CVR at or above the company's, average sale at or above it) -> (name, recommended action)."""


def _sales_by(wh: Warehouse, filters: Filters, scope: Scope) -> pd.DataFrame:
    table = execute(wh, by_expr(wh, "rep_id", filters, scope))
    return table[["rep_id", "revenue", "gross_profit", "contribution_margin"]]


def reps(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """One row per rep with sales, CRM figures, retention and quadrant."""
    roster = execute(wh, wh.table("reps").select("rep_id", "name", "manager", "regional_office"))
    owned = wh.table("customers")
    if scope.customers is not None:  # a rep sees how many of *their* customers each rep owns
        owned = owned.filter(owned.customer_id.isin(sorted(scope.customers)))
    owned = execute(wh, owned.group_by("owner_rep_id").aggregate(customers_owned=owned.count()))
    table = roster.merge(owned.rename(columns={"owner_rep_id": "rep_id"}), on="rep_id", how="left")
    table["customers_owned"] = table.customers_owned.fillna(0).astype("int64")
    table = table.merge(_sales_by(wh, filters, scope), on="rep_id", how="left")
    table = table.merge(execute(wh, pipeline.summary_expr(wh, filters, scope, "rep_id")), on="rep_id", how="left")
    if filters.start and filters.end:
        retention = customer_status.retention(wh, "owner_rep_id", filters, scope)
        table = table.merge(retention.rename(columns={"owner_rep_id": "rep_id"})[["rep_id", "retention_rate"]],
                            on="rep_id", how="left")
    return _finish(table, wh, filters, scope)


def _sales_by_manager(wh: Warehouse, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Revenue, GP and CM per manager of the reps on the roster, rounded once after summing the reps."""
    per_rep = by_expr(wh, "rep_id", filters, scope, rounded=False)
    joined = wh.table("reps").select("rep_id", "manager").join(per_rep, "rep_id")
    money = {measure: joined[measure].sum().round(2).cast("decimal(18, 2)")
             for measure in ("revenue", "gross_profit", "contribution_margin")}
    return execute(wh, joined.group_by("manager").aggregate(**money))


def managers(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """One row per manager: totals over their reps, ratios recomputed, and quadrant."""
    per_rep = reps(wh, filters, scope)
    sums = per_rep.groupby("manager", dropna=False)[["customers_owned"]].sum().reset_index()
    sums = sums.merge(_sales_by_manager(wh, filters, scope), on="manager", how="left")
    sums["reps"] = per_rep.groupby("manager", dropna=False).size().to_numpy()
    if filters.start and filters.end:
        # Retention of the manager's team: their reps' customers pooled, not the reps' rates averaged.
        retention = customer_status.retention(wh, "owner_rep_id", filters, scope).rename(
            columns={"owner_rep_id": "rep_id"}).merge(per_rep[["rep_id", "manager"]], on="rep_id")
        pooled = retention.groupby("manager", dropna=False)[["prior_buyers", "retained"]].sum().reset_index()
        pooled["retention_rate"] = pooled.retained / pooled.prior_buyers
        sums = sums.merge(pooled[["manager", "retention_rate"]], on="manager", how="left")
    crm = execute(wh, pipeline.summary_expr(wh, filters, scope, "manager"))
    return _finish(sums.merge(crm, on="manager", how="left"), wh, filters, scope)


def _finish(table: pd.DataFrame, wh: Warehouse, filters: Filters, scope: Scope) -> pd.DataFrame:
    revenue = table.revenue.astype("float64")
    table["contribution_margin_pct"] = table.contribution_margin.astype("float64") / revenue.where(revenue != 0)
    company = execute(wh, pipeline.summary_expr(wh, filters, scope)).iloc[0]
    high_cvr = table.conversion_rate >= company.conversion_rate
    high_sale = table.average_sale >= company.average_sale
    has_closed = table.conversion_rate.notna() & table.average_sale.notna()
    labels = [QUADRANTS[(bool(c), bool(s))] if ok else (None, None)
              for c, s, ok in zip(high_cvr, high_sale, has_closed)]
    table["quadrant"] = [name for name, _ in labels]
    table["recommended_action"] = [action for _, action in labels]
    table.attrs.update(company_conversion_rate=float(company.conversion_rate),
                       company_average_sale=float(company.average_sale))
    return table
