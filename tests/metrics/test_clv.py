"""Customer lifetime value: the per-customer summary by hand, the fits against the published
CDNOW estimates, and the discounting and margin terms by hand for given parameters."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter
from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

from marginscope.metrics import Filters, Scope, clv

T = dt.date(2026, 3, 31)

CUSTOMERS = """customer_id,name,region,acquisition_cost
A,Acme,North,500.00
B,Globex,South,
C,Initech,North,80.00
"""
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\nP2,Licence,Software\n"
LINES = """invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs
IA1,1,invoice,2026-01-10,O1,A,P1,R1,1,100.00,0,100.00,70.00
IA2,1,invoice,2026-01-10,O2,A,P2,R1,1,50.00,0,50.00,10.00
IA3,1,invoice,2026-02-10,O3,A,P1,R1,2,100.00,0,200.00,120.00
IA4,1,invoice,2026-03-10,O4,A,P2,R1,3,100.00,0,300.00,150.00
CNA,1,credit_note,2026-03-20,,A,P2,R1,1,50.00,0,50.00,30.00
IB1,1,invoice,2026-02-01,O5,B,P1,R1,1,80.00,0,80.00,50.00
CNC,1,credit_note,2026-03-01,,C,P1,R1,1,10.00,0,10.00,5.00
IL1,1,invoice,2026-04-02,O6,A,P1,R1,1,999.00,0,999.00,0.00
"""
COSTS = """cost_id,customer_id,cost_date,category,amount
K1,A,2026-01-05,freight,25.00
K2,A,2026-01-10,service,15.00
K3,A,2026-02-28,service,40.00
K4,B,2026-03-15,service,30.00
"""


@pytest.fixture
def ms(company):
    return company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, costs_to_serve=COSTS)


def test_the_summary_of_a_small_company_by_hand(ms):
    """As of 31 Mar 2026 (IL1, on 2 Apr, is after it and left out):

    A bought on 10 Jan (two orders, one purchase day), 10 Feb and 10 Mar: 3 purchases,
    frequency 2, recency 10 Jan -> 10 Mar = 59 days, age 10 Jan -> 31 Mar = 80 days.
    After the first day: gross profit 200 - 120 = 80 (10 Feb) + 300 - 150 = 150 (10 Mar)
    - (50 - 30) = 20 returned on 20 Mar = 210; cost to serve after the first day: 40
    (K1 before it and K2 on it are not counted): 170 over 2 repeat purchases = 85.
    B bought once (1 Feb): frequency 0, age 58 days, no margin per repeat purchase; its
    30.00 cost after the first day leaves -30. C only has a credit note: no purchase.
    """
    table = ms.clv.summary(Filters(end=T)).set_index("customer_id")
    assert list(table.index) == ["A", "B"] and table.attrs["as_of"] == T
    a, b = table.loc["A"], table.loc["B"]
    assert (a.purchases, a.frequency, b.purchases, b.frequency) == (3, 2, 1, 0)
    assert (a.first_purchase, a.last_purchase) == (dt.date(2026, 1, 10), dt.date(2026, 3, 10))
    assert a.recency_weeks == pytest.approx(59 / 7) and a.age_weeks == pytest.approx(80 / 7)
    assert b.recency_weeks == 0 and b.age_weeks == pytest.approx(58 / 7)
    assert a.contribution_after_first == pytest.approx(170.0) and a.margin_per_repeat_purchase == pytest.approx(85.0)
    assert b.contribution_after_first == pytest.approx(-30.0) and math.isnan(b.margin_per_repeat_purchase)
    assert a.acquisition_cost == 500.0 and math.isnan(b.acquisition_cost)


def test_the_summary_under_a_category_filter_allocates_cost_to_serve(ms):
    """Hardware only: A bought it on 10 Jan and 10 Feb (frequency 1, recency 31 days);
    gross profit after the first day 80. Its 40.00 of cost after 10 Jan is allocated by
    Hardware's share of its revenue after that day: 200 of 200 + 300 - 50 = 450, so
    40 x 200 / 450 = 17.78, and the margin per repeat purchase is 80 - 17.78 = 62.22.
    B has no revenue after its first day to carry its cost: 0."""
    table = ms.clv.summary(Filters(end=T, categories={"Hardware"})).set_index("customer_id")
    a = table.loc["A"]
    assert (a.frequency, a.recency_weeks) == (1, pytest.approx(31 / 7))
    assert a.margin_per_repeat_purchase == pytest.approx(80 - 40 * 200 / 450)
    assert table.loc["B", "contribution_after_first"] == 0


def test_the_summary_keeps_to_the_scope(ms):
    table = ms.clv.summary(Filters(end=T), Scope({"B", "C"}))
    assert list(table.customer_id) == ["B"]
    pd.testing.assert_frame_equal(table, ms.clv.summary(Filters(end=T, customers={"B", "C"})))


def cdnow() -> pd.DataFrame:
    data = load_cdnow_summary_data_with_monetary_value()
    return pd.DataFrame({"customer_id": data.index.astype(str), "frequency": data.frequency,
                         "recency_weeks": data.recency, "age_weeks": data["T"],
                         "margin_per_repeat_purchase": data.monetary_value.where(data.frequency > 0),
                         "acquisition_cost": np.nan}).reset_index(drop=True)


def test_the_fits_on_cdnow_give_the_published_estimates():
    """Fader, Hardie and Lee (2005), "Counting your customers the easy way", on the CDNOW
    sample of 2,357 customers: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426. Fader and
    Hardie (2013), "The Gamma-Gamma model of monetary value", on its 946 repeat buyers:
    p = 6.25, q = 3.74, gamma (lifetimes' v) = 15.44."""
    model = clv.fit(cdnow())
    values = dict(zip(zip(model.model, model.parameter), model.value))
    assert values["BG/NBD", "r"] == pytest.approx(0.243, abs=5e-4)
    assert values["BG/NBD", "alpha"] == pytest.approx(4.414, abs=5e-4)
    assert values["BG/NBD", "a"] == pytest.approx(0.793, abs=5e-4)
    assert values["BG/NBD", "b"] == pytest.approx(2.426, abs=5e-4)
    assert values["Gamma-Gamma", "p"] == pytest.approx(6.25, abs=5e-3)
    assert values["Gamma-Gamma", "q"] == pytest.approx(3.74, abs=5e-3)
    assert values["Gamma-Gamma", "v"] == pytest.approx(15.44, abs=1e-2)
    assert model.attrs["customers"] == 2357 and model.attrs["gamma_gamma_customers"] == 946
    assert model.attrs["reason"] is None
    assert model.attrs["bgnbd_penalizer"] == model.attrs["gamma_gamma_penalizer"] == 0.0  # plain maximum likelihood


PUBLISHED = pd.DataFrame({"model": ["BG/NBD"] * 4 + ["Gamma-Gamma"] * 3,
                          "parameter": ["r", "alpha", "a", "b", "p", "q", "v"],
                          "value": [0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44]})


def test_clv_discounts_each_months_margin_by_hand():
    """For the published parameters: a repeat buyer (x = 2, margin 40), a loss-maker (x = 3,
    margin -20) and a one-purchase customer (x = 0), each 38.86 weeks old.

    Expected margin per purchase: Gamma-Gamma's weighted mean of the population mean
    p v / (q - 1) = 6.25 x 15.44 / 2.74 = 35.22 and the customer's own 40, with weight
    p x / (p x + q - 1) = 12.5 / 15.24 on its own; the loss-maker keeps -20; the one-purchase
    customer gets the population mean. Month k ends at k x 365.25 / 12 / 7 weeks; its
    purchases (the BG/NBD expectation up to its end less that up to the month before) are
    discounted by 1.1^(k / 12), so that month 12 is discounted by exactly 10%.
    """
    summary = pd.DataFrame({"customer_id": ["repeat", "loss", "once"], "purchases": [3, 4, 1],
                            "frequency": [2, 3, 0], "recency_weeks": [30.43, 20.0, 0.0],
                            "age_weeks": [38.86, 38.86, 38.86], "margin_per_repeat_purchase": [40.0, -20.0, np.nan],
                            "acquisition_cost": [100.0, 0.0, np.nan]})
    result = clv.customers(summary, PUBLISHED, horizon_months=12, annual_rate=0.10).set_index("customer_id")

    population = 6.25 * 15.44 / (3.74 - 1)
    weight = 6.25 * 2 / (6.25 * 2 + 3.74 - 1)
    margins = {"repeat": (1 - weight) * population + weight * 40.0, "loss": -20.0, "once": population}
    bgnbd = BetaGeoFitter()
    bgnbd.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})

    def purchases_by(month: int, row) -> float:
        return float(bgnbd.conditional_expected_number_of_purchases_up_to_time(
            month * 365.25 / 12 / 7, row.frequency, row.recency_weeks, row.age_weeks))

    for row in summary.itertuples():
        by_hand = sum((purchases_by(k, row) - purchases_by(k - 1, row)) * margins[row.customer_id] / 1.1 ** (k / 12)
                      for k in range(1, 13))
        found = result.loc[row.customer_id]
        assert found.expected_margin_per_purchase == pytest.approx(margins[row.customer_id])
        assert found.expected_purchases == pytest.approx(purchases_by(12, row))
        assert found.clv == pytest.approx(by_hand)
    assert result.loc["repeat", "clv_to_cac"] == pytest.approx(result.loc["repeat", "clv"] / 100.0)
    assert math.isnan(result.loc["loss", "clv_to_cac"]) and math.isnan(result.loc["once", "clv_to_cac"])
    assert result.loc["loss", "clv"] < 0
    assert list(result.margin_basis) == ["Gamma-Gamma", "population mean", "own (not positive)"]
    undiscounted = clv.customers(summary, PUBLISHED, annual_rate=0.0).set_index("customer_id")
    assert undiscounted.clv.to_dict() == pytest.approx(
        (undiscounted.expected_purchases * undiscounted.expected_margin_per_purchase).to_dict())


