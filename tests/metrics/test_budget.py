"""Budget against actuals on the hand-worked company of conftest.py.

Revenue actuals by month and region (from conftest's lines):
  Jan: North (C1) 95 + 200 = 295;     South 0
  Feb: North (C1) 18 - 9.50 = 8.50;   South (C2) 50
  Mar: North (C3's return) -200 on 5 March; South 0
"""

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from marginscope.metrics import Filters, Scope, budget
from tests.metrics.conftest import COSTS, CUSTOMERS, LINES, PRODUCTS, REPS

BUDGETS = """period,measure,amount,region
2026-01-01,revenue,300,North
2026-01-01,revenue,100,South
2026-02-01,revenue,100,North
2026-02-01,revenue,50,South
2026-03-01,revenue,310,North
2026-03-01,revenue,0,South
2026-04-01,revenue,100,North
"""
JAN_TO_APR = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 30))
MID_MARCH = dt.date(2026, 3, 15)


@pytest.fixture
def ms(company):
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, costs_to_serve=COSTS,
                   budgets=BUDGETS)


def test_by_month_with_a_partial_and_a_future_month(ms):
    table = budget.by_month(ms.warehouse, JAN_TO_APR, as_of=MID_MARCH)
    revenue = table[table.measure == "revenue"].set_index("period")
    jan, feb, mar, apr = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
    assert (revenue.loc[jan, "budget"], revenue.loc[jan, "actual"]) == (400, 295)
    assert revenue.loc[jan, "variance"] == -105 and revenue.loc[jan, "attainment"] == pytest.approx(295 / 400)
    assert (revenue.loc[feb, "budget"], revenue.loc[feb, "actual"]) == (150, 58.5)
    # 1-15 March of 31 days: 310 * 15 / 31 = 150 budgeted; the -200 return fell on 5 March.
    assert revenue.loc[mar, "budget"] == pytest.approx(150) and revenue.loc[mar, "actual"] == -200
    assert bool(revenue.loc[mar, "partial"]) and not bool(revenue.loc[feb, "partial"])
    assert bool(revenue.loc[apr, "future"]) and revenue.loc[apr, "budget"] == 100
    assert revenue.actual.isna()[apr] and revenue.attainment.isna()[apr]
    profit = table[table.measure == "gross_profit"].set_index("period")
    assert profit.loc[jan, "actual"] == 195  # 295 - cogs 60 - 40
    assert profit.budget.isna().all()  # no gross-profit budget: no attainment, not a 0 budget


def test_to_date_sums_the_elapsed_months(ms):
    table = budget.to_date(ms.warehouse, JAN_TO_APR, as_of=MID_MARCH).set_index("measure")
    # Budget: Jan 400 + Feb 150 + half of March 150 = 700; April is future and left out.
    # Actual: 295 + 58.50 - 200 = 153.50.
    assert table.loc["revenue", "budget"] == pytest.approx(700)
    assert table.loc["revenue", "actual"] == pytest.approx(153.5)
    assert table.loc["revenue", "variance"] == pytest.approx(-546.5)
    assert table.loc["revenue", "attainment"] == pytest.approx(153.5 / 700)
    assert pd.isna(table.loc["gross_profit", "budget"]) and pd.isna(table.loc["gross_profit", "attainment"])


def test_by_region(ms):
    table = budget.by_dimension(ms.warehouse, "region", JAN_TO_APR, as_of=MID_MARCH)
    revenue = table[table.measure == "revenue"].set_index("region")
    assert (revenue.loc["North", "budget"], revenue.loc["North", "actual"]) == pytest.approx((550, 103.5))
    assert (revenue.loc["South", "budget"], revenue.loc["South", "actual"]) == (150, 50)
    assert revenue.loc["South", "attainment"] == pytest.approx(50 / 150)


def test_filters_select_budget_cells_or_make_the_budget_missing(ms):
    north = budget.by_month(ms.warehouse, Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31),
                                                  regions={"North"}), as_of=MID_MARCH)
    january = north[north.measure == "revenue"].iloc[0]
    assert (january.budget, january.actual) == (300, 295)
    retail = budget.by_month(ms.warehouse, Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31),
                                                   industries={"retail"}), as_of=MID_MARCH)
    assert retail.budget.isna().all()  # budgets have no industry: no like-for-like comparison
    scoped = budget.by_month(ms.warehouse, JAN_TO_APR, Scope(customers={"C1"}), as_of=MID_MARCH)
    assert scoped.budget.isna().all()


def test_monthly_budget_is_the_budget_as_written(ms):
    """No proration and no actuals: the cells of each month, summed over the selected regions."""
    table = budget.monthly_budget(ms.warehouse, Filters(start=dt.date(2026, 2, 10), end=dt.date(2026, 4, 30)))
    assert list(table.measure) == ["revenue"] * 3  # January ends before the range starts
    assert dict(zip(table.period, table.budget)) == {dt.date(2026, 2, 1): 150, dt.date(2026, 3, 1): 310,
                                                    dt.date(2026, 4, 1): 100}
    north = budget.monthly_budget(ms.warehouse, replace(JAN_TO_APR, regions={"North"}))
    assert list(north.budget) == [300, 100, 310, 100]
    assert budget.monthly_budget(ms.warehouse, replace(JAN_TO_APR, industries={"retail"})).empty
    assert budget.monthly_budget(ms.warehouse, JAN_TO_APR, Scope(customers={"C1"})).empty


