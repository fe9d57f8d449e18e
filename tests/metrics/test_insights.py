"""Insights: each finding's numbers against the metrics layer and against arithmetic done by hand.

The rich company (quarter Q1 2026 against the previous 90 days, 3 Oct - 31 Dec 2025):

=====  ======  ========  ======  =====  =======  =========  =======================  =========
cust   tier    industry  owner   Q1 rev  Q1 GP   prior rev  cost to serve (Q1)       CM
=====  ======  ========  ======  =====  =======  =========  =======================  =========
C1     Gold    retail    R1      1000    800     400        0                        800
C2     Gold    medical   R2      100     60      100        0                        60
C3     Bronze  medical   R1      100     60      100        0                        60
C4     Bronze  medical   R2      100     20      100        100                      -80
C5     Bronze  medical   R1      50      10      50         30 (and a 50 discount)   -20
C6     Bronze  medical   R2      100     50      150        0                        50
=====  ======  ========  ======  =====  =======  =========  =======================  =========

Q1 revenue 1450, GP 1000; prior revenue 900. Products in Q1: P1 1000 (prior 400), P3 200 (prior 250),
P2 150 (150), P4 100 (100). Deals closed in Q1: R1 (Ann, manager Mia) won 1000 and 1000, lost one;
R2 (Bob, manager Max) won 200, lost two. Revenue budget Jan-Mar 2026: 500 + 500 + 1000.
"""

import datetime as dt

import pytest

from marginscope import insights
from marginscope.insights import Thresholds
from marginscope.metrics import Filters, Scope
from tests.conftest import open_with

REPS = "rep_id,name,manager,region\nR1,Ann,Mia,North\nR2,Bob,Max,South\n"
CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Gold,R2
C3,Initech,medical,North,Bronze,R1
C4,Umbrella,medical,South,Bronze,R2
C5,Hooli,medical,North,Bronze,R1
C6,Stark,medical,South,Bronze,R2
"""
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\nP2,Licence,Software\nP3,Valve,Hardware\nP4,Pump,Hardware\n"
HEADER = "invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs\n"
LINES = HEADER + """I1,1,invoice,2026-02-01,O1,C1,P1,R1,10,100.00,0,1000.00,200.00
I2,1,invoice,2026-02-02,O2,C2,P2,R2,1,100.00,0,100.00,40.00
I3,1,invoice,2026-02-03,O3,C3,P3,R1,1,100.00,0,100.00,40.00
I4,1,invoice,2026-02-04,O4,C4,P4,R2,1,100.00,0,100.00,80.00
I5,1,invoice,2026-02-05,O5,C5,P2,R1,1,100.00,50.00,50.00,40.00
I6,1,invoice,2026-02-06,O6,C6,P3,R2,1,100.00,0,100.00,50.00
J1,1,invoice,2025-11-01,O11,C1,P1,R1,4,100.00,0,400.00,80.00
J2,1,invoice,2025-11-02,O12,C2,P2,R2,1,100.00,0,100.00,40.00
J3,1,invoice,2025-11-03,O13,C3,P3,R1,1,100.00,0,100.00,40.00
J4,1,invoice,2025-11-04,O14,C4,P4,R2,1,100.00,0,100.00,80.00
J5,1,invoice,2025-11-05,O15,C5,P2,R1,1,100.00,50.00,50.00,40.00
J6,1,invoice,2025-11-06,O16,C6,P3,R2,1,150.00,0,150.00,75.00
"""
COSTS = "cost_id,customer_id,cost_date,category,amount\nK1,C4,2026-03-31,service,100.00\nK2,C5,2026-03-31,freight,30.00\n"
OPPORTUNITIES = """opportunity_id,customer_id,rep_id,product_id,stage,engage_date,close_date,close_value
D1,C1,R1,P1,won,2026-01-05,2026-02-04,1000
D2,C3,R1,P3,won,2026-01-06,2026-02-05,1000
D3,C5,R1,P2,lost,2026-01-07,2026-02-06,
D4,C2,R2,P2,won,2026-01-08,2026-02-07,200
D5,C4,R2,P4,lost,2026-01-09,2026-02-08,
D6,C6,R2,P3,lost,2026-01-10,2026-02-09,
"""
BUDGETS = "period,measure,amount\n2026-01-01,revenue,500\n2026-02-01,revenue,500\n2026-03-01,revenue,1000\n"
Q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
T = Thresholds()


@pytest.fixture
def opened(tmp_path):
    """Like the ``company`` fixture, but each company in a folder of its own: a test compares two."""
    companies = []

    def open_company(name: str, **tables: str):
        (tmp_path / name).mkdir()
        companies.append(open_with(tmp_path / name, tables))
        return companies[-1]

    yield open_company
    for metrics in companies:
        metrics.close()


@pytest.fixture
def rich(opened):
    return opened("rich", reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES,
                  costs_to_serve=COSTS, opportunities=OPPORTUNITIES, budgets=BUDGETS)


# The flat company: five customers of two tiers, each buying 100 (GP 50) of one of two products in the
# previous period and again in Q1; no costs, no budget; one rep with one closed deal.
FLAT_CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Gold,R2
C3,Initech,medical,North,Bronze,R1
C4,Umbrella,retail,South,Bronze,R2
C5,Hooli,medical,North,Bronze,R1
"""
FLAT_LINES = HEADER + "".join(
    f"I{n},1,invoice,2026-02-0{n},O{n},C{n},P{n % 2 + 1},R{n % 2 + 1},1,100.00,0,100.00,50.00\n"
    f"J{n},1,invoice,2025-11-1{n},Q{n},C{n},P{n % 2 + 1},R{n % 2 + 1},1,100.00,0,100.00,50.00\n" for n in range(1, 6))
