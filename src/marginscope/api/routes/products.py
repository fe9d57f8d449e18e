"""Product figures (METRICS.md, "Product ABC"), from :class:`~marginscope.metrics.engine.ProductMetrics`."""

from __future__ import annotations

from fastapi import APIRouter

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import Compare, Grain
from marginscope.api.results import MetricErrors, MetricPage, PageDep
from marginscope.metrics.semantic import DEFAULT_COMPARISON

router = APIRouter(prefix="/products", tags=["products"], dependencies=[MetricErrors])


@router.get("/performance", summary="Products ranked by revenue, with profit, growth and ABC class")
def performance(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                compare: Compare = DEFAULT_COMPARISON) -> MetricPage:
    """Sales measures per product with growth against the comparison period of ``compare``, share, cumulative
    share and class (A to 80%, B to 95%); ``attrs`` holds the prior range."""
    return page.of(metrics.products.performance(filters, scope, compare))


@router.get("/demand-trend", summary="Net units and revenue per product and period")
def demand_trend(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                 grain: Grain = "month") -> MetricPage:
    """Returns subtract from units and revenue."""
    return page.of(metrics.products.demand_trend(grain, filters, scope))