def test_the_monthly_rate_compounds_to_the_annual_one():
    assert (1 + clv.monthly_rate(0.10)) ** 12 == pytest.approx(1.10)
    # One purchase a month worth 100.00 for a year at 10%: sum of 100 / 1.1^(k/12), k = 1..12.
    cumulative = np.arange(13, dtype=float)[:, None]
    assert clv.discounted_value(cumulative, np.array([100.0]), 0.10)[0] == pytest.approx(
        sum(100 / 1.1 ** (k / 12) for k in range(1, 13)))


def test_clv_by_segment_by_hand():
    values = pd.DataFrame({"customer_id": list("abcde"), "clv": [100.0, 300.0, -50.0, 20.0, 999.0],
                           "p_alive": [0.9, 0.7, 0.5, 0.2, 1.0], "expected_purchases": [2.0, 4.0, 1.0, 0.5, 9.0],
                           "expected_margin_per_purchase": [50.0, 75.0, -50.0, 40.0, 111.0],
                           "acquisition_cost": [50.0, np.nan, 25.0, 0.0, 1.0]})
    scores = pd.DataFrame({"customer_id": list("abcd"), "segment": ["Loyal", "Loyal", "At-Risk", "At-Risk"]})
    table = clv.by_segment(values, scores).set_index("segment")  # e has no segment: not counted
    loyal, at_risk = table.loc["Loyal"], table.loc["At-Risk"]
    assert (loyal.customers, loyal.clv, loyal.clv_per_customer) == (2, 400.0, 200.0)
    assert (loyal.p_alive, loyal.expected_purchases) == (pytest.approx(0.8), 3.0)
    # Only a has an acquisition cost among the loyal: 100 / 50. At-Risk: c alone (d's is 0): -50 / 25.
    assert (loyal.customers_with_cac, loyal.clv_to_cac) == (1, 2.0)
    assert (at_risk.customers, at_risk.clv, at_risk.customers_with_cac, at_risk.clv_to_cac) == (2, -30.0, 1, -2.0)
    assert list(table.index) == ["Loyal", "At-Risk"]  # by total CLV


