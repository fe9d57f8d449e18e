"""Campaigns (METRICS.md, "Campaigns"), from :class:`~marginscope.metrics.engine.CampaignMetrics`.

The date range picks the campaigns overlapping it; each campaign's figures cover its own
window and baseline. A campaign's own routes answer it whatever the date range.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path

from marginscope.api.deps import CurrentScope, FiltersDep, MetricsDep
from marginscope.api.results import MetricErrors, MetricPage, PageDep, json_row

router = APIRouter(prefix="/campaigns", tags=["campaigns"], dependencies=[MetricErrors])

CampaignId = Annotated[str, Path(description="The campaign's id")]
# The id is not repeated in the answer: what a caller typed is never echoed back.
NOT_FOUND = "there is no campaign with this id"


@router.get("", summary="Every campaign overlapping the date range, with attribution, lift and ROI")
def campaigns(metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope, page: PageDep) -> MetricPage:
    """Per campaign, by start date: dates, channel, target segment and how it was matched, attributed revenue,
    gross profit and orders, won deals and their value, target revenue and gross profit during the campaign
    and in its baseline, lift (absolute and %), incremental gross profit, cost (whole and the selection's
    share) and ROI. A missing ROI (null) means no cost to divide by."""
    return page.of(metrics.campaigns.summary(filters, scope))


def _campaign(metrics, campaign_id: str, filters, scope):
    found = metrics.campaigns.campaign(campaign_id, filters, scope)
    if found.empty:
        raise HTTPException(404, NOT_FOUND)
    return found


@router.get("/{campaign_id}", summary="One campaign's attribution, lift and ROI",
            responses={404: {"description": NOT_FOUND}})
def campaign(campaign_id: CampaignId, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope) -> dict[str, Any]:
    """The campaign's row of the list, as one object, whatever the date range."""
    return json_row(_campaign(metrics, campaign_id, filters, scope))


@router.get("/{campaign_id}/customers", summary="The customers a campaign reached",
            responses={404: {"description": NOT_FOUND}})
def customers(campaign_id: CampaignId, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
              page: PageDep) -> MetricPage:
    """Customers with a line or a won deal attributed to the campaign: attributed revenue, gross profit and
    orders, won deals and their value, and whether they are in the target segment."""
    _campaign(metrics, campaign_id, filters, scope)
    return page.of(metrics.campaigns.customers(campaign_id, filters, scope))


@router.get("/{campaign_id}/days", summary="Each day of a campaign against the same day of its baseline",
            responses={404: {"description": NOT_FOUND}})
def days(campaign_id: CampaignId, metrics: MetricsDep, filters: FiltersDep, scope: CurrentScope,
         page: PageDep) -> MetricPage:
    """Day k of the campaign beside day k of the baseline: target revenue and gross profit, with running totals
    of revenue, lift and incremental gross profit."""
    _campaign(metrics, campaign_id, filters, scope)
    return page.of(metrics.campaigns.by_day(campaign_id, filters, scope))
