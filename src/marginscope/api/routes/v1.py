"""``/api/v1``: every router of the REST API."""

from __future__ import annotations

from fastapi import APIRouter

from marginscope.api.routes import (
    audit,
    budget,
    catalog,
    churn,
    clv,
    customers,
    ingest,
    me,
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
    for module in (me, sales, budget, customers, profitability, pipeline, team, rfm, churn, clv, products, receivables,
                   catalog, quality, tokens, views, audit, ingest):
        v1.include_router(module.router)
    return v1
