"""The portrait of C1 (conftest's company) over the first quarter of 2026, worked out by hand.

C1's lines: order O1 on 10 Jan (P1: 10 units, net 95, cogs 60; P2: 1 unit, net 200, cogs 40),
invoice I3 without an order on 20 Feb (P1: 2 units, net 18, cogs 12), and credit note CN1 on
25 Feb (P1: 1 unit back, net 9.50, cogs 6). Freight cost 30. No 2025 business.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from marginscope.metrics import Filters, Scope
from marginscope.metrics.portrait import CustomerNotFound, portrait
from tests.metrics.conftest import COSTS, CUSTOMERS, LINES, PRODUCTS, Q1, REPS

ORDERS = """order_id,customer_id,order_date,status,promised_date,shipped_date,delivered_date
O1,C1,2026-01-05,delivered,2026-01-08,2026-01-09,2026-01-12
O5,C1,2026-03-30,open,2026-04-15,,
O2,C2,2026-02-10,delivered,2026-02-20,2026-02-14,2026-02-15
"""


@pytest.fixture
def ms(company):
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, costs_to_serve=COSTS,
                   orders=ORDERS)


def test_portrait_of_c1(ms):
    p = portrait(ms.warehouse, "C1", Q1)
    assert p.customer["name"] == "Acme" and p.customer["tier"] == "Gold"
    current = p.current.iloc[0]
    assert current.revenue == D("303.50")  # 95 + 200 + 18 - 9.50
    assert current.gross_profit == D("197.50")  # cogs 60 + 40 + 12 - 6 = 106
    assert current.contribution_margin == D("167.50")  # less freight 30
    assert p.lifetime.iloc[0].revenue == D("303.50")
    yoy = p.year_over_year.set_index("measure")
    assert (yoy.loc["revenue", "current"], yoy.loc["revenue", "prior"]) == (303.5, 0)
    assert yoy.growth.isna()["revenue"]  # nothing a year earlier: n/a
    assert p.distinct_products == 2
    assert p.products[["product_id", "quantity", "revenue", "gross_profit"]].values.tolist() == [
        ["P2", 1, D("200.00"), D("160.00")], ["P1", 11, D("103.50"), D("37.50")]]  # P1: 10 + 2 - 1 units
    assert p.products.gross_margin.tolist() == pytest.approx([0.8, 37.5 / 103.5])
    assert p.reps[["rep_id", "revenue"]].values.tolist() == [["R1", D("303.50")]]
    assert p.first_order[["order_key", "line_no"]].values.tolist() == [["O1", 1], ["O1", 2]]
    assert p.largest_order.order_key.unique().tolist() == ["O1"]  # 295 against I3's 18
    assert p.returns[["invoice_id", "net_amount"]].values.tolist() == [["CN1", D("9.50")]]
    assert p.orders_by_status.values.tolist() == [["delivered", 1], ["open", 1]]
    assert p.late_deliveries == 1  # O1 was promised for 8 Jan and delivered on 12 Jan


def test_receivables_cost_and_trend(ms):
    p = portrait(ms.warehouse, "C1", Q1)
    # No payments and no due dates: I1 (295) and I3 (18) are open and not yet due.
    assert sorted(p.receivables.invoice_id) == ["I1", "I3"]
    assert p.aging.values.tolist() == [["not due", D("313.00"), 2]]
    assert p.receivables_history.open_amount.tolist() == [295, 313, 313]  # month ends: I3 arrives in February
    assert p.cost_to_serve.values.tolist() == [["freight", D("30.00")]]
    assert p.trend.revenue.tolist() == [D("295.00"), D("8.50")]  # Jan; Feb 18 - 9.50


def test_a_customer_outside_the_scope_does_not_exist(ms):
    with pytest.raises(CustomerNotFound):
        portrait(ms.warehouse, "C1", Q1, Scope(customers={"C2"}))
    with pytest.raises(CustomerNotFound):
        portrait(ms.warehouse, "C404", Q1)
    assert portrait(ms.warehouse, "C2", Q1, Scope(customers={"C2"})).current.revenue.iloc[0] == D("50.00")


def test_a_period_without_sales(ms):
    p = portrait(ms.warehouse, "C2", Q1.with_range(dt.date(2024, 1, 1), dt.date(2024, 3, 31)))
    assert p.current.revenue.iloc[0] == 0 and p.products.empty and p.returns.empty
    # Lifetime facts do not depend on the range: C2's first order is O9 (I4, February 2025).
    assert p.first_order.order_key.tolist() == ["O9"]


def test_the_python_api(ms):
    assert ms.customers.portrait("C1", Q1).current.revenue.iloc[0] == D("303.50")


def test_the_products_it_bought_are_counted_over_its_whole_history(ms):
    """The count stands beside the lifetime revenue: it read the date range only, and a quiet month showed
    "0 products bought" beside a lifetime of sales. Globex bought P2 in February 2025 and P1 in February 2026."""
    quiet_march = portrait(ms.warehouse, "C2", Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)))
    assert quiet_march.distinct_products == 2
    assert quiet_march.products.empty
