"""Campaigns: attributed sales and won deals, lift of the target segment over its baseline, ROI.

Definitions
-----------
- Campaigns shown: those overlapping the date range (``start_date`` on or before the
  range's end and ``end_date`` on or after its start; without a range, all). The range
  only picks campaigns: each campaign's figures cover its own dates, below, so they do
  not change with where the range cuts a campaign.
- Attributed revenue and gross profit: the invoice lines carrying the campaign's
  ``campaign_id``, whatever their invoice date, summed as in
  :mod:`marginscope.metrics.sales` (revenue = net amount of invoices - net amount of
  credit notes; GP = revenue - COGS, the COGS of credit notes coming back). A credit
  note carrying the campaign_id nets off. Attributed orders are its distinct orders.
- Won deals: opportunities in stage ``won`` carrying the campaign_id, whatever their
  close date (lost and open deals do not count); won value = their sum of close_value.
- Customers reached: the distinct customers with an attributed line or a won deal.
- Target segment: ``target_segment`` is compared, ignoring case and surrounding spaces,
  with the customers' tier; when no customer has that tier, with their region, then
  industry, then customer type: the first attribute some customer matches wins
  (``target_attribute`` names it). A ``target_segment`` matching none of them (empty,
  or an RFM segment name) targets all customers (``target_attribute`` = "all
  customers"). Membership is the customer's attribute today, not at the campaign.
- Windows: the campaign runs from start_date to end_date, both included: ``days`` =
  end_date - start_date + 1. Its baseline is the same number of days just before it:
  start_date - days to start_date - 1.
- Target revenue and GP, during and in the baseline: every line (attributed or not)
  of the target customers invoiced in the window, within the filters and scope.
- Lift = target revenue during - baseline revenue; lift % = lift / abs(baseline
  revenue), missing when the baseline revenue is 0 (never 0 or infinite).
- Incremental GP = target gross profit during - target gross profit in the baseline.
- Cost in selection: the campaign's cost, split over its target customers. Without a
  customer filter (region, industry, tier, customer type, customer) and with an
  unrestricted scope it is the whole cost; otherwise cost x target customers in the
  selection / all target customers, so that the return on a region or a rep's book is
  set against that part's share of the spend, and the parts add up to the whole.
  Product, category and rep filters narrow the lines and deals, not the cost.
- ROI = (incremental GP - cost in selection) / cost in selection; missing when that
  cost is 0 or missing (never infinite).
- ``complete`` is true when the invoice lines loaded (all of them, whatever the
  selection) reach from the baseline's first day to the campaign's last: otherwise the
  campaign is still running or its baseline starts before the data, and the lift is
  not comparable.
- Filters: the customer filters and the scope select the customers whose lines and
  deals count; product and category the lines (and deals by their product); rep the
  rep on the line or deal. Deals without an account count only when nothing restricts
  the customers (as in :mod:`marginscope.metrics.pipeline`).
- Per campaign day: target revenue and GP on day k of the campaign against day k of
  the baseline (k = 1 ... days), with running totals.

Money comes back as decimal(18, 2); ratios as float64.
"""

from __future__ import annotations

from dataclasses import replace

import ibis
import ibis.expr.types as ir
import pandas as pd

from marginscope.metrics import pipeline
from marginscope.metrics.filters import (
    EVERYTHING,
    Filters,
    Scope,
    customer_attributes,
    ratio,
    sales_lines,
    selection_predicates,
)
from marginscope.warehouse import Warehouse

# Customer attributes a target_segment may name, in the order they are tried.
TARGET_ATTRIBUTES = ("tier", "region", "industry", "customer_type")
ALL_CUSTOMERS = "all customers"
MONEY = ("cost", "cost_in_selection", "attributed_revenue", "attributed_gross_profit", "won_value",
         "target_revenue", "baseline_revenue", "lift", "target_gross_profit", "baseline_gross_profit",
         "incremental_gross_profit")


def _undated(filters: Filters) -> Filters:
    return replace(filters, start=None, end=None)


def _customers_only(filters: Filters) -> Filters:
    """The filters that select customers (product, category and rep select lines)."""
    return replace(_undated(filters), categories=frozenset(), products=frozenset(), reps=frozenset())


def _money(value: ir.Value) -> ir.Value:
    return value.round(2).cast("decimal(18, 2)")


