"""Pipeline edge cases on deals worked out by hand."""

import datetime as dt
from decimal import Decimal as D

import pytest

from marginscope.metrics import Filters, Scope, pipeline, team
from tests.metrics.conftest import CUSTOMERS, PRODUCTS, REPS

OPPORTUNITIES = """opportunity_id,customer_id,rep_id,product_id,stage,engage_date,close_date,close_value
D1,C1,R1,P1,won,2026-01-05,2026-02-04,1000
D2,C1,R1,P2,lost,2026-01-10,2026-02-19,
D3,C2,R2,P1,won,2026-01-20,2026-03-01,400
D4,C2,R2,P1,won,2026-02-01,2026-03-15,200
D5,C3,R2,P2,engaging,2026-03-01,,
D6,,R1,P1,prospecting,,,
"""
Q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))


@pytest.fixture
def ms(company):
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, opportunities=OPPORTUNITIES)


def test_quarter_totals(ms):
    row = pipeline.summary_expr(ms.warehouse, Q1).execute().iloc[0]
    assert (row.won, row.lost, row.closed, row.open, row.new_opportunities) == (3, 1, 4, 2, 5)
    assert row.pipeline_revenue == D("1600.00") and row.average_sale == pytest.approx(1600 / 3)
    assert row.conversion_rate == 0.75
    # Days to close: D1 30, D2 40, D3 40, D4 42 -> 38; won only: 112 / 3.
    assert row.days_to_close == 38 and row.weeks_to_close == pytest.approx(38 / 7)
    assert row.days_to_close_won == pytest.approx(112 / 3)


@pytest.mark.parametrize("start, end, expected", [
    # Engaged in January: D1 (won), D2 (lost), D3 (won, closed in March: after the range, still counted).
    ("2026-01-01", "2026-01-31", (3, 3, 2, 0)),
    ("2026-02-01", "2026-02-28", (1, 1, 1, 0)),  # D4
    ("2026-03-01", "2026-03-31", (1, 0, 0, 1)),  # D5, engaging
    ("2026-01-01", "2026-03-31", (5, 4, 3, 1)),  # D6 is prospecting: never engaged, in no cohort
    ("2025-01-01", "2025-12-31", (0, 0, 0, 0)),
])
def test_the_funnel_follows_the_deals_engaged_in_the_range(ms, start, end, expected):
    filters = Filters(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    row = ms.pipeline.funnel(filters).iloc[0]
    assert (row.engaged, row.closed, row.won, row.still_open) == expected
    assert ms.pipeline.funnel(filters, Scope(customers={"C2"})).iloc[0].engaged == (start <= "2026-01-20" <= end) \
        + (start <= "2026-02-01" <= end)


def test_a_month_without_closed_deals(ms):
    table = pipeline.summary_expr(ms.warehouse, Q1, grain="month").execute()
    january = table.iloc[0]
    assert january.period.date() == dt.date(2026, 1, 1) and january.closed == 0 and january.new_opportunities == 3
    assert january.conversion_rate != january.conversion_rate and january.average_sale != january.average_sale
    assert table.won.tolist() == [0, 1, 2] and table.lost.tolist() == [0, 1, 0]


def test_scope_drops_deals_without_an_account(ms):
    row = pipeline.summary_expr(ms.warehouse, Q1, Scope(customers={"C1"})).execute().iloc[0]
    assert (row.won, row.lost, row.open) == (1, 1, 0)  # D6 has no account, so no scope includes it


def test_quadrants(ms):
    # Company: CVR 0.75, average sale 533.33. R1: 1 of 2 won (0.5), 1000 -> big-game hunter;
    # R2: 2 of 2 (1.0), 300 -> efficient closer.
    table = team.reps(ms.warehouse, Q1).set_index("rep_id")
    assert table.quadrant.to_dict() == {"R1": "Big-game hunters", "R2": "Efficient closers"}
    assert table.loc["R2", "recommended_action"].startswith("Coach on deal size")


def test_movers(ms):
    # March against the 31 days before (29 Jan - 28 Feb): C2 won 600 in March, C1 1000 in February.
    moved = pipeline.movers(ms.warehouse, "customer_id", Filters(start=dt.date(2026, 3, 1),
                                                                 end=dt.date(2026, 3, 31)), basis="previous")
    assert moved[["customer_id", "change"]].values.tolist() == [["C1", -1000.0], ["C2", 600.0]]


def test_the_python_api(ms):
    assert ms.pipeline.summary(Q1).won.iloc[0] == 3
    assert ms.team.reps(Q1).set_index("rep_id").quadrant["R1"] == "Big-game hunters"
    assert ms.team.managers(Q1).quadrant.tolist() == ["Star performers"]  # one manager, Mia: the company itself


def test_no_deals_at_all_is_one_row_of_zeros(company):
    metrics = company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS)
    row = pipeline.summary_expr(metrics.warehouse, Q1).execute()
    assert len(row) == 1 and (row.won.iloc[0], row.open.iloc[0], row.pipeline_revenue.iloc[0]) == (0, 0, 0)
    assert row.conversion_rate.isna().all()


def test_a_managers_margin_is_rounded_once_not_summed_from_rounded_reps(company):
    """Customer C1's cost to serve of 10.00 is split over three reps who sold it 100.00 each: 3.3333
    each (money is carried at 4 decimals). Each rep's contribution margin shows as 100 - 40 - 3.33 =
    56.67; their manager's is 300 - 120 - 9.9999 = 170.0001, i.e. 170.00, not 3 x 56.67 = 170.01."""
    reps = "rep_id,name,manager\nR1,Ann,Mia\nR2,Bob,Mia\nR3,Cy,Mia\n"
    lines = ("invoice_id,line_no,kind,invoice_date,customer_id,product_id,rep_id,quantity,unit_price,net_amount,cogs\n"
             + "".join(f"I{k},1,invoice,2026-01-10,C1,P1,R{k},1,100.00,100.00,40.00\n" for k in (1, 2, 3)))
    metrics = company(reps=reps, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=lines,
                      costs_to_serve="cost_id,customer_id,cost_date,category,amount\nK1,C1,2026-01-31,service,10.00\n")
    per_rep = team.reps(metrics.warehouse, Q1).set_index("rep_id")
    assert per_rep.contribution_margin.tolist() == [D("56.67")] * 3
    manager = team.managers(metrics.warehouse, Q1).set_index("manager").loc["Mia"]
    assert manager.contribution_margin == D("170.00")
    assert (manager.revenue, manager.gross_profit) == (D("300.00"), D("180.00"))