FLAT_OPPORTUNITIES = ("opportunity_id,customer_id,rep_id,product_id,stage,engage_date,close_date,close_value\n"
                      "D1,C1,R1,P1,won,2026-01-05,2026-02-04,100\n")


@pytest.fixture
def flat(opened):
    return opened("flat", reps=REPS, customers=FLAT_CUSTOMERS, products=PRODUCTS, invoice_lines=FLAT_LINES,
                   opportunities=FLAT_OPPORTUNITIES)


def one(findings, kind):
    found = [f for f in findings if f.kind == kind]
    assert len(found) == 1, [f.kind for f in findings]
    return found[0]


def test_concentration(rich, flat):
    # GP ranked: C1 800 is already 80% of 1000, so 1 customer of 6 (16.7% <= 30%) makes 80% of GP;
    # the top 20% is ceil(1.2) = 2 customers: (800 + 60) / 1000 = 86%. 16.7% > 10%: info.
    f = insights.concentration(rich, Q1, Scope(), T, "EUR")
    layer = rich.profitability.concentration(Q1, profit_share=0.8, top_share=0.2)
    assert f.numbers["customer_share"] == pytest.approx(1 / 6) == layer["customer_share_for_profit_share"]
    assert f.numbers["gp_share_of_top"] == pytest.approx(0.86) == pytest.approx(layer["gp_share_of_top"])
    assert (f.numbers["customers"], f.numbers["top_customers"]) == (6, 1)
    assert [e.id for e in f.entities] == ["C1"] and f.entities[0].path == "/customer/C1"
    assert f.severity == "info" and f.link == "/profitability"
    assert f.text == "16.7% of customers (1 of 6) make 80% of gross profit; the top 20% make 86.0%."
    # Asked to find 80% in at most 15% of the customers, the data does not support it.
    assert insights.concentration(rich, Q1, Scope(), Thresholds(concentration_share=0.15), "EUR") is None
    assert insights.concentration(rich, Q1, Scope(), Thresholds(concentration_warning_share=0.2), "EUR") \
        .severity == "warning"
    # Five equal customers: 80% of GP takes four of them (80% > 30%).
    assert insights.concentration(flat, Q1, Scope(), T, "EUR") is None


