"""Data status and quality, from :class:`~marginscope.metrics.engine.QualityMetrics`.

These describe the whole warehouse (every customer's rows, the load log, quarantined
source rows), whatever the caller's scope: admins and analysts only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from marginscope.api.deps import FOR_EVERYTHING_ROLES, MetricsDep, require_everything
from marginscope.api.results import MetricErrors, MetricPage, PageDep
from marginscope.metrics.quality import NEGATIVE_MARGIN_THRESHOLD

router = APIRouter(prefix="/quality", tags=["data quality"], dependencies=[Depends(require_everything), MetricErrors],
                   responses=FOR_EVERYTHING_ROLES)

Threshold = Annotated[float, Query(gt=0, description="Gross margin below minus this share flags a line")]


@router.get("/tables", summary="Rows, date span and freshness per table")
def tables(metrics: MetricsDep, page: PageDep, refresh_hours: Annotated[float | None, Query(
        gt=0, description="Hours after which a table's refresh is overdue (default: the setting)")] = None,
           ) -> MetricPage:
    """Per table: rows, first and last date, last load, loads, hours since the last and whether it is overdue."""
    return page.of(metrics.quality.tables(refresh_hours))


@router.get("/checks", summary="Every quality check with the rows it found")
def checks(metrics: MetricsDep, page: PageDep, threshold: Threshold = NEGATIVE_MARGIN_THRESHOLD) -> MetricPage:
    """Per check: what it looks for, rows found, a few examples and ``ok`` or ``check``."""
    return page.of(metrics.quality.checks(threshold))


@router.get("/check-rows", summary="The rows behind one quality check")
def check_rows(check: Annotated[str, Query(description="The check's name, as /quality/checks gives it")],
               metrics: MetricsDep, page: PageDep, threshold: Threshold = NEGATIVE_MARGIN_THRESHOLD) -> MetricPage:
    return page.of(metrics.quality.check_rows(check, threshold))


@router.get("/duplicate-customers", summary="Customers whose names differ only in case, spaces or punctuation")
def duplicate_customers(metrics: MetricsDep, page: PageDep) -> MetricPage:
    return page.of(metrics.quality.duplicate_customers())


@router.get("/missing-budget-months", summary="Months of budgeted years without a budget")
def missing_budget_months(metrics: MetricsDep, page: PageDep) -> MetricPage:
    return page.of(metrics.quality.missing_budget_months())


@router.get("/load-log", summary="Every load, latest first")
def load_log(metrics: MetricsDep, page: PageDep) -> MetricPage:
    """Per load: table, source, policy, status, rows read, loaded, rejected, inserted, updated, unchanged,
    the data version after it, who ran it and when."""
    return page.of(metrics.quality.load_log(limit=None))  # every load: the page takes its part


@router.get("/quarantine", summary="Source rows kept aside by loads, with their problems")
def quarantine(metrics: MetricsDep, page: PageDep) -> MetricPage:
    return page.of(metrics.quality.quarantine())
