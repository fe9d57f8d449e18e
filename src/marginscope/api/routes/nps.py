"""Net promoter score (answers, respondents, NPS per segment), from :class:`~marginscope.metrics.engine.NpsMetrics`.

Answers count when their response date is in the range; each customer counts once, with
their latest answer. NPS is in points, from -100 to +100; shares are fractions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import NpsDimension
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_row

router = APIRouter(prefix="/nps", tags=["nps"], dependencies=[MetricErrors])


@router.get("/summary", summary="NPS over the selection")
def summary(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope) -> dict[str, Any]:
    """Answers, respondents, average score, promoters, passives and detractors with their shares, and NPS."""
    return json_row(metrics.nps.summary(filters, scope))


@router.get("/responses", summary="Every answer in the range with its category")
def responses(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Newest first: customer, date, score, comment, category (promoter 9-10, passive 7-8, detractor 0-6)
    and the customer's attributes."""
    return page.of(metrics.nps.responses(filters, scope))


@router.get("/respondents", summary="Each customer answering, with their latest answer")
def respondents(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Per customer: answers in the range, and the date, score and category of the latest."""
    return page.of(metrics.nps.respondents(filters, scope))


@router.get("/by/{dimension}", summary="NPS per segment beside the segment's revenue and margins")
def by_dimension(dimension: NpsDimension, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
                 page: PageDep) -> MetricPage:
    """Per value: answers, respondents, average score, category counts and shares, NPS, and the segment's
    customers, revenue, gross profit and contribution margin, in total and per customer."""
    return page.of(metrics.nps.by(dimension, filters, scope))
