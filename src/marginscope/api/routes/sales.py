"""Sales and profit (METRICS.md, "Sales and profit (ERP)"), from :class:`~marginscope.metrics.engine.SalesMetrics`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import Basis, Grain, SalesDimension, TopN
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_row

router = APIRouter(prefix="/sales", tags=["sales"], dependencies=[MetricErrors])

@router.get("/summary", summary="Every sales measure over the filters")
def summary(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope) -> dict[str, Any]:
    """Gross sales, discount, returns, revenue, COGS, gross profit, cost to serve, contribution margin,
    orders, active customers and their ratios, as one object."""
    return json_row(metrics.sales.summary(filters, scope))


@router.get("/by/{dimension}", summary="Sales measures per value of a dimension")
def by_dimension(
    dimension: SalesDimension,
    metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
    labelled: Annotated[bool, Query(description="Add the names (and region, tier or category) of customers, "
                                                "products and reps")] = False,
) -> MetricPage:
    """One row per value, by revenue descending."""
    return page.of(metrics.sales.by(dimension, filters, scope, labelled=labelled))


@router.get("/trend", summary="Sales measures per period")
def trend(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
          grain: Grain = "month") -> MetricPage:
    """One row per period of invoice dates, in date order."""
    return page.of(metrics.sales.trend(grain, filters, scope))


@router.get("/compare", summary="Every sales measure now and in a comparison period")
def compare(basis: Basis, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
            page: PageDep) -> MetricPage:
    """Per measure: current, prior, change and growth (null when the prior is 0). Needs ``start`` and
    ``end``; ``attrs`` holds the two periods compared."""
    return page.of(metrics.sales.compare(basis, filters, scope))


@router.get("/top-customers", summary="The customers with the highest revenue")
def top_customers(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                  n: TopN = 10) -> MetricPage:
    """The ``n`` best customers by revenue (ties by customer id), with name, region and tier."""
    return page.of(metrics.sales.top_customers(n, filters, scope))


@router.get("/top-products", summary="The products with the highest revenue")
def top_products(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                 n: TopN = 10) -> MetricPage:
    """The ``n`` best products by revenue (ties by product id), with name and category."""
    return page.of(metrics.sales.top_products(n, filters, scope))


@router.get("/top/{dimension}", summary="A ranking by revenue with the sales measures only")
def top(dimension: SalesDimension, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
        n: TopN = 10) -> MetricPage:
    """The ``n`` values with the highest revenue (ties by value), labelled, with revenue, COGS, gross profit
    and gross margin: the first rows of ``/sales/by/{dimension}?labelled=true`` without cost to serve,
    orders and customers, at a fraction of the cost."""
    return page.of(metrics.sales.top(dimension, n, filters, scope))
