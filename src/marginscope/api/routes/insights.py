"""Findings written from the data (:mod:`marginscope.insights`), from
:class:`~marginscope.metrics.engine.InsightMetrics`.

Each finding has its kind, title, text, severity (critical, warning, info), numbers, the link
of the dashboard page with the evidence (with the request's filters as its query string) and
the customers, products, reps, managers or industries it names. Every threshold can be set
as a query parameter; the defaults are those of the docs. The movers compare the date range
with the comparison basis ``compare`` (default the same period last year), so they need
``start`` and ``end``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import ConfigDict, Field, create_model

from marginscope import url_state
from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.params import Compare
from marginscope.api.results import MetricErrors, MetricPage, PageDep
from marginscope.insights import DEFAULTS, SHARES, Thresholds
from marginscope.metrics.semantic import DEFAULT_COMPARISON

router = APIRouter(prefix="/insights", tags=["insights"], dependencies=[MetricErrors])

# One query parameter per field of Thresholds, so a new threshold is a new parameter without more code.
_THRESHOLD_FIELDS: dict[str, Any] = {
    f.name: ({"float": float, "int": int}[str(f.type)],
             Field(getattr(DEFAULTS, f.name), ge=0, le=1 if f.name in SHARES else None))
    for f in fields(Thresholds)}
ThresholdParams = create_model("ThresholdParams", __config__=ConfigDict(extra="ignore"), **_THRESHOLD_FIELDS)


@router.get("", summary="The findings the data supports, critical first")
def findings(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep,
             thresholds: Annotated[ThresholdParams, Query()], compare: Compare = DEFAULT_COMPARISON,
             as_of: Annotated[dt.date | None, Query(description="The day that dates the budget finding "
                                                               "(default the end of the range, never after "
                                                               "today)")] = None) -> MetricPage:
    """Every finding whose condition holds for these filters, within the caller's scope."""
    chosen = Thresholds(**thresholds.model_dump())
    found = metrics.insights.findings(filters, scope, thresholds=chosen, as_of=as_of, comparison=compare)
    search = url_state.to_search(filters, compare)
    return page.of([finding.as_dict(search) for finding in found], thresholds=thresholds.model_dump())
