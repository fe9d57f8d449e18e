"""Receivables, aging and DSO on invoices and payments worked out by hand.

As of 31 March 2026:
- I1 (C1, due 31 Jan): 150, paid 100 on 10 Feb -> 50 open, 59 days past due -> 31-60;
- I2 (C1, due 31 Mar): 200, paid in full on 25 Mar -> not open;
- I3 (C2, due 19 Apr): 80, paid on 5 Apr, after the as-of date -> 80 open, not due;
- I4 (C2, 10 Apr): after the as-of date -> not counted;
- CN1 (C1): a credit note, which does not reduce an invoice's open amount.
Open 130, overdue 50. Revenue of the 90 days 1 Jan - 31 Mar: 150 + 200 + 80 - 20 = 410.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from marginscope.metrics import Filters, Scope, receivables
from tests.metrics.conftest import CUSTOMERS, PRODUCTS

LINES = """invoice_id,line_no,kind,invoice_date,due_date,customer_id,product_id,quantity,unit_price,net_amount
I1,1,invoice,2026-01-01,2026-01-31,C1,P1,10,10,100.00
I1,2,invoice,2026-01-01,2026-01-31,C1,P1,5,10,50.00
I2,1,invoice,2026-03-01,2026-03-31,C1,P2,1,200,200.00
I3,1,invoice,2026-03-20,2026-04-19,C2,P1,8,10,80.00
I4,1,invoice,2026-04-10,2026-05-10,C2,P2,1,500,500.00
CN1,1,credit_note,2026-03-15,,C1,P1,2,10,20.00
"""
PAYMENTS = """payment_id,invoice_id,paid_date,amount
Y1,I1,2026-02-10,100.00
Y2,I2,2026-03-25,200.00
Y3,I3,2026-04-05,80.00
"""
END_OF_MARCH = Filters(end=dt.date(2026, 3, 31))


@pytest.fixture
def ms(company):
    return company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, payments=PAYMENTS)


def test_open_invoices_and_their_aging(ms):
    invoices = receivables.open_invoices_expr(ms.warehouse, END_OF_MARCH).execute()
    assert invoices[["invoice_id", "open_amount", "days_past_due", "bucket"]].values.tolist() == [
        ["I1", D("50.00"), 59, "31-60"], ["I3", D("80.00"), 0, "not due"]]


def test_aging_buckets_and_dso(ms):
    aging = receivables.aging_expr(ms.warehouse, END_OF_MARCH).execute().set_index("bucket")
    assert aging.open_amount.to_dict() == {"31-60": D("50.00"), "not due": D("80.00")}
    figures = receivables.dso(ms.warehouse, END_OF_MARCH)
    assert (figures["open_amount"], figures["overdue_amount"], figures["revenue_90d"]) == (130, 50, 410)
    assert figures["dso_days"] == pytest.approx(130 / 410 * 90)


def test_a_month_later(ms):
    # 30 April: I1 is 89 days past due; I3 is paid; I4 (500) is open, not due until 10 May.
    invoices = receivables.open_invoices_expr(ms.warehouse, Filters(end=dt.date(2026, 4, 30))).execute()
    assert invoices[["invoice_id", "days_past_due", "bucket"]].values.tolist() == [
        ["I1", 89, "61-90"], ["I4", 0, "not due"]]


def test_scope_and_customer_filters(ms):
    assert receivables.dso(ms.warehouse, END_OF_MARCH, Scope(customers={"C2"}))["open_amount"] == 80
    by_customer = receivables.aging_expr(ms.warehouse, END_OF_MARCH, by_customer=True).execute()
    assert sorted(by_customer[["customer_id", "bucket"]].values.tolist()) == [["C1", "31-60"], ["C2", "not due"]]


def test_no_revenue_means_no_dso(ms):
    figures = receivables.dso(ms.warehouse, Filters(end=dt.date(2025, 6, 30)))
    assert figures["open_amount"] == 0 and figures["dso_days"] is None
