"""Receivables at the end of the range (METRICS.md, "Receivables"), from
:class:`~marginscope.metrics.engine.ReceivableMetrics`. The as-of date is ``end`` (default today)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_row

router = APIRouter(prefix="/receivables", tags=["receivables"], dependencies=[MetricErrors])


@router.get("/open-invoices", summary="Invoices with an open amount, most overdue first")
def open_invoices(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Per invoice: total, paid, open amount, days past due and aging bucket."""
    return page.of(metrics.receivables.open_invoices(filters, scope))


@router.get("/aging", summary="Open amounts per aging bucket")
def aging(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
          by_customer: Annotated[bool, Query(description="Split each bucket by customer")] = False) -> MetricPage:
    """Open amount and invoices per bucket: not due, 1-30, 31-60, 61-90 and over 90 days past due."""
    return page.of(metrics.receivables.aging(filters, scope, by_customer=by_customer))


@router.get("/summary", summary="Open and overdue receivables and DSO")
def summary(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope) -> dict[str, Any]:
    """as_of, open_amount, overdue_amount, revenue_90d and dso_days, as one object."""
    return json_row(metrics.receivables.summary(filters, scope))
