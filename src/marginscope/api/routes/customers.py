"""Customer status, retention and portraits (METRICS.md, "Customer status"), from
:class:`~marginscope.metrics.engine.CustomerMetrics`."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Path, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import RetentionSegment, StatusGrain
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_object, json_records, json_value
from marginscope.metrics.customers import CHURN_WINDOW_DAYS
from marginscope.metrics.portrait import CustomerNotFound

router = APIRouter(prefix="/customers", tags=["customers"], dependencies=[MetricErrors])

ChurnWindow = Annotated[int, Query(ge=1, le=3650, description="Days without a purchase after which a customer "
                                                              "has churned")]
# One answer whether the customer does not exist or is outside the caller's scope, so that
# nobody can learn which customer ids exist by asking for them.
NOT_FOUND = "there is no customer with this id among the customers you may see"


@router.get("/status", summary="Buying, new, returning, reactivated and churned customers per period")
def status(grain: StatusGrain, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
           window: ChurnWindow = CHURN_WINDOW_DAYS) -> MetricPage:
    """Per period: the counts of each status with the new, reactivation, churn and repeat-purchase ratios.
    Needs ``start`` and ``end``."""
    return page.of(metrics.customers.status(grain, filters, scope, window=window))


@router.get("/status-lists", summary="The customers behind every status count")
def status_lists(grain: StatusGrain, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                 window: ChurnWindow = CHURN_WINDOW_DAYS) -> MetricPage:
    """One row per period, customer and status, with the customer's orders in the period."""
    return page.of(metrics.customers.status_lists(grain, filters, scope, window=window))


@router.get("/retention/{segment}", summary="Retention rate per group of customers")
def retention(segment: RetentionSegment, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
              page: PageDep) -> MetricPage:
    """Of the customers buying in the previous period of equal length, the share buying again in the range."""
    return page.of(metrics.customers.retention(segment, filters, scope))


@router.get("/{customer_id}/portrait", summary="Everything about one customer",
            responses={404: {"description": NOT_FOUND}})
def portrait(customer_id: Annotated[str, Path(description="The customer's id")], metrics: MetricsDep,
             filters: FiltersDep, scope: CurrentScope) -> dict[str, Any]:
    """The customer's attributes and, over the range (needs ``start`` and ``end``): sales, year-over-year and
    year-to-date comparisons, lifetime sales, products, reps, first and largest orders, returns, orders by
    status, receivables with their aging and history, cost to serve and the monthly trend. Tables are lists
    of rows (``current`` and ``lifetime`` are lists of one row)."""
    try:
        found = metrics.customers.portrait(customer_id, filters, scope)
    except CustomerNotFound:
        raise HTTPException(404, NOT_FOUND) from None
    return {part.name: _portrait_part(getattr(found, part.name)) for part in fields(found)}


def _portrait_part(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return json_records(value)
    if isinstance(value, dict):
        return json_object(value)
    return json_value(value)
