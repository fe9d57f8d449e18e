"""Customer status per period: buying, new, returning, reactivated, churned; retention.

Definitions (churn window W, default 365 days)
----------------------------------------------
- A purchase is an invoice (not a credit note). History is every purchase within
  the filters other than the date range and the scope: "first purchase ever" means
  ever, not since the range began.
- Buying in period P: revenue > 0 in P. Every buying customer is exactly one of:
  **new** (first purchase ever falls in P), **returning** (also bought in the W days
  before P starts), **reactivated** (bought before, but the previous purchase is
  more than W days before P starts).
- **Churned** in P: the customer's last purchase L has no successor within W days,
  and the day the gap exceeds W (L + W + 1) falls in P, on or before the as-of date.
- **Active at the start** of P: bought within the W days before P starts.
- Periods: the calendar months, quarters or years touching the range, each whole; or
  (grain ``range``) the selected range itself as one period, for the figures that
  cover the range: its buying customers are the active customers of
  :mod:`marginscope.metrics.sales` (customers with revenue above 0 in the range).
- A calendar period the range covers only in part (``partial``: the month in progress, or a
  range that starts or ends inside a period) is counted over the whole period's data and
  marked, so that it is shown as partial.
- Ratios: new / buying, reactivated / buying, churned / active at the start;
  repeat purchase rate = buying customers with 2+ orders in P / buying customers.
- Retention of a group (owner rep, tier, region, industry, ...): of the customers
  who were buying in the previous period of equal length, the share buying again in P.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import ibis
import pandas as pd

from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_lines
from marginscope.metrics.periods import period_end, period_starts
from marginscope.metrics.sales import _period
from marginscope.warehouse import Warehouse

CHURN_WINDOW_DAYS = 365
STATUSES = ("buying", "new", "returning", "reactivated", "churned", "active_at_start")
SEGMENTS = ("owner_rep_id", "tier", "region", "industry", "customer_type")


def spells(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING,
           window: int = CHURN_WINDOW_DAYS) -> pd.DataFrame:
    """Each customer's spells of activity: ``started`` (a first purchase or one after a
    gap over ``window`` days), ``last_purchase`` and ``churn_day`` (last purchase + window + 1)."""
    lines = sales_lines(wh, replace(filters, start=None, end=None), scope)
    days = lines.filter(lines.kind == "invoice").select("customer_id", day=lines.invoice_date).distinct()
    ordered = ibis.window(group_by="customer_id", order_by="day")
    days = days.mutate(previous=days.day.lag().over(ordered), following=days.day.lead().over(ordered))
    gap_before = (days.day - days.previous).cast("int64")
    gap_after = (days.following - days.day).cast("int64")
    days = days.mutate(starts=days.previous.isnull() | (gap_before > window),
                       ends=days.following.isnull() | (gap_after > window))
    table = execute(wh, days.filter(days.starts | days.ends).order_by(["customer_id", "day"]))
    table["day"] = pd.to_datetime(table["day"]).dt.date
    starts = table[table.starts].reset_index(drop=True)
    ends = table[table.ends].reset_index(drop=True)
    # Starts and ends alternate per customer (a one-purchase spell is both), so they pair up in order.
    result = pd.DataFrame({"customer_id": starts.customer_id, "started": starts.day, "last_purchase": ends.day})
    result["churn_day"] = [d + dt.timedelta(days=window + 1) for d in result.last_purchase]
    return result


RANGE = "range"
"""The grain of one period: the selected date range itself, for figures that cover the whole range."""


def _periods(filters: Filters, grain: str) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each period: the calendar periods touching the range, or the range itself."""
    assert filters.start is not None and filters.end is not None, "the callers check for a date range"
    if grain == RANGE:
        return [(filters.start, filters.end)]
    return [(start, period_end(start, grain)) for start in period_starts(filters.start, filters.end, grain)]


def _buying(wh: Warehouse, filters: Filters, scope: Scope, grain: str, start: dt.date, end: dt.date):
    lines = sales_lines(wh, replace(filters, start=start, end=end), scope)
    period = ibis.literal(start) if grain == RANGE else _period(lines.invoice_date, grain)
    lines = lines.mutate(period=period)
    per_customer = execute(wh, lines.group_by(["period", "customer_id"]).aggregate(
        revenue=lines.revenue.sum(), orders=lines.order_key.nunique()))
    per_customer["period"] = pd.to_datetime(per_customer["period"]).dt.date
    return per_customer[per_customer.revenue > 0]