def test_negative_margin(rich, flat):
    # C4: GP 20 - cost to serve 100 = -80, driven by cost to serve (its only driver);
    # C5: GP 10 - 30 = -20, drivers discount 50 > cost to serve 30. 2 of 6 = 33% >= 10%: critical.
    f = insights.negative_margin(rich, Q1, Scope(), T, "EUR")
    losers, summary = rich.profitability.negative_margin(Q1)
    assert [e.id for e in f.entities] == ["C4", "C5"] == list(losers.customer_id)
    assert f.numbers["customers"] == 2 == summary["customers"]
    assert f.numbers["share_of_customers"] == pytest.approx(2 / 6) == summary["share_of_customers"]
    assert f.numbers["contribution_margin"] == pytest.approx(-100) == summary["total"]
    assert (f.numbers["by_cost_to_serve"], f.numbers["by_discount"], f.numbers["by_returns"]) == (1, 1, 0)
    assert f.severity == "critical"
    assert "2 customers (33.3% of customers) have a negative contribution margin, -€100 in all." in f.text
    assert f.entities[0].note == "contribution -€80, mostly cost to serve"
    assert f.entities[1].note == "contribution -€20, mostly discount"
    assert insights.negative_margin(rich, Q1, Scope(), Thresholds(negative_share_critical=0.5), "EUR") \
        .severity == "warning"
    assert insights.negative_margin(flat, Q1, Scope(), T, "EUR") is None


def test_tier_multiple(rich, flat):
    # Gold: 1100 over 2 active customers = 550 each, 1 order each; Bronze: 350 / 4 = 87.5, 1 order each.
    f = insights.tier_multiple(rich, Q1, Scope(), T, "EUR")
    layer = rich.profitability.tier_multiples(Q1).set_index(["tier", "versus"]).loc[("Gold", "Bronze")]
    assert (f.numbers["tier"], f.numbers["versus"]) == ("Gold", "Bronze")
    assert f.numbers["revenue_multiple"] == pytest.approx(550 / 87.5) == pytest.approx(layer.revenue_multiple)
    assert f.numbers["orders_multiple"] == pytest.approx(1.0) == pytest.approx(layer.orders_multiple)
    assert f.text == "Gold customers spend 6.3x as much and buy 1.0x as often as Bronze customers (per active customer)."
    assert insights.tier_multiple(rich, Q1, Scope(), Thresholds(tier_multiple=7), "EUR") is None
    assert insights.tier_multiple(flat, Q1, Scope(), T, "EUR") is None  # 100 a customer in both tiers


@pytest.mark.parametrize("dimension, kind, top, name, now, before, runner_up, link", [
    ("customer_id", "customer", "C1", "Acme", 1000, 400, "C6", "/profitability"),
    ("industry", "industry", "retail", "retail", 1000, 400, "medical", "/profitability"),
    ("product_id", "product", "P1", "Bolt", 1000, 400, "P3", "/products"),
    ("rep_id", "rep", "R1", "Ann", 1000 + 100 + 50, 400 + 100 + 50, "R2", "/team"),
    ("manager", "manager", "Mia", "Mia", 1150, 550, "Max", "/team")])
