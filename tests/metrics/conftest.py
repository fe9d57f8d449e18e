"""A company small enough to work out by hand, shared by the metrics tests.

Customers C1 (North, Gold), C2 (South, Bronze), C3 (North, Gold; only a return in 2026).
Products P1 (Hardware), P2 (Software).
"""

import datetime as dt

import pytest

from marginscope.metrics import Filters

CUSTOMERS = """customer_id,name,industry,region,tier
C1,Acme,retail,North,Gold
C2,Globex,medical,South,Bronze
C3,Initech,medical,North,Gold
"""
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\nP2,Licence,Software\n"
REPS = "rep_id,name\nR1,Ann\nR2,Bob\n"
LINES = """invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs
I1,1,invoice,2026-01-10,O1,C1,P1,R1,10,10.00,5.00,95.00,60.00
I1,2,invoice,2026-01-10,O1,C1,P2,R1,1,200.00,,200.00,40.00
I2,1,invoice,2026-02-15,O2,C2,P1,R2,5,10.00,0,50.00,30.00
I3,1,invoice,2026-02-20,,C1,P1,R1,2,10.00,2.00,18.00,12.00
CN1,1,credit_note,2026-02-25,O1,C1,P1,R1,1,10.00,0.50,9.50,6.00
CN2,1,credit_note,2026-03-05,,C3,P2,R2,1,200.00,0,200.00,40.00
I4,1,invoice,2025-02-10,O9,C2,P2,R2,1,100.00,0,100.00,20.00
"""
COSTS = """cost_id,customer_id,cost_date,category,amount
K1,C1,2026-01-31,freight,30.00
K2,C2,2026-02-28,service,100.00
K3,C3,2026-03-31,service,10.00
K4,C2,2025-02-28,other,5.00
"""
Q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))


@pytest.fixture
def ms(company):
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES, costs_to_serve=COSTS)