def classify(wh: Warehouse, grain: str, filters: Filters, scope: Scope = EVERYTHING,
             window: int = CHURN_WINDOW_DAYS, as_of: dt.date | None = None) -> pd.DataFrame:
    """The lists behind every count: one row per (period, customer, status)."""
    if filters.start is None or filters.end is None:
        raise ValueError("customer status needs a date range with a start and an end")
    as_of = as_of or filters.end
    periods = _periods(filters, grain)
    first, last = periods[0][0], periods[-1][1]
    activity = spells(wh, filters, scope, window)
    buying = _buying(wh, filters, scope, grain, first, last)[["period", "customer_id", "orders"]]

    # Each spell against each period: was it under way at the start, and did it churn inside?
    grid = pd.DataFrame({"period": [start for start, _ in periods], "period_end": [end for _, end in periods]})
    spans = grid.merge(activity, how="cross")
    spans["before"] = spans.started < spans.period
    spans["active"] = spans.before & (spans.churn_day > spans.period)
    spans["churned"] = (spans.churn_day >= spans.period) & (spans.churn_day <= spans.period_end) & \
        (spans.churn_day <= as_of)

    history = spans.groupby(["period", "customer_id"])[["before", "active"]].any().reset_index()
    buyers = buying.merge(history, on=["period", "customer_id"], how="left").fillna(
        {"before": False, "active": False})
    buyers["status"] = [
        "returning" if active else "reactivated" if before else "new"
        for active, before in zip(buyers.active.astype(bool), buyers.before.astype(bool))
    ]
    frames = [
        buyers.assign(status="buying")[["period", "customer_id", "status", "orders"]],
        buyers[["period", "customer_id", "status", "orders"]],
        spans[spans.churned].assign(status="churned", orders=0)[["period", "customer_id", "status", "orders"]],
        spans[spans.active].drop_duplicates(["period", "customer_id"]).assign(status="active_at_start", orders=0)[
            ["period", "customer_id", "status", "orders"]],
    ]
    table = pd.concat(frames, ignore_index=True)
    table["orders"] = table.orders.astype("int64")
    return table.sort_values(["period", "status", "customer_id"]).reset_index(drop=True)


def status_by_period(wh: Warehouse, grain: str, filters: Filters, scope: Scope = EVERYTHING,
                     window: int = CHURN_WINDOW_DAYS, as_of: dt.date | None = None) -> pd.DataFrame:
    """Counts of every status per period, with the ratios of the module docstring."""
    lists = classify(wh, grain, filters, scope, window, as_of)
    periods = [start for start, _ in _periods(filters, grain)]
    counts = lists.pivot_table(index="period", columns="status", values="customer_id", aggfunc="count")
    counts = counts.reindex(index=periods, columns=list(STATUSES)).fillna(0).astype("int64")
    buyers = lists[lists.status == "buying"]
    repeat = buyers[buyers.orders >= 2].groupby("period").size().reindex(periods).fillna(0)
    counts["repeat_buyers"] = repeat.astype("int64")
    ratio = lambda num, den: (num / den.where(den != 0)).astype("float64")  # noqa: E731
    counts["new_ratio"] = ratio(counts.new, counts.buying)
    counts["reactivation_ratio"] = ratio(counts.reactivated, counts.buying)
    counts["churn_rate"] = ratio(counts.churned, counts.active_at_start)
    counts["repeat_purchase_rate"] = ratio(counts.repeat_buyers, counts.buying)
    # A period the range covers only in part (the month in progress) is marked, to be shown as such.
    bounds = dict(_periods(filters, grain))
    first, last = filters.start, filters.end
    assert first is not None and last is not None, "classify checked the range"
    counts["partial"] = [grain != RANGE and (start < first or bounds[start] > last) for start in counts.index]
    return counts.rename_axis("period").reset_index()


def retention(wh: Warehouse, segment: str, filters: Filters, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Per segment value: customers buying in the previous period of equal length, those
    buying again in the filtered range, and the retention rate."""
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}; use one of {', '.join(SEGMENTS)}")
    if filters.start is None or filters.end is None:
        raise ValueError("retention needs a date range with a start and an end")
    length = filters.end - filters.start + dt.timedelta(days=1)  # filters.days
    prior = filters.with_range(filters.start - length, filters.start - dt.timedelta(days=1))

    def buyers(f: Filters) -> set[str]:
        lines = sales_lines(wh, f, scope)
        per = lines.group_by("customer_id").aggregate(revenue=lines.revenue.sum())
        return set(execute(wh, per.filter(per.revenue > 0).customer_id))

    before, now = buyers(prior), buyers(filters)
    customers = execute(wh, wh.table("customers").select("customer_id", segment))
    customers = customers[customers.customer_id.isin(before)]
    customers["retained"] = customers.customer_id.isin(now)
    table = customers.groupby(segment, dropna=False).agg(prior_buyers=("customer_id", "size"),
                                                           retained=("retained", "sum")).reset_index()
    table["retention_rate"] = table.retained / table.prior_buyers
    return table.sort_values(segment).reset_index(drop=True)
