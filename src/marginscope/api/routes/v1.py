"""``/api/v1``: every router of the REST API."""

from __future__ import annotations

from fastapi import APIRouter

from marginscope.api.routes import (
    alerts,
    audit,
    budget,
    campaigns,
    catalog,
    churn,
    clv,
    customers,
    forecast,
    ingest,
    insights,
    me,
    nps,
    pipeline,
    products,
    profitability,
    quality,
    receivables,
    rfm,
    sales,
    team,
    tokens,
    views,
)


def router() -> APIRouter:
    v1 = APIRouter()
    for module in (me, sales, budget, forecast, customers, profitability, pipeline, team, rfm, churn, clv, products,
                   receivables, campaigns, nps, insights, catalog, quality, tokens, views, audit, ingest, alerts):
        v1.include_router(module.router)
    return v1
