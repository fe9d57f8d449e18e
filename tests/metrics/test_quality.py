"""Data status and quality checks on a company with a planted problem of every kind."""

from __future__ import annotations

import datetime as dt

import pytest

from marginscope.metrics import quality

CUSTOMERS = "customer_id,name,region\nC1,Acme GmbH,North\nC2,ACME G.m.b.H.,North\nC3,Initech,South\n"
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\n"
REPS = "rep_id,name\nR1,Ann\n"
LINES = """invoice_id,line_no,kind,invoice_date,customer_id,product_id,rep_id,quantity,unit_price,net_amount,cogs
I1,1,invoice,2026-01-10,C1,P1,R1,1,100,100.00,60.00
I2,1,invoice,2026-02-10,C2,P1,R1,1,100,100.00,
I3,1,invoice,2026-03-10,C3,P1,R1,1,100,100.00,115.00
I4,1,invoice,2026-04-10,C3,P1,R1,1,100,100.00,105.00
CN1,1,credit_note,2026-04-20,C3,P1,R1,1,100,100.00,
"""
BUDGETS = "period,measure,amount\n" + "".join(f"2026-{m:02d}-01,revenue,100\n" for m in range(1, 11))


@pytest.fixture
def ms(company):
    metrics = company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, budgets=BUDGETS)
    # An orphan, as a SQL source or a later master-data change can leave one: customer C9 and rep R9 are unknown.
    metrics.warehouse.execute_sql(
        "INSERT INTO invoice_lines (invoice_id, line_no, kind, invoice_date, customer_id, product_id, rep_id, "
        "quantity, unit_price, net_amount, cogs) VALUES ('I5', 1, 'invoice', DATE '2026-05-01', 'C9', 'P1', 'R9', "
        "1, 10, 10.00, 5.00)")
    return metrics


def test_checks_find_every_planted_problem(ms):
    checks = quality.checks(ms.warehouse).set_index("check")
    assert checks.loc["invoice lines without their customer", "rows"] == 1
    assert checks.loc["invoice lines without their customer", "examples"] == "C9"
    assert checks.loc["invoice lines without their rep", "rows"] == 1
    assert checks.loc["invoice lines without their product", "rows"] == 0
    assert checks.loc["invoice lines without a cost (cogs)", "rows"] == 1  # I2; the credit note does not count
    # I3 loses 15% (beyond 10%); I4 loses 5% (within it).
    assert checks.loc["invoice lines with a gross margin below -10%", "examples"] == "I3"
    assert checks.loc["customers whose names differ only in case, spaces or punctuation", "rows"] == 2
    assert checks.loc["budget months without a budget", "rows"] == 2  # November and December 2026
    assert checks.loc["invoice lines without their product", "status"] == "ok"
    assert checks.loc["invoice lines without a cost (cogs)", "status"] == "check"


def test_the_threshold_is_a_parameter(ms):
    checks = quality.checks(ms.warehouse, threshold=0.0).set_index("check")
    assert checks.loc["invoice lines with a gross margin below -0%", "rows"] == 2  # I3 and I4


def test_duplicates_and_missing_months_are_listed(ms):
    assert quality.duplicate_customers(ms.warehouse).customer_id.tolist() == ["C1", "C2"]
    months = quality.missing_budget_months(ms.warehouse)
    assert months.month.tolist() == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]


def test_tables_report_rows_span_and_last_load(ms):
    tables = ms.quality.tables().set_index("table_name")
    assert tables.loc["invoice_lines", "rows"] == 6
    assert tables.loc["invoice_lines", "first_date"] == dt.date(2026, 1, 10)
    assert tables.loc["invoice_lines", "last_date"] == dt.date(2026, 5, 1)
    assert tables.loc["budgets", "loads"] == 1 and tables.loc["payments", "loads"] == 0
    assert tables.loc["payments", "rows"] == 0 and tables.loc["invoice_lines", "last_load"] is not None