def test_movers(rich, flat, dimension, kind, top, name, now, before, runner_up, link):
    # Every dimension's mover carries C1's growth, 400 -> 1000 (+600, +150%); the runner-up carries C6's
    # fall, 150 -> 100 (-50). The bar is 2% of max(1450, 900) = 29, so nothing else (a change of 0) is listed.
    f = insights.mover(rich, dimension, Q1, Scope(), T, "EUR", "previous")
    assert f.kind == f"mover_{kind}" and f.link == link and f.severity == "info"
    assert (f.numbers["id"], f.numbers["name"]) == (top, name)
    assert (f.numbers["revenue"], f.numbers["prior_revenue"], f.numbers["change"]) == (now, before, 600)
    assert f.numbers["growth"] == pytest.approx(600 / before)
    prior = Q1.with_range(dt.date(2025, 10, 3), dt.date(2025, 12, 31))
    assert (f.numbers["prior_start"], f.numbers["prior_end"]) == (prior.start, prior.end)
    key = "manager" if dimension == "manager" else dimension
    layer = [(rich.team.managers(q) if dimension == "manager" else rich.sales.by(dimension, q)).set_index(key)
             for q in (Q1, prior)]
    assert (float(layer[0].revenue[top]), float(layer[1].revenue[top])) == (now, before)
    assert [e.id for e in f.entities] == [top, runner_up] and f.entities[1].note == "-€50"
    assert f.text.startswith(f"{kind.capitalize() if kind != 'industry' else 'Industrie'}")
    assert "rose by €600 (+" in f.text and "in the previous period (03 Oct 2025 – 31 Dec 2025)." in f.text
    # Without a basis, the semantic layer's default: the same quarter a year earlier.
    yoy = insights.mover(rich, dimension, Q1, Scope(), T, "EUR")
    assert yoy is None or (yoy.numbers["prior_start"], yoy.numbers["prior_end"]) == (dt.date(2025, 1, 1),
                                                                                      dt.date(2025, 3, 31))
    assert insights.mover(rich, dimension, Q1, Scope(), Thresholds(mover_share=0.5), "EUR", "previous") is None  # 600 < 725
    assert insights.mover(flat, dimension, Q1, Scope(), T, "EUR", "previous") is None  # every value bought the same


def test_rep_quadrants(rich, flat):
    # Company: 3 won of 6 closed = 50% CVR, average sale 2200 / 3 = 733.33. Ann: 2/3 won, 1000 a sale
    # (star performer); Bob: 1/3 won, 200 a sale (needs support: a warning).
    found = {f.numbers["quadrant"]: f for f in insights.rep_quadrants(rich, Q1, Scope(), T, "EUR")}
    assert sorted(found) == ["Needs support", "Star performers"]
    layer = rich.team.reps(Q1).set_index("rep_id")
    assert layer.quadrant["R1"] == "Star performers" and layer.quadrant["R2"] == "Needs support"
    star, support = found["Star performers"], found["Needs support"]
    assert [e.id for e in star.entities] == ["R1"] and [e.id for e in support.entities] == ["R2"]
    assert star.numbers["company_conversion_rate"] == pytest.approx(0.5)
    assert star.numbers["company_average_sale"] == pytest.approx(2200 / 3)
    assert (star.severity, support.severity) == ("info", "warning")
    assert support.entities[0].note == "conversion 33.3%, average sale €200"
    assert support.text.startswith("Bob falls in the Needs support quadrant (company: conversion 50.0%, "
                                   "average sale €733). Recommended: Review pipeline quality")
    assert insights.rep_quadrants(rich, Q1, Scope(), Thresholds(min_reps=3), "EUR") == []
    assert insights.rep_quadrants(flat, Q1, Scope(), T, "EUR") == []  # one rep with closed deals is no matrix


def test_abc_products(rich, flat):
    # P1 1000 (69.0%), P3 200 (82.8%: crosses 80%, so A), P2 150, P4 100: A = P1, P3 with 1200 / 1450.
    # P3 fell from 250 to 200 (-20%, more than 10%): a warning. P1 rose from 400 (+150%).
    f = insights.abc_products(rich, Q1, Scope(), T, "EUR", "previous")
    layer = rich.products.performance(Q1, basis="previous")
    assert [e.id for e in f.entities] == ["P1", "P3"] == list(layer.product_id[layer.abc_class == "A"])
    assert f.numbers["a_revenue_share"] == pytest.approx(1200 / 1450)
    assert (f.numbers["a_products"], f.numbers["products"], f.numbers["falling"]) == (2, 4, 1)
    assert f.severity == "warning" and f.link == "/products"
    assert f.text == ("2 of 4 products make 82.8% of revenue: Bolt (+150.0%) and Valve (-20.0%). "
                      "1 of them fell more than 10% against the previous period: Valve.")
    assert insights.abc_products(rich, Q1, Scope(), Thresholds(decline=0.25), "EUR", "previous").severity == "info"
    assert insights.abc_products(flat, Q1, Scope(), T, "EUR") is None  # two products sold: fewer than 3