def _decimal_zero() -> ir.Value:
    return ibis.literal(0).cast("decimal(18, 4)")


def campaign_table(wh: Warehouse, filters: Filters, campaign_id: str | None = None) -> ir.Table:
    """Campaigns overlapping the date range (or the one ``campaign_id``, whatever the range), with
    their length in days and their baseline window."""
    c = wh.table("campaigns")
    if campaign_id is not None:
        c = c.filter(c.campaign_id == campaign_id)
    else:
        predicates = []
        if filters.start:
            predicates.append(c.end_date >= filters.start)
        if filters.end:
            predicates.append(c.start_date <= filters.end)
        c = c.filter(predicates) if predicates else c
    days = (c.end_date - c.start_date).cast("int64") + 1
    return c.mutate(days=days, baseline_start=(c.start_date - days.as_interval("D")).cast("date"),
                    baseline_end=(c.start_date - ibis.interval(days=1)).cast("date"))


def target_members(wh: Warehouse, campaigns: ir.Table) -> ir.Table:
    """(campaign_id, customer_id, target_attribute): every customer of each campaign's target segment,
    over all customers (the filters and scope are applied by the callers)."""
    customers = wh.table("customers")
    values = ibis.union(*[customers.select("customer_id", target_attribute=ibis.literal(name),
                                           priority=ibis.literal(position),
                                           value=customers[name].strip().lower())
                          for position, name in enumerate(TARGET_ATTRIBUTES)], distinct=False)
    wanted = campaigns.select("campaign_id", wanted=campaigns.target_segment.strip().lower())
    matches = wanted.join(values, wanted.wanted == values.value)
    first = matches.group_by("campaign_id").aggregate(priority=matches.priority.min())
    members = matches.join(first, ["campaign_id", "priority"]).select("campaign_id", "customer_id",
                                                                      "target_attribute")
    unmatched = campaigns.select("campaign_id").anti_join(first, "campaign_id")
    everyone = unmatched.cross_join(customers.select("customer_id")).mutate(
        target_attribute=ibis.literal(ALL_CUSTOMERS))
    return members.union(everyone, distinct=False)


def _selected(members: ir.Table, wh: Warehouse, filters: Filters, scope: Scope) -> ir.Table:
    """The target members within the customer filters and the scope."""
    joined = members.join(customer_attributes(wh), "customer_id")
    predicates = selection_predicates(joined, _customers_only(filters), scope)
    return joined.filter(predicates) if predicates else joined


def _daily_target_sales(wh: Warehouse, filters: Filters, scope: Scope, campaigns: ir.Table,
                        members: ir.Table) -> ir.Table:
    """Per campaign and invoice day in its baseline or window: the target customers' revenue and COGS."""
    lines = sales_lines(wh, _undated(filters), scope)
    # A customer's lines are summed per day first: a campaign then joins days, not lines.
    daily = lines.group_by(["customer_id", "invoice_date"]).aggregate(revenue=lines.revenue.sum(),
                                                                     cogs=lines.cogs_signed.sum())
    windows = members.select("campaign_id", "customer_id").join(
        campaigns.select("campaign_id", "start_date", "end_date", "baseline_start"), "campaign_id")
    joined = windows.join(daily, [windows.customer_id == daily.customer_id,
                                  daily.invoice_date >= windows.baseline_start,
                                  daily.invoice_date <= windows.end_date])
    joined = joined.mutate(during=joined.invoice_date >= joined.start_date)
    return joined.group_by(["campaign_id", "invoice_date", "during"]).aggregate(revenue=joined.revenue.sum(),
                                                                                cogs=joined.cogs.sum())


