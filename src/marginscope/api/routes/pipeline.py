"""CRM pipeline (METRICS.md, "CRM pipeline and sales team"), from
:class:`~marginscope.metrics.engine.PipelineMetrics`. Won deals are dated by close date,
new opportunities by engage date."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import Basis, Compare, Grain, PipelineDimension, PipelineMeasure, TopN
from marginscope.api.results import MetricErrors, MetricPage, PageDep
from marginscope.metrics.semantic import DEFAULT_COMPARISON

router = APIRouter(prefix="/pipeline", tags=["pipeline"], dependencies=[MetricErrors])


@router.get("/summary", summary="Won, lost, open and new deals, pipeline revenue, CVR and time to close")
def summary(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
            dimension: Annotated[PipelineDimension | None, Query(description="Group by this")] = None,
            grain: Annotated[Grain | None, Query(description="Or per period of this length")] = None,
            ) -> MetricPage:
    """Every pipeline measure in total (one row), per value of ``dimension`` or per period of ``grain``."""
    return page.of(metrics.pipeline.summary(filters, scope, dimension=dimension, grain=grain))


@router.get("/compare", summary="Every pipeline measure now and in a comparison period")
def compare(basis: Basis, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
            page: PageDep) -> MetricPage:
    """Per measure: current, prior and growth (null when the prior is 0). Needs ``start`` and ``end``;
    ``attrs`` holds the two periods compared."""
    return page.of(metrics.pipeline.compare(basis, filters, scope))


@router.get("/movers/{dimension}", summary="The values whose pipeline changed most")
def movers(dimension: Annotated[PipelineDimension, Path(description="What to rank")], metrics: MetricsDep,
           filters: FiltersDep, scope: CurrentScope, page: PageDep,
           measure: PipelineMeasure = "pipeline_revenue", n: TopN = 10,
           compare: Compare = DEFAULT_COMPARISON) -> MetricPage:
    """The ``n`` values whose ``measure`` changed most (by absolute change) from the comparison period of
    ``compare``; ``attrs`` holds the prior range. Needs ``start`` and ``end``."""
    return page.of(metrics.pipeline.movers(dimension, filters, scope, measure=measure, n=n, basis=compare))
