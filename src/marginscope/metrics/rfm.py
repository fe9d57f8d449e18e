"""RFM segmentation: recency, frequency and monetary scores, segments, matrix and migration.

Definitions
-----------
- As-of date: the end of the date range (default: the last invoice date). Window:
  the 18 months up to the as-of date (configurable). The window's end follows the
  selection, its length does not: quintiles of a month's or a quarter's buyers would
  score a seasonal customer by its season, so every figure of the segmentation (the
  segments' revenue and profit included) covers the window, and the page says so
  beside figures that can exceed the selected range's totals.
- Over customers with a purchase (an invoice) in the window: recency = days from
  the last purchase to the as-of date; frequency = distinct orders in the window;
  monetary = revenue in the window (returns subtract).
- Scores 1-5 by quintile of the customers ranked from worst to best (5 = most
  recent, most frequent, highest spend): score = floor(5 * position / customers) + 1
  where position counts the customers ranked below. Equal values share a score
  (the position of the first of them), so ties are broken deterministically and
  never by chance.
- Segments: the first matching rule of ``rfm_segments.yaml`` (the defaults of
  METRICS.md; a file of the same shape can replace it). ``first_purchase_days`` is
  counted from the first purchase ever.
- Segment summary: customers, revenue, gross profit, contribution margin, averages
  per customer and each segment's share of total gross profit and CM.
- Migration: the segment at the as-of date against the segment one quarter (three
  months) earlier; customers moving from Champions or Loyal to At-Risk are "slipping".
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_lines
from marginscope.metrics.periods import add_months
from marginscope.metrics.sales import by_expr
from marginscope.warehouse import Warehouse

WINDOW_MONTHS = 18
_OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
_FIELDS = {"R": "r_score", "F": "f_score", "M": "m_score", "first_purchase_days": "first_purchase_days"}


@dataclass(frozen=True)
class SegmentRule:
    name: str
    conditions: tuple[tuple[str, str, float], ...]  # (column, operator, value)


def load_rules(path: str | Path | None = None) -> list[SegmentRule]:
    """Segment rules from a YAML file (default: the shipped defaults)."""
    text = Path(path).read_text() if path else (files("marginscope") / "config_defaults" /
                                               "rfm_segments.yaml").read_text()
    rules = []
    for entry in yaml.safe_load(text)["segments"]:
        conditions = []
        for field, test in (entry.get("when") or {}).items():
            if field not in _FIELDS:
                raise ValueError(f"segment {entry['name']!r}: unknown field {field!r}; use {', '.join(_FIELDS)}")
            op = next((o for o in sorted(_OPERATORS, key=len, reverse=True) if str(test).startswith(o)), None)
            if op is None:
                raise ValueError(f"segment {entry['name']!r}: {test!r} must start with one of {', '.join(_OPERATORS)}")
            conditions.append((_FIELDS[field], op, float(str(test)[len(op):])))
        rules.append(SegmentRule(str(entry["name"]), tuple(conditions)))
    return rules


def quintile_scores(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """Scores 1-5; equal values share the score of the first of them.

    >>> quintile_scores(pd.Series([10, 20, 20, 30, 40])).tolist()
    [1, 2, 2, 4, 5]
    >>> quintile_scores(pd.Series([3, 1, 2]), higher_is_better=False).tolist()
    [1, 4, 2]
    """
    ranked = values if higher_is_better else -values
    position = ranked.rank(method="min").to_numpy() - 1  # customers ranked strictly below
    return pd.Series(np.floor(5 * position / max(len(values), 1)).astype(int) + 1, index=values.index)


def default_as_of(wh: Warehouse, filters: Filters) -> dt.date:
    if filters.end:
        return filters.end
    last = execute(wh, wh.table("invoice_lines").invoice_date.max())
    return pd.Timestamp(last).date() if last is not None and not pd.isna(last) else dt.date.today()


def scores(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, as_of: dt.date | None = None,
           window_months: int = WINDOW_MONTHS, rules: list[SegmentRule] | None = None) -> pd.DataFrame:
    """One row per customer with a purchase in the window: R, F, M, their scores and segment."""
    as_of = as_of or default_as_of(wh, filters)
    start = add_months(as_of, -window_months) + dt.timedelta(days=1)
    window = replace(filters, start=start, end=as_of)
    lines = sales_lines(wh, window, scope)
    invoices = lines.filter(lines.kind == "invoice")
    bought = invoices.group_by("customer_id").aggregate(last_purchase=invoices.invoice_date.max(),
                                                        frequency=invoices.order_key.nunique())
    revenue = lines.group_by("customer_id").aggregate(monetary=lines.revenue.sum())
    table = execute(wh, bought.join(revenue, "customer_id"))
    history = sales_lines(wh, replace(filters, start=None, end=as_of), scope)
    history = history.filter(history.kind == "invoice")
    first = execute(wh, history.group_by("customer_id").aggregate(first_purchase=history.invoice_date.min()))
    table = table.merge(first, on="customer_id", how="left").sort_values("customer_id").reset_index(drop=True)
    for column in ("last_purchase", "first_purchase"):
        table[column] = pd.to_datetime(table[column]).dt.date
    table["recency"] = [(as_of - d).days for d in table.last_purchase]
    table["first_purchase_days"] = [(as_of - d).days for d in table.first_purchase]
    table["monetary"] = table.monetary.astype("float64")
    table["r_score"] = quintile_scores(table.recency, higher_is_better=False)
    table["f_score"] = quintile_scores(table.frequency)
    table["m_score"] = quintile_scores(table.monetary)
    table["segment"] = _segments(table, rules or load_rules())
    table.attrs.update(as_of=as_of, window_start=start)
    return table


def _segments(table: pd.DataFrame, rules: list[SegmentRule]) -> pd.Series:
    segment = pd.Series([None] * len(table), index=table.index, dtype=object)
    for rule in rules:
        match = segment.isna()
        for column, op, value in rule.conditions:
            match &= _OPERATORS[op](table[column], value)
        segment[match] = rule.name
    return segment


def segment_summary(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, as_of: dt.date | None = None,
                    rules: list[SegmentRule] | None = None) -> pd.DataFrame:
    """Per segment: customers, revenue, GP and CM in the window, averages and shares of profit."""
    table = scores(wh, filters, scope, as_of, rules=rules)
    window = replace(filters, start=table.attrs["window_start"], end=table.attrs["as_of"])
    money = execute(wh, by_expr(wh, "customer_id", window, scope))[["customer_id", "revenue", "gross_profit",
                                                                 "contribution_margin"]]
    table = table[["customer_id", "segment"]].merge(money, on="customer_id", how="left")
    for column in ("revenue", "gross_profit", "contribution_margin"):
        table[column] = table[column].astype("float64")
    summary = table.groupby("segment").agg(customers=("customer_id", "size"), revenue=("revenue", "sum"),
                                           gross_profit=("gross_profit", "sum"),
                                           contribution_margin=("contribution_margin", "sum")).reset_index()
    summary["revenue_per_customer"] = summary.revenue / summary.customers
    summary["margin_per_customer"] = summary.contribution_margin / summary.customers
    for measure in ("gross_profit", "contribution_margin"):
        total = summary[measure].sum()
        summary[f"share_of_{measure}"] = summary[measure] / total if total > 0 else np.nan
    return summary.sort_values("gross_profit", ascending=False).reset_index(drop=True)


def rf_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Customers and monetary value per (R score, F score) cell of a :func:`scores` table."""
    return table.groupby(["r_score", "f_score"]).agg(customers=("customer_id", "size"),
                                                     monetary=("monetary", "sum")).reset_index()


def migration(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, as_of: dt.date | None = None,
              rules: list[SegmentRule] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(from-segment x to-segment counts, slipping customers) between a quarter ago and the as-of date."""
    as_of = as_of or default_as_of(wh, filters)
    now = scores(wh, filters, scope, as_of, rules=rules)[["customer_id", "segment"]]
    before = scores(wh, filters, scope, add_months(as_of, -3), rules=rules)[["customer_id", "segment"]]
    moves = before.merge(now, on="customer_id", how="outer", suffixes=("_before", "_now"))
    moves = moves.fillna({"segment_before": "(none)", "segment_now": "(none)"})
    counts = moves.groupby(["segment_before", "segment_now"]).size().rename("customers").reset_index()
    slipping = moves[moves.segment_before.isin(["Champions", "Loyal"]) & (moves.segment_now == "At-Risk")]
    return counts, slipping.sort_values("customer_id").reset_index(drop=True)
