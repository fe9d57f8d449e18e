"""Campaign and NPS endpoints on the company of tests/api/conftest.py, worked out by hand.

CA1 targets Gold (C1, C3) from 1 to 15 March 2026 (15 days); its baseline is 14-28 February.
During: C3's credit note CN2 -200.00 (COGS -40.00), GP -160.00. Baseline: C1's I3 18.00 (COGS 12.00)
and credit note CN1 -9.50 (COGS -6.00): revenue 8.50, GP 2.50. No line or deal carries CA1.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Q1


def test_a_campaigns_lift_and_roi(served):
    answer = served.as_user("boss").get("/api/v1/campaigns", params=Q1).json()
    assert answer["total"] == 1
    ca1 = answer["items"][0]
    assert (ca1["campaign_id"], ca1["start_date"], ca1["baseline_start"], ca1["baseline_end"]) == (
        "CA1", "2026-03-01", "2026-02-14", "2026-02-28")
    assert (ca1["target_revenue"], ca1["baseline_revenue"], ca1["lift"]) == (-200.00, 8.50, -208.50)
    assert ca1["incremental_gross_profit"] == -162.50  # -160.00 - 2.50
    assert ca1["roi"] == pytest.approx(-2.625)  # (-162.50 - 100) / 100
    assert (ca1["attributed_revenue"], ca1["won_deals"]) == (0, 0)
    # The campaign's own route answers it whatever the range; the list only holds campaigns overlapping it.
    assert served.as_user("boss").get("/api/v1/campaigns/CA1", params={"start": "2025-01-01",
                                                                       "end": "2025-01-31"}).json() == ca1
    assert served.as_user("boss").get("/api/v1/campaigns", params={"start": "2025-01-01",
                                                                    "end": "2025-01-31"}).json()["total"] == 0


def test_a_rep_sees_the_campaign_through_their_own_customers(served):
    # Ann owns C1: one of the two Gold customers, so half the cost (50.00). Nothing during; baseline 8.50
    # (GP 2.50): incremental GP -2.50, ROI (-2.50 - 50) / 50.
    ca1 = served.as_user("ann").get("/api/v1/campaigns/CA1", params=Q1).json()
    assert (ca1["target_customers"], ca1["cost"], ca1["cost_in_selection"]) == (1, 100.00, 50.00)
    assert (ca1["target_revenue"], ca1["baseline_revenue"], ca1["incremental_gross_profit"]) == (0, 8.50, -2.50)
    assert ca1["roi"] == pytest.approx(-1.05)
    days = served.as_user("ann").get("/api/v1/campaigns/CA1/days", params=Q1).json()
    assert days["total"] == 15 and days["items"][-1]["cumulative_lift"] == -8.50


def test_an_unknown_campaign_is_not_found(served):
    for path in ("/api/v1/campaigns/NOPE", "/api/v1/campaigns/NOPE/customers", "/api/v1/campaigns/NOPE/days"):
        answer = served.as_user("boss").get(path, params=Q1)
        assert answer.status_code == 404 and "NOPE" not in answer.text


def test_nps_over_the_selection_and_by_segment(served):
    # Latest answers in Q1: C1 9 and C4 10 promoters, C3 7 passive, C2 3 detractor:
    # average 29 / 4, NPS (2/4 - 1/4) x 100 = 25.
    admin = served.as_user("boss")
    row = admin.get("/api/v1/nps/summary", params=Q1).json()
    assert (row["responses"], row["respondents"], row["average_score"], row["nps"]) == (4, 4, 7.25, 25.0)
    by_region = {r["region"]: r for r in admin.get("/api/v1/nps/by/region", params=Q1).json()["items"]}
    # North: C1 9 and C3 7: NPS (1/2 - 0) x 100; South: C2 3: -100.
    assert (by_region["North"]["nps"], by_region["South"]["nps"], by_region["West"]["nps"]) == (50.0, -100.0, 100.0)
    # Ann sees C1 only: one promoter, NPS 100, and only C1's answer.
    ann = served.as_user("ann")
    assert ann.get("/api/v1/nps/summary", params=Q1).json()["nps"] == 100.0
    answers = ann.get("/api/v1/nps/responses", params=Q1).json()
    assert [a["customer_id"] for a in answers["items"]] == ["C1"] and answers["items"][0]["category"] == "promoter"
    assert admin.get("/api/v1/nps/by/colour", params=Q1).status_code == 422