def summary_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING,
                 campaign_id: str | None = None) -> ir.Table:
    """One row per campaign overlapping the range (or the one ``campaign_id``), by start date."""
    campaigns = campaign_table(wh, filters, campaign_id)
    members = target_members(wh, campaigns)
    selected = _selected(members, wh, filters, scope)

    lines = sales_lines(wh, _undated(filters), scope)
    attributed_lines = lines.filter(lines.campaign_id.notnull())
    attributed = attributed_lines.group_by("campaign_id").aggregate(
        attributed_revenue=attributed_lines.revenue.sum(), attributed_cogs=attributed_lines.cogs_signed.sum(),
        attributed_orders=attributed_lines.order_key.nunique())

    deals = pipeline.deals(wh, _undated(filters), scope)
    won = deals.filter((deals.stage == "won") & deals.campaign_id.notnull())
    won_totals = won.group_by("campaign_id").aggregate(won_deals=won.count(), won_value=won.close_value.sum())

    buyers = attributed_lines.select("campaign_id", "customer_id").union(
        won.filter(won.customer_id.notnull()).select("campaign_id", "customer_id"))
    reached = buyers.group_by("campaign_id").aggregate(customers_reached=buyers.customer_id.nunique())

    everyone = members.group_by("campaign_id").aggregate(all_target_customers=members.count(),
                                                         target_attribute=members.target_attribute.max())
    in_selection = selected.group_by("campaign_id").aggregate(target_customers=selected.count())

    days = _daily_target_sales(wh, filters, scope, campaigns, selected)
    zero = _decimal_zero()
    windows = days.group_by("campaign_id").aggregate(
        target_revenue=days.revenue.sum(where=days.during), target_cogs=days.cogs.sum(where=days.during),
        baseline_revenue=days.revenue.sum(where=~days.during), baseline_cogs=days.cogs.sum(where=~days.during))

    all_lines = wh.table("invoice_lines")
    span = all_lines.aggregate(first_invoice=all_lines.invoice_date.min(), last_invoice=all_lines.invoice_date.max())

    t = campaigns
    for part in (attributed, won_totals, reached, everyone, in_selection, windows):
        t = t.left_join(part, "campaign_id").drop("campaign_id_right")
    t = t.cross_join(span)

    def filled(column: ir.Value) -> ir.Value:
        return column.cast("decimal(18, 4)").fill_null(zero)

    attributed_revenue, attributed_cogs = filled(t.attributed_revenue), filled(t.attributed_cogs)
    target_revenue, baseline_revenue = filled(t.target_revenue), filled(t.baseline_revenue)
    target_gp = target_revenue - filled(t.target_cogs)
    baseline_gp = baseline_revenue - filled(t.baseline_cogs)
    incremental = target_gp - baseline_gp
    lift = target_revenue - baseline_revenue
    share = t.target_customers.fill_null(0).cast("float64") / t.all_target_customers.cast("float64")
    restricted = scope.customers is not None or any(
        (filters.regions, filters.industries, filters.tiers, filters.customer_types, filters.customers))
    cost_in_selection = (t.cost.cast("float64") * share).cast("decimal(18, 4)") if restricted else t.cost
    return t.select(
        "campaign_id", "name", "channel", "start_date", "end_date", "days", "baseline_start", "baseline_end",
        "target_segment",
        target_attribute=t.target_attribute.fill_null(ALL_CUSTOMERS),
        target_customers=t.target_customers.fill_null(0).cast("int64"),
        cost=t.cost.cast("decimal(18, 2)"), cost_in_selection=_money(cost_in_selection),
        attributed_revenue=_money(attributed_revenue),
        attributed_gross_profit=_money(attributed_revenue - attributed_cogs),
        attributed_orders=t.attributed_orders.fill_null(0).cast("int64"),
        won_deals=t.won_deals.fill_null(0).cast("int64"),
        won_value=_money(filled(t.won_value)),
        customers_reached=t.customers_reached.fill_null(0).cast("int64"),
        target_revenue=_money(target_revenue), baseline_revenue=_money(baseline_revenue), lift=_money(lift),
        lift_pct=ratio(lift, baseline_revenue.abs()),
        target_gross_profit=_money(target_gp), baseline_gross_profit=_money(baseline_gp),
        incremental_gross_profit=_money(incremental),
        roi=ratio(incremental - cost_in_selection.cast("decimal(18, 4)"), cost_in_selection),
        complete=(t.first_invoice <= t.baseline_start) & (t.last_invoice >= t.end_date),
    ).order_by(["start_date", "campaign_id"])


