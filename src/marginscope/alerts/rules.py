"""Alert rules: what each kind of rule watches, and the conditions it finds.

A rule has a kind, parameters, and the filters of the view it was made from (a
region, a tier...). It is evaluated as its owner, so it sees only the customers its
owner may see. Every figure comes from :mod:`marginscope.metrics`.

Evaluation happens "as of" the latest invoice date in the warehouse (the day the data
runs to, as pages default to), so that a warehouse loaded nightly is judged on
complete data and a test is judged on its own data.

Kinds
-----
``segment_slip``
    A customer who was Champions or Loyal a quarter ago and is At-Risk now (the RFM
    migration of :mod:`marginscope.metrics.rfm`). One condition per customer.
``budget_attainment``
    Budget attainment of a measure for the year to date (January to the as-of date,
    the month in progress prorated) below ``below`` (0.9 = 90%). One condition per
    measure and year.
``customer_margin``
    A customer whose contribution margin % over the last ``days`` days is below
    ``below`` (e.g. a discount-approval floor of 0.05), among customers with revenue
    of at least ``min_revenue`` in that window. One condition per customer.
``receivables_overdue``
    An open invoice more than ``days`` days past its due date. One condition per invoice.
``rep_revenue_drop``
    A rep whose revenue in the last complete quarter fell by more than ``drop``
    (0.2 = 20%) against the quarter before. One condition per rep and quarter.

A condition has a stable key; the evaluator fires it once when it appears and
forgets it when it clears (see :mod:`marginscope.alerts.evaluate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from marginscope.metrics import Filters, Scope
from marginscope.metrics.periods import add_months, period_end, period_start


class RuleError(ValueError):
    """A rule that cannot be saved: the message says which field and why."""


@dataclass(frozen=True)
class Condition:
    """One thing a rule found: ``key`` identifies it across evaluations."""

    key: str
    subject: str
    message: str
    path: str  # the page that shows the evidence
    values: dict = field(default_factory=dict)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SegmentSlip(_Params):
    pass


class BudgetAttainment(_Params):
    measure: Literal["revenue", "gross_profit"] = Field("revenue", description="The budgeted measure")
    below: float = Field(0.9, gt=0, le=10, description="Alert when attainment is below this (0.9 = 90%)")


class CustomerMargin(_Params):
    below: float = Field(0.05, ge=-10, le=1, description="Alert when contribution margin % is below this")
    days: int = Field(90, ge=1, le=3660, description="Window of days up to the as-of date")
    min_revenue: float = Field(0.0, ge=0, description="Ignore customers with less revenue in the window")


class ReceivablesOverdue(_Params):
    days: int = Field(60, ge=0, le=3660, description="Alert on invoices more than this many days past due")


class RepRevenueDrop(_Params):
    drop: float = Field(0.2, gt=0, le=1, description="Alert when quarterly revenue fell by more than this")


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    params: type[_Params]
    evaluate: Callable[..., list[Condition]]
    describe: Callable[[Any], str]  # takes an instance of params


def _money(value) -> str:
    return f"{float(value):,.2f}"


def _percent(value) -> str:
    return f"{float(value):.1%}"


def _segment_slip(metrics, params: SegmentSlip, filters: Filters, scope: Scope, as_of: dt.date) -> list[Condition]:
    _counts, slipping = metrics.rfm.migration(replace(filters, start=add_months(as_of, -3), end=as_of), scope)
    names = metrics.catalog.customer_names(slipping.customer_id, scope)
    name_of = dict(zip(names.customer_id, names.name)) if not names.empty else {}
    return [Condition(
        key=row.customer_id, subject=f"{name_of.get(row.customer_id, row.customer_id)} ({row.customer_id})",
        message=f"{name_of.get(row.customer_id, row.customer_id)} slipped from {row.segment_before} to "
                f"{row.segment_now} in the quarter to {as_of}.",
        path=f"/customer/{row.customer_id}",
        values={"segment_before": row.segment_before, "segment_now": row.segment_now})
        for row in slipping.itertuples()]


def _budget_attainment(metrics, params: BudgetAttainment, filters: Filters, scope: Scope,
                       as_of: dt.date) -> list[Condition]:
    year = dt.date(as_of.year, 1, 1)
    to_date = metrics.budget.to_date(replace(filters, start=year, end=as_of), scope, as_of=as_of)
    row = to_date[to_date.measure == params.measure]
    if row.empty or pd.isna(row.attainment.iloc[0]):
        return []
    attainment, budget, actual = float(row.attainment.iloc[0]), row.budget.iloc[0], row.actual.iloc[0]
    if attainment >= params.below:
        return []
    label = params.measure.replace("_", " ")
    return [Condition(
        key=f"{params.measure}:{as_of.year}", subject=f"{label} budget {as_of.year}",
        message=f"{label.capitalize()} is at {_percent(attainment)} of budget for {as_of.year} to {as_of} "
                f"({_money(actual)} against {_money(budget)}), below the {_percent(params.below)} threshold.",
        path="/budget", values={"attainment": attainment, "actual": float(actual), "budget": float(budget)})]


def _customer_margin(metrics, params: CustomerMargin, filters: Filters, scope: Scope,
                     as_of: dt.date) -> list[Condition]:
    window = replace(filters, start=as_of - dt.timedelta(days=params.days - 1), end=as_of)
    table = metrics.profitability.customers(window, scope)
    revenue = table.revenue.astype(float)
    low = table[(revenue > 0) & (revenue >= params.min_revenue) & (table.contribution_margin_pct < params.below)]
    return [Condition(
        key=row.customer_id, subject=f"{row.name} ({row.customer_id})",
        message=f"{row.name}: contribution margin {_percent(row.contribution_margin_pct)} over the {params.days} "
                f"days to {as_of} (revenue {_money(row.revenue)}, contribution {_money(row.contribution_margin)}), "
                f"below {_percent(params.below)}" + (f"; main driver: {str(row.main_driver).replace('_', ' ')}."
                                                      if isinstance(row.main_driver, str) else "."),
        path=f"/customer/{row.customer_id}",
        values={"contribution_margin_pct": float(row.contribution_margin_pct), "revenue": float(row.revenue),
                "contribution_margin": float(row.contribution_margin)})
        for row in low.sort_values("contribution_margin_pct").itertuples()]


def _receivables_overdue(metrics, params: ReceivablesOverdue, filters: Filters, scope: Scope,
                         as_of: dt.date) -> list[Condition]:
    invoices = metrics.receivables.open_invoices(replace(filters, start=None, end=as_of), scope)
    late = invoices[invoices.days_past_due > params.days].sort_values(["days_past_due", "invoice_id"],
                                                                       ascending=[False, True])
    return [Condition(
        key=row.invoice_id, subject=f"invoice {row.invoice_id} of {row.customer_name}",
        message=f"Invoice {row.invoice_id} of {row.customer_name} ({row.customer_id}) is {row.days_past_due} days "
                f"past due on {as_of}, with {_money(row.open_amount)} open.",
        path=f"/customer/{row.customer_id}",
        values={"days_past_due": int(row.days_past_due), "open_amount": float(row.open_amount)})
        for row in late.itertuples()]


def last_complete_quarter(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The last calendar quarter that ends on or before ``as_of``.

    Examples
    --------
    >>> last_complete_quarter(dt.date(2026, 6, 30))
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    >>> last_complete_quarter(dt.date(2026, 6, 29))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    """
    start = period_start(as_of, "quarter")
    if period_end(start, "quarter") > as_of:
        start = add_months(start, -3)
    return start, period_end(start, "quarter")


