"""Data status and quality checks on a company with a planted problem of every kind."""

from __future__ import annotations

import datetime as dt

import pandas as pd
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
    assert checks.loc["invoice lines with a gross margin below -10%", "rows"] == 1
    assert checks.loc["invoice lines with a gross margin below -10%", "examples"] == "I3"
    assert checks.loc["opportunities without their customer", "rows"] == 0
    assert checks.loc["customers whose names differ only in case, spaces or punctuation", "rows"] == 2
    assert checks.loc["budget months without a budget", "rows"] == 2  # November and December 2026
    assert checks.loc["invoice lines without their product", "status"] == "ok"
    assert checks.loc["invoice lines without a cost (cogs)", "status"] == "check"


def test_each_check_gives_the_rows_behind_it(ms):
    orphans = quality.check_rows(ms.warehouse, "invoice lines without their customer")
    assert orphans[["invoice_id", "customer_id", "rep_id"]].values.tolist() == [["I5", "C9", "R9"]]
    losing = quality.check_rows(ms.warehouse, "invoice lines with a gross margin below -10%")
    assert losing.invoice_id.tolist() == ["I3"] and losing.gross_margin[0] == pytest.approx(-0.15)
    assert quality.check_rows(ms.warehouse, "invoice lines without a cost (cogs)").invoice_id.tolist() == ["I2"]
    with pytest.raises(ValueError, match="unknown check"):
        quality.check_rows(ms.warehouse, "lines that look odd")


def test_the_threshold_is_a_parameter(ms):
    checks = quality.checks(ms.warehouse, threshold=0.0).set_index("check")
    assert checks.loc["invoice lines with a gross margin below -0%", "rows"] == 2  # I3 and I4


def test_duplicates_and_missing_months_are_listed(ms):
    assert quality.duplicate_customers(ms.warehouse).customer_id.tolist() == ["C1", "C2"]
    months = quality.missing_budget_months(ms.warehouse)
    assert months.month.tolist() == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]


def test_tables_report_rows_span_last_load_and_overdue_refreshes(ms):
    tables = ms.quality.tables().set_index("table_name")
    assert tables.loc["invoice_lines", "rows"] == 6
    assert tables.loc["invoice_lines", "first_date"] == dt.date(2026, 1, 10)
    assert tables.loc["invoice_lines", "last_date"] == dt.date(2026, 5, 1)
    assert tables.loc["budgets", "loads"] == 1 and tables.loc["payments", "loads"] == 0
    assert tables.loc["payments", "rows"] == 0 and tables.loc["invoice_lines", "last_load"] is not None


def test_a_table_loaded_longer_ago_than_the_refresh_interval_is_overdue(ms):
    loaded = ms.quality.tables().set_index("table_name").loc["invoice_lines", "last_load"]
    a_day_later = pd.Timestamp(loaded) + pd.Timedelta(hours=25)
    tables = quality.tables(ms.warehouse, a_day_later.to_pydatetime(), refresh_hours=24).set_index("table_name")
    assert tables.loc["invoice_lines", "hours_since_load"] == pytest.approx(25)
    assert bool(tables.loc["invoice_lines", "refresh_overdue"])
    assert not bool(tables.loc["payments", "refresh_overdue"])  # empty: nothing to refresh
    assert not quality.tables(ms.warehouse, a_day_later.to_pydatetime(), refresh_hours=48).refresh_overdue.any()
