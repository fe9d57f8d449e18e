"""A company whose alerts are worked out by hand; the data runs to 30 June 2026 (the as-of day).

Reps R1 (Ann) and R2 (Bob) report to Mia. C1 (North, Gold) is R1's; C2 (South, Bronze) and
C3 (North, Gold) are R2's.

Lines (revenue, COGS):
- I1  2026-02-10 C1 R1  400, 240   (Q1)
- I2  2026-03-01 C3 R2  300, 150   (Q1; paid in full on 2026-04-05)
- I10 2026-05-10 C1 R1  100,  60   (due 2026-05-20, unpaid: 41 days past due on 30 June)
- I11 2026-05-25 C2 R2   50,  20   (due 2026-06-04: 26 days past due on 30 June)
- I12 2026-06-30 C2 R2  200, 100   (due 2026-07-30: not due)
Costs to serve: C1 35.00 of freight on 2026-05-31.
Budget: revenue 200 a month, January to December 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from marginscope.auth import Role
from tests.conftest import auth_with

AS_OF = dt.date(2026, 6, 30)
REPS = "rep_id,name,manager\nR1,Ann,Mia\nR2,Bob,Mia\n"
CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R2
"""
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\n"
LINES = """invoice_id,line_no,kind,invoice_date,due_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs
I1,1,invoice,2026-02-10,2026-03-12,O1,C1,P1,R1,4,100.00,0,400.00,240.00
I2,1,invoice,2026-03-01,2026-03-31,O2,C3,P1,R2,3,100.00,0,300.00,150.00
I10,1,invoice,2026-05-10,2026-05-20,O10,C1,P1,R1,1,100.00,0,100.00,60.00
I11,1,invoice,2026-05-25,2026-06-04,O11,C2,P1,R2,1,50.00,0,50.00,20.00
I12,1,invoice,2026-06-30,2026-07-30,O12,C2,P1,R2,2,100.00,0,200.00,100.00
"""
PAYMENTS = "payment_id,invoice_id,paid_date,amount\nPM1,I2,2026-04-05,300.00\nPM2,I1,2026-03-01,400.00\n"
COSTS = "cost_id,customer_id,cost_date,category,amount\nK1,C1,2026-05-31,freight,35.00\n"
BUDGETS = "period,measure,amount\n" + "".join(f"2026-{m:02d}-01,revenue,200.00\n" for m in range(1, 13))
PASSWORD = "a long enough password"


@pytest.fixture
def ms(company):
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, payments=PAYMENTS,
                   costs_to_serve=COSTS, budgets=BUDGETS)


@pytest.fixture
def auth(tmp_path):
    return auth_with(tmp_path / "alerts-app.sqlite3", {"boss": (PASSWORD, Role.ADMIN, {}),
                                                       "ann": (PASSWORD, Role.REP, {"rep_id": "R1"}),
                                                       "bob": (PASSWORD, Role.REP, {"rep_id": "R2"})})
