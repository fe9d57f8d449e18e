"""RFM segmentation (METRICS.md, "RFM segmentation"), from :class:`~marginscope.metrics.engine.RFMMetrics`.

Scores are as of the end of the range (default the last invoice date) over the window
before it; ``attrs`` of the scores holds both.
"""

from __future__ import annotations

from fastapi import APIRouter

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep

router = APIRouter(prefix="/rfm", tags=["rfm"], dependencies=[MetricErrors])


@router.get("/scores", summary="Recency, frequency, monetary, scores and segment per customer")
def scores(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """One row per customer with a purchase in the window."""
    return page.of(metrics.rfm.scores(filters, scope))


@router.get("/segments", summary="Customers, revenue and margin per segment")
def segments(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Per segment: customers, revenue, gross profit, contribution, per-customer values and shares."""
    return page.of(metrics.rfm.segments(filters, scope))


@router.get("/matrix", summary="Customers per recency and frequency score")
def matrix(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """One row per (R, F) pair with its customers and their monetary value."""
    return page.of(metrics.rfm.matrix(filters, scope))


@router.get("/migration", summary="Segment moves over the last quarter")
def migration(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Customers per (segment a quarter before, segment now)."""
    moves, _ = metrics.rfm.migration(filters, scope)
    return page.of(moves)


@router.get("/slipping", summary="Customers slipping from Champions or Loyal to At-Risk")
def slipping(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """The customers of the migration who moved from Champions or Loyal to At-Risk over the last quarter."""
    _, slipped = metrics.rfm.migration(filters, scope)
    return page.of(slipped)
