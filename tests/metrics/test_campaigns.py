"""Campaign attribution, lift and ROI on the company of tests/metrics/marketing.py, worked out by hand."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pandas as pd
import pytest

from marginscope.metrics import Filters, Scope
from tests.metrics.marketing import Q1, tables

D_ = dt.date


@pytest.fixture
def ms(company):
    return company(**tables())


def by_id(frame):
    return frame.set_index("campaign_id")


def test_the_date_range_picks_the_campaigns_overlapping_it(ms):
    assert ms.campaigns.summary(Q1).campaign_id.tolist() == ["K3", "K1", "K2"]  # by start date; K4 was in 2025
    assert ms.campaigns.summary(Filters()).campaign_id.tolist() == ["K4", "K3", "K1", "K2"]
    # K1 ends on 10 March and K2 on 11 March: a range starting on the 11th still overlaps K2, not K1.
    assert ms.campaigns.summary(Filters(start=D_(2026, 3, 11), end=D_(2026, 3, 31))).campaign_id.tolist() == ["K2"]
    # A range ending on K2's first day overlaps it.
    assert ms.campaigns.summary(Filters(start=D_(2026, 3, 5), end=D_(2026, 3, 5))).campaign_id.tolist() == ["K1", "K2"]


def test_windows_and_baselines_are_the_same_span_of_days_just_before(ms):
    table = by_id(ms.campaigns.summary(Filters()))
    windows = {k: (table.days[k], table.baseline_start[k].date(), table.baseline_end[k].date()) for k in table.index}
    assert windows == {
        "K1": (10, D_(2026, 2, 19), D_(2026, 2, 28)),  # 1-10 March: the 10 days from 19 February
        "K2": (7, D_(2026, 2, 26), D_(2026, 3, 4)),  # 5-11 March: 7 days, across the end of February
        "K3": (3, D_(2026, 1, 7), D_(2026, 1, 9)),
        "K4": (30, D_(2025, 5, 2), D_(2025, 5, 31)),  # June 2025: the 30 days before 1 June
    }


def test_attribution_lift_and_roi_of_a_campaign(ms):
    k1 = by_id(ms.campaigns.summary(Q1)).loc["K1"]
    # Attributed lines: L1 100 + L2 200 + L7 500 (C2 is not Gold: attribution follows the campaign_id)
    # - credit note CN1 20 = 780; COGS 60 + 80 + 300 - 12 = 428; GP 352. Orders O1, O2, O7.
    assert (k1.attributed_revenue, k1.attributed_gross_profit, k1.attributed_orders) == (D("780.00"), D("352.00"), 3)
    # Won deals: D1 1000 and D4 300 (closed after the campaign); D2 lost and D3 open do not count.
    assert (k1.won_deals, k1.won_value) == (2, D("1300.00"))
    assert k1.customers_reached == 3  # C1, C2, C3
    # Target Gold = C1, C3. During 1-10 March: L1 100 + L2 200 + L5 30 (last day) = 330, COGS 158, GP 172;
    # L6 (11 March) is after. Baseline 19-28 February: L3 50, COGS 30, GP 20; L4 (18 February) is before.
    assert (k1.target_attribute, k1.target_customers) == ("tier", 2)
    assert (k1.target_revenue, k1.baseline_revenue, k1.lift) == (D("330.00"), D("50.00"), D("280.00"))
    assert k1.lift_pct == pytest.approx(280 / 50)
    assert (k1.target_gross_profit, k1.baseline_gross_profit) == (D("172.00"), D("20.00"))
    assert k1.incremental_gross_profit == D("152.00")
    # ROI = (152 - 100) / 100.
    assert (k1.cost, k1.cost_in_selection) == (D("100.00"), D("100.00"))
    assert k1.roi == pytest.approx(0.52)
    # The data runs from 10 June 2025 to 20 March 2026: K1's baseline and window are covered.
    assert bool(k1.complete)


def test_a_fall_against_the_baseline_and_a_campaign_without_cost(ms):
    table = by_id(ms.campaigns.summary(Filters()))
    k2 = table.loc["K2"]
    # South = C2. During 5-11 March: L8 200, GP 160. Baseline 26 Feb - 4 March: L7 500, GP 200.
    assert (k2.target_attribute, k2.target_revenue, k2.baseline_revenue, k2.lift) == (
        "region", D("200.00"), D("500.00"), D("-300.00"))
    assert k2.lift_pct == pytest.approx(-300 / 500) and k2.incremental_gross_profit == D("-40.00")
    # A cost of 0: the ROI is missing, never infinite.
    assert k2.cost == D("0.00") and k2.roi != k2.roi
    k3 = table.loc["K3"]
    # "Champions" is no tier, region, industry or type: all four customers. During 10-12 Jan: L9 10, GP 4;
    # baseline 7-9 Jan: L10 20, GP 8. No cost given: cost and ROI are missing.
    assert (k3.target_attribute, k3.target_customers) == ("all customers", 4)
    assert (k3.target_revenue, k3.baseline_revenue, k3.incremental_gross_profit) == (D("10.00"), D("20.00"),
                                                                                      D("-4.00"))
    assert pd.isna(k3.cost) and pd.isna(k3.roi)
    # K4's baseline (May 2025) is before the first invoice (10 June 2025): not complete, and no baseline revenue.
    k4 = table.loc["K4"]
    assert not bool(k4.complete) and k4.baseline_revenue == D("0.00") and k4.lift_pct != k4.lift_pct


def test_a_reps_scope_sees_their_customers_and_their_share_of_the_cost(ms):
    # R1 owns C1 and C4. K1: attributed L1 100 - CN1 20 = 80 (COGS 48, GP 32); won D1 1000.
    # Target: C1 only, 1 of the 2 Gold customers, so half of the cost: 50. During L1 100 (GP 40),
    # baseline L3 50 (GP 20): lift 50, incremental GP 20, ROI (20 - 50) / 50 = -0.6.
    k1 = by_id(ms.campaigns.summary(Q1, Scope(customers={"C1", "C4"}))).loc["K1"]
    assert (k1.attributed_revenue, k1.attributed_gross_profit, k1.won_deals, k1.won_value) == (
        D("80.00"), D("32.00"), 1, D("1000.00"))
    assert (k1.customers_reached, k1.target_customers, k1.cost, k1.cost_in_selection) == (1, 1, D("100.00"),
                                                                                         D("50.00"))
    assert (k1.lift, k1.incremental_gross_profit) == (D("50.00"), D("20.00"))
    assert k1.roi == pytest.approx(-0.6)
    customers = ms.campaigns.customers("K1", Q1, Scope(customers={"C1", "C4"}))
    assert customers.customer_id.tolist() == ["C1"]


def test_filters_narrow_customers_lines_and_deals(ms):
    # South (C2 only): no Gold customer there, so K1's cost in the selection is 0 and its ROI missing;
    # its attributed sales are L7 500 (GP 200) and its won deals D4 300.
    south = by_id(ms.campaigns.summary(replace(Q1, regions={"South"})))
    k1 = south.loc["K1"]
    assert (k1.target_customers, k1.cost_in_selection, k1.target_revenue) == (0, D("0.00"), D("0.00"))
    assert k1.roi != k1.roi
    assert (k1.attributed_revenue, k1.attributed_gross_profit, k1.won_value) == (D("500.00"), D("200.00"),
                                                                                D("300.00"))
    assert south.loc["K2", "cost_in_selection"] == D("0.00") and south.loc["K2", "target_customers"] == 1
    # Product P2: K1's lines are L2 200 (GP 120) only, during; no P2 line in the baseline, so lift % is
    # missing; D2 (lost) and D3 (open) are the P2 deals: none won. The cost is not split by product:
    # ROI = (120 - 100) / 100.
    k1 = by_id(ms.campaigns.summary(replace(Q1, products={"P2"}))).loc["K1"]
    assert (k1.attributed_revenue, k1.attributed_gross_profit, k1.won_deals) == (D("200.00"), D("120.00"), 0)
    assert (k1.target_revenue, k1.baseline_revenue, k1.cost_in_selection) == (D("200.00"), D("0.00"),
                                                                              D("100.00"))
    assert k1.lift_pct != k1.lift_pct and k1.roi == pytest.approx(0.2)


def test_the_customers_of_a_campaign(ms):
    table = ms.campaigns.customers("K1", Q1).set_index("customer_id")
    # By attributed revenue: C2 500 (GP 200, D4 won 300, not Gold), C3 200 (GP 120), C1 80 (GP 32, D1 1000).
    assert table.index.tolist() == ["C2", "C3", "C1"]
    assert table.attributed_revenue.tolist() == [D("500.00"), D("200.00"), D("80.00")]
    assert table.attributed_gross_profit.tolist() == [D("200.00"), D("120.00"), D("32.00")]
    assert table.won_value.tolist() == [D("300.00"), D("0.00"), D("1000.00")]
    assert table.in_target.tolist() == [False, True, True]
    assert ms.campaigns.customers("nope", Q1).empty


def test_day_by_day_against_the_baseline(ms):
    days = ms.campaigns.by_day("K1", Q1).set_index("day")
    assert days.index.tolist() == list(range(1, 11))
    assert days.date[1] == D_(2026, 3, 1) and days.baseline_date[1] == D_(2026, 2, 19)
    # L1 on day 2 (2 March), L2 on day 5, L5 on day 10; L3 (20 February) is day 2 of the baseline.
    assert days.revenue[days.revenue != 0].to_dict() == {2: 100.0, 5: 200.0, 10: 30.0}
    assert days.baseline_revenue[days.baseline_revenue != 0].to_dict() == {2: 50.0}
    # The running totals end at the campaign's lift (280) and incremental GP (152).
    assert days.cumulative_lift[10] == 280.0 and days.cumulative_incremental_gross_profit[10] == 152.0
    assert days.cumulative_lift[1] == 0.0 and days.cumulative_lift[2] == 50.0
    assert ms.campaigns.by_day("nope", Q1).empty


def test_no_campaigns_loaded(company):
    metrics = company(**tables(campaigns=False, opportunities=False, nps_responses=False))
    assert metrics.campaigns.summary(Q1).empty


def test_a_new_load_is_seen_at_once(ms, tmp_path):
    from marginscope.ingest import load_file

    assert ms.campaigns.summary(Q1).campaign_id.tolist() == ["K3", "K1", "K2"]
    more = tmp_path / "more.csv"
    more.write_text("campaign_id,name,start_date,end_date,cost,target_segment\n"
                    "K5,Late,2026-03-30,2026-04-30,10.00,Bronze\n")
    assert load_file(ms.warehouse, "campaigns", more).ok
    assert ms.campaigns.summary(Q1).campaign_id.tolist() == ["K3", "K1", "K2", "K5"]