def customers_expr(wh: Warehouse, campaign_id: str, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """The customers a campaign reached, with their attributed sales and won deals, by revenue descending."""
    campaigns = campaign_table(wh, filters, campaign_id)
    lines = sales_lines(wh, _undated(filters), scope)
    mine = lines.filter(lines.campaign_id == campaign_id)
    sales = mine.group_by("customer_id").aggregate(attributed_revenue=mine.revenue.sum(),
                                                   attributed_cogs=mine.cogs_signed.sum(),
                                                   attributed_orders=mine.order_key.nunique())
    deals = pipeline.deals(wh, _undated(filters), scope)
    won = deals.filter((deals.stage == "won") & (deals.campaign_id == campaign_id) & deals.customer_id.notnull())
    won_totals = won.group_by("customer_id").aggregate(won_deals=won.count(), won_value=won.close_value.sum())
    ids = sales.select("customer_id").union(won_totals.select("customer_id"), distinct=True)
    targets = target_members(wh, campaigns).select("customer_id", in_target=ibis.literal(True))
    c = wh.table("customers").select("customer_id", "tier", "region", "industry", customer_name="name")
    t = ids.join(c, "customer_id")
    for part in (sales, won_totals, targets):
        t = t.left_join(part, "customer_id").drop("customer_id_right")
    zero = _decimal_zero()
    revenue = t.attributed_revenue.fill_null(zero)
    return t.select(
        "customer_id", "customer_name", "tier", "region", "industry",
        in_target=t.in_target.fill_null(False),
        attributed_revenue=_money(revenue),
        attributed_gross_profit=_money(revenue - t.attributed_cogs.fill_null(zero)),
        attributed_orders=t.attributed_orders.fill_null(0).cast("int64"),
        won_deals=t.won_deals.fill_null(0).cast("int64"),
        won_value=_money(t.won_value.cast("decimal(18, 4)").fill_null(zero)),
    ).order_by([ibis.desc("attributed_revenue"), ibis.desc("won_value"), "customer_id"])


def daily_expr(wh: Warehouse, campaign_id: str, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Target revenue and COGS per invoice day of a campaign's baseline and window (days with sales only)."""
    campaigns = campaign_table(wh, filters, campaign_id)
    selected = _selected(target_members(wh, campaigns), wh, filters, scope)
    days = _daily_target_sales(wh, filters, scope, campaigns, selected)
    return days.select("invoice_date", "revenue", "cogs").order_by("invoice_date")


def by_campaign_day(days: pd.DataFrame, campaign: pd.Series) -> pd.DataFrame:
    """Day k of the campaign beside day k of its baseline, with running totals, from :func:`daily_expr`.

    Examples
    --------
    >>> import datetime as dt
    >>> campaign = pd.Series({"start_date": dt.date(2026, 3, 1), "baseline_start": dt.date(2026, 2, 27), "days": 2})
    >>> days = pd.DataFrame({"invoice_date": [dt.date(2026, 2, 27), dt.date(2026, 3, 2)],
    ...                      "revenue": [10.0, 30.0], "cogs": [4.0, 12.0]})
    >>> by_campaign_day(days, campaign)[["revenue", "baseline_revenue", "cumulative_lift"]].values.tolist()
    [[0.0, 10.0, -10.0], [30.0, 0.0, 20.0]]
    """
    start, baseline_start, n = (pd.Timestamp(campaign.start_date), pd.Timestamp(campaign.baseline_start),
                                int(campaign.days))
    dates = pd.to_datetime(days.invoice_date)
    values = days.assign(revenue=days.revenue.astype("float64"),
                         gross_profit=days.revenue.astype("float64") - days.cogs.astype("float64"))
    during = values.assign(day=(dates - start).dt.days + 1).groupby("day")[["revenue", "gross_profit"]].sum()
    before = values.assign(day=(dates - baseline_start).dt.days + 1).groupby("day")[["revenue", "gross_profit"]].sum()
    index = pd.RangeIndex(1, n + 1, name="day")
    during, before = during.reindex(index, fill_value=0.0), before.reindex(index, fill_value=0.0)
    table = pd.DataFrame({
        "day": index, "date": pd.date_range(start, periods=n).date,
        "baseline_date": pd.date_range(baseline_start, periods=n).date,
        "revenue": during.revenue.to_numpy(), "baseline_revenue": before.revenue.to_numpy(),
        "gross_profit": during.gross_profit.to_numpy(), "baseline_gross_profit": before.gross_profit.to_numpy(),
    })
    table["cumulative_revenue"] = table.revenue.cumsum()
    table["cumulative_baseline_revenue"] = table.baseline_revenue.cumsum()
    table["cumulative_lift"] = table.cumulative_revenue - table.cumulative_baseline_revenue
    table["cumulative_incremental_gross_profit"] = (table.gross_profit.cumsum()
                                                   - table.baseline_gross_profit.cumsum())
    return table