def test_too_few_customers_give_a_reason_not_values(ms):
    values = ms.clv.customers(Filters(end=T))
    assert values.clv.isna().all() and values.attrs["reason"].startswith("only 2 customers bought")
    assert ms.clv.model(Filters(end=T)).empty
    with pytest.raises(ValueError, match="1 to 120 months"):
        ms.clv.customers(Filters(end=T), horizon_months=0)


def test_loss_makers_show_as_losses_on_the_facade(company):
    """Thirty customers Z00-Z29 bought 2 to 6 times in the first half of 2026, each purchase
    100.00 at a COGS of 103 - 3n for customer n: Z00 loses 3.00 on every purchase, Z01 makes
    nothing, the others earn. Five more, Y0-Y4, bought once."""
    customers, lines = ["customer_id,name,acquisition_cost"], [LINES.splitlines()[0]]
    for n in range(30):
        customers.append(f"Z{n:02},Customer {n},{100 + n}.00")
        for month in range(1, 3 + n % 5):
            day = dt.date(2026, month, 1 + (7 * n + 11 * month) % 28)
            lines.append(f"Z{n:02}-{month},1,invoice,{day},Z{n:02}-{month},Z{n:02},P1,R1,1,100.00,0,"
                         f"100.00,{103 - 3 * n}.00")
    for k in range(5):
        customers.append(f"Y{k},Single {k},")
        lines.append(f"Y{k},1,invoice,2026-0{k + 1}-10,Y{k},Y{k},P1,R1,1,100.00,0,100.00,50.00")
    ms = company(customers="\n".join(customers) + "\n", products=PRODUCTS, invoice_lines="\n".join(lines) + "\n")
    values = ms.clv.customers(Filters(end=dt.date(2026, 6, 30))).set_index("customer_id")
    assert values.attrs["reason"] is None and values.attrs["not_positive_margin_customers"] == 2
    # Thirty customers buying alike leave BG/NBD's likelihood flat: it converges only with a penalty.
    assert values.attrs["bgnbd_penalizer"] > 0
    # Z00's margin per purchase is 100 - 103 = -3, kept as it is; its CLV is the loss it brings.
    assert values.loc["Z00", "margin_basis"] == "own (not positive)"
    assert values.loc["Z00", "expected_margin_per_purchase"] == pytest.approx(-3.0)
    assert values.loc["Z00", "clv"] < 0 < values.loc["Z29", "clv"] and values.loc["Z01", "clv"] == 0
    assert values.loc["Z29", "clv_to_cac"] == pytest.approx(values.loc["Z29", "clv"] / 129.0)
    assert values.loc["Y0", "margin_basis"] == "population mean" and math.isnan(values.loc["Y0", "clv_to_cac"])
    model = ms.clv.model(Filters(end=dt.date(2026, 6, 30)))
    p, q, v = model.set_index("parameter").loc[["p", "q", "v"], "value"]
    assert values.loc["Y0", "expected_margin_per_purchase"] == pytest.approx(p * v / (q - 1))
    assert ((values.p_alive > 0) & (values.p_alive <= 1)).all()
