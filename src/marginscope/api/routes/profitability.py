"""Customer profitability and concentration (METRICS.md, "Profitability and concentration"), from
:class:`~marginscope.metrics.engine.ProfitabilityMetrics`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import MarginBasis, SalesDimension
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_object

router = APIRouter(prefix="/profitability", tags=["profitability"], dependencies=[MetricErrors])

Share = Annotated[float, Query(gt=0, le=1)]


@router.get("/customers", summary="Margins per customer, best first")
def customers(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Revenue, discount, COGS, gross profit, cost to serve, contribution margin and CM % per customer, with
    the driver of a negative contribution (discount, cost to serve or returns)."""
    return page.of(metrics.profitability.customers(filters, scope))


@router.get("/whale-curve", summary="Cumulative contribution against cumulative share of customers")
def whale_curve(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Customers ranked by contribution margin, descending, with the running share of total CM."""
    return page.of(metrics.profitability.whale_curve(filters, scope))


@router.get("/concentration", summary="How few customers make most of the profit")
def concentration(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
                  profit_share: Annotated[Share, Query(description="Share of gross profit to reach")] = 0.70,
                  top_share: Annotated[Share, Query(description="Share of top customers")] = 0.20,
                  ) -> dict[str, Any]:
    """The smallest share of customers (ranked by GP) whose GP reaches ``profit_share`` of the total, and the
    share of GP from the top ``top_share`` of customers."""
    return json_object(metrics.profitability.concentration(filters, scope, profit_share=profit_share,
                                                           top_share=top_share))


@router.get("/negative-margin", summary="Customers with a negative margin")
def negative_margin(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
                    by: MarginBasis = "contribution_margin") -> MetricPage:
    """The customers below 0, worst first; ``attrs`` holds their count, share of customers and total."""
    losers, summary = metrics.profitability.negative_margin(filters, scope, by=by)
    return page.of(losers, **summary)


@router.get("/by/{dimension}", summary="Contribution per value of a dimension")
def contribution_by(dimension: SalesDimension, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
                    page: PageDep) -> MetricPage:
    """Sales measures per value with each value's share of total contribution margin and gross profit."""
    return page.of(metrics.profitability.contribution_by(dimension, filters, scope))


@router.get("/tier-multiples", summary="Each tier's orders and revenue per customer as a multiple of another's")
def tier_multiples(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """One row per pair of tiers: orders and revenue per active customer of ``tier`` over those of ``versus``."""
    return page.of(metrics.profitability.tier_multiples(filters, scope))
