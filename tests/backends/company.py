"""The company every engine of the parity suite is loaded with: the hand-made companies of the
other tests, side by side, so that every metric has data to work on.

- The API tests' company (tests/api/conftest.py; its lines are those of tests/metrics/conftest.py
  and two more): customers C1-C4, reps R1-R3, both products, due dates, payments, deals, a
  budget, a campaign and survey answers, all in 2025 and Q1 2026.
- The churn tests' company (tests/metrics/churn_company.py): 36 customers buying on hand-worked
  schedules from January 2024 to June 2026, enough history for the forecasts, the churn model and
  lifetime values to be fitted rather than refused.
- A few rows of the tables neither has: orders (with their delivery dates), interactions, a
  gross-profit budget by region, and a second customer-cost category.

The two companies share reps R1 and R2 and product P1. Customers are loaded in two files, and so
are invoice lines, so that the second load of each is an upsert into a table holding rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from marginscope.ingest import load_file
from marginscope.metrics import Filters, Scope
from marginscope.warehouse import Warehouse
from tests.api import conftest as api
from tests.metrics import churn_company
from tests.metrics.conftest import COSTS, PRODUCTS

T = churn_company.T  # 30 June 2026: the last purchase of the churn company's steady customers

ORDERS = """order_id,customer_id,order_date,status,promised_date,shipped_date,delivered_date
O1,C1,2026-01-08,delivered,2026-01-12,2026-01-10,2026-01-15
O2,C2,2026-02-14,delivered,2026-02-20,2026-02-15,2026-02-18
O5,C2,2026-03-09,shipped,2026-03-20,2026-03-10,
O6,C4,2026-03-11,open,2026-03-25,,
"""
INTERACTIONS = """interaction_id,customer_id,rep_id,interaction_date,type
A1,C1,R1,2026-01-05,call
A2,C1,R1,2026-02-10,meeting
A3,C2,R2,2026-02-11,email
A4,S1,R1,2026-03-01,call
"""
BUDGETS = api.BUDGETS + """2026-01-01,revenue,300.00,South
2026-02-01,revenue,300.00,South
2026-03-01,revenue,300.00,South
2026-04-01,revenue,300.00,North
2026-01-01,gross_profit,400.00,North
2026-02-01,gross_profit,400.00,North
2026-03-01,gross_profit,400.00,North
"""
MORE_COSTS = """cost_id,customer_id,cost_date,category,amount
K5,S1,2026-02-15,sales_expense,12.34
K6,F1,2026-03-15,marketing,7.77
K7,C1,2026-02-20,service,0.01
"""


def files() -> list[tuple[str, str]]:
    """(table, CSV text) in load order; a table may come in two files."""
    churn = churn_company.company_tables()
    return [
        ("reps", api.REPS),
        ("customers", api.CUSTOMERS),
        ("customers", churn["customers"]),
        ("products", PRODUCTS),
        ("invoice_lines", api.LINES),
        ("invoice_lines", churn["invoice_lines"]),
        ("orders", ORDERS),
        ("payments", api.PAYMENTS),
        ("costs_to_serve", COSTS),
        ("costs_to_serve", MORE_COSTS),
        ("opportunities", api.OPPORTUNITIES),
        ("interactions", INTERACTIONS),
        ("budgets", BUDGETS),
        ("campaigns", api.CAMPAIGNS),
        ("nps_responses", api.NPS),
    ]


def write_files(folder: Path) -> list[tuple[str, Path]]:
    """Write the company's files into ``folder``; return (table, path) in load order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (table, text) in enumerate(files()):
        path = folder / f"{number:02d}_{table}.csv"
        path.write_text(text)
        written.append((table, path))
    return written


def load(warehouse: Warehouse, written: list[tuple[str, Path]]) -> None:
    """Load the files of :func:`write_files` through the real loader (validated, one transaction each)."""
    for table, path in written:
        result = load_file(warehouse, table, path, user="parity")
        assert result.ok and not result.rows_rejected, (table, result.problems.to_pylist())


# Rep R1 owns C1 and the churn company's steady (S) and fading-now (F) customers.
R1_CUSTOMERS = frozenset({"C1"} | {f"S{n}" for n in range(1, 9)} | {f"F{n}" for n in range(1, 7)})
Q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
YEAR = Filters(start=dt.date(2025, 7, 1), end=T)
R1_SCOPE = Scope(R1_CUSTOMERS)
