"""Fixtures for the auth tests: an application database with one user of each role over a
small company whose ownership is worked out by hand.

Reps R1 (Ann) and R2 (Bob) report to Mia; R3 (Cy) to Max.
C1 and C3 are owned by R1, C2 by R2, C4 by R3.
"""

from __future__ import annotations

import pytest

from marginscope.auth import Auth, Role
from tests.conftest import auth_with

CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R1
C4,Umbrella,retail,East,Silver,R3
"""
REPS = "rep_id,name,manager\nR1,Ann,Mia\nR2,Bob,Mia\nR3,Cy,Max\n"
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\n"
LINES = """invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs
I1,1,invoice,2026-01-10,O1,C1,P1,R1,10,10.00,0,100.00,60.00
I2,1,invoice,2026-02-15,O2,C2,P1,R2,5,10.00,0,50.00,30.00
I3,1,invoice,2026-02-20,O3,C3,P1,R1,2,10.00,0,20.00,12.00
I4,1,invoice,2026-03-01,O4,C4,P1,R3,7,10.00,0,70.00,40.00
"""
PASSWORD = "a long enough password"
USERS = {"boss": (Role.ADMIN, {}), "ada": (Role.ANALYST, {}), "mia": (Role.MANAGER, {"manager": "Mia"}),
         "ann": (Role.REP, {"rep_id": "R1"}), "cy": (Role.REP, {"rep_id": "R3"})}


@pytest.fixture
def auth(tmp_path) -> Auth:
    return auth_with(tmp_path / "app.sqlite3", {name: (PASSWORD, role, extra) for name, (role, extra) in USERS.items()})


@pytest.fixture
def owned(company):
    """The metrics layer over the small company."""
    return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)


@pytest.fixture
def app(owned, auth, monkeypatch):
    from marginscope.server import create_app

    monkeypatch.setenv("MARGINSCOPE_WARM_UP", "false")
    return create_app(owned, auth)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app.server, base_url="http://127.0.0.1") as client:
        yield client


def sign_in(client, username: str, password: str = PASSWORD, next_path: str = "/"):
    """Post the sign-in form the way a browser does: the form's CSRF cookie, then the fields."""
    client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "next": next_path,
                                       "csrf_token": client.cookies.get("_csrf_token")}, follow_redirects=False)