def test_budget(rich, flat):
    # Jan-Mar 2026: revenue 1450 against 500 + 500 + 1000 = 2000: 72.5%, below 90%: critical. The history
    # (Nov 2025 - Mar 2026) is too short to forecast, so there is no outlook.
    f = insights.budget(rich, Q1, Scope(), T, "EUR")
    layer = rich.budget.to_date(Q1, as_of=dt.date(2026, 3, 31)).set_index("measure").loc["revenue"]
    assert f.numbers["attainment"] == pytest.approx(1450 / 2000) == pytest.approx(layer.attainment)
    assert (f.numbers["actual_to_date"], f.numbers["budget_to_date"]) == (1450, 2000)
    assert f.numbers["as_of"] == dt.date(2026, 3, 31)
    outlook = rich.budget.full_year_outlook(2026, Q1, as_of=dt.date(2026, 3, 31)).set_index("measure")
    assert outlook.outlook_attainment.isna()["revenue"] and "outlook" not in f.numbers
    assert f.severity == "critical" and f.link == "/budget"
    assert f.text == "Revenue to 31 Mar 2026 is 72.5% of budget: €1.4k against €2.0k."
    assert insights.budget(rich, Q1, Scope(), Thresholds(budget_critical=0.7), "EUR").severity == "warning"
    assert insights.budget(flat, Q1, Scope(), T, "EUR") is None  # no budget loaded
    assert insights.budget(rich, Q1, Scope({"C1"}), T, "EUR") is None  # budgets cannot be cut to a rep's customers


# Slipping: five customers, RFM as of 31 Dec 2025 and 31 Mar 2026 (scores 1-5 by position, ties share).
# 31 Dec: C1 bought 3 orders (Oct, Nov, 20 Dec; 900): R5 F5 M5, Champions. C4 2 orders (May, Aug; 100):
# R3 (152 days) F4 M2, Loyal. C2, C3, C5 one order each.
# 31 Mar: C1 has not bought again: 101 days, the worst recency (R1), F4 (3 orders, tied with C4), M5:
# At-Risk. C4 bought on 25 Mar (6 days: R5, F4): still Loyal. So 1 of the 2 Champions or Loyal slipped.
SLIP_LINES = HEADER + """S1,1,invoice,2025-10-01,A1,C1,P1,R1,3,100.00,0,300.00,100.00
S2,1,invoice,2025-11-01,A2,C1,P1,R1,3,100.00,0,300.00,100.00
S3,1,invoice,2025-12-20,A3,C1,P1,R1,3,100.00,0,300.00,100.00
S4,1,invoice,2025-06-01,A4,C2,P1,R2,1,100.00,0,100.00,50.00
S5,1,invoice,2025-07-01,A5,C3,P1,R1,2,100.00,0,200.00,100.00
S6,1,invoice,2025-05-01,A6,C4,P1,R2,1,50.00,0,50.00,20.00
S7,1,invoice,2025-08-01,A7,C4,P1,R2,1,50.00,0,50.00,20.00
S8,1,invoice,2025-09-01,A8,C5,P1,R1,1,50.00,0,50.00,20.00
S9,1,invoice,2026-03-01,A9,C2,P1,R2,1,100.00,0,100.00,50.00
S10,1,invoice,2026-03-15,A10,C3,P1,R1,2,100.00,0,200.00,100.00
S11,1,invoice,2026-03-25,A11,C4,P1,R2,1,50.00,0,50.00,20.00
S12,1,invoice,2026-03-20,A12,C5,P1,R1,1,50.00,0,50.00,20.00
"""


