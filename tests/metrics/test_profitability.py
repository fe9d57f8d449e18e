"""Customer profitability on conftest's company over the first quarter of 2026.

Per customer (revenue, discount, returns, cogs -> GP; cost to serve -> CM):
  C1: 303.50, 7.00, 9.50, 106 -> GP 197.50; 30  -> CM  167.50
  C2:  50.00, 0,    0,     30 -> GP  20.00; 100 -> CM  -80.00 (cost to serve)
  C3: -200,   0,    200,  -40 -> GP -160.00; 10 -> CM -170.00 (returns)
"""

from decimal import Decimal as D

import pandas as pd
import pytest

from marginscope.metrics import profitability as pf
from tests.metrics.conftest import PRODUCTS, Q1


@pytest.fixture
def table(ms):
    return pf.customers(ms.warehouse, Q1)


def test_customers_ranked_by_contribution_with_drivers(table):
    assert table[["customer_id", "gross_profit", "cost_to_serve", "contribution_margin"]].values.tolist() == [
        ["C1", D("197.50"), D("30.00"), D("167.50")], ["C2", D("20.00"), D("100.00"), D("-80.00")],
        ["C3", D("-160.00"), D("10.00"), D("-170.00")]]
    assert table.main_driver.tolist()[1:] == ["cost_to_serve", "returns"] and pd.isna(table.main_driver[0])
    c3 = table.set_index("customer_id").loc["C3"]
    assert (c3.discount_share, c3.cost_to_serve_share, c3.returns_share) == pytest.approx((0, 10 / 210, 200 / 210))


def test_concentration(table):
    # GP 197.50, 20, -160 (total 57.50): C1 alone passes 70%; the top 20% of 3 rounds up to 1 customer.
    result = pf.concentration(table)
    assert result["customer_share_for_profit_share"] == pytest.approx(1 / 3)
    assert result["gp_share_of_top"] == pytest.approx(197.5 / 57.5)


def test_negative_margin_customers(table):
    losers, summary = pf.negative_margin(table)
    assert losers.customer_id.tolist() == ["C3", "C2"]
    assert summary == {"customers": 2, "share_of_customers": pytest.approx(2 / 3), "total": -250.0}
    assert pf.negative_margin(table, by="gross_profit")[0].customer_id.tolist() == ["C3"]


def test_whale_curve_needs_a_positive_total(table):
    assert pf.whale_curve(table).cumulative_cm_share.isna().all()  # total CM is -82.50
    curve = pf.whale_curve(table[table.customer_id != "C3"])  # 167.50 - 80 = 87.50
    assert curve.cumulative_cm_share.tolist() == pytest.approx([167.5 / 87.5, 1.0])
    assert curve.customer_share.tolist() == [0.5, 1.0]


def test_tier_multiples(ms):
    # Gold: C1 (orders O1 and I3; revenue 303.50) and C3 (a credit note only, revenue -200, not active):
    # 2 orders and 103.50 per active customer. Bronze: C2, 1 order and 50.
    multiples = pf.tier_multiples(ms.warehouse, Q1).set_index(["tier", "versus"])
    assert multiples.loc[("Gold", "Bronze"), "orders_multiple"] == 2
    assert multiples.loc[("Gold", "Bronze"), "revenue_multiple"] == pytest.approx(103.5 / 50)
    assert multiples.loc[("Bronze", "Gold"), "orders_multiple"] == 0.5


def test_contribution_by_region(ms):
    regions = pf.contribution_by(ms.warehouse, "region", Q1).set_index("region")
    assert regions.contribution_margin.to_dict() == {"North": D("-2.50"), "South": D("-80.00")}
    assert regions.share_of_contribution_margin.isna().all()  # of a negative total: missing
    assert regions.share_of_gross_profit.to_dict() == pytest.approx({"North": 37.5 / 57.5, "South": 20 / 57.5})


def test_the_python_api(ms, table):
    assert ms.profitability.customers(Q1).equals(table)
    assert ms.profitability.negative_margin(Q1)[1]["customers"] == 2


def test_customers_without_a_tier_are_not_a_tier(company):
    """C9 has no tier: it is neither compared with the tiers nor, as a missing value, with itself.

    Gold: C1, one order of 100.00; Bronze: C2, one order of 50.00; C9: two orders of 300.00 each.
    """
    ms = company(customers="customer_id,name,tier\nC1,Acme,Gold\nC2,Globex,Bronze\nC9,Hooli,\n",
                 products=PRODUCTS, invoice_lines="""invoice_id,line_no,kind,invoice_date,customer_id,product_id,quantity,unit_price,net_amount,cogs
I1,1,invoice,2026-01-10,C1,P1,10,10.00,100.00,60.00
I2,1,invoice,2026-01-11,C2,P1,5,10.00,50.00,30.00
I3,1,invoice,2026-01-12,C9,P1,30,10.00,300.00,180.00
I4,1,invoice,2026-01-13,C9,P1,30,10.00,300.00,180.00
""")
    multiples = ms.profitability.tier_multiples(Q1)
    assert list(zip(multiples.tier, multiples.versus)) == [("Bronze", "Gold"), ("Gold", "Bronze")]
    assert multiples.revenue_multiple.tolist() == [0.5, 2.0]
