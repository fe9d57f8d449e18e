"""A company small enough to work out by hand, served by the real app, with a user of every role.

Reps R1 (Ann) and R2 (Bob) report to Mia, R3 (Cy) to Max.
Customers C1 (Acme, North, Gold) is owned by R1; C2 (Globex, South, Bronze) and
C3 (Initech, North, Gold) by R2; C4 (Umbrella, West, Silver) by R3. The lines are those
of the metrics tests' company (tests/metrics/conftest.py) and three more.

The users are the auth tests' (tests/auth/conftest.py): boss (admin), ada (analyst),
mia (manager of Mia's team: R1 and R2), ann (rep R1) and cy (rep R3).

One campaign (CA1, aimed at Gold) and four survey answers, one per customer.

Two lines are traps for scope: R1 is credited with a sale to C2 (I5) and with a won
deal on C2 (D3), so a rep filter or a rep dimension alone would show R1 a customer
R1 does not own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import marginscope
from marginscope.auth import Auth
from marginscope.metrics.engine import Metrics
from marginscope.server import create_app
from tests.auth.conftest import PASSWORD, USERS, sign_in
from tests.conftest import open_with
from tests.metrics.conftest import COSTS, PRODUCTS

BASE_URL = "http://127.0.0.1"

REPS = """rep_id,name,manager,region
R1,Ann,Mia,North
R2,Bob,Mia,South
R3,Cy,Max,West
"""
CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R2
C4,Umbrella,retail,West,Silver,R3
"""
LINES = """invoice_id,line_no,kind,invoice_date,due_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs
I1,1,invoice,2026-01-10,2026-02-09,O1,C1,P1,R1,10,10.00,5.00,95.00,60.00
I1,2,invoice,2026-01-10,2026-02-09,O1,C1,P2,R1,1,200.00,,200.00,40.00
I2,1,invoice,2026-02-15,2026-03-17,O2,C2,P1,R2,5,10.00,0,50.00,30.00
I3,1,invoice,2026-02-20,2026-03-22,,C1,P1,R1,2,10.00,2.00,18.00,12.00
CN1,1,credit_note,2026-02-25,,O1,C1,P1,R1,1,10.00,0.50,9.50,6.00
CN2,1,credit_note,2026-03-05,,,C3,P2,R2,1,200.00,0,200.00,40.00
I4,1,invoice,2025-02-10,2025-03-12,O9,C2,P2,R2,1,100.00,0,100.00,20.00
I5,1,invoice,2026-03-10,2026-04-09,O5,C2,P2,R1,2,200.00,0,400.00,80.00
I6,1,invoice,2026-03-12,2026-04-11,O6,C4,P1,R3,3,10.00,0,30.00,18.00
"""
PAYMENTS = """payment_id,invoice_id,paid_date,amount
PM1,I1,2026-02-01,100.00
PM2,I2,2026-03-01,50.00
"""
OPPORTUNITIES = """opportunity_id,customer_id,rep_id,product_id,stage,engage_date,close_date,close_value
D1,C1,R1,P2,won,2026-01-05,2026-02-04,300.00
D2,C2,R2,P1,lost,2026-01-10,2026-02-20,
D3,C2,R1,P2,won,2026-02-01,2026-03-01,500.00
D4,C1,R1,P1,engaging,2026-03-01,,
D5,C4,R3,P1,won,2026-01-15,2026-03-15,80.00
"""
BUDGETS = """period,measure,amount,region
2026-01-01,revenue,250.00,North
2026-02-01,revenue,250.00,North
2026-03-01,revenue,250.00,North
"""
# CA1 targets the Gold tier (C1, C3) from 1 to 15 March; its baseline is 14-28 February.
CAMPAIGNS = """campaign_id,name,channel,start_date,end_date,cost,target_segment
CA1,Spring push,Email,2026-03-01,2026-03-15,100.00,Gold
"""
NPS = """customer_id,response_date,score,comment
C1,2026-02-01,9,Quick answers
C2,2026-02-02,3,Too expensive
C3,2026-03-01,7,
C4,2026-03-02,10,
"""
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


@dataclass
class Served:
    """The app over the small company, its metrics and users."""

    client: TestClient
    metrics: Metrics
    auth: Auth

    def token(self, username: str) -> str:
        """A fresh API token of ``username``."""
        return self.auth.tokens.create(username, "tests")[1]

    def as_user(self, username: str) -> TestClient:
        """A client that signs every request with an API token of ``username``."""
        return TestClient(self.client.app, base_url=BASE_URL,
                          headers={"Authorization": f"Bearer {self.token(username)}"})

    def signed_in(self, username: str) -> TestClient:
        """A client signed in through the sign-in form, as a browser is: by session cookie, with no
        CSRF header (add ``csrf_header(client)`` to unsafe requests)."""
        client = TestClient(self.client.app, base_url=BASE_URL)
        assert sign_in(client, username).status_code == 303
        return client


def csrf_header(client: TestClient) -> dict[str, str]:
    """The header Dash's renderer sends: the session's CSRF token, read from its cookie."""
    return {"X-CSRFToken": client.cookies["_csrf_token"]}


@pytest.fixture(scope="session")
def company_files(tmp_path_factory) -> Path:
    """The company's warehouse and application database, built once: each test works on a copy."""
    folder = tmp_path_factory.mktemp("api-company")
    metrics = open_with(folder, {"reps": REPS, "customers": CUSTOMERS, "products": PRODUCTS, "invoice_lines": LINES,
                                 "costs_to_serve": COSTS, "payments": PAYMENTS, "opportunities": OPPORTUNITIES,
                                 "budgets": BUDGETS, "campaigns": CAMPAIGNS, "nps_responses": NPS})
    metrics.close()
    auth = Auth(folder / "app.sqlite3")
    for username, (role, extra) in USERS.items():
        auth.users.add(username, PASSWORD, role, **extra)
    return folder


@pytest.fixture
def served(company_files, tmp_path, monkeypatch) -> Served:
    monkeypatch.setenv("MARGINSCOPE_WARM_UP", "false")
    for name in ("small.duckdb", "app.sqlite3"):
        shutil.copy(company_files / name, tmp_path / name)
    metrics = marginscope.open(f"duckdb://{tmp_path / 'small.duckdb'}")
    app = create_app(metrics, Auth(tmp_path / "app.sqlite3"))
    with TestClient(app.server, base_url=BASE_URL) as client:
        yield Served(client, metrics, app.server.state.auth)
    metrics.close()