def test_slipping(opened, flat):
    ms = opened("slip", reps=REPS, customers=FLAT_CUSTOMERS, products=PRODUCTS, invoice_lines=SLIP_LINES)
    f = insights.slipping(ms, Q1, Scope(), T, "EUR")
    _, slipped = ms.rfm.migration(Q1)
    assert [e.id for e in f.entities] == ["C1"] == list(slipped.customer_id)
    assert (f.numbers["customers"], f.numbers["were_champions_or_loyal"], f.numbers["share"]) == (1, 2, 0.5)
    assert f.numbers["revenue"] == 0  # C1 bought nothing in Q1
    assert f.severity == "critical"  # 50% >= 20%
    assert f.text == ("1 customer slipped from Champions or Loyal to At-Risk over the last quarter (50.0% of the 2 "
                      "who were Champions or Loyal); they bought €0 in the period.")
    assert insights.slipping(ms, Q1, Scope(), Thresholds(slipping_critical_share=0.6), "EUR").severity == "warning"
    assert insights.slipping(flat, Q1, Scope(), T, "EUR") is None  # every customer bought alike


def test_the_facade_orders_caches_and_keys_on_thresholds(rich, flat):
    found = rich.insights.findings(Q1, currency="EUR", comparison="previous")
    assert [f.severity for f in found] == sorted((f.severity for f in found), key=insights.SEVERITIES.index)
    kinds = [f.kind for f in found]
    assert {"concentration", "negative_margin", "tier_multiple", "abc_products", "budget", "rep_quadrant",
            "mover_customer", "mover_industry", "mover_product", "mover_rep", "mover_manager"} <= set(kinds)
    assert one(found, "negative_margin") == insights.negative_margin(rich, Q1, Scope(), T, "EUR")
    stricter = rich.insights.findings(Q1, thresholds=Thresholds(concentration_share=0.1), currency="EUR")
    assert "concentration" not in [f.kind for f in stricter] and "concentration" in kinds
    assert rich.insights.findings(Q1, currency="EUR", comparison="previous") == found  # cached, and still the same
    with pytest.raises(TypeError):
        found[0].numbers["customers"] = 0  # read-only: a cached finding cannot be changed by a caller
    assert flat.insights.findings(Q1, comparison="previous") == []  # bought alike in Q1 and the 90 days before
    assert rich.insights.findings(Filters(start=dt.date(2020, 1, 1), end=dt.date(2020, 3, 31))) == []


def test_a_reps_findings_cover_their_customers_only(rich):
    ann = Scope({"C1", "C3", "C5"})  # R1's customers
    found = rich.insights.findings(Q1, ann, currency="EUR", comparison="previous")
    customers = {e.id for f in found for e in f.entities if e.kind == "customer"}
    assert customers and customers <= ann.customers
    # Of Ann's customers only C5 loses money (-20); three customers are too few for the concentration,
    # and deals of Ann's customers alone put only Ann in the matrix.
    losers = one(found, "negative_margin")
    assert [e.id for e in losers.entities] == ["C5"] and losers.numbers["contribution_margin"] == -20
    assert losers.numbers["share_of_customers"] == rich.profitability.negative_margin(Q1, ann)[1]["share_of_customers"]
    kinds = {f.kind for f in found}
    assert not kinds & {"concentration", "rep_quadrant", "budget"}
    mover = one(found, "mover_customer")
    assert mover.numbers["id"] == "C1" and [e.id for e in mover.entities] == ["C1"]  # C6 (-50) is not Ann's


def test_a_finding_as_json_keeps_the_filters():
    f = insights.Finding("negative_margin", "t", "x", "warning", {"when": dt.date(2026, 1, 2), "n": 2},
                         "/profitability", [insights.Entity("customer", "C 1", "Acme", "")])
    data = f.as_dict("?start=2026-01-01")
    assert data["link"] == "/profitability?start=2026-01-01"
    assert data["numbers"] == {"when": "2026-01-02", "n": 2} and data["entities"][0]["path"] == "/customer/C 1"
    with pytest.raises(ValueError):
        insights.Finding("x", "t", "x", "severe", {}, "/")
