"""Customer status on purchases worked out by hand, with a 60-day churn window.

Purchases (all invoices, all with revenue):
  C1: 2025-12-20, 2026-01-15, 2026-01-25, 2026-04-10
  C2: 2026-02-05 (its first ever)
  C3: 2025-10-01, 2026-03-10
Spells (a gap over 60 days ends one; churn day = last purchase + 61 days):
  C1: 2025-12-20 .. 2026-01-25, churns 2026-03-27;   2026-04-10 .., churns 2026-06-10
  C2: 2026-02-05, churns 2026-04-07
  C3: 2025-10-01, churns 2025-12-01;                 2026-03-10 .., churns 2026-05-10
Months of 2026 (as of 30 April):
  Jan: C1 buys (2 orders), active since December -> returning. Active at start: C1.
  Feb: C2 buys for the first time -> new. Active at start: C1.
  Mar: C3 buys; it bought before but churned on 1 Dec -> reactivated.
       C1 churns on 27 Mar. Active at start: C1, C2 -> churn rate 1/2.
  Apr: C1 buys after churning -> reactivated. C2 churns on 7 Apr.
       Active at start: C2, C3 -> churn rate 1/2.
"""

import datetime as dt

import pytest

from marginscope.metrics import Filters, Scope, customers
from tests.metrics.conftest import CUSTOMERS, PRODUCTS

PURCHASES = [("C1", "2025-12-20"), ("C1", "2026-01-15"), ("C1", "2026-01-25"), ("C1", "2026-04-10"),
             ("C2", "2026-02-05"), ("C3", "2025-10-01"), ("C3", "2026-03-10")]
LINES = "invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,quantity,unit_price,net_amount\n" + \
    "".join(f"I{i},1,invoice,{day},O{i},{c},P1,1,10,10.00\n" for i, (c, day) in enumerate(PURCHASES))
JAN_TO_APR = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 30))
WINDOW = 60


@pytest.fixture
def ms(company):
    return company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)


def test_spells(ms):
    table = customers.spells(ms.warehouse, JAN_TO_APR, window=WINDOW)
    d = dt.date
    assert table.values.tolist() == [
        ["C1", d(2025, 12, 20), d(2026, 1, 25), d(2026, 3, 27)], ["C1", d(2026, 4, 10), d(2026, 4, 10), d(2026, 6, 10)],
        ["C2", d(2026, 2, 5), d(2026, 2, 5), d(2026, 4, 7)],
        ["C3", d(2025, 10, 1), d(2025, 10, 1), d(2025, 12, 1)], ["C3", d(2026, 3, 10), d(2026, 3, 10), d(2026, 5, 10)],
    ]


def test_monthly_status_counts_and_ratios(ms):
    table = customers.status_by_period(ms.warehouse, "month", JAN_TO_APR, window=WINDOW).set_index("period")
    columns = ["buying", "new", "returning", "reactivated", "churned", "active_at_start", "repeat_buyers"]
    assert table[columns].values.tolist() == [
        [1, 0, 1, 0, 0, 1, 1],  # Jan
        [1, 1, 0, 0, 0, 1, 0],  # Feb
        [1, 0, 0, 1, 1, 2, 0],  # Mar
        [1, 0, 0, 1, 1, 2, 0],  # Apr
    ]
    assert table.churn_rate.tolist() == [0, 0, 0.5, 0.5]
    assert table.new_ratio.tolist() == [0, 1, 0, 0]
    assert table.repeat_purchase_rate.tolist() == [1, 0, 0, 0]


def test_the_lists_behind_the_counts(ms):
    lists = customers.classify(ms.warehouse, "month", JAN_TO_APR, window=WINDOW)
    march = lists[lists.period == dt.date(2026, 3, 1)]
    assert sorted(map(tuple, march[["status", "customer_id"]].values.tolist())) == [
        ("active_at_start", "C1"), ("active_at_start", "C2"), ("buying", "C3"), ("churned", "C1"),
        ("reactivated", "C3")]


def test_churn_after_the_as_of_date_is_not_counted(ms):
    table = customers.status_by_period(ms.warehouse, "month", JAN_TO_APR, window=WINDOW,
                                       as_of=dt.date(2026, 4, 5)).set_index("period")
    assert table.loc[dt.date(2026, 4, 1), "churned"] == 0  # C2 churns on 7 April, after 5 April


def test_a_period_without_buyers_has_missing_ratios(ms):
    table = customers.status_by_period(ms.warehouse, "month", Filters(start=dt.date(2026, 6, 1),
                                                                      end=dt.date(2026, 6, 30)), window=WINDOW)
    assert table.buying.tolist() == [0] and table.new_ratio.isna().all()


def test_scope_limits_the_history(ms):
    table = customers.status_by_period(ms.warehouse, "month", JAN_TO_APR, Scope(customers={"C2"}), window=WINDOW)
    assert table.buying.tolist() == [0, 1, 0, 0] and table.active_at_start.tolist() == [0, 0, 1, 1]


def test_retention_by_tier(ms):
    # Mar-Apr (61 days) against the 61 days before (30 Dec - 28 Feb): C1 (Gold) and C2 (Bronze)
    # bought then; only C1 bought again.
    table = customers.retention(ms.warehouse, "tier", Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 30)))
    assert table.values.tolist() == [["Bronze", 1, 0, 0.0], ["Gold", 1, 1, 1.0]]


def test_yearly_default_window(ms):
    table = customers.status_by_period(ms.warehouse, "year", Filters(start=dt.date(2026, 1, 1),
                                                                     end=dt.date(2026, 4, 30)))
    row = table.iloc[0]
    # 365 days: C1 and C3 (bought Oct 2025) are active at the start and return; C2 is new.
    assert (row.buying, row.new, row.returning, row.reactivated, row.active_at_start) == (3, 1, 2, 0, 2)


def test_the_python_api_serves_the_same_table(ms):
    direct = customers.status_by_period(ms.warehouse, "month", JAN_TO_APR)
    assert ms.customers.status("month", JAN_TO_APR).equals(direct)


def test_retention_of_reps_and_their_manager(company):
    from marginscope.metrics import team

    reps = "rep_id,name,manager\nR1,Ann,Mia\nR2,Bob,Mia\n"
    owned = "customer_id,name,tier,owner_rep_id\nC1,Acme,Gold,R1\nC2,Globex,Bronze,R2\nC3,Initech,Gold,R2\n"
    metrics = company(reps=reps, customers=owned, products=PRODUCTS, invoice_lines=LINES)
    # Mar-Apr against 30 Dec - 28 Feb: R1's C1 bought in both; R2's C2 only before (C3 bought in
    # neither window before March). Mia's team: 2 prior buyers, 1 retained.
    march_april = Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 30))
    per_rep = team.reps(metrics.warehouse, march_april).set_index("rep_id")
    assert per_rep.retention_rate.to_dict() == {"R1": 1.0, "R2": 0.0}
    assert per_rep.customers_owned.to_dict() == {"R1": 1, "R2": 2}
    assert team.managers(metrics.warehouse, march_april).retention_rate.tolist() == [0.5]
