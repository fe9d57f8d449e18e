"""Receivables: what customers owe at an as-of date, its aging, and DSO.

Definitions
-----------
- An invoice's total is the net amount of its invoice lines; its open amount is the
  total less the payments applied to it up to the as-of date. Invoices dated after
  the as-of date do not count; an invoice paid in full (or overpaid) is not open.
  Credit notes are separate documents and do not reduce an invoice's open amount.
- Days past due = as-of date - due date. Buckets: ``not due`` (not yet due, or no
  due date), ``1-30``, ``31-60``, ``61-90``, ``over 90``.
- DSO = open receivables / revenue of the 90 days up to the as-of date * 90.
- The as-of date is the end of the date range (default: today). Customer filters
  and the scope apply; product, category and rep filters do not (an invoice is owed
  whole).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import ibis
import ibis.expr.types as ir

from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_lines
from marginscope.warehouse import Warehouse

BUCKETS = ("not due", "1-30", "31-60", "61-90", "over 90")


def as_of_date(filters: Filters) -> dt.date:
    return filters.end or dt.date.today()


def _whole_invoices(filters: Filters) -> Filters:
    return replace(filters, start=None, categories=frozenset(), products=frozenset(), reps=frozenset())


def open_invoices_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """One row per invoice with an open amount at the as-of date, with its aging."""
    as_of = as_of_date(filters)
    lines = sales_lines(wh, replace(_whole_invoices(filters), end=as_of), scope)
    lines = lines.filter(lines.kind == "invoice")
    invoices = lines.group_by(["invoice_id", "customer_id", "customer_name"]).aggregate(
        invoice_date=lines.invoice_date.min(), due_date=lines.due_date.max(), total=lines.net_amount.sum())
    payments = wh.table("payments")
    payments = payments.filter(payments.paid_date <= as_of)
    paid = payments.group_by("invoice_id").aggregate(paid=payments.amount.sum())
    joined = invoices.left_join(paid, "invoice_id").drop("invoice_id_right")
    joined = joined.mutate(paid=joined.paid.fill_null(0))
    joined = joined.mutate(open_amount=(joined.total - joined.paid).cast("decimal(18, 2)"))
    joined = joined.filter(joined.open_amount > 0)
    overdue = (ibis.literal(as_of) - joined.due_date).cast("int64")
    days = ibis.ifelse(joined.due_date.isnull(), 0, overdue)
    bucket = ibis.cases((days <= 0, BUCKETS[0]), (days <= 30, BUCKETS[1]), (days <= 60, BUCKETS[2]),
                        (days <= 90, BUCKETS[3]), else_=BUCKETS[4])
    return joined.mutate(days_past_due=ibis.greatest(days, 0), bucket=bucket).order_by(
        [ibis.desc("days_past_due"), "invoice_id"])


def aging_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, by_customer: bool = False) -> ir.Table:
    """Open amount and invoice count per aging bucket (and per customer when asked)."""
    invoices = open_invoices_expr(wh, filters, scope)
    keys = ["customer_id", "customer_name", "bucket"] if by_customer else ["bucket"]
    aged = invoices.group_by(keys).aggregate(open_amount=invoices.open_amount.sum(), invoices=invoices.count())
    # Buckets in their own order (not due, then oldest last), so that every answer lists them alike.
    rank = ibis.cases(*[(aged.bucket == bucket, position) for position, bucket in enumerate(BUCKETS)])
    return aged.order_by([*keys[:-1], rank]).select(*keys, "open_amount", "invoices")


def dso(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> dict:
    """Open receivables, overdue receivables, revenue of the last 90 days and DSO (``None`` without revenue)."""
    as_of = as_of_date(filters)
    invoices = open_invoices_expr(wh, filters, scope)
    totals = execute(wh, invoices.aggregate(open_amount=invoices.open_amount.sum(),
                                overdue=invoices.open_amount.sum(where=invoices.days_past_due > 0)))
    window = replace(_whole_invoices(filters), start=as_of - dt.timedelta(days=89), end=as_of)
    revenue = execute(wh, sales_lines(wh, window, scope).revenue.sum())
    open_amount = float(totals.open_amount.iloc[0] or 0)
    overdue = float(totals.overdue.iloc[0] or 0)
    revenue = float(revenue or 0)
    return {"as_of": as_of, "open_amount": open_amount, "overdue_amount": overdue, "revenue_90d": revenue,
            "dso_days": None if revenue == 0 else open_amount / revenue * 90}