def test_full_year_outlook_with_a_forecast(ms):
    def hundred_a_month(measure, months):
        return dict.fromkeys(months, 100.0) if measure == "revenue" else {}

    outlook = budget.full_year_outlook(ms.warehouse, 2026, as_of=MID_MARCH, forecast=hundred_a_month)
    revenue = outlook.set_index("measure").loc["revenue"]
    assert revenue.actual_to_date == 153.5  # 295 + 58.50 - 200
    # The rest of March (16 of 31 days) and April-December: 100 * 16/31 + 900.
    assert revenue.forecast_rest == pytest.approx(100 * 16 / 31 + 900)
    assert revenue.full_year_budget == 960
    assert revenue.outlook_attainment == pytest.approx((153.5 + 100 * 16 / 31 + 900) / 960)
    without = budget.full_year_outlook(ms.warehouse, 2026, as_of=MID_MARCH)
    assert without.outlook.isna().all()


def test_the_python_api_serves_the_same_table(ms):
    assert ms.budget.by_month(JAN_TO_APR, as_of=MID_MARCH).equals(budget.by_month(ms.warehouse, JAN_TO_APR,
                                                                                  as_of=MID_MARCH))


def test_a_range_ending_before_the_first_budget_month(ms):
    """Found by the rollup comparison: with no start the window opened at the first budget month
    (January 2026), after an end in 2025, and the Filters refused the range."""
    table = budget.by_month(ms.warehouse, Filters(end=dt.date(2025, 2, 20)), as_of=MID_MARCH)
    # The window is 1-20 February 2025: no budget there; I4 (C2, 10 February 2025) sold 100, cogs 20.
    assert list(table.period) == [dt.date(2025, 2, 1)] * 2 and table.budget.isna().all()
    assert table.set_index("measure").actual.to_dict() == {"gross_profit": 80.0, "revenue": 100.0}


def test_by_region_when_nothing_matches(ms):
    """Found by the rollup comparison: no budget cell and no sale in a region with no customers made
    pandas fail to merge two empty tables; the answer is an empty table."""
    table = budget.by_dimension(ms.warehouse, "region", Filters(start=dt.date(2026, 1, 5), end=dt.date(2026, 3, 31),
                                                                  regions={"West"}), as_of=MID_MARCH)
    assert table.empty and {"region", "measure", "budget", "actual", "attainment"} <= set(table.columns)


def test_a_range_starting_after_the_last_budget_month(ms):
    """Found by the rollup comparison: with no end the window closed at the last budget month (April
    2026), before a start in May, and the Filters refused the range."""
    table = budget.by_month(ms.warehouse, Filters(start=dt.date(2026, 5, 10)), as_of=dt.date(2026, 6, 30))
    # The window is 10-31 May 2026: no budget and no sale there, so no row.
    assert table.empty and {"period", "measure", "budget", "actual"} <= set(table.columns)


# A budget written by rep, and customers with owners: Ann (R1) owns Acme (C1) and Initech (C3), Bob (R2) Globex.
OWNED = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R1
"""
BY_REP = """period,measure,amount,rep_id
2026-01-01,revenue,250,R1
2026-01-01,revenue,80,R2
2026-02-01,revenue,50,R1
2026-02-01,revenue,60,R2
"""
JAN_FEB = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
ANN, TEAM = Scope(customers={"C1", "C3"}), Scope(customers={"C1", "C2", "C3"})


@pytest.fixture
def by_rep(company):
    return company(reps=REPS, customers=OWNED, products=PRODUCTS, invoice_lines=LINES, costs_to_serve=COSTS,
                   budgets=BY_REP)


def test_a_reps_scope_compares_with_their_own_budget_cells(by_rep):
    """Ann's budget: 250 + 50 = 300. Her lines on her customers in January and February: I1 95 + 200,
    I3 18, CN1 -9.50 = 303.50. Initech's return of 5 March is Bob's line and after the range."""
    table = budget.to_date(by_rep.warehouse, JAN_FEB, ANN, as_of=dt.date(2026, 6, 30)).set_index("measure")
    assert table.loc["revenue", "budget"] == 300
    assert table.loc["revenue", "actual"] == pytest.approx(303.5)
    assert table.loc["revenue", "attainment"] == pytest.approx(303.5 / 300)
    assert budget.basis(by_rep.warehouse, JAN_FEB, ANN).reps == {"R1"}


def test_a_managers_scope_compares_with_their_teams_budget(by_rep):
    """Both reps: budget 250 + 80 + 50 + 60 = 440; actual 295 + 50 (I2) + 8.50 = 353.50, as the company's."""
    months = budget.by_month(by_rep.warehouse, JAN_FEB, TEAM, as_of=dt.date(2026, 6, 30))
    revenue = months[months.measure == "revenue"].set_index("period")
    assert list(revenue.budget) == [330, 110] and list(revenue.actual) == pytest.approx([295, 58.5])
    company = budget.by_month(by_rep.warehouse, JAN_FEB, as_of=dt.date(2026, 6, 30))
    assert list(company[company.measure == "revenue"].actual) == pytest.approx([295, 58.5])


def test_a_scope_without_a_budget_by_rep_says_why(ms):
    reason = budget.basis(ms.warehouse, JAN_TO_APR, Scope(customers={"C1"})).reason
    assert reason.startswith("The budget is written by region, not by rep")


def test_filters_the_budget_cannot_follow_say_which(by_rep):
    other_rep = budget.basis(by_rep.warehouse, replace(JAN_FEB, reps={"R2"}), ANN)
    assert not other_rep.comparable and "none of the reps whose customers you see" in other_rep.reason
    assert budget.to_date(by_rep.warehouse, replace(JAN_FEB, reps={"R2"}), ANN).budget.isna().all()
    industry = budget.basis(by_rep.warehouse, replace(JAN_FEB, industries={"retail"}, products={"P1"}), ANN)
    assert "not by industry and product: remove the industry and product filters" in industry.reason
