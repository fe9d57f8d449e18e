"""Reps and managers with the CVR x average-sale matrix (METRICS.md, "CRM pipeline and sales team"), from
:class:`~marginscope.metrics.engine.TeamMetrics`. Each row carries its quadrant and the recommended action;
``attrs`` holds the company averages that split the quadrants."""

from __future__ import annotations

from fastapi import APIRouter

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep

router = APIRouter(prefix="/team", tags=["team"], dependencies=[MetricErrors])


@router.get("/reps", summary="Performance per rep")
def reps(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Customers owned, revenue, gross profit, CM %, retention and the CRM figures, per rep."""
    return page.of(metrics.team.reps(filters, scope))


@router.get("/managers", summary="Performance per manager")
def managers(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """The rep figures summed over each manager's team."""
    return page.of(metrics.team.managers(filters, scope))