def _rep_revenue_drop(metrics, params: RepRevenueDrop, filters: Filters, scope: Scope,
                      as_of: dt.date) -> list[Condition]:
    start, end = last_complete_quarter(as_of)
    before_start = add_months(start, -3)
    now = metrics.sales.by("rep_id", replace(filters, start=start, end=end), scope, labelled=True)
    before = metrics.sales.by("rep_id", replace(filters, start=before_start, end=start - dt.timedelta(days=1)),
                              scope, labelled=True)
    both = before[["rep_id", "rep_name", "revenue"]].merge(now[["rep_id", "revenue"]], on="rep_id", how="left",
                                                           suffixes=("_before", "_now"))
    both["revenue_now"] = both.revenue_now.fillna(0).astype(float)
    both["revenue_before"] = both.revenue_before.astype(float)
    both = both[both.revenue_before > 0]
    both["change"] = both.revenue_now / both.revenue_before - 1
    quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    fallen = both[both.change < -params.drop].sort_values(["change", "rep_id"])
    return [Condition(
        key=f"{row.rep_id}:{quarter}", subject=f"{row.rep_name} ({row.rep_id})",
        message=f"{row.rep_name}'s revenue fell {_percent(-row.change)} in {quarter}: {_money(row.revenue_now)} "
                f"against {_money(row.revenue_before)} the quarter before.",
        path="/team", values={"change": float(row.change), "revenue_now": float(row.revenue_now),
                              "revenue_before": float(row.revenue_before)})
        for row in fallen.itertuples()]


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("segment_slip", "Customer slips from Champions or Loyal to At-Risk", SegmentSlip, _segment_slip,
         lambda p: "Champions or Loyal a quarter ago, At-Risk now"),
    Kind("budget_attainment", "Budget attainment below a threshold", BudgetAttainment, _budget_attainment,
         lambda p: f"{p.measure.replace('_', ' ')} attainment year to date below {p.below:.0%}"),
    Kind("customer_margin", "Customer contribution margin % below a floor", CustomerMargin, _customer_margin,
         lambda p: f"contribution margin below {p.below:.1%} over {p.days} days"
                   + (f", revenue at least {p.min_revenue:,.0f}" if p.min_revenue else "")),
    Kind("receivables_overdue", "Receivables overdue beyond N days", ReceivablesOverdue, _receivables_overdue,
         lambda p: f"invoices more than {p.days} days past due"),
    Kind("rep_revenue_drop", "Rep revenue falling quarter on quarter", RepRevenueDrop, _rep_revenue_drop,
         lambda p: f"revenue down more than {p.drop:.0%} on the quarter before"),
)}


def parse_params(kind: str, params: dict) -> _Params:
    """The parameters of a rule of ``kind``, checked; :class:`RuleError` names what is wrong.

    Examples
    --------
    >>> parse_params("customer_margin", {"below": 0.05}).days
    90
    >>> parse_params("customer_margin", {"below": "low"})
    Traceback (most recent call last):
    ...
    marginscope.alerts.rules.RuleError: below: Input should be a valid number, unable to parse string as a number
    """
    if kind not in KINDS:
        raise RuleError(f"unknown kind {kind!r}; the kinds are: {', '.join(KINDS)}")
    try:
        return KINDS[kind].params(**(params or {}))
    except ValidationError as exc:
        raise RuleError("; ".join(f"{'.'.join(map(str, e['loc'])) or 'parameters'}: {e['msg']}"
                                  for e in exc.errors())) from None
